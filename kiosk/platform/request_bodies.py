"""Request bodies: an upload of ordinary size is parsed into memory, not a temporary file.

Werkzeug spools any body over 500 KB to a temporary file, written 64 KiB at a time; each
write gives up the GIL, and in a web process getting it back waits for the other threads'
turns (up to 5 ms each). A tablet photo is 1-5 MB and is read into memory whole straight
after (services.uploads), so the file bought nothing but those waits. Larger bodies (several
photos in one post, up to MAX_CONTENT_LENGTH) still go to a temporary file."""

from __future__ import annotations

from io import BytesIO
from typing import IO

from flask import Request

IN_MEMORY = 8 * 1024 * 1024  # a post with one or two tablet photos


class KioskRequest(Request):
    """Flask's request, keeping a multipart body up to IN_MEMORY in memory."""

    def _get_file_stream(
        self,
        total_content_length: int | None,
        content_type: str | None,
        filename: str | None = None,
        content_length: int | None = None,
    ) -> IO[bytes]:
        if total_content_length is not None and total_content_length <= IN_MEMORY:
            return BytesIO()
        return super()._get_file_stream(
            total_content_length, content_type, filename, content_length
        )

"""A post with a tablet photo is parsed in memory; a very large one still spills to disk."""

from __future__ import annotations

import io

import pytest
from flask import Flask, request

from kiosk.platform.request_bodies import IN_MEMORY


@pytest.mark.parametrize(
    ("size", "in_memory"), [(1_000_000, True), (IN_MEMORY + 1, False)], ids=["photo", "huge"]
)
def test_where_an_upload_is_parsed(app: Flask, size: int, in_memory: bool) -> None:
    photo = b"\xff\xd8\xff" + b"x" * size
    data = {"photo": (io.BytesIO(photo), "photo.jpg", "image/jpeg")}
    with app.test_request_context("/", method="POST", data=data):
        upload = request.files["photo"]
        assert isinstance(upload.stream, io.BytesIO) is in_memory
        assert upload.stream.read() == photo

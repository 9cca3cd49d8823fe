"""Load uploaded photos, decide whether they are acceptable, and re-encode them for storage.

Everything here works on bytes and Pillow images only: no Flask, no file names. The type of
an upload is decided from its content, because tablets and browsers report names and MIME
types that cannot be trusted.
"""

from __future__ import annotations

import functools
import struct
from dataclasses import dataclass
from enum import StrEnum
from io import BytesIO

from PIL import ExifTags, Image, ImageOps

MAX_BYTES = 20 * 1024 * 1024
MAX_PIXELS = 40_000_000
MIN_SIDE = 200
STORED_QUALITY = 85  # JPEG quality of every stored photo and page (thumbnails: 80)


class UploadProblem(StrEnum):
    """Why an upload was refused; the value is stable and safe to show in logs or URLs."""

    EMPTY = "empty"
    TOO_LARGE = "too_large"
    NOT_AN_IMAGE = "not_an_image"
    CORRUPT = "corrupt"
    TOO_MANY_PIXELS = "too_many_pixels"
    TOO_SMALL = "too_small"


class ImageRejected(ValueError):
    """The upload cannot be used; `problem` says why."""

    problem: UploadProblem

    def __init__(self, problem: UploadProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


@dataclass(frozen=True)
class LoadedImage:
    """A decoded upload: upright (EXIF orientation applied) and in mode RGB."""

    image: Image.Image
    source_format: str
    width: int
    height: int


# HEIF brands whose images are HEVC-coded, which is what libheif in pillow-heif can decode.
# "mif1"/"msf1" are generic HEIF brands also used by AVIF, so they count only without AVIF.
_HEVC_BRANDS = frozenset({b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs"})
_GENERIC_HEIF_BRANDS = frozenset({b"mif1", b"msf1"})
_AVIF_BRANDS = frozenset({b"avif", b"avis"})

# Our name for each format -> the Pillow plugins allowed to open it. Phone JPEGs carrying a
# second (depth or preview) picture are opened by Pillow as MPO, which is still a JPEG.
_PILLOW_FORMATS: dict[str, tuple[str, ...]] = {
    "jpeg": ("JPEG", "MPO"),
    "png": ("PNG",),
    "webp": ("WEBP",),
    "heic": ("HEIF",),
}

_WHITE = (255, 255, 255)


def _heif_brands(data: bytes) -> tuple[bytes, set[bytes]] | None:
    """The major and compatible brands of an ISO-BMFF `ftyp` box at the start, if any."""
    if len(data) < 16 or data[4:8] != b"ftyp":
        return None
    (box_size,) = struct.unpack(">I", data[:4])
    if box_size < 16 or box_size > len(data):
        return None
    major = data[8:12]
    compatible = {data[i : i + 4] for i in range(16, box_size - 3, 4)}
    return major, compatible


@functools.cache
def _open_heif() -> None:
    """Once, at the first HEIC/HEIF photo (iPhones' own format): Image.open then reads it.
    Not at import: libheif costs a web process about 7 MB it rarely needs."""
    import pillow_heif

    pillow_heif.register_heif_opener()


def open_image(data: bytes, formats: tuple[str, ...] | None = None) -> Image.Image:
    """Image.open on bytes in memory, decoded in one call when loaded. Pillow feeds its
    decoder 64 KiB at a time and gives up the GIL for each: in a web process, getting it back
    waits for the other threads' turns (up to 5 ms each), and a 1 MB photo's decode took 85 ms
    beside one busy thread instead of 12 (bench/load.py: the upload's p95)."""
    image = Image.open(BytesIO(data), formats=formats)
    image.decodermaxblock = max(len(data), image.decodermaxblock)
    return image


def _sniff(data: bytes) -> str | None:
    """The supported format the content claims to be, from its magic bytes; None if none."""
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    brands = _heif_brands(data)
    if brands is not None:
        major, compatible = brands
        every = compatible | {major}
        if every & _HEVC_BRANDS:
            return "heic"
        if major in _GENERIC_HEIF_BRANDS and not every & _AVIF_BRANDS:
            return "heic"
    return None


def _to_rgb(image: Image.Image) -> Image.Image:
    """The image in mode RGB; transparency becomes white, as on the paper it came from."""
    if image.mode == "RGB":
        return image
    if image.mode in ("I", "F") or image.mode.startswith("I;16"):
        # A plain convert() clips 16-bit values at 255, turning most of the picture white.
        scaled = image.convert("I").point(lambda value: value * (1 / 256))
        return scaled.convert("L").convert("RGB")
    if image.mode == "P":
        has_alpha = "transparency" in image.info
        if not has_alpha:
            assert image.palette is not None  # Pillow gives a P image its palette when opened
            has_alpha = image.palette.mode == "RGBA"
        image = image.convert("RGBA" if has_alpha else "RGB")
        if not has_alpha:
            return image
    if image.mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (*_WHITE, 255))
        return Image.alpha_composite(background, rgba).convert("RGB")
    return image.convert("RGB")


def _upright(image: Image.Image) -> Image.Image:
    """The image turned as its EXIF orientation says; unturned if that EXIF is unreadable."""
    try:
        if image.getexif().get(ExifTags.Base.Orientation, 1) == 1:
            return image  # upright already: no copy (a 12 MP copy costs ~10 ms)
        transposed = ImageOps.exif_transpose(image)
    except Exception:
        # Broken EXIF on otherwise good pixels: a sideways photo is better than a refusal.
        return image.copy()
    return transposed if transposed is not None else image


def load_image(
    data: bytes, *, max_bytes: int = MAX_BYTES, max_pixels: int = MAX_PIXELS
) -> LoadedImage:
    """Raise ImageRejected(problem) or return the decoded, upright RGB image."""
    if not data:
        raise ImageRejected(UploadProblem.EMPTY)
    if len(data) > max_bytes:
        raise ImageRejected(UploadProblem.TOO_LARGE)

    source_format = _sniff(data)
    if source_format is None:
        raise ImageRejected(UploadProblem.NOT_AN_IMAGE)
    if source_format == "heic":
        _open_heif()

    # Image.open reads only the header. Pillow's own bomb check runs inside it, against its
    # global MAX_IMAGE_PIXELS, which we leave alone: its error (or its warning, if a warnings
    # filter turns that into an exception) is mapped here, and our limit is applied just after.
    # warnings.catch_warnings is not used because it is not thread-safe.
    try:
        opened = open_image(data, _PILLOW_FORMATS[source_format])
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ImageRejected(UploadProblem.TOO_MANY_PIXELS) from error
    except Exception as error:
        # The magic bytes said e.g. PNG, but no plugin could parse the header.
        raise ImageRejected(UploadProblem.CORRUPT) from error

    with opened:
        try:
            width, height = opened.size
        except Exception as error:
            raise ImageRejected(UploadProblem.CORRUPT) from error
        if width * height > max_pixels:
            raise ImageRejected(UploadProblem.TOO_MANY_PIXELS)
        if width <= 0 or height <= 0:
            raise ImageRejected(UploadProblem.CORRUPT)
        try:
            opened.load()
            image = _to_rgb(_upright(opened))
        except ImageRejected:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise ImageRejected(UploadProblem.TOO_MANY_PIXELS) from error
        except Exception as error:
            # OSError (truncated), SyntaxError, ValueError, struct.error, EOFError, zlib or
            # libheif errors: whatever the decoder says, for the caller it is a broken file.
            raise ImageRejected(UploadProblem.CORRUPT) from error

    if min(image.size) < MIN_SIDE:
        raise ImageRejected(UploadProblem.TOO_SMALL)
    return LoadedImage(
        image=image, source_format=source_format, width=image.width, height=image.height
    )


def _fit(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    """A resized RGB copy; reducing_gap makes big downscales fast at no visible cost."""
    rgb = _to_rgb(image)
    if rgb.size == size:
        return rgb.copy()
    return rgb.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)


def _encode_jpeg(image: Image.Image, quality: int) -> bytes:
    """JPEG bytes with no metadata at all."""
    # Pillow copies some of `info` (the JPEG comment, for one) into the output; a phone's
    # EXIF carries GPS, so nothing from the original may travel with the pixels.
    # No optimize=True: its second pass costs half the encoding time to save ~5% of bytes.
    image.info = {}
    buffer = BytesIO()
    image.save(buffer, format="JPEG", quality=quality)
    return buffer.getvalue()


def _scaled_size(width: int, height: int, longer_side: int) -> tuple[int, int]:
    scale = longer_side / max(width, height)
    return max(1, round(width * scale)), max(1, round(height * scale))


def to_jpeg(image: Image.Image, *, max_side: int = 2400, quality: int = STORED_QUALITY) -> bytes:
    """A normalised JPEG for storage: longer side <= max_side, EXIF and all metadata stripped."""
    if max_side < 1:
        raise ValueError("max_side must be positive")
    size = image.size
    if max(size) > max_side:
        size = _scaled_size(*size, max_side)
    return _encode_jpeg(_fit(image, size), quality)


def thumbnail_jpeg(image: Image.Image, *, side: int = 240) -> bytes:
    """A small JPEG thumbnail (longer side = side) for showing on screen."""
    if side < 1:
        raise ValueError("side must be positive")
    # Scaled up as well as down, so that every thumbnail on the screen has the same size.
    # A large photo is first box-reduced by a whole factor (fast), then resampled.
    factor = max(1, min(image.size) // side)
    source = image.reduce(factor) if factor > 1 else image
    return _encode_jpeg(_fit(source, _scaled_size(*image.size, side)), quality=80)


@dataclass(frozen=True)
class QuickPhoto:
    """An upload that needed no turning or scaling: its pixels re-encoded, and a small copy."""

    stored: bytes
    preview: Image.Image
    width: int
    height: int


def _quick_decode(
    data: bytes, max_side: int, draft_side: int | None = None
) -> tuple[Image.Image, int, int] | None:
    """A JPEG that is upright, RGB or grey and small enough, decoded whole, with its size;
    with `draft_side`, by the decoder's own scaling to 1/2, 1/4 or 1/8, keeping the shorter
    side at least that long. A truncated or corrupt file fails either way. None otherwise."""
    if _sniff(data) != "jpeg" or len(data) > MAX_BYTES:
        return None
    try:
        with open_image(data, ("JPEG",)) as opened:
            width, height = opened.size
            if (
                max(width, height) > max_side
                or min(width, height) < MIN_SIDE
                or width * height > MAX_PIXELS
                or opened.getexif().get(ExifTags.Base.Orientation, 1) != 1
                or opened.mode not in ("RGB", "L")
            ):
                return None
            if draft_side:
                factor = max(1, min(width, height) // draft_side)
                opened.draft(opened.mode, (width // factor, height // factor))
            opened.load()
    except Exception:
        return None
    return opened, width, height


@dataclass(frozen=True)
class CheckedPhoto:
    """An upload decoded whole at a fraction of its size: sound, and a small copy to show."""

    preview: Image.Image
    width: int
    height: int


def checked_jpeg(
    data: bytes, *, max_side: int = 2400, preview_side: int = 240
) -> CheckedPhoto | None:
    """The quickest sound check of a JPEG the quick path would take: every scan decoded,
    at a fraction of the size (about half the work of a full decode). What it returns is
    only shown as a thumbnail; the upload itself must still be re-encoded (`quick_jpeg`)
    before anyone is shown it. None: the slow path, which says what is wrong."""
    decoded = _quick_decode(data, max_side, draft_side=preview_side)
    if decoded is None:
        return None
    small, width, height = decoded
    preview = small.reduce(max(1, min(small.size) // preview_side))
    return CheckedPhoto(_to_rgb(preview), width, height)


def quick_jpeg(data: bytes, *, max_side: int = 2400, preview_side: int = 240) -> QuickPhoto | None:
    """The short path for a JPEG that is upright and small enough: one decode, one encode.

    What is stored is always encoded afresh from the decoded pixels, never copied from the
    upload: a file can be a valid JPEG and a web page or a ZIP at once (bytes after the end
    of the image, in comments or colour profiles, or between the scans of a progressive
    JPEG, which no segment parser can tell from image data without entropy-decoding it).
    Re-encoding keeps nothing of the file but what a decoder made of it, and costs one full
    decode and encode: with its thumbnail, ~55 ms for 2400 x 1800 on 2 cores (copying: ~30).
    None means: take the slow path (load_image + to_jpeg), which says what is wrong.
    """
    decoded = _quick_decode(data, max_side)
    if decoded is None:
        return None
    opened, width, height = decoded
    # No copy of an RGB image (12 MB for 2400 x 1800): this decoded upload is ours to change.
    image = _to_rgb(opened)
    stored = _encode_jpeg(image, STORED_QUALITY)
    # Box-reduced by a whole factor, as thumbnail_jpeg would: cheap, and the thumbnail of a
    # photo looks the same whichever path it took.
    preview = image.reduce(max(1, min(width, height) // preview_side))
    return QuickPhoto(stored, preview, width, height)


def prepared_jpeg(data: bytes) -> bytes:
    """What is kept of an upload: its pixels, upright, re-encoded as a plain JPEG (see
    quick_jpeg); ImageRejected if it cannot be."""
    quick = quick_jpeg(data)
    if quick is not None:
        return quick.stored
    return to_jpeg(load_image(data).image)

"""Tests for kiosk.ocr.images; every image is generated here, no binary fixtures."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable
from io import BytesIO

import pillow_heif
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import ExifTags, Image, ImageFile

from kiosk.ocr.images import (
    MAX_PIXELS,
    MIN_SIDE,
    ImageRejected,
    LoadedImage,
    UploadProblem,
    checked_jpeg,
    load_image,
    prepared_jpeg,
    quick_jpeg,
    thumbnail_jpeg,
    to_jpeg,
)

# The tests write HEIC photos with Pillow; the kiosk itself registers HEIF at its first one.
pillow_heif.register_heif_opener()

RED = (255, 0, 0)
ORIENTATION = ExifTags.Base.Orientation


def encode(image: Image.Image, fmt: str, **params: object) -> bytes:
    buffer = BytesIO()
    image.save(buffer, format=fmt, **params)
    return buffer.getvalue()


def marked(size: tuple[int, int] = (400, 300)) -> Image.Image:
    """White with a red square in the top-left corner, to see where that corner ends up."""
    image = Image.new("RGB", size, (255, 255, 255))
    image.paste(RED, (0, 0, 60, 60))
    return image


def is_red(pixel: tuple[int, ...]) -> bool:
    r, g, b = pixel[:3]
    return r > 200 and g < 60 and b < 60


def rejected(data: bytes, **limits: int) -> UploadProblem:
    with pytest.raises(ImageRejected) as info:
        load_image(data, **limits)
    assert str(info.value) == info.value.problem.value
    return info.value.problem


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def crafted_png(width: int, height: int, idat: bytes) -> bytes:
    """A PNG whose IHDR declares width x height (8-bit RGB) whatever the IDAT holds."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", ihdr)
        + png_chunk(b"IDAT", idat)
        + png_chunk(b"IEND", b"")
    )


# --- valid uploads ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pillow_format", "expected"),
    [("JPEG", "jpeg"), ("PNG", "png"), ("WEBP", "webp"), ("HEIF", "heic")],
)
def test_supported_formats_load(pillow_format: str, expected: str) -> None:
    loaded = load_image(encode(marked((640, 480)), pillow_format))
    assert isinstance(loaded, LoadedImage)
    assert loaded.source_format == expected
    assert (loaded.width, loaded.height) == (640, 480) == loaded.image.size
    assert loaded.image.mode == "RGB"
    assert is_red(loaded.image.getpixel((10, 10)))


def test_heic_written_by_pillow_heif_is_really_heic() -> None:
    data = encode(marked(), "HEIF")
    assert data[4:12] == b"ftypheic"
    assert load_image(data).source_format == "heic"


def test_minimum_side_is_accepted() -> None:
    loaded = load_image(encode(Image.new("RGB", (MIN_SIDE, 1000)), "PNG"))
    assert loaded.width == MIN_SIDE


def test_jpeg_exif_orientation_6_comes_out_upright() -> None:
    exif = Image.Exif()
    exif[ORIENTATION] = 6  # stored sideways; turn 90 degrees clockwise to display
    data = encode(marked((400, 300)), "JPEG", exif=exif.tobytes(), quality=95)
    assert Image.open(BytesIO(data)).size == (400, 300)

    loaded = load_image(data)

    assert (loaded.width, loaded.height) == (300, 400) == loaded.image.size
    # Clockwise: the stored top-left corner is now the top-right one.
    assert is_red(loaded.image.getpixel((loaded.width - 10, 10)))
    for corner in [(10, 10), (10, loaded.height - 10), (loaded.width - 10, loaded.height - 10)]:
        assert not is_red(loaded.image.getpixel(corner))


def test_heic_orientation_6_comes_out_upright() -> None:
    # pillow-heif does not keep Orientation in the EXIF it writes: it turns it into a HEIF
    # `irot` transform, which libheif applies on decode (and the EXIF read back says 1).
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    data = encode(marked((400, 300)), "HEIF", exif=exif.tobytes(), quality=95)

    loaded = load_image(data)

    assert loaded.source_format == "heic"
    assert (loaded.width, loaded.height) == (300, 400)
    assert is_red(loaded.image.getpixel((loaded.width - 10, 10)))
    assert not is_red(loaded.image.getpixel((10, 10)))


# --- conversion to RGB -----------------------------------------------------------------------


def test_rgba_png_becomes_rgb_on_white() -> None:
    image = Image.new("RGBA", (300, 300), (0, 0, 0, 0))
    image.paste((0, 0, 255, 255), (0, 0, 100, 100))
    loaded = load_image(encode(image, "PNG"))
    assert loaded.image.mode == "RGB"
    assert loaded.image.getpixel((50, 50)) == (0, 0, 255)
    assert loaded.image.getpixel((200, 200)) == (255, 255, 255)


@pytest.mark.parametrize(
    "make",
    [
        lambda: Image.new("L", (300, 300), 128),
        lambda: Image.new("LA", (300, 300), (128, 255)),
        lambda: Image.new("1", (300, 300), 1),
        lambda: Image.new("RGB", (300, 300), (10, 200, 30)).convert("P"),
    ],
    ids=["L", "LA", "1", "P"],
)
def test_png_modes_become_rgb(make: Callable[[], Image.Image]) -> None:
    assert load_image(encode(make(), "PNG")).image.mode == "RGB"


def test_palette_png_with_transparency_becomes_white() -> None:
    image = Image.new("P", (300, 300), 0)
    image.putpalette([0, 0, 0, 255, 0, 0])
    image.paste(1, (0, 0, 100, 100))
    loaded = load_image(encode(image, "PNG", transparency=0))
    assert loaded.image.getpixel((50, 50)) == RED
    assert loaded.image.getpixel((200, 200)) == (255, 255, 255)


def test_sixteen_bit_grey_png_is_scaled_not_clipped() -> None:
    image = Image.new("I;16", (300, 300))
    image.putdata([100 * 257] * (300 * 300))  # 16-bit for 8-bit grey 100
    loaded = load_image(encode(image, "PNG"))
    assert loaded.image.mode == "RGB"
    assert loaded.image.getpixel((0, 0)) == (100, 100, 100)


def test_cmyk_jpeg_becomes_rgb() -> None:
    image = Image.new("CMYK", (300, 300), (0, 255, 255, 0))  # red in ink
    loaded = load_image(encode(image, "JPEG", quality=95))
    assert loaded.image.mode == "RGB"
    assert is_red(loaded.image.getpixel((150, 150)))


# --- refusals --------------------------------------------------------------------------------


def test_empty() -> None:
    assert rejected(b"") is UploadProblem.EMPTY


def test_too_large_is_checked_before_anything_else() -> None:
    data = encode(marked(), "PNG")
    assert rejected(data, max_bytes=len(data) - 1) is UploadProblem.TOO_LARGE
    assert rejected(b"x" * 101, max_bytes=100) is UploadProblem.TOO_LARGE
    assert load_image(data, max_bytes=len(data)).source_format == "png"


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n",
        "Quittung / 收据 Nr. 12345\n".encode() * 20,
        b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="900" '
        b'height="900"><rect width="900" height="900" fill="red"/></svg>',
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(200) + b"PE\x00\x00",
        b"\x00" * 500,
    ],
    ids=["pdf", "text", "svg", "exe", "zeros"],
)
def test_not_an_image(data: bytes) -> None:
    assert rejected(data) is UploadProblem.NOT_AN_IMAGE


@pytest.mark.parametrize("pillow_format", ["GIF", "BMP", "TIFF", "AVIF", "ICO"])
def test_images_in_unsupported_formats_are_not_an_image(pillow_format: str) -> None:
    if pillow_format == "AVIF" and not Image.registered_extensions().get(".avif"):
        pytest.skip("this Pillow cannot write AVIF")
    data = encode(marked((256, 256)), pillow_format)
    assert rejected(data) is UploadProblem.NOT_AN_IMAGE


def test_truncated_jpeg_is_corrupt() -> None:
    data = encode(marked((800, 600)), "JPEG")
    assert rejected(data[: len(data) // 2]) is UploadProblem.CORRUPT


@pytest.mark.parametrize("pillow_format", ["PNG", "WEBP", "HEIF"])
def test_truncated_other_formats_are_corrupt(pillow_format: str) -> None:
    data = encode(Image.effect_noise((400, 400), 64).convert("RGB"), pillow_format)
    assert rejected(data[: len(data) // 2]) is UploadProblem.CORRUPT


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n" + b"garbage, not chunks" * 10,
        b"\xff\xd8\xff" + b"\x00garbage" * 50,
        b"RIFF\x00\x10\x00\x00WEBPVP8 " + b"garbage" * 50,
        b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"garbage" * 50,
    ],
    ids=["png", "jpeg", "webp", "heic"],
)
def test_magic_bytes_followed_by_garbage_are_corrupt(data: bytes) -> None:
    assert rejected(data) is UploadProblem.CORRUPT


def test_valid_header_with_garbage_pixel_data_is_corrupt() -> None:
    assert rejected(crafted_png(300, 300, b"garbage, not zlib")) is UploadProblem.CORRUPT


@pytest.fixture
def no_decoding(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Records any attempt to decode pixel data."""
    calls: list[object] = []
    original = ImageFile.ImageFile.load

    def spy(self: ImageFile.ImageFile) -> object:
        calls.append(self)
        return original(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", spy)
    return calls


@pytest.mark.parametrize(
    ("width", "height"),
    [
        (30_000, 30_000),  # over twice Pillow's own limit: Image.open itself refuses
        (7_000, 6_000),  # 42 Mpx: under Pillow's limit, over ours
    ],
)
def test_decompression_bomb_is_refused_before_decoding(
    width: int, height: int, no_decoding: list[object]
) -> None:
    # Under a hundred bytes that declare 100+ MB of pixels. The IDAT is not even zlib, so
    # decoding would give CORRUPT; the spy also proves that no decoding was attempted.
    pillow_limit = Image.MAX_IMAGE_PIXELS
    data = crafted_png(width, height, b"garbage, not zlib")
    assert len(data) < 100
    assert width * height > MAX_PIXELS

    assert rejected(data) is UploadProblem.TOO_MANY_PIXELS
    assert no_decoding == []
    assert Image.MAX_IMAGE_PIXELS == pillow_limit


def test_max_pixels_is_a_parameter() -> None:
    data = encode(Image.new("RGB", (1000, 1000), (200, 200, 200)), "JPEG")
    assert rejected(data, max_pixels=999_999) is UploadProblem.TOO_MANY_PIXELS
    assert load_image(data, max_pixels=1_000_000).width == 1000


def test_max_pixels_applies_to_heic() -> None:
    data = encode(Image.new("RGB", (1000, 1000), (200, 200, 200)), "HEIF")
    assert rejected(data, max_pixels=999_999) is UploadProblem.TOO_MANY_PIXELS


@pytest.mark.parametrize("size", [(50, 50), (MIN_SIDE - 1, 2000), (2000, MIN_SIDE - 1)])
def test_too_small(size: tuple[int, int]) -> None:
    assert rejected(encode(Image.new("RGB", size, (1, 2, 3)), "PNG")) is UploadProblem.TOO_SMALL


# --- re-encoding -----------------------------------------------------------------------------


def phone_jpeg(size: tuple[int, int] = (3000, 2000)) -> bytes:
    """A JPEG with the metadata a phone adds: GPS, camera, orientation, a comment."""
    exif = Image.Exif()
    exif[ORIENTATION] = 1
    exif[ExifTags.Base.Make] = "KioskTab"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (39.0, 54.0, 27.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (116.0, 23.0, 50.0)
    return encode(marked(size), "JPEG", exif=exif.tobytes(), comment=b"Beijing branch 7")


def test_phone_jpeg_fixture_really_has_gps() -> None:
    exif = Image.open(BytesIO(phone_jpeg())).getexif()
    assert exif.get_ifd(ExifTags.IFD.GPSInfo)
    assert exif[ExifTags.Base.Make] == "KioskTab"


def test_to_jpeg_strips_all_metadata_and_downscales() -> None:
    loaded = load_image(phone_jpeg((3000, 2000)))
    assert "exif" in loaded.image.info  # still there before re-encoding

    out = Image.open(BytesIO(to_jpeg(loaded.image)))

    assert out.format == "JPEG"
    assert out.size == (2400, 1600)
    exif = out.getexif()
    assert len(exif) == 0
    assert not exif.get_ifd(ExifTags.IFD.GPSInfo)
    assert "exif" not in out.info
    assert "comment" not in out.info
    assert is_red(out.getpixel((10, 10)))


def test_to_jpeg_strips_metadata_from_an_image_straight_from_pillow() -> None:
    original = Image.open(BytesIO(phone_jpeg((600, 400))))
    out = Image.open(BytesIO(to_jpeg(original, max_side=300)))
    assert out.size == (300, 200)
    assert len(out.getexif()) == 0
    assert not {"exif", "comment", "xmp", "icc_profile"} & out.info.keys()


def test_to_jpeg_keeps_small_images_and_portrait_shape() -> None:
    image = marked((500, 1200))
    assert Image.open(BytesIO(to_jpeg(image))).size == (500, 1200)
    assert Image.open(BytesIO(to_jpeg(image, max_side=600))).size == (250, 600)


def test_to_jpeg_accepts_rgba() -> None:
    out = Image.open(BytesIO(to_jpeg(Image.new("RGBA", (300, 300), (0, 0, 0, 0)))))
    assert out.mode == "RGB"
    assert out.getpixel((150, 150)) == (255, 255, 255)


def test_to_jpeg_quality_changes_size() -> None:
    image = Image.effect_noise((600, 600), 64).convert("RGB")
    assert len(to_jpeg(image, quality=30)) < len(to_jpeg(image, quality=95))


@pytest.mark.parametrize(
    ("size", "side", "expected"),
    [
        ((3000, 2000), 240, (240, 160)),
        ((1000, 3000), 240, (80, 240)),
        ((200, 200), 240, (240, 240)),
    ],
)
def test_thumbnail_longer_side_equals_side(
    size: tuple[int, int], side: int, expected: tuple[int, int]
) -> None:
    out = Image.open(BytesIO(thumbnail_jpeg(marked(size), side=side)))
    assert out.format == "JPEG"
    assert out.size == expected
    assert max(out.size) == side


def test_thumbnail_of_a_phone_photo_has_no_metadata() -> None:
    out = Image.open(BytesIO(thumbnail_jpeg(load_image(phone_jpeg()).image)))
    assert max(out.size) == 240
    assert len(out.getexif()) == 0


# --- arbitrary input -------------------------------------------------------------------------

VALID_SAMPLES = [
    encode(Image.effect_noise((220, 210), 64).convert("RGB"), fmt)
    for fmt in ("JPEG", "PNG", "WEBP", "HEIF")
]
MAGIC_PREFIXES = [
    b"\xff\xd8\xff",
    b"\x89PNG\r\n\x1a\n",
    b"RIFF\x00\x00\x00\x00WEBP",
    b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic",
]


@st.composite
def damaged_samples(draw: st.DrawFn) -> bytes:
    """A real small image, cut short and/or with a few bytes overwritten."""
    data = bytearray(draw(st.sampled_from(VALID_SAMPLES)))
    data = data[: draw(st.integers(1, len(data)))]
    for _ in range(draw(st.integers(0, 4))):
        data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    return bytes(data)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        st.binary(max_size=2000),
        st.builds(bytes.__add__, st.sampled_from(MAGIC_PREFIXES), st.binary(max_size=2000)),
        damaged_samples(),
    )
)
def test_arbitrary_bytes_load_or_are_rejected(data: bytes) -> None:
    try:
        loaded = load_image(data)
    except ImageRejected as error:
        assert isinstance(error.problem, UploadProblem)
    else:
        assert loaded.image.mode == "RGB"
        assert min(loaded.image.size) >= MIN_SIDE


def test_heif_opener_is_registered() -> None:
    assert pillow_heif.is_supported(encode(marked(), "HEIF"))
    assert "HEIF" in Image.OPEN


# --- the short path: an upright, small JPEG decoded once and re-encoded -------------------


def jpeg_with_gps(size: tuple[int, int] = (800, 600), orientation: int | None = None) -> bytes:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Tablet"
    exif[ExifTags.Base.GPSInfo] = {1: "N", 2: (22.0, 32.0, 0.0)}
    if orientation:
        exif[ORIENTATION] = orientation
    return encode(marked(size), "JPEG", exif=exif, comment=b"home address")


def test_the_fast_path_stores_fresh_pixels_without_metadata() -> None:
    data = jpeg_with_gps()
    quick = quick_jpeg(data)
    assert quick is not None
    assert b"Exif" in data and b"Exif" not in quick.stored
    assert b"home address" not in quick.stored
    with Image.open(BytesIO(quick.stored)) as after, Image.open(BytesIO(data)) as before:
        assert not after.getexif() and "comment" not in after.info
        assert after.size == before.size
        assert is_red(after.getpixel((30, 30))) and not is_red(after.getpixel((200, 200)))


def test_the_fast_path_takes_an_upright_jpeg_and_previews_it_small() -> None:
    quick = quick_jpeg(jpeg_with_gps((1600, 1200)))
    assert quick is not None
    assert (quick.width, quick.height) == (1600, 1200)
    assert max(quick.preview.size) <= 400  # a small copy, for the thumbnail
    assert b"Exif" not in quick.stored


@pytest.mark.parametrize(
    "data",
    [
        jpeg_with_gps(orientation=6),  # on its side: the slow path turns it upright
        jpeg_with_gps((3000, 2000)),  # larger than stored photos: the slow path scales it
        encode(marked(), "PNG"),
        jpeg_with_gps()[:4000],  # truncated: the slow path names the problem
        b"\xff\xd8\xff" + b"\x00" * 100,
    ],
    ids=["sideways", "large", "png", "truncated", "garbage"],
)
def test_the_fast_path_declines_what_needs_the_slow_one(data: bytes) -> None:
    assert quick_jpeg(data) is None
    assert checked_jpeg(data) is None  # the upload's check declines the same


def test_the_uploads_check_decodes_small_and_whole() -> None:
    data = jpeg_with_gps((2000, 1500))
    checked = checked_jpeg(data)
    assert checked is not None
    assert (checked.width, checked.height) == (2000, 1500)
    assert 240 <= min(checked.preview.size) < 480 and checked.preview.mode == "RGB"
    assert is_red(checked.preview.getpixel((2, 2)))  # the same picture, small
    # A file cut anywhere in its scans fails the check, as a full decode would.
    assert checked_jpeg(data[: len(data) - 200]) is None


def test_a_prepared_photo_keeps_only_pixels_whichever_path() -> None:
    for data in (jpeg_with_gps(), jpeg_with_gps(orientation=6), encode(marked(), "PNG")):
        prepared = prepared_jpeg(data)
        assert b"Exif" not in prepared and b"home address" not in prepared
        with Image.open(BytesIO(prepared)) as image:
            assert image.format == "JPEG" and not image.getexif()
    with pytest.raises(ImageRejected):
        prepared_jpeg(b"\xff\xd8\xff" + b"\x00" * 100)


def test_a_fresh_process_reads_heic_without_registering_it_first(tmp_path) -> None:
    """The kiosk registers HEIF at the first HEIC photo, not at import (a lighter web
    process); a process that has seen no HEIC before still reads one."""
    import subprocess
    import sys

    path = tmp_path / "IMG_0001.HEIC"
    path.write_bytes(encode(marked((400, 300)), "HEIF"))
    script = (
        "import sys; from kiosk.ocr.images import load_image; "
        "assert 'pillow_heif' not in sys.modules; "
        f"print(load_image(open({str(path)!r}, 'rb').read()).image.size)"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "(400, 300)"


def noisy_jpeg(size: tuple[int, int]) -> bytes:
    """A photo whose scans are large (noise compresses badly), like a tablet's."""
    return encode(Image.effect_noise(size, 40).convert("RGB"), "JPEG", quality=90)


@pytest.mark.parametrize("decode", [checked_jpeg, quick_jpeg, load_image], ids=lambda f: f.__name__)
def test_an_upload_is_decoded_in_one_call_to_the_decoder(
    decode: Callable[[bytes], object], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each call hands the GIL back and waits for it again behind the web process's other
    threads: one call for the whole photo, not one per 64 KiB (kiosk.ocr.images.open_image)."""
    data = noisy_jpeg((1600, 1200))
    assert len(data) > 4 * ImageFile.MAXBLOCK
    calls: list[int] = []
    real = Image._getdecoder

    class Counted:
        def __init__(self, decoder: ImageFile.PyDecoder) -> None:
            self._decoder = decoder

        def decode(self, buffer: bytes) -> tuple[int, int]:
            calls.append(len(buffer))
            return self._decoder.decode(buffer)

        def __getattr__(self, name: str) -> object:
            return getattr(self._decoder, name)

    monkeypatch.setattr(Image, "_getdecoder", lambda *args: Counted(real(*args)))
    assert decode(data) is not None
    assert calls[0] == len(data) and len(calls) <= 2  # the last call may flush with b""

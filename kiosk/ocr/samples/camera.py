"""What a scanner, a tablet on a desk and a careless phone make of a flat page.

`photograph(page, rng, tier)` takes a `Page` (about 200 dpi, flat, perfect) and returns the
JPEG a person would hand the kiosk, decoded into a Pillow image (its bytes are kept in
`image.info["jpeg_bytes"]`, so that a writer can store the photo exactly as produced):

    clean  a flat scan: the page fills the frame, turned by a hair, evenly lit, JPEG q85-92;
    mild   a tablet over a desk: the page on a table, up to 6 degrees, slight perspective,
           a soft shadow, slightly soft, JPEG q70-85, long side 1600-2400 px;
    hard   a careless photo: strong perspective and rotation, a hand's shadow, a glare spot,
           sensor noise, out of focus, JPEG q45-55, long side 1600-2400 px (what the kiosk
           keeps of a tablet's photo), now and then turned by a quarter or half turn;
    small  the same careless photo from an old tablet, long side 1024-1600 px: text a few
           pixels high. Beyond the issue's tiers; measured and reported apart.

Every fault is drawn from `rng` (numpy's generator is seeded from it): the same rng state
gives the same bytes. One OpenCV warp at the output size does the geometry, so a photo
takes a fraction of a second.
"""

from __future__ import annotations

import math
import random
from io import BytesIO

import cv2
import numpy as np
from numpy.typing import NDArray
from PIL import Image

from kiosk.ocr.samples.page import Page

TIERS = ("clean", "mild", "hard")
EXTRA_TIERS = ("small",)  # written only when asked for by name


def photograph(page: Page, rng: random.Random, tier: str = "mild") -> Image.Image:
    """The photo of `page` at `tier` ("clean", "mild", "hard" or "small")."""
    if tier not in TIERS + EXTRA_TIERS:
        raise ValueError(f"unknown tier {tier!r}; expected one of {TIERS + EXTRA_TIERS}")
    small = tier == "small"
    tier = "hard" if small else tier
    noise_rng = np.random.default_rng(rng.randrange(2**32))
    source = np.asarray(page.image.convert("RGB"))
    mask = (
        np.asarray(page.mask.convert("L"))
        if page.mask is not None
        else np.full(source.shape[:2], 255, np.uint8)
    )
    height, width = source.shape[:2]

    if tier == "clean":
        frame, corners = _scan_geometry(rng, width, height)
        background = _scanner_lid(rng, noise_rng, frame)
    else:
        frame, corners = _camera_geometry(rng, width, height, tier, small=small)
        background = _table(rng, noise_rng, frame, tier)

    shot = _place(source, mask, corners, background, rng, tier)
    shot = _light(shot, rng, noise_rng, corners, tier)
    scale = float(np.linalg.norm(corners[1] - corners[0])) / width
    shot = _optics(shot, rng, noise_rng, tier, scale)
    if tier == "hard" and rng.random() < 0.1:  # the tablet lost its orientation
        shot = np.ascontiguousarray(np.rot90(shot, rng.choice([1, 2, 3])))
    quality = {"clean": (85, 92), "mild": (70, 85), "hard": (45, 55)}[tier]
    return _jpeg(shot, rng.randint(*quality))


# --- geometry ------------------------------------------------------------------------------


def _scan_geometry(
    rng: random.Random, width: int, height: int
) -> tuple[tuple[int, int], NDArray[np.float32]]:
    """A flatbed scan: a thin margin of lid round the page, turned by under a degree."""
    margin = rng.uniform(0.01, 0.04)
    long_side = rng.randint(1700, 2300)
    scale = long_side / (max(width, height) * (1 + 2 * margin))
    frame = (round(width * scale * (1 + 2 * margin)), round(height * scale * (1 + 2 * margin)))
    corners = np.array([(0, 0), (width, 0), (width, height), (0, height)], dtype=np.float32) * scale
    corners += np.array([frame[0] - width * scale, frame[1] - height * scale], dtype=np.float32) / 2
    corners += (
        np.array([rng.uniform(-0.4, 0.4), rng.uniform(-0.4, 0.4)], dtype=np.float32)
        * margin
        * np.array([width * scale, height * scale], dtype=np.float32)
    )
    return frame, _turn(corners, rng.uniform(-0.8, 0.8))


def _camera_geometry(
    rng: random.Random, width: int, height: int, tier: str, small: bool = False
) -> tuple[tuple[int, int], NDArray[np.float32]]:
    """A hand-held shot: corners pulled by perspective, the whole turned, fitted in a frame."""
    if tier == "mild":
        perspective, angle, long_side = 0.03, 6.0, rng.randint(1600, 2400)
        fill = rng.uniform(0.72, 0.9)
    else:
        perspective, angle = 0.12, 15.0
        long_side = rng.randint(1024, 1600) if small else rng.randint(1600, 2400)
        fill = rng.uniform(0.78, 0.96)
    corners = np.array([(0, 0), (width, 0), (width, height), (0, height)], dtype=np.float32)
    # Keystone: the camera leans over one edge of the page, which comes out longer.
    lean = rng.uniform(0.3, 1.0) * perspective
    edge = rng.randrange(4)
    for index in ((0, 1), (1, 2), (2, 3), (3, 0))[edge]:
        centre = np.array([width / 2, height / 2], dtype=np.float32)
        corners[index] += (centre - corners[index]) * lean
    # And each corner a little on its own (the page is not quite square to the lens).
    jitter = perspective * 0.25
    corners += np.array(
        [(rng.uniform(-jitter, jitter) * width, rng.uniform(-jitter, jitter) * height)
         for _ in range(4)],
        dtype=np.float32,
    )  # fmt: skip
    corners = _turn(corners, rng.uniform(-angle, angle))

    low, high = corners.min(axis=0), corners.max(axis=0)
    box = high - low
    aspect = rng.choice([4 / 3, 4 / 3, 16 / 10, 16 / 9])
    frame = (
        (long_side, round(long_side / aspect))
        if box[0] >= box[1]
        else (round(long_side / aspect), long_side)
    )
    scale = fill * min(frame[0] / box[0], frame[1] / box[1])
    corners = (corners - low) * scale
    room = np.array(frame, dtype=np.float32) - box * scale
    corners += room * np.array([rng.uniform(0.2, 0.8), rng.uniform(0.2, 0.8)], dtype=np.float32)
    return frame, corners


def _turn(corners: NDArray[np.float32], degrees: float) -> NDArray[np.float32]:
    centre = corners.mean(axis=0)
    matrix = cv2.getRotationMatrix2D((float(centre[0]), float(centre[1])), degrees, 1.0)
    turned: NDArray[np.float32] = cv2.transform(corners[None], matrix)[0].astype(np.float32)
    return turned


def _place(
    source: np.ndarray,
    mask: np.ndarray,
    corners: NDArray[np.float32],
    background: np.ndarray,
    rng: random.Random,
    tier: str,
) -> np.ndarray:
    """Warp the page onto the background (one warp at the output size), with its shadow."""
    height, width = source.shape[:2]
    frame_h, frame_w = background.shape[:2]
    # Shrink first with area averaging when the photo is much smaller than the page: a
    # perspective warp alone would alias thin strokes that a real lens smooths.
    side = float(np.linalg.norm(corners[1] - corners[0]))
    shrink = side / width
    if shrink < 0.85:
        size = (max(1, round(width * shrink)), max(1, round(height * shrink)))
        source = cv2.resize(source, size, interpolation=cv2.INTER_AREA)
        mask = cv2.resize(mask, size, interpolation=cv2.INTER_AREA)
        height, width = source.shape[:2]
    plain = np.array([(0, 0), (width, 0), (width, height), (0, height)], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(plain, np.asarray(corners, dtype=np.float32))
    warped = cv2.warpPerspective(
        source, matrix, (frame_w, frame_h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
    )
    alpha = cv2.warpPerspective(mask, matrix, (frame_w, frame_h), flags=cv2.INTER_LINEAR)
    alpha = alpha.astype(np.float32)[..., None] / 255.0

    scene = background.astype(np.float32)
    if tier != "clean":  # the page casts a soft shadow on the table, away from the light
        offset = (
            np.array([rng.uniform(-1, 1), rng.uniform(0.2, 1)], dtype=np.float32) * frame_w * 0.006
        )
        moved = cv2.warpAffine(
            alpha[..., 0],
            np.array([[1, 0, offset[0]], [0, 1, offset[1]]], dtype=np.float32),
            (frame_w, frame_h),
        )
        spread = max(3, int(frame_w * 0.008)) | 1
        shade = cv2.GaussianBlur(moved, (0, 0), spread)
        scene *= 1 - rng.uniform(0.25, 0.5) * shade[..., None]
    return scene * (1 - alpha) + warped.astype(np.float32) * alpha


# --- backgrounds ---------------------------------------------------------------------------


def _smooth_noise(
    noise_rng: np.random.Generator, frame: tuple[int, int], cells: tuple[int, int]
) -> np.ndarray:
    """Low-frequency noise in [-1, 1] over the frame: a coarse random grid, upsampled."""
    coarse = noise_rng.uniform(-1, 1, (cells[1], cells[0])).astype(np.float32)
    return cv2.resize(coarse, frame, interpolation=cv2.INTER_CUBIC)


def _scanner_lid(
    rng: random.Random, noise_rng: np.random.Generator, frame: tuple[int, int]
) -> np.ndarray:
    shade = rng.uniform(225, 250)
    lid = np.full((frame[1], frame[0], 3), shade, np.float32)
    lid += _smooth_noise(noise_rng, frame, (6, 5))[..., None] * 3
    return lid


def _table(
    rng: random.Random, noise_rng: np.random.Generator, frame: tuple[int, int], tier: str
) -> np.ndarray:
    """A desk or counter: wood, grey laminate, a white counter, dark cloth or glass."""
    width, height = frame
    kind = rng.choice(["wood", "wood", "laminate", "white", "cloth", "glass"])
    base = {
        "wood": (rng.uniform(135, 180), rng.uniform(100, 135), rng.uniform(60, 95)),
        "laminate": (rng.uniform(120, 175),) * 3,
        "white": (rng.uniform(200, 232), rng.uniform(200, 230), rng.uniform(195, 225)),
        "cloth": (rng.uniform(25, 70), rng.uniform(30, 75), rng.uniform(40, 95)),
        "glass": (rng.uniform(110, 150), rng.uniform(140, 170), rng.uniform(140, 165)),
    }[kind]
    table: np.ndarray = np.empty((height, width, 3), np.float32)
    table[:] = base
    table *= 1 + 0.08 * _smooth_noise(noise_rng, frame, (5, 4))[..., None]
    if kind == "wood":  # grain: streaks along one axis, a few darker
        along = rng.random() < 0.5
        cells = (3, 90) if along else (90, 3)
        grain = _smooth_noise(noise_rng, frame, cells)
        grain += 0.5 * _smooth_noise(noise_rng, frame, (cells[0] * 3, cells[1] * 3))
        table *= (1 + 0.07 * grain)[..., None]
    elif kind == "cloth":  # a weave
        table += noise_rng.normal(0, 6, (height, width, 1)).astype(np.float32)
    if tier == "hard" and rng.random() < 0.4:  # another paper under or beside the page
        sheet = np.zeros((height, width), np.uint8)
        cx, cy = rng.uniform(0, width), rng.choice([rng.uniform(0, 0.2), rng.uniform(0.8, 1)])
        w, h = width * rng.uniform(0.3, 0.6), height * rng.uniform(0.3, 0.6)
        box = ((cx, cy * height), (w, h), rng.uniform(0, 90))
        cv2.fillPoly(sheet, [cv2.boxPoints(box).astype(np.int32)], 255)
        paper = np.array([rng.uniform(215, 240)] * 3, dtype=np.float32)
        a = sheet.astype(np.float32)[..., None] / 255
        table = table * (1 - a) + paper * a
    return table


# --- light, lens, sensor --------------------------------------------------------------------


def _light(
    scene: np.ndarray,
    rng: random.Random,
    noise_rng: np.random.Generator,
    corners: NDArray[np.float32],
    tier: str,
) -> np.ndarray:
    """Light from one side, a shadow (a hand, the tablet), glare, a colour cast."""
    height, width = scene.shape[:2]
    small = (max(8, width // 8), max(8, height // 8))
    ys, xs = np.mgrid[0 : small[1], 0 : small[0]].astype(np.float32)
    xs /= small[0]
    ys /= small[1]
    direction = rng.uniform(0, 2 * math.pi)
    ramp = xs * math.cos(direction) + ys * math.sin(direction)
    ramp = (ramp - ramp.min()) / max(float(ramp.max() - ramp.min()), 1e-6)
    strength = {"clean": rng.uniform(0, 0.03), "mild": rng.uniform(0.06, 0.2)}.get(
        tier, rng.uniform(0.15, 0.35)
    )
    light = 1 - strength * ramp
    if tier != "clean":  # vignetting of a small lens
        r2 = (xs - 0.5) ** 2 + (ys - 0.5) ** 2
        light *= 1 - rng.uniform(0.05, 0.2 if tier == "hard" else 0.12) * r2 / 0.5
    if tier == "mild" and rng.random() < 0.7:
        light *= 1 - rng.uniform(0.08, 0.2) * _shadow_blob(rng, small, soft=0.12)
    if tier == "hard":
        light *= 1 - rng.uniform(0.35, 0.6) * _shadow_blob(rng, small, soft=rng.uniform(0.03, 0.08))
    light = cv2.resize(light.astype(np.float32), (width, height), interpolation=cv2.INTER_LINEAR)
    exposure = {"clean": rng.uniform(0.98, 1.02), "mild": rng.uniform(0.88, 1.05)}.get(
        tier, rng.uniform(0.8, 1.1)
    )
    cast = np.array([1, 1, 1], dtype=np.float32)
    if tier != "clean":  # white balance: warm lamps, cold tubes
        warm = rng.uniform(-0.06, 0.06) * (1.5 if tier == "hard" else 1)
        cast = np.array([1 + warm, 1 + warm * 0.2, 1 - warm], dtype=np.float32)
    scene = scene * (light * exposure)[..., None] * cast

    if tier == "hard":  # a glare spot on the page: an ellipse washed out to white
        centre = corners.mean(axis=0) + (corners[rng.randrange(4)] - corners.mean(axis=0)) * (
            rng.uniform(0, 0.8)
        )
        side = float(np.linalg.norm(corners[1] - corners[0]))
        axes = (side * rng.uniform(0.07, 0.18), side * rng.uniform(0.04, 0.1))
        tilt = rng.uniform(0, math.pi)
        yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
        dx, dy = xx - centre[0], yy - centre[1]
        u = (dx * math.cos(tilt) + dy * math.sin(tilt)) / axes[0]
        v = (-dx * math.sin(tilt) + dy * math.cos(tilt)) / axes[1]
        glare = np.exp(-((u * u + v * v) ** rng.uniform(1.0, 2.0))) * rng.uniform(0.8, 1.0)
        scene = scene + (262 - scene) * glare[..., None]
    return scene


def _shadow_blob(rng: random.Random, size: tuple[int, int], soft: float) -> np.ndarray:
    """A shadow that comes in from one edge (an arm, a head, the tablet), blurred."""
    width, height = size
    blob = np.zeros((height, width), np.float32)
    edge = rng.randrange(4)
    depth = rng.uniform(0.25, 0.6)
    spread = rng.uniform(0.3, 0.8)
    start = rng.uniform(0, 1 - spread)
    points = []
    for t in np.linspace(start, start + spread, 7):
        reach = (
            depth
            * rng.uniform(0.6, 1.0)
            * max(0.0, math.sin(math.pi * (t - start) / spread)) ** 0.5
        )
        points.append((t, reach))
    if edge == 0:  # from the left
        poly = (
            [(0, start * height)]
            + [(r * width, t * height) for t, r in points]
            + [(0, (start + spread) * height)]
        )
    elif edge == 1:  # from the right
        poly = (
            [(width, start * height)]
            + [((1 - r) * width, t * height) for t, r in points]
            + [(width, (start + spread) * height)]
        )
    elif edge == 2:  # from the top
        poly = (
            [(start * width, 0)]
            + [(t * width, r * height) for t, r in points]
            + [((start + spread) * width, 0)]
        )
    else:  # from the bottom
        poly = (
            [(start * width, height)]
            + [(t * width, (1 - r) * height) for t, r in points]
            + [((start + spread) * width, height)]
        )
    cv2.fillPoly(blob, [np.array(poly, dtype=np.int32)], 1.0)
    return cv2.GaussianBlur(blob, (0, 0), max(1.0, soft * max(width, height)))


def _optics(
    scene: np.ndarray,
    rng: random.Random,
    noise_rng: np.random.Generator,
    tier: str,
    scale: float,
) -> NDArray[np.uint8]:
    """Focus, then the sensor's noise.

    The blur radius is drawn for a page shot at its own size (about 200 dpi); when the page
    comes out much smaller than that, a lens as soft spreads fewer photo pixels (down to 0.6
    of the radius), so that the smallest print stays legible to a person.
    """
    blur = {"clean": rng.uniform(0, 0.45), "mild": rng.uniform(0.5, 1.1)}.get(
        tier, rng.uniform(1.2, 2.5)
    )
    blur *= min(1.0, max(0.6, scale / 0.8))
    if tier == "hard" and rng.random() < 0.3:  # the hand moved: a short motion streak
        length = rng.randint(3, 7)
        kernel: np.ndarray = np.zeros((length, length), np.float32)
        kernel[length // 2, :] = 1 / length
        turn = cv2.getRotationMatrix2D((length / 2 - 0.5, length / 2 - 0.5), rng.uniform(0, 180), 1)
        kernel = cv2.warpAffine(kernel, turn, (length, length))
        scene = cv2.filter2D(scene, -1, kernel / max(float(kernel.sum()), 1e-6))  # type: ignore[arg-type]  # numpy types an array / float as any number, complex too; it is float32
        blur *= 0.6
    if blur > 0.2:
        scene = cv2.GaussianBlur(scene, (0, 0), blur)
    height, width = scene.shape[:2]
    sigma = {"clean": rng.uniform(0.8, 2.0), "mild": rng.uniform(2.0, 4.0)}.get(
        tier, rng.uniform(5.0, 9.0)
    )
    grain = noise_rng.standard_normal((height, width, 1), np.float32) * sigma
    if tier == "hard":  # colour noise, coarser than a pixel
        chroma: np.ndarray = noise_rng.standard_normal(
            (height // 2 + 1, width // 2 + 1, 3), np.float32
        )
        chroma = cv2.resize(chroma, (width, height), interpolation=cv2.INTER_LINEAR)
        grain = grain + chroma * sigma * 0.5
    scene = scene + grain
    pixels: NDArray[np.uint8] = np.clip(scene, 0, 255).astype(np.uint8)
    return pixels


def _jpeg(pixels: np.ndarray, quality: int) -> Image.Image:
    ok, encoded = cv2.imencode(
        ".jpg", cv2.cvtColor(pixels, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, quality]
    )
    if not ok:  # pragma: no cover - OpenCV always encodes a uint8 RGB array
        raise RuntimeError("JPEG encoding failed")
    data = encoded.tobytes()
    image = Image.open(BytesIO(data))
    image.load()
    image.info["jpeg_bytes"] = data
    return image

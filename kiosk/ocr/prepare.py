"""Make a tablet photo of a document readable: find the page, flatten it, even out the light.

Receipts and ID cards are photographed lying on a table: at an angle, in perspective, with a
shadow across them and often a red seal over the text. OCR reads far better, and faster, from
the page alone, squared up, at a known size, with the seal faded out.
"""

from __future__ import annotations

from typing import NamedTuple

import cv2
import numpy as np
from PIL import Image

# Longest side of the flattened page: text on a receipt stays 25-40 px high, which the
# recogniser reads well, and detection on a page this size takes ~0.4 s on one core.
PAGE_LONG_SIDE = 1400
_FIND_SIDE = 640  # the page outline is looked for on a copy this size


def to_array(image: Image.Image) -> np.ndarray:
    """A Pillow RGB image as the BGR array OpenCV and the engines expect."""
    return cv2.cvtColor(np.asarray(image.convert("RGB")), cv2.COLOR_RGB2BGR)


class Prepared(NamedTuple):
    """A photo made ready to read: the page, whether its outline was found (`squared`: cut
    out of a photo of it lying on a table; not, say, a flat scan) and whether that outline
    is a guess (`guessed`: no edge of the photo runs along it)."""

    page: np.ndarray
    squared: bool
    guessed: bool


class Outline(NamedTuple):
    """A page's four corners in a photo (top-left first, clockwise), and whether the photo
    has an edge along each of its sides."""

    corners: np.ndarray
    on_edges: bool


def prepare(photo: np.ndarray, *, cut: bool = True) -> Prepared:
    """The document in `photo`, flattened and lit evenly (BGR); with `cut` False, the whole
    photo lit evenly (to read again when the outline found was a guess). The reader turns the
    page if its text runs down it (reader.across), fades red seals (fade_seal) on the copy it
    reads, and reads red print apart."""
    outline = find_page(photo) if cut else None
    page = photo if outline is None else flatten(photo, outline.corners)
    page = resize_long_side(page, PAGE_LONG_SIDE)
    return Prepared(
        even_light(page), outline is not None, outline is not None and not outline.on_edges
    )


def flatten(photo: np.ndarray, corners: np.ndarray) -> np.ndarray:
    """The document inside `corners`, cut out of the photo with its perspective undone."""
    top_left, top_right, bottom_right, bottom_left = corners
    width = int(
        max(np.linalg.norm(top_right - top_left), np.linalg.norm(bottom_right - bottom_left))
    )
    height = int(
        max(np.linalg.norm(bottom_left - top_left), np.linalg.norm(bottom_right - top_right))
    )
    target = np.array(
        [[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]], np.float32
    )
    matrix = cv2.getPerspectiveTransform(corners.astype(np.float32), target)
    # Left as it lies: whether the text runs across or down it, the reader sees (reader.across).
    return cv2.warpPerspective(photo, matrix, (width, height), flags=cv2.INTER_CUBIC)


def find_page(photo: np.ndarray) -> Outline | None:
    """The page's outline in `photo`, or None.

    The page is the largest bright, low-saturation region: paper against a table. A region
    smaller than a fifth of the photo is not trusted to be the page. Its corners are kept
    when the photo has an edge along each of their four sides; when it has not (a shadow
    across the paper, a lamp's bright patch or another sheet run into it), the largest
    four-sided outline among the photo's edges that has one is taken instead, if any
    (ADR 0054); with none, the region's corners stay, a guess.
    """
    scale = _FIND_SIDE / max(photo.shape[:2])
    small = cv2.resize(photo, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    quad = _bright_region(small)
    if quad is None:
        return None
    gray = cv2.GaussianBlur(cv2.cvtColor(small, cv2.COLOR_BGR2GRAY), (5, 5), 0)
    edges = cv2.magnitude(cv2.Sobel(gray, cv2.CV_32F, 1, 0), cv2.Sobel(gray, cv2.CV_32F, 0, 1))
    on_edges = _edge_along(edges, quad) >= _ON_EDGES
    if not on_edges:
        outlined = (q for q in _edge_outlines(gray) if _edge_along(edges, q) >= _ON_EDGES)
        found = next(outlined, None)
        on_edges = found is not None
        quad = quad if found is None else found
    return Outline(_order_corners(quad / scale), on_edges)


def _bright_region(small: np.ndarray) -> np.ndarray | None:
    """The four corners of the largest bright, low-saturation region, if page-sized."""
    hsv = cv2.cvtColor(small, cv2.COLOR_BGR2HSV)
    # Paper: brighter than the table and not strongly coloured. Otsu on value minus saturation
    # separates the two under most lights.
    paper = cv2.subtract(hsv[..., 2], hsv[..., 1] // 2)
    paper = cv2.GaussianBlur(paper, (5, 5), 0)
    _, mask = cv2.threshold(paper, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((9, 9), np.uint8))
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    largest = max(contours, key=cv2.contourArea)
    area = cv2.contourArea(largest)
    if not 0.2 * mask.size <= area <= 0.98 * mask.size:
        return None
    hull = cv2.convexHull(largest)
    quad = _four_corners(hull, (0.02, 0.03, 0.04, 0.06))
    if quad is None:  # rounded corners (ID cards): the tightest rotated rectangle will do
        quad = cv2.boxPoints(cv2.minAreaRect(hull)).astype(np.float32)
    return quad


def _four_corners(hull: np.ndarray, tolerances: tuple[float, ...]) -> np.ndarray | None:
    """The outline `hull` simplified to four corners, at the first tolerance (a fraction of
    its length) that gives four; None if none does."""
    for tolerance in tolerances:
        approx = cv2.approxPolyDP(hull, tolerance * cv2.arcLength(hull, True), True)
        if len(approx) == 4:
            return approx.reshape(4, 2).astype(np.float32)
    return None


_ON_EDGES = 0.9  # of each side's length, the part that must run along an edge
_EDGE = 40  # gradient (Sobel, 0-255 grey) that counts as an edge: paper against a table


def _edge_along(edges: np.ndarray, quad: np.ndarray) -> float:
    """Of the four sides of `quad`, the least part that runs along an edge of the photo
    (within 2 px; the ends left out, where a card's corners are rounded)."""
    height, width = edges.shape
    least = 1.0
    for start, end in zip(quad, np.roll(quad, -1, axis=0), strict=True):
        points = start + (end - start) * np.linspace(0.05, 0.95, 60)[:, None]
        xs, ys = np.rint(points).astype(int).T
        inside = (xs >= 2) & (xs < width - 2) & (ys >= 2) & (ys < height - 2)
        near = [
            edges[y - 2 : y + 3, x - 2 : x + 3].max()
            for x, y in zip(xs[inside], ys[inside], strict=True)
        ]
        least = min(least, sum(value > _EDGE for value in near) / len(points))
    return least


def _edge_outlines(gray: np.ndarray) -> list[np.ndarray]:
    """Four-sided outlines of the photo's edges, the largest first (down to a sixth of it)."""
    edges = cv2.dilate(cv2.Canny(gray, 30, 90), np.ones((3, 3), np.uint8))
    contours, _ = cv2.findContours(edges, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
    # By the area each edge encloses (its hull): an edge traced as an open line has almost
    # none of its own, and a card's outline, broken by glare or by a sheet beside it, is one.
    hulls = sorted(map(cv2.convexHull, contours), key=cv2.contourArea, reverse=True)
    outlines = []
    for hull in hulls[:8]:
        if cv2.contourArea(hull) < gray.size / 6:
            break
        if (quad := _four_corners(hull, (0.02, 0.03, 0.04))) is not None:
            outlines.append(quad)
        # Rounded corners (an ID card) are cut by the outline above: the four sides' own
        # lines, met where the corners would be, run along the edges instead.
        outlines.append(cv2.approxPolyN(hull, 4).reshape(4, 2).astype(np.float32))
    return outlines


def _order_corners(points: np.ndarray) -> np.ndarray:
    by_sum = points.sum(axis=1)
    by_diff = np.diff(points, axis=1).ravel()
    return np.array(
        [
            points[np.argmin(by_sum)],
            points[np.argmin(by_diff)],
            points[np.argmax(by_sum)],
            points[np.argmax(by_diff)],
        ],
        dtype=np.float32,
    )


def even_light(page: np.ndarray) -> np.ndarray:
    """Divide out a shadow or a lamp's hot spot: each pixel over its blurred surroundings.

    The surroundings are estimated on a quarter-size copy (text closed over, then blurred),
    which is as good for light that changes slowly across the page and 15 times faster.
    """
    small = cv2.resize(page, None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA)
    small = cv2.morphologyEx(small, cv2.MORPH_CLOSE, np.ones((5, 5), np.uint8))
    small = cv2.GaussianBlur(small, (0, 0), 6)
    background = cv2.resize(small, (page.shape[1], page.shape[0]), interpolation=cv2.INTER_LINEAR)
    return cv2.divide(page, background, scale=240)


def fade_seal(page: np.ndarray) -> np.ndarray:
    """Turn red ink (seals, printed titles) pale so that the black text under a seal shows.

    Red ink is bright in the red channel and dark in the others; black text is dark in all.
    Where a pixel is clearly red, it takes the value of its red channel in every channel.
    """
    blue, green, red = cv2.split(page.astype(np.int16))
    reddish = (red - np.maximum(green, blue)) > 40
    faded = page.copy()
    faded[reddish] = np.stack([red[reddish]] * 3, axis=-1).astype(np.uint8)
    return faded


def black_ink(page: np.ndarray, spread: int = 40) -> np.ndarray:
    """Only the black print: every coloured pixel made white. A pre-printed form's own words
    (年 月 日 and its labels, in its coloured ink) and a seal then leave the digits a
    dot-matrix printer struck over them."""
    blue, green, red = cv2.split(page.astype(np.int16))
    coloured = np.maximum(np.maximum(blue, green), red) - np.minimum(np.minimum(blue, green), red)
    inked = page.copy()
    inked[coloured > spread] = 255
    return inked


_FEWEST_INKED = 40  # pixels of print in a crop below which there is nothing to tell apart


def inks_apart(crop: np.ndarray) -> list[np.ndarray]:
    """The crop twice, each time with one of its two inks made white: where a dot-matrix
    printer struck its digits over a form's own 年 月 日, the two are told apart by their
    colour (whatever both colours are: black_ink only knows grey from coloured). The print
    is split into the two colours it is nearest to (k-means on the colour alone, lightness
    left out); which of them is the digits' the reading tells. [] when the crop holds too
    little print."""
    lab = cv2.cvtColor(crop, cv2.COLOR_BGR2LAB)
    lightness = lab[..., 0].astype(np.int16)
    colour = lab[..., 1:].astype(np.float32)
    paper = int(np.median(lightness))
    print_ = lightness < paper - 40
    if int(print_.sum()) < _FEWEST_INKED:
        return []
    criteria = (cv2.TERM_CRITERIA_EPS + cv2.TERM_CRITERIA_MAX_ITER, 20, 0.5)
    samples = colour[print_]
    labels = np.zeros((len(samples), 1), np.int32)  # kmeans' own output; its stubs want one
    _, _, centres = cv2.kmeans(samples, 2, labels, criteria, 3, cv2.KMEANS_PP_CENTERS)
    nearest = np.argmin(
        np.stack([np.linalg.norm(colour - centre, axis=2) for centre in centres], axis=-1), axis=-1
    )
    inked = lightness < paper - 10  # the faint edges of each stroke too
    apart = []
    for ink in (0, 1):
        kept = crop.copy()
        kept[inked & (nearest != ink)] = 255
        apart.append(kept)
    return apart


def red_text_boxes(page: np.ndarray, most: int = 6) -> list[tuple[int, int, int, int]]:
    """Where lines of red print stand (a paper receipt's press-numbered No., a red title):
    red ink joined along the line, in boxes wider than high, so a round seal is left out.
    (left, top, right, bottom), the widest first."""
    blue, green, red = cv2.split(page.astype(np.int16))
    mask = (((red - np.maximum(green, blue)) > 50) & (red > 90)).astype(np.uint8) * 255
    if not mask.any():
        return []
    joined = cv2.dilate(mask, cv2.getStructuringElement(cv2.MORPH_RECT, (21, 3)))
    count, _labels, stats, _ = cv2.connectedComponentsWithStats(joined)
    boxes = []
    for left, top, width, height, _area in stats[1:count]:
        if not 14 <= height <= 140 or width < 2.2 * height:
            continue
        ink = cv2.countNonZero(mask[top : top + height, left : left + width])
        if 0.06 <= ink / (width * height) <= 0.6:
            boxes.append((int(left), int(top), int(left + width), int(top + height)))
    return sorted(boxes, key=lambda box: box[0] - box[2])[:most]


def red_as_black(crop: np.ndarray) -> np.ndarray:
    """A crop with red ink dark on white: the green channel, where red is dark (BGR)."""
    green = crop[..., 1]
    return cv2.cvtColor(green, cv2.COLOR_GRAY2BGR)


def resize_long_side(image: np.ndarray, long_side: int) -> np.ndarray:
    """`image` scaled so that its longer side is `long_side` (unless within 5 % of it)."""
    scale = long_side / max(image.shape[:2])
    if abs(scale - 1) < 0.05:
        return image
    interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC
    return cv2.resize(image, None, fx=scale, fy=scale, interpolation=interpolation)

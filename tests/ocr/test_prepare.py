"""The page's outline in a photo: the bright paper against the table, or, when another sheet
or a lamp's patch runs into the paper, the four-sided edge around the page itself."""

from __future__ import annotations

import cv2
import numpy as np

from kiosk.ocr.prepare import find_page

TABLE, PAPER, SHEET = (95, 100, 110), (235, 238, 240), (205, 208, 210)  # BGR
PAGE = np.array([[300, 200], [1500, 280], [1440, 1100], [240, 1020]], np.int32)  # tilted


def photo(*, sheet_behind: bool) -> np.ndarray:
    """A 1800 x 1300 photo of a tilted page on a desk; with another sheet of paper under it,
    reaching out past its top-right corner to the photo's edge."""
    picture = np.full((1300, 1800, 3), TABLE, np.uint8)
    if sheet_behind:
        sheet = np.array([[1000, 0], [1800, 0], [1800, 700], [1100, 650]], np.int32)
        cv2.fillPoly(picture, [sheet], SHEET)
    cv2.fillPoly(picture, [PAGE], PAPER)
    for row in range(400, 900, 60):  # lines of print
        cv2.line(picture, (450, row), (1300, row + 60), (40, 40, 40), 6)
    return picture


def test_a_page_on_a_desk_is_found_by_its_four_corners() -> None:
    corners = find_page(photo(sheet_behind=False))
    assert corners is not None
    assert np.abs(corners - PAGE).max() < 15  # top-left first, clockwise, within 15 px


def test_a_sheet_under_the_page_is_not_taken_for_part_of_it() -> None:
    """Bright paper both: the region runs on into the other sheet, but its corners have no
    edge under them; the page's own outline has."""
    corners = find_page(photo(sheet_behind=True))
    assert corners is not None
    assert np.abs(corners - PAGE).max() < 15


def test_a_flat_scan_is_read_as_it_is() -> None:
    """Nothing but paper in the photo: no outline to look for (the table's edges would be
    the printed table's)."""
    scan = np.full((1300, 1800, 3), PAPER, np.uint8)
    cv2.rectangle(scan, (200, 300), (1600, 1000), (40, 40, 40), 4)  # a printed table's frame
    assert find_page(scan) is None

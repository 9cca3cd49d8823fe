"""The receipt's QR code: the tracking link as an SVG that prints sharp at any size."""

from __future__ import annotations

import functools

import segno
from markupsafe import Markup

QUIET_ZONE = 4  # modules of white around the code, as the standard asks


def qr_svg(url: str, label: str) -> Markup:
    """An inline SVG of `url` at error correction M (15% of the code may be smudged or torn).
    Sized by CSS; `label` is what a screen reader says instead of the picture."""
    attributes = (
        f'<svg role="img" aria-label="{Markup.escape(label)}" shape-rendering="crispEdges" '
    )
    return Markup(_drawn(url).replace("<svg ", attributes, 1))


@functools.lru_cache(maxsize=512)
def _drawn(url: str) -> str:
    """The code drawn once per link and process: the done page, the receipt and its reprints
    show the same one (the link is the case's own; this process already holds it)."""
    code = segno.make_qr(url, error="m", boost_error=False)
    return str(code.svg_inline(border=QUIET_ZONE, omitsize=True))

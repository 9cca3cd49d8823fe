"""The receipt's QR code: the tracking link as an SVG that prints sharp at any size."""

from __future__ import annotations

import qrcode
import qrcode.constants
import qrcode.image.svg
from markupsafe import Markup

QUIET_ZONE = 4  # modules of white around the code, as the standard asks


def qr_svg(url: str, label: str) -> Markup:
    """An inline SVG of `url` at error correction M (15% of the code may be smudged or torn).
    Sized by CSS; `label` is what a screen reader says instead of the picture."""
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=QUIET_ZONE,
        image_factory=qrcode.image.svg.SvgPathImage,
    )
    code.add_data(url)
    code.make(fit=True)
    svg = code.make_image().to_string(encoding="unicode")
    svg = svg.split("?>", 1)[-1]  # no XML declaration inside HTML
    attributes = (
        f'<svg role="img" aria-label="{Markup.escape(label)}" shape-rendering="crispEdges" '
    )
    return Markup(svg.replace("<svg ", attributes, 1))

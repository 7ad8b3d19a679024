"""QR codes as inline SVG with a white background and quiet zone, readable on any page."""

import re

import qrcode
from qrcode.image.svg import SvgPathFillImage


def qr_svg(url: str, label: str) -> str:
    """Return an <svg> element encoding url, sized by CSS, with an accessible label."""
    image = qrcode.make(
        url,
        image_factory=SvgPathFillImage,
        border=4,  # the quiet zone a phone camera needs around the code
        error_correction=qrcode.constants.ERROR_CORRECT_M,
    )
    svg = image.to_string(encoding="unicode")
    svg = re.sub(r'^<svg width="[^"]+" height="[^"]+"', "<svg", svg, count=1)
    label = label.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    return svg.replace("<svg", f'<svg role="img" aria-label="{label}" class="qr"', 1)

"""Group colours on screen: a swatch edge that stays visible against the page (WCAG 1.4.11)."""

import re

PAGE = "#ffffff"
# Non-text contrast (WCAG 2.1, 1.4.11): a graphic must stand out 3:1 from what surrounds it.
MIN_CONTRAST = 3.0
DARK_EDGE = "#1a1a1a"
LIGHT_EDGE = "#ffffff"
_HEX = re.compile(r"#[0-9a-fA-F]{6}")


def luminance(colour: str) -> float:
    """Relative luminance of a #rrggbb colour, as WCAG defines it."""
    channels = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    red, green, blue = (
        c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels
    )
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first: str, second: str) -> float:
    """WCAG contrast ratio of two #rrggbb colours, 1 to 21."""
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def swatch_edge(colour: str | None, page: str = PAGE) -> str:
    """Return the swatch's border: the colour itself where it stands out from the page, else dark
    (or light on a dark page), so a white or yellow group still shows as a square."""
    if colour and _HEX.fullmatch(colour) and contrast(colour, page) >= MIN_CONTRAST:
        return colour.lower()
    return DARK_EDGE if contrast(DARK_EDGE, page) >= MIN_CONTRAST else LIGHT_EDGE

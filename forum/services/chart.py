"""Draw the participation chart of the plan document as a PNG: bars per organisation type.

Plain Pillow, no plotting library: one horizontal bar per organisation type, split into one
segment per forum (legend below when there are several), the total at the bar's end. Colours are
the Okabe–Ito palette, which readers with colour-vision deficiencies can tell apart.
"""

import io

from PIL import Image, ImageDraw, ImageFont

PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442"]
WIDTH, ROW, MARGIN, LABEL_WIDTH = 1600, 78, 28, 470
FONT_SIZE = 30
TEXT = "#1F1F1F"


def _font(size: int):
    # Liberation Sans matches the document's Arial; Pillow's own font stands in where it is missing.
    try:
        return ImageFont.truetype("LiberationSans-Regular.ttf", size)
    except OSError:
        return ImageFont.load_default(size=size)


def participation_chart(rows: dict[str, list[int]], series: list[str]) -> bytes:
    """Return a PNG: for each row label (organisation type) one bar of its counts per series."""
    font = _font(FONT_SIZE)
    legend_rows = 0 if len(series) < 2 else (len(series) + 1) // 2
    height = 2 * MARGIN + ROW * len(rows) + legend_rows * 48 + (20 if legend_rows else 0)
    image = Image.new("RGB", (WIDTH, max(height, 120)), "white")
    draw = ImageDraw.Draw(image)
    largest = max((sum(values) for values in rows.values()), default=0) or 1
    span = WIDTH - LABEL_WIDTH - 2 * MARGIN - 90
    for index, (label, values) in enumerate(rows.items()):
        top = MARGIN + index * ROW
        draw.text((MARGIN, top + ROW / 2), label, fill=TEXT, font=font, anchor="lm")
        x = LABEL_WIDTH
        for number, value in enumerate(values):
            width = round(span * value / largest)
            if width:
                box = (x, top + 12, x + width, top + ROW - 12)
                draw.rectangle(box, fill=PALETTE[number % len(PALETTE)], outline="white")
            x += width
        draw.line((LABEL_WIDTH, top + 4, LABEL_WIDTH, top + ROW - 4), fill=TEXT, width=2)
        draw.text((x + 12, top + ROW / 2), str(sum(values)), fill=TEXT, font=font, anchor="lm")
    if legend_rows:
        _legend(draw, series, MARGIN + ROW * len(rows) + 20, font)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def _legend(draw, series: list[str], top: int, font) -> None:
    for number, name in enumerate(series):
        x = MARGIN + (number % 2) * (WIDTH // 2)
        y = top + (number // 2) * 48
        draw.rectangle((x, y + 6, x + 30, y + 36), fill=PALETTE[number % len(PALETTE)])
        draw.text((x + 44, y + 21), name, fill=TEXT, font=font, anchor="lm")

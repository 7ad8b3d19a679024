"""Read a generated DOCX the way its reader does: headings, sections, tables by caption, fields."""

from io import BytesIO

import docx
from docx.table import Table


def open_docx(data: bytes):
    """Open DOCX bytes with python-docx."""
    return docx.Document(BytesIO(data))


def blocks(doc, runs=False):
    """Yield (style name, text, table or runs) for body paragraphs and every cell paragraph."""
    for block in doc.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                for cell in row.cells:
                    for paragraph in cell.paragraphs:
                        yield None, paragraph.text, paragraph.runs if runs else block
        else:
            yield block.style.name, block.text, block.runs if runs else None


def headings(doc, level: int) -> list[str]:
    """Texts of the headings of one level, in order."""
    return [text for style, text, _ in blocks(doc) if style == f"Heading {level}"]


def _level(style: str | None) -> int | None:
    return int(style[-1]) if style and style.startswith("Heading ") else None


def section(doc, heading: str) -> list[str]:
    """Texts from `heading` up to the next heading of the same or a higher level."""
    texts, level = [], None
    for style, text, _ in blocks(doc):
        own = _level(style)
        if level is not None:
            if own is not None and own <= level:
                break
            texts.append(text)
        elif own is not None and text == heading:
            level = own
    assert level is not None, f"heading {heading!r} missing"
    return texts


def body_between(doc, first: str, last: str) -> list[tuple]:
    """Blocks from heading `first` up to heading `last` (excluded)."""
    found, inside = [], False
    for style, text, extra in blocks(doc):
        if _level(style) is not None and text in (first, last):
            inside = text == first
        if inside:
            found.append((style, text, extra))
    return found


def field_values(doc, heading: str) -> dict[str, str]:
    """The "label <tab> value" lines of a measure under its heading."""
    fields = {}
    for paragraph in _paragraphs_under(doc, heading):
        if paragraph.style.name == "Maßnahmenangabe":
            label, _, value = paragraph.text.partition("\t")
            fields[label] = value
    return fields


def _paragraphs_under(doc, heading: str):
    inside = False
    for paragraph in doc.paragraphs:
        if _level(paragraph.style.name) is not None:
            if inside:
                return
            inside = paragraph.text == heading
        elif inside:
            yield paragraph
    assert inside, f"heading {heading!r} missing"


def table_after(doc, title: str):
    """The first table after the heading or numbered caption ("Tabelle 3: <title>")."""
    seen = False
    for block in doc.iter_inner_content():
        if isinstance(block, Table):
            if seen:
                return block
        elif block.text == title or (
            block.style.name == "Caption" and block.text.endswith(f": {title}")
        ):
            seen = True
    raise AssertionError(f"no table after {title!r}")


def table_rows(table) -> list[list[str]]:
    """Every row's cell texts."""
    return [[cell.text for cell in row.cells] for row in table.rows]

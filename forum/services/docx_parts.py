"""Building blocks for the DOCX export: template styles, safe text, fields, fast tables, sections.

Everything here writes named styles of the template and as little direct formatting as possible,
so that a city's own corporate-design template changes the look without code changes.
"""

import io
import unicodedata

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from lxml import etree

from forum.services.docx_fields import add_field
from forum.services.text import clean_text

EMPTY = "–"
W_PSTYLE, W_VAL, W_T, W_W = qn("w:pStyle"), qn("w:val"), qn("w:t"), qn("w:w")
W_RPR, W_RSTYLE, W_PPR = qn("w:rPr"), qn("w:rStyle"), qn("w:pPr")
W_BR, W_TAB = qn("w:br"), qn("w:tab")
# The first children of w:pPr in schema order (CT_PPrBase), all this module sets up front.
PPR_HEAD = [qn(f"w:{tag}") for tag in ("pStyle", "keepNext", "keepLines", "pageBreakBefore")]
XML_SPACE = qn("xml:space")
# A row whose longest cell needs at most about this many lines (of ~100 twips per character at
# 9 pt) stays on one page; taller rows may break, since Word would cut off a taller unbreakable row.
KEEP_ROW_LINES = 20
# First style name the template defines wins; a city template may lack our custom ones.
STYLE_CHOICES = {
    "title": ["Title"],
    "subtitle": ["Subtitle"],
    "heading1": ["Heading 1"],
    "heading2": ["Heading 2"],
    "heading3": ["Heading 3"],
    "body": ["Normal"],
    "number": ["List Number", "Normal"],
    "bullet": ["List Bullet", "Normal"],
    "bullet2": ["List Bullet 2", "List Bullet", "Normal"],
    "caption": ["Caption", "Normal"],
    "toc_heading": ["TOC Heading", "Subtitle", "Normal"],
    "footer": ["Footer", "Normal"],
    "cell": ["Tabellentext", "Normal"],
    "cell_head": ["Tabellenkopf", "Tabellentext", "Normal"],
    "cell_list": ["Tabellenliste", "Tabellentext", "Normal"],
    "emphasis": ["Emphasis"],
    "label": ["Feldname"],
    "missing": ["Fehlt"],
    "field": ["Maßnahmenangabe", "Normal"],
    "guiding_goal": ["Leitziel", "Quote", "Normal"],
    "toc1": ["toc 1", "Normal"],
    "toc2": ["toc 2", "Normal"],
    "figure": ["Abbildung", "Normal"],
    "table": ["Themenforum Tabelle", "Table Grid"],
}
# Character styles and what a template without them gets as direct formatting instead.
CHARACTER_FALLBACK = {"emphasis": "italic", "label": "bold", "missing": "bold"}
# Schema order: w:pPr children that must follow w:bidi (CT_PPr in ECMA-376); Word rejects
# misordered files.
_BIDI_SUCCESSORS = (
    "w:adjustRightInd w:snapToGrid w:spacing w:ind w:contextualSpacing w:mirrorIndents "
    "w:suppressOverlap w:jc w:textDirection w:textAlignment w:textboxTightWrap w:outlineLvl "
    "w:divId w:cnfStyle w:rPr w:sectPr w:pPrChange"
)
AFTER_BIDI = _BIDI_SUCCESSORS.split()


def clean(value) -> str:
    """Return text that XML can hold: invalid characters removed, line breaks unified."""
    return clean_text(str(value) if value is not None else "")[0]


def is_rtl(text: str) -> bool:
    """Tell whether the first strongly directional character is right-to-left (Arabic, Hebrew)."""
    for char in text:
        direction = unicodedata.bidirectional(char)
        if direction in ("R", "AL"):
            return True
        if direction == "L":
            return False
    return False


class Writer:
    """Append cleaned text in the template's named styles to a python-docx Document."""

    def __init__(self, doc):
        self.doc = doc
        names = {style.name: style.style_id for style in doc.styles}
        self.styles = {
            role: next((names[n] for n in choices if n in names), None)
            for role, choices in STYLE_CHOICES.items()
        }
        # Without the template's bold header style, header cells are bolded directly.
        self.bold_head = names.get("Tabellenkopf") is None
        section = doc.sections[0]  # the document has one section: A4 portrait throughout
        self.usable_width = section.page_width - section.left_margin - section.right_margin
        self.counters: dict[str, int] = {}
        self.outline: list[tuple[int, str]] = []  # (level, text) of every heading, for contents
        self.body_end = doc.element.body.sectPr  # new paragraphs go before the final w:sectPr

    def paragraph(
        self, text="", role="body", *, parent=None, page_break=False, keep_next=False
    ) -> Paragraph:
        """Add a paragraph in the style for `role` (to the body, or to `parent`, e.g. a cell)."""
        p = OxmlElement("w:p")
        # Plain lxml: python-docx finds the body's final w:sectPr by scanning every paragraph
        # before it, which makes a long document quadratic.
        if parent is not None:
            parent._tc.append(p)
        elif self.body_end is not None:
            self.body_end.addprevious(p)
        else:
            self.doc.element.body.append(p)
        paragraph = Paragraph(p, parent or self.doc._body)
        self.style(paragraph, role)
        if keep_next:
            self.flag(paragraph, "w:keepNext")
        if page_break:
            self.flag(paragraph, "w:pageBreakBefore")
        if text:
            self.write(paragraph, text)
        return paragraph

    def flag(self, paragraph: Paragraph, tag: str) -> None:
        """Switch on keepNext or pageBreakBefore, in the place the schema gives it in w:pPr."""
        pPr = _ppr(paragraph._p)
        rank = PPR_HEAD.index(qn(tag))
        index = 0
        while index < len(pPr) and pPr[index].tag in PPR_HEAD[: rank + 1]:
            if pPr[index].tag == qn(tag):
                return
            index += 1
        pPr.insert(index, OxmlElement(tag))

    def style(self, paragraph: Paragraph, role: str) -> None:
        """Set the paragraph style by id, skipping python-docx's per-call style lookup."""
        if not self.styles[role]:
            return
        # Plain lxml: python-docx's ordered insertion is the slowest step on big documents.
        pPr = _ppr(paragraph._p)
        style = pPr.find(W_PSTYLE)
        if style is None:
            style = OxmlElement("w:pStyle")
            pPr.insert(0, style)
        style.set(W_VAL, self.styles[role])

    def heading(self, text: str, level: int, *, page_break=False) -> Paragraph:
        """Add a heading of level 1–3 (it goes into the table of contents)."""
        self.outline.append((level, clean(text)))
        return self.paragraph(text, f"heading{min(level, 3)}", page_break=page_break)

    def write(self, paragraph: Paragraph, text, *, bold=False, emphasis=False, char=None) -> Run:
        """Append cleaned text as a run (in character style `char`); RTL text gets w:bidi, w:rtl."""
        text = clean(text)
        role = "emphasis" if emphasis else char
        r = OxmlElement("w:r")
        if role and self.styles[role]:
            rPr = etree.SubElement(r, W_RPR)
            etree.SubElement(rPr, W_RSTYLE).set(W_VAL, self.styles[role])
        for index, line in enumerate(text.split("\n")):
            if index:
                etree.SubElement(r, W_BR)
            for number, part in enumerate(line.split("\t")):
                if number:
                    etree.SubElement(r, W_TAB)
                if part:
                    t = etree.SubElement(r, W_T)
                    t.text = part
                    t.set(XML_SPACE, "preserve")
        paragraph._p.append(r)
        run = Run(r, paragraph)
        if role and not self.styles[role]:  # a template without the style: format directly
            setattr(run, CHARACTER_FALLBACK[role], True)
        if bold:
            run.bold = True
        if is_rtl(text):
            pPr = paragraph._p.get_or_add_pPr()
            if pPr.find(qn("w:bidi")) is None:
                pPr.insert_element_before(OxmlElement("w:bidi"), *AFTER_BIDI)
            run.font.rtl = True
        return run

    def caption(self, kind: str, text: str) -> Paragraph:
        """Add a numbered caption ("Tabelle 3: …") whose number is a SEQ field Word can renumber."""
        self.counters[kind] = self.counters.get(kind, 0) + 1
        paragraph = self.paragraph(role="caption")
        self.write(paragraph, kind)
        paragraph.add_run(" ")
        add_field(paragraph, f" SEQ {kind} \\* ARABIC ", str(self.counters[kind]))
        self.write(paragraph, f": {clean(text)}")
        return paragraph

    def describe(self, table, title: str, description: str) -> None:
        """Give a table alt text (w:tblCaption, w:tblDescription) for screen readers."""
        tblPr = table._tbl.tblPr
        for tag, value in (("w:tblCaption", title), ("w:tblDescription", description)):
            element = OxmlElement(tag)
            element.set(W_VAL, clean(value)[:4000])
            tblPr.append(element)  # schema order: the last children of w:tblPr

    def picture(self, png: bytes, width, title: str, description: str) -> Paragraph:
        """Add a picture in its own paragraph, with alt text (title and description)."""
        paragraph = self.paragraph(role="figure")
        paragraph.add_run().add_picture(io.BytesIO(png), width=width)
        doc_pr = paragraph._p.xpath(".//wp:docPr")[0]
        doc_pr.set("title", clean(title))
        doc_pr.set("descr", clean(description))
        return paragraph

    def field_line(self, label: str, value: str, *, missing: str = "", keep_next=True) -> Paragraph:
        """Add a "label <tab> value" line; an empty value shows `missing` in the warning style."""
        paragraph = self.paragraph(role="field", keep_next=keep_next)
        self.write(paragraph, label, char="label")
        etree.SubElement(etree.SubElement(paragraph._p, qn("w:r")), W_TAB)
        if clean(value):
            self.write(paragraph, value)
        else:
            self.write(paragraph, missing or EMPTY, char="missing" if missing else None)
        return paragraph

    def list_item(self, text: str, number_list: int | None) -> Paragraph:
        """Add a numbered paragraph to a list made by new_list()."""
        paragraph = self.paragraph(text, "number")
        if number_list is not None:
            numPr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
            numPr.get_or_add_ilvl().val = 0
            numPr.get_or_add_numId().val = number_list
        return paragraph

    def new_list(self) -> int | None:
        """Return the id of a fresh numbering that starts at 1 (None: the style has no numbering)."""
        # Paragraphs of a list style share one counter across the document; a new w:num with a
        # start override on the same abstract definition restarts it without changing its look.
        style = self.doc.styles.element.get_by_id(self.styles["number"])
        ids = style.xpath("w:pPr/w:numPr/w:numId/@w:val") if style is not None else []
        if not ids:
            return None
        numbering = self.doc.part.numbering_part.element
        num = numbering.num_having_numId(int(ids[0]))
        new = numbering.add_num(num.abstractNumId.val)
        new.add_lvlOverride(ilvl=0).add_startOverride(1)
        return new.numId

    def table(self, header, rows: list[list], widths: list[float], *, right=(), total=False):
        """Add a table with a repeating header row (and a bold total row); empty values show "–"."""
        table, row_cells = self.grid(len(rows) + 1, widths)
        twips = [int(column.get(W_W)) for column in table._tbl.tblGrid.gridCol_lst]
        for number, (cells, values) in enumerate(zip(row_cells, [header, *rows], strict=True)):
            is_head = number == 0 or (total and number == len(rows))
            texts = [clean(value) or EMPTY for value in values]
            _keep_row_together(cells[0]._tc.getparent(), texts, twips, header=number == 0)
            for index, (cell, text) in enumerate(zip(cells, texts, strict=True)):
                paragraph = cell.paragraphs[0]
                self.style(paragraph, "cell_head" if is_head else "cell")
                self.write(paragraph, text, bold=is_head and self.bold_head)
                if index in right:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        return table

    def grid(self, rows: int, widths: list[float], *, header=True):
        """Add an empty fixed-width table at once; return it with each row's cells, fetched once."""
        twips = [int(self.usable_width / 635 * w / sum(widths)) for w in widths]
        # The body's own add_table: Document.add_table looks up the last section's width by
        # scanning the whole body each time.
        table = self.doc._body.add_table(rows, len(widths), self.usable_width)
        table._tbl.tblStyle_val = self.styles["table"]
        table.autofit = False
        look = table._tbl.tblPr.find(qn("w:tblLook"))
        look.set(qn("w:firstRow"), "1" if header else "0")
        look.set(qn("w:firstColumn"), "0")
        look.set(qn("w:val"), "0420" if header else "0400")
        table_width = table._tbl.tblPr.find(qn("w:tblW"))
        table_width.set(qn("w:type"), "dxa")
        table_width.set(qn("w:w"), str(sum(twips)))
        for column, width in zip(table._tbl.tblGrid.gridCol_lst, twips, strict=True):
            column.set(qn("w:w"), str(width))
        row_cells = [row.cells for row in table.rows]
        for cells in row_cells:
            for cell, width in zip(cells, twips, strict=True):
                cell._tc.tcPr.find(qn("w:tcW")).set(qn("w:w"), str(width))
        return table, row_cells

    def repeat_header(self, table) -> None:
        """Make the table's first row repeat at the top of every page the table runs onto."""
        trPr = table._tbl.tr_lst[0].get_or_add_trPr()
        trPr.append(OxmlElement("w:cantSplit"))
        trPr.append(OxmlElement("w:tblHeader"))  # schema order: after w:cantSplit

    def keep_row(self, cell) -> None:
        """Keep the row of this cell on one page."""
        cell._tc.getparent().get_or_add_trPr().append(OxmlElement("w:cantSplit"))

    def to_bytes(self) -> bytes:
        """Return the document as .docx bytes."""
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return buffer.getvalue()


def _ppr(p):
    """Return the paragraph's w:pPr, adding it as the first child when missing."""
    if len(p) and p[0].tag == W_PPR:
        return p[0]
    pPr = OxmlElement("w:pPr")
    p.insert(0, pPr)
    return pPr


def _keep_row_together(tr, texts: list[str], twips: list[int], *, header: bool) -> None:
    """Mark a short row as unbreakable across pages, and the header row as repeating."""
    lines = max(
        (
            len(text) // max(width // 100, 1) + 1 + text.count("\n")
            for text, width in zip(texts, twips, strict=True)
        ),
        default=0,
    )
    trPr = tr.get_or_add_trPr()
    if lines <= KEEP_ROW_LINES:
        trPr.append(OxmlElement("w:cantSplit"))
    if header:
        trPr.append(OxmlElement("w:tblHeader"))  # schema order: after w:cantSplit

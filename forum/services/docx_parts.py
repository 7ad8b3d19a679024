"""Building blocks for the DOCX export: template styles, safe text, fields, fast tables, sections.

Everything here writes named styles of the template and as little direct formatting as possible,
so that a city's own corporate-design template changes the look without code changes.
"""

import io
import unicodedata

from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from lxml import etree

from forum.services.text import clean_text

EMPTY = "–"
W_PSTYLE, W_VAL, W_T, W_W = qn("w:pStyle"), qn("w:val"), qn("w:t"), qn("w:w")
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
    "bullet2": ["List Bullet 2", "List Bullet", "Normal"],
    "caption": ["Caption", "Normal"],
    "toc_heading": ["TOC Heading", "Subtitle", "Normal"],
    "footer": ["Footer", "Normal"],
    "cell": ["Tabellentext", "Normal"],
    "cell_head": ["Tabellenkopf", "Tabellentext", "Normal"],
    "cell_list": ["Tabellenliste", "Tabellentext", "Normal"],
    "emphasis": ["Emphasis"],
    "table": ["Themenforum Tabelle", "Table Grid"],
}
# Schema order: w:pPr children that must follow w:bidi, and settings.xml children that must
# follow w:updateFields (CT_PPr and CT_Settings in ECMA-376); Word rejects misordered files.
_BIDI_SUCCESSORS = (
    "w:adjustRightInd w:snapToGrid w:spacing w:ind w:contextualSpacing w:mirrorIndents "
    "w:suppressOverlap w:jc w:textDirection w:textAlignment w:textboxTightWrap w:outlineLvl "
    "w:divId w:cnfStyle w:rPr w:sectPr w:pPrChange"
)
_UPDATE_FIELDS_SUCCESSORS = (
    "hdrShapeDefaults footnotePr endnotePr compat docVars rsids mathPr attachedSchema "
    "themeFontLang clrSchemeMapping doNotIncludeSubdocsInStats doNotAutoCompressPictures "
    "forceUpgrade captions readModeInkLockDown smartTagType schemaLibrary shapeDefaults "
    "doNotEmbedSmartTags decimalSymbol listSeparator"
)
AFTER_BIDI = _BIDI_SUCCESSORS.split()
AFTER_UPDATE_FIELDS = set(_UPDATE_FIELDS_SUCCESSORS.split())


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
        self.portrait = sorted((doc.sections[0].page_width, doc.sections[0].page_height))

    def paragraph(self, text="", role="body", *, parent=None, page_break=False) -> Paragraph:
        """Add a paragraph in the style for `role` (to the body, or to `parent`, e.g. a cell)."""
        paragraph = (parent or self.doc).add_paragraph()
        self.style(paragraph, role)
        if page_break:
            paragraph.paragraph_format.page_break_before = True
        if text:
            self.write(paragraph, text)
        return paragraph

    def style(self, paragraph: Paragraph, role: str) -> None:
        """Set the paragraph style by id, skipping python-docx's per-call style lookup."""
        if not self.styles[role]:
            return
        # Plain lxml: python-docx's ordered insertion is the slowest step on big documents.
        p = paragraph._p
        if p.pPr is None:
            p.insert(0, OxmlElement("w:pPr"))
        style = p.pPr.find(W_PSTYLE)
        if style is None:
            style = OxmlElement("w:pStyle")
            p.pPr.insert(0, style)
        style.set(W_VAL, self.styles[role])

    def heading(self, text: str, level: int, *, page_break=False) -> Paragraph:
        """Add a heading of level 1–3 (it goes into the table of contents)."""
        return self.paragraph(text, f"heading{min(level, 3)}", page_break=page_break)

    def write(self, paragraph: Paragraph, text, *, bold=False, emphasis=False) -> None:
        """Append cleaned text as a run; right-to-left text gets w:bidi and w:rtl."""
        text = clean(text)
        if "\n" in text or "\t" in text:
            run = paragraph.add_run(text)  # python-docx turns these into w:br and w:tab
        else:
            r = OxmlElement("w:r")
            t = etree.SubElement(r, W_T)
            t.text = text
            t.set(XML_SPACE, "preserve")
            paragraph._p.append(r)
            run = Run(r, paragraph)
        if bold:
            run.bold = True
        if emphasis:
            if self.styles["emphasis"]:
                run.style = self.doc.styles["Emphasis"]
            else:
                run.italic = True
        if is_rtl(text):
            pPr = paragraph._p.get_or_add_pPr()
            if pPr.find(qn("w:bidi")) is None:
                pPr.insert_element_before(OxmlElement("w:bidi"), *AFTER_BIDI)
            run.font.rtl = True

    def numbered(self, items: list[str]) -> None:
        """Add a numbered list that starts again at 1."""
        number_list = self.new_list()
        for text in items:
            self.list_item(text, number_list)

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
        section = self.doc.sections[-1]
        usable = section.page_width - section.left_margin - section.right_margin
        twips = [int(usable / 635 * w / sum(widths)) for w in widths]
        table = self.doc.add_table(rows=rows, cols=len(widths))
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

    def toc(self, placeholder: str) -> None:
        """Add a table-of-contents field (headings 1–3) that Word fills in when it opens the file."""
        self._field(self.paragraph(), r' TOC \o "1-3" \h \z \u ', placeholder, dirty=True)
        settings = self.doc.settings.element
        for old in settings.findall(qn("w:updateFields")):
            settings.remove(old)
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        later = [c for c in settings if etree.QName(c).localname in AFTER_UPDATE_FIELDS]
        if later:
            later[0].addprevious(update)
        else:
            settings.append(update)

    def footer(self, text: str) -> None:
        """Add a footer with a page number, unless the template brings its own; not on the title page."""
        section = self.doc.sections[0]
        if not section.footer.is_linked_to_previous:
            return
        section.different_first_page_header_footer = True
        paragraph = section.footer.paragraphs[0]
        self.style(paragraph, "footer")
        self.write(paragraph, f"{text} · Seite")
        paragraph.add_run(" ")  # write() strips the space before the page number
        self._field(paragraph, " PAGE ", "1")

    def _field(self, paragraph: Paragraph, instruction: str, shown: str, dirty=False) -> None:
        def char(kind):
            run = OxmlElement("w:r")
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
            if kind == "begin" and dirty:
                element.set(qn("w:dirty"), "true")  # ask Word to recompute it on opening
            run.append(element)
            return run

        code = OxmlElement("w:r")
        instr = OxmlElement("w:instrText")
        instr.set(qn("xml:space"), "preserve")
        instr.text = instruction
        code.append(instr)
        paragraph._p.extend([char("begin"), code, char("separate")])
        paragraph.add_run(shown)
        paragraph._p.append(char("end"))

    def start_section(self, *, landscape: bool) -> None:
        """Start a new page in a new section, landscape for the wide measure tables."""
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        short, long = self.portrait
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = (long, short) if landscape else (short, long)
        # The new section copies the title page's "different first page"; only the title needs it.
        section.different_first_page_header_footer = False

    def to_bytes(self) -> bytes:
        """Return the document as .docx bytes."""
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return buffer.getvalue()


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

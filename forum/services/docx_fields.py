"""Word fields of the plan chapter: the contents, the page number in the footer, caption numbers.

A field holds its instruction and the result last computed. We write a result that reads well
on its own (the headings in the contents, the caption's number), so a viewer that never updates
fields still shows it; Word and the PDF export (LibreOffice) recompute them.
"""

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from lxml import etree

# settings.xml children that must follow w:updateFields (CT_Settings in ECMA-376).
_UPDATE_FIELDS_SUCCESSORS = (
    "hdrShapeDefaults footnotePr endnotePr compat docVars rsids mathPr attachedSchema "
    "themeFontLang clrSchemeMapping doNotIncludeSubdocsInStats doNotAutoCompressPictures "
    "forceUpgrade captions readModeInkLockDown smartTagType schemaLibrary shapeDefaults "
    "doNotEmbedSmartTags decimalSymbol listSeparator"
)
AFTER_UPDATE_FIELDS = set(_UPDATE_FIELDS_SUCCESSORS.split())


def add_field(paragraph: Paragraph, instruction: str, shown: str, dirty=False) -> None:
    """Append a field with its instruction and the result it shows until it is updated."""
    start_field(paragraph, instruction, dirty=dirty)
    paragraph.add_run(shown)
    paragraph._p.append(_fld_char("end"))


def start_field(paragraph: Paragraph, instruction: str, dirty=False) -> None:
    """Append a field's start and instruction; its result and end follow (over paragraphs too)."""
    code = OxmlElement("w:r")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = instruction
    code.append(instr)
    paragraph._p.extend([_fld_char("begin", dirty), code, _fld_char("separate")])


def add_contents(writer, *, after: Paragraph, levels: int = 2) -> None:
    """Add a contents field after `after`, pre-filled with the writer's headings up to `levels`."""
    entries = [(level, text) for level, text in writer.outline if level <= levels] or [(1, "")]
    paragraphs = []
    for level, text in entries:
        paragraph = writer.paragraph(role=f"toc{min(level, 2)}")
        if not paragraphs:
            start_field(paragraph, f' TOC \\o "1-{levels}" \\h \\z \\u ', dirty=True)
        writer.write(paragraph, text)
        paragraphs.append(paragraph)
    paragraphs[-1]._p.append(_fld_char("end"))
    anchor = after._p
    for paragraph in paragraphs:
        anchor.addnext(paragraph._p)
        anchor = paragraph._p
    _update_fields_on_open(writer.doc)


def add_page_footer(writer, text: str) -> None:
    """Add a footer with a page number, unless the template brings its own; not on the title page."""
    section = writer.doc.sections[0]
    if not section.footer.is_linked_to_previous:
        return
    section.different_first_page_header_footer = True
    paragraph = section.footer.paragraphs[0]
    writer.style(paragraph, "footer")
    writer.write(paragraph, f"{text} · Seite")
    paragraph.add_run(" ")  # write() strips the space before the page number
    add_field(paragraph, " PAGE ", "1")


def _update_fields_on_open(doc) -> None:
    """Ask Word to update the fields when it opens the file (w:updateFields, in schema order)."""
    settings = doc.settings.element
    for old in settings.findall(qn("w:updateFields")):
        settings.remove(old)
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    later = [c for c in settings if etree.QName(c).localname in AFTER_UPDATE_FIELDS]
    if later:
        later[0].addprevious(update)
    else:
        settings.append(update)


def _fld_char(kind: str, dirty=False):
    run = OxmlElement("w:r")
    element = OxmlElement("w:fldChar")
    element.set(qn("w:fldCharType"), kind)
    if dirty:
        element.set(qn("w:dirty"), "true")  # ask Word to recompute it on opening
    run.append(element)
    return run

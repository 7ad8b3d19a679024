"""Generate exports/referenz.docx, the reference document whose styles the DOCX export uses.

Run from the repository root:  .venv/bin/python exports/make_reference.py

The export writes only named styles (Title, Subtitle, Heading 1–3, Normal, List Number, List Bullet,
List Bullet 2, Caption, TOC Heading, toc 1, toc 2, Footer, Emphasis) plus custom ones defined
here: "Tabellentext", "Tabellenkopf", "Tabellenliste", "Maßnahmenangabe", "Leitziel",
"Abbildung" (paragraphs), "Feldname", "Fehlt" (characters) and "Themenforum Tabelle" (table).
A city can replace the output with its own corporate-design document that defines the same
names; missing custom styles fall back to Normal, bold and "Table Grid".
"""

import datetime as dt
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Mm, Pt, RGBColor

OUTPUT = Path(__file__).resolve().parent / "referenz.docx"
# Arial is on every office PC; LibreOffice on Linux substitutes the metric-compatible
# Liberation Sans, so line breaks and page counts match between the two.
FONT = "Arial"
LANGUAGE = "de-DE"
DARK_BLUE = RGBColor(0x1F, 0x38, 0x64)
GREY_BORDER = "8C8C8C"
HEADER_FILL = "DCE3EE"

# name, size (pt), space before/after (pt), colour
HEADINGS = [
    ("Heading 1", 16, 18, 6, DARK_BLUE),
    ("Heading 2", 13, 14, 4, DARK_BLUE),
    ("Heading 3", 11.5, 12, 3, DARK_BLUE),
]
DARK_RED = RGBColor(0xA5, 0x0E, 0x0E)
# ECMA-376 CT_RPr: the children of w:rPr in the order the schema requires.
RPR_ORDER = [
    "rStyle",
    "rFonts",
    "b",
    "bCs",
    "i",
    "iCs",
    "caps",
    "smallCaps",
    "strike",
    "dstrike",
    "outline",
    "shadow",
    "emboss",
    "imprint",
    "noProof",
    "snapToGrid",
    "vanish",
    "webHidden",
    "color",
    "spacing",
    "w",
    "kern",
    "position",
    "sz",
    "szCs",
    "highlight",
    "u",
    "effect",
    "bdr",
    "shd",
    "fitText",
    "vertAlign",
    "rtl",
    "cs",
    "em",
    "lang",
    "eastAsianLayout",
    "specVanish",
    "oMath",
]
STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
# Schema order: w:sz and w:szCs come before these siblings.
AFTER_SIZE = {qn(f"w:{tag}") for tag in RPR_ORDER[RPR_ORDER.index("szCs") + 1 :]}
APP_XML = (
    "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    "<Template>Normal.dotm</Template><Application>Themenforum</Application></Properties>"
)


def set_fonts(rpr, size_pt: float | None = None) -> None:
    """Name the font for every script and drop theme fonts, which would otherwise win."""
    for old in rpr.findall(qn("w:rFonts")):
        rpr.remove(old)
    fonts = OxmlElement("w:rFonts")
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)
    rpr.insert(0, fonts)
    if size_pt is None:
        return
    for tag in ("w:sz", "w:szCs"):
        for old in rpr.findall(qn(tag)):
            rpr.remove(old)
    # Schema order: w:sz and w:szCs come before these siblings.
    later = [child for child in rpr if child.tag in AFTER_SIZE]
    for tag in ("w:szCs", "w:sz"):
        element = OxmlElement(tag)
        element.set(qn("w:val"), str(round(size_pt * 2)))
        if later:
            later[0].addprevious(element)
            later = [element]
        else:
            rpr.append(element)


def set_defaults(doc) -> None:
    """Give the document default font, size, German language and spacing."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    set_fonts(rpr, 10.5)
    for old in rpr.findall(qn("w:lang")):
        rpr.remove(old)
    rpr.append(
        parse_xml(
            f'<w:lang {nsdecls("w")} w:val="{LANGUAGE}" w:eastAsia="{LANGUAGE}" w:bidi="ar-SA"/>'
        )
    )
    spacing = defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}/{qn('w:spacing')}")
    spacing.set(qn("w:after"), "120")
    spacing.set(qn("w:line"), "264")


def style_headings(doc) -> None:
    """Make headings, title and subtitle explicit Arial in dark blue, German office style."""
    for name, size, before, after, colour in HEADINGS:
        style = doc.styles[name]
        set_fonts(style.element.get_or_add_rPr(), size)
        style.font.bold, style.font.italic, style.font.color.rgb = True, False, colour
        style.paragraph_format.space_before, style.paragraph_format.space_after = (
            Pt(before),
            Pt(after),
        )
        style.paragraph_format.keep_with_next = True
    title = doc.styles["Title"]
    set_fonts(title.element.get_or_add_rPr(), 22)
    title.font.bold, title.font.color.rgb = True, DARK_BLUE
    title.paragraph_format.space_before, title.paragraph_format.space_after = Cm(5), Pt(12)
    for line in title.element.pPr.iter(qn("w:bottom")):
        line.set(qn("w:color"), str(DARK_BLUE))
        line.attrib.pop(qn("w:themeColor"), None)
    subtitle = doc.styles["Subtitle"]
    numpr = subtitle.element.pPr.find(qn("w:numPr"))
    if numpr is not None:  # the default template numbers the subtitle at level 2 for no reason
        subtitle.element.pPr.remove(numpr)
    set_fonts(subtitle.element.get_or_add_rPr(), 15)
    subtitle.font.italic, subtitle.font.color.rgb = False, DARK_BLUE
    subtitle.paragraph_format.space_after = Pt(36)


def style_small_print(doc) -> None:
    """Set up caption and footer."""
    caption = doc.styles["Caption"]
    set_fonts(caption.element.get_or_add_rPr(), 9)
    caption.font.bold, caption.font.italic, caption.font.color.rgb = True, False, DARK_BLUE
    caption.paragraph_format.space_before, caption.paragraph_format.space_after = Pt(8), Pt(3)
    caption.paragraph_format.keep_with_next = True
    footer = doc.styles["Footer"]
    set_fonts(footer.element.get_or_add_rPr(), 8.5)
    footer.font.color.rgb = RGBColor(0x59, 0x59, 0x59)
    footer.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER


def add_table_text_styles(doc) -> None:
    """Add compact paragraph styles for table cells, so the 9-column tables fit landscape A4."""
    text = doc.styles.add_style("Tabellentext", WD_STYLE_TYPE.PARAGRAPH)
    text.base_style = doc.styles["Normal"]
    set_fonts(text.element.get_or_add_rPr(), 9)
    text.paragraph_format.space_before, text.paragraph_format.space_after = Pt(1), Pt(2)
    text.paragraph_format.line_spacing = 1.05
    head = doc.styles.add_style("Tabellenkopf", WD_STYLE_TYPE.PARAGRAPH)
    head.base_style = text
    head.font.bold = True
    # No keep-with-next here: LibreOffice then refuses to split a tall row across pages.
    bullets = doc.styles.add_style("Tabellenliste", WD_STYLE_TYPE.PARAGRAPH)
    bullets.base_style = text
    numpr = parse_xml(f'<w:numPr {nsdecls("w")}><w:numId w:val="{bullet_num_id(doc)}"/></w:numPr>')
    bullets.element.get_or_add_pPr().insert(0, numpr)
    bullets.paragraph_format.left_indent, bullets.paragraph_format.first_line_indent = (
        Cm(0.4),
        Cm(-0.4),
    )
    bullets.paragraph_format.tab_stops.add_tab_stop(Cm(0.4))


def bullet_num_id(doc) -> str:
    """Return the numbering instance the List Bullet style uses."""
    return (
        doc.styles["List Bullet"]
        .element.pPr.find(f"{qn('w:numPr')}/{qn('w:numId')}")
        .get(qn("w:val"))
    )


def add_table_style(doc) -> None:
    """Add "Themenforum Tabelle": thin grey grid, compact cell margins, shaded header row."""
    style = doc.styles.add_style("Themenforum Tabelle", WD_STYLE_TYPE.TABLE)
    style.base_style = doc.styles["Table Grid"]
    border = f'w:val="single" w:sz="4" w:space="0" w:color="{GREY_BORDER}"'
    style.element.append(
        parse_xml(
            f"<w:tblPr {nsdecls('w')}><w:tblBorders>"
            + "".join(
                f"<w:{side} {border}/>"
                for side in ("top", "left", "bottom", "right", "insideH", "insideV")
            )
            + "</w:tblBorders><w:tblCellMar>"
            '<w:top w:w="28" w:type="dxa"/><w:left w:w="85" w:type="dxa"/>'
            '<w:bottom w:w="28" w:type="dxa"/><w:right w:w="85" w:type="dxa"/>'
            "</w:tblCellMar></w:tblPr>"
        )
    )
    style.element.append(
        parse_xml(
            f'<w:tblStylePr {nsdecls("w")} w:type="firstRow"><w:rPr><w:b/><w:bCs/></w:rPr>'
            f'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{HEADER_FILL}"/></w:tcPr></w:tblStylePr>'
        )
    )


def add_plan_styles(doc) -> None:
    """Add the styles of the plan chapter: measure fields, Leitziel text, figures, contents."""
    field = doc.styles.add_style("Maßnahmenangabe", WD_STYLE_TYPE.PARAGRAPH)
    field.base_style = doc.styles["Normal"]
    fmt = field.paragraph_format
    fmt.left_indent, fmt.first_line_indent = Cm(4.2), Cm(-4.2)
    fmt.space_before, fmt.space_after = Pt(0), Pt(3)
    fmt.tab_stops.add_tab_stop(Cm(4.2))
    label = doc.styles.add_style("Feldname", WD_STYLE_TYPE.CHARACTER)
    label.font.bold, label.font.color.rgb = True, DARK_BLUE
    missing = doc.styles.add_style("Fehlt", WD_STYLE_TYPE.CHARACTER)
    missing.font.bold, missing.font.color.rgb = True, DARK_RED
    goal = doc.styles.add_style("Leitziel", WD_STYLE_TYPE.PARAGRAPH)
    goal.base_style = doc.styles["Normal"]
    goal.font.italic, goal.font.color.rgb = True, DARK_BLUE
    goal.paragraph_format.left_indent = Cm(0.6)
    goal.paragraph_format.space_after = Pt(12)
    goal.element.get_or_add_pPr().append(
        parse_xml(
            f'<w:pBdr {nsdecls("w")}><w:left w:val="single" w:sz="18" w:space="8" '
            f'w:color="{DARK_BLUE}"/></w:pBdr>'
        )
    )
    figure = doc.styles.add_style("Abbildung", WD_STYLE_TYPE.PARAGRAPH)
    figure.base_style = doc.styles["Normal"]
    figure.paragraph_format.keep_with_next = True
    figure.paragraph_format.space_before = Pt(6)
    add_contents_styles(doc)


def add_contents_styles(doc) -> None:
    """Add "toc 1" and "toc 2" (Word's built-in names) with a dotted tab to the page number."""
    for level, indent, bold in ((1, 0, True), (2, 0.6, False)):
        xml = (
            f'<w:style {nsdecls("w")} w:type="paragraph" w:styleId="TOC{level}">'
            f'<w:name w:val="toc {level}"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/>'
            '<w:uiPriority w:val="39"/><w:unhideWhenUsed/><w:pPr>'
            '<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="9345"/></w:tabs>'
            f'<w:spacing w:before="{80 if level == 1 else 0}" w:after="40"/>'
            f'<w:ind w:left="{round(indent * 567)}" w:right="567"/></w:pPr>'
            f"<w:rPr>{'<w:b/>' if bold else ''}</w:rPr></w:style>"
        )
        doc.styles.element.append(parse_xml(xml))


def sort_run_properties(doc) -> None:
    """Put the children of every w:rPr in styles.xml into schema order; Word is strict about it."""
    rank = {qn(f"w:{tag}"): index for index, tag in enumerate(RPR_ORDER)}
    for rpr in doc.styles.element.iter(qn("w:rPr")):
        children = sorted(rpr, key=lambda child: rank.get(child.tag, len(rank)))
        for child in children:
            rpr.append(child)


def plain_bullets(doc) -> None:
    """Use a real bullet character instead of the Symbol-font glyph, which PDF converters garble."""
    numbering = doc.part.numbering_part.element
    for level in numbering.iter(qn("w:lvl")):
        fmt = level.find(qn("w:numFmt"))
        if fmt is None or fmt.get(qn("w:val")) != "bullet":
            continue
        level.find(qn("w:lvlText")).set(qn("w:val"), "•")
        for rpr in level.findall(qn("w:rPr")):
            set_fonts(rpr)


def set_page(doc) -> None:
    """Use A4 portrait with office margins; the export turns wide-table sections landscape."""
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.0)
    section.left_margin, section.right_margin = Cm(2.5), Cm(2.0)
    section.header_distance, section.footer_distance = Cm(1.0), Cm(1.0)


def set_settings(doc) -> None:
    """German theme-font language, decimal comma, semicolon list separator, hyphenation."""
    settings = doc.settings.element
    settings.find(qn("w:themeFontLang")).set(qn("w:val"), LANGUAGE)
    settings.find(qn("w:decimalSymbol")).set(qn("w:val"), ",")
    settings.find(qn("w:listSeparator")).set(qn("w:val"), ";")
    # Long German compounds in narrow table columns need hyphenation, not mid-word breaks.
    hyphenation = OxmlElement("w:autoHyphenation")
    settings.find(qn("w:defaultTabStop")).addnext(hyphenation)


def drop_leftovers(doc) -> None:
    """Remove parts that still say en-US or show the default template: styles-with-effects, thumbnail."""
    for rel_id, rel in list(doc.part.rels.items()):
        if rel.reltype == STYLES_WITH_EFFECTS:
            del doc.part.rels[rel_id]
    package_rels = doc.part.package.rels
    for rel_id, rel in list(package_rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package_rels[rel_id]
        elif rel.reltype == RT.EXTENDED_PROPERTIES:
            rel.target_part._blob = APP_XML.encode()


def set_properties(doc) -> None:
    """Stamp the Themenforum author and German language over python-docx's defaults."""
    props = doc.core_properties
    props.author = props.last_modified_by = "Themenforum"
    props.title = "Themenforum – Referenzdokument"
    props.comments = "Formatvorlagen für den DOCX-Export der Themenforen"
    props.language = LANGUAGE
    props.created = props.modified = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    props.revision = 1


def main() -> None:
    """Build the reference document and write it next to this script."""
    doc = Document()
    doc.element.body.clear_content()
    set_defaults(doc)
    style_headings(doc)
    style_small_print(doc)
    add_table_text_styles(doc)
    add_table_style(doc)
    add_plan_styles(doc)
    plain_bullets(doc)
    set_page(doc)
    set_settings(doc)
    drop_leftovers(doc)
    set_properties(doc)
    sort_run_properties(doc)
    doc.save(OUTPUT)
    print(f"geschrieben: {OUTPUT}")


if __name__ == "__main__":
    main()

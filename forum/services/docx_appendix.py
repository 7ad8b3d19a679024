"""The appendix of the plan chapter: the record of each forum as the groups left it."""

from forum.services.docx_parts import EMPTY, Writer, clean
from forum.services.report_model import (
    HORIZON_LABELS,
    QUADRANT_LABELS,
    AgendaRow,
    ForumReport,
    GroupReport,
    ProcessReport,
)

MATRIX = [("strength", "weakness"), ("opportunity", "threat")]


def appendix(writer: Writer, report: ProcessReport) -> None:
    """Add the record of every forum with results; forums without results get one line each."""
    one = len(report.forums) == 1
    title = "des Themenforums" if one else "der Themenforen"
    writer.heading(f"Anhang: Dokumentation {title}", 1, page_break=True)
    writer.paragraph(
        "Der Anhang hält fest, was die Kleingruppen erarbeitet haben: Tagesordnung, Gruppen, "
        "die 4-Feldermatrix jeder Gruppe und ihre Maßnahmenvorschläge mit eigenen Punkten, "
        "so wie sie vorgeschlagen wurden."
    )
    numbers = {measure.key: measure.number for measure in report.measures}
    without = [forum for forum in report.forums if not forum.has_results]
    if without:
        writer.paragraph("Noch ohne erfasste Ergebnisse:")
        for forum in without:
            when_where = ", ".join(part for part in (forum.date, forum.venue) if part)
            writer.paragraph(
                f"{forum.heading} ({when_where})" if when_where else forum.heading, "bullet"
            )
    for forum in (forum for forum in report.forums if forum.has_results):
        _forum(writer, forum, numbers)


def _forum(writer: Writer, forum: ForumReport, numbers: dict) -> None:
    writer.heading(forum.heading, 2)
    if when_where := ", ".join(part for part in (forum.date, forum.venue) if part):
        writer.paragraph(when_where)
    _agenda(writer, forum.agenda)
    _groups_table(writer, forum)
    for group in forum.groups:
        _group(writer, forum, group, numbers)


def _agenda(writer: Writer, agenda: list[AgendaRow]) -> None:
    """Add the numbered agenda; phases are bullets that do not interrupt the item numbering."""
    writer.heading("Tagesordnung", 3)
    if not agenda:
        writer.paragraph(EMPTY)
        return
    number_list = writer.new_list()
    for item in agenda:
        writer.list_item(_agenda_text(item), number_list)
        for phase in item.phases:
            writer.paragraph(_agenda_text(phase), "bullet2")


def _agenda_text(row: AgendaRow) -> str:
    minutes = f"{row.minutes} Min." if row.minutes else ""
    timing = " ".join(part for part in (minutes, "je Gruppe" if row.per_group else "") if part)
    return f"{clean(row.title)} ({timing})" if timing else clean(row.title)


def _groups_table(writer: Writer, forum: ForumReport) -> None:
    writer.heading("Kleingruppen", 3)
    if not forum.groups:
        writer.paragraph("Es sind keine Kleingruppen erfasst.")
        return
    title = f"Kleingruppen des {forum.short}s"
    writer.caption("Tabelle", title)
    rows = [
        [g.name, g.room, g.moderator, g.participants, g.card_count, len(g.proposals)]
        for g in forum.groups
    ]
    header = ["Gruppe", "Raum", "Ansprechpartner", "Teilnehmende", "Karten", "Maßnahmen"]
    table = writer.table(header, rows, [2, 1.6, 2.6, 1.9, 1.4, 1.7], right={3, 4, 5})
    writer.describe(table, title, "Je Gruppe Raum, Ansprechpartner und Anzahlen.")


def _group(writer: Writer, forum: ForumReport, group: GroupReport, numbers: dict) -> None:
    """Add one group's section: SWOT matrix in two tables, then its own proposals."""
    name = clean(group.name)
    title = name if name.lower().startswith("gruppe") else f"Gruppe {name}"
    writer.heading(f"{title} ({forum.short})", 3)
    for quadrants in MATRIX:
        labels = " und ".join(QUADRANT_LABELS[q] for q in quadrants)
        caption = f"4-Feldermatrix der {title}, {forum.short}: {labels}"
        writer.caption("Tabelle", caption)
        _matrix_half(writer, forum.questions, group, quadrants, caption)
    caption = f"Maßnahmenvorschläge der {title}, {forum.short}"
    writer.caption("Tabelle", caption)
    _proposals(writer, group, numbers, caption)


def _matrix_half(writer: Writer, questions, group: GroupReport, quadrants, caption) -> None:
    """Add two quadrants side by side; their labels head every page the table runs onto."""
    columns = [
        [_card_text(card) for card in group.cards.get(q, []) if _card_text(card)] for q in quadrants
    ]
    depth = max(1, *(len(cards) for cards in columns))
    table, row_cells = writer.grid(depth + 1, [1, 1])
    for cell, quadrant in zip(row_cells[0], quadrants, strict=True):
        head = cell.paragraphs[0]
        writer.style(head, "cell_head")
        writer.write(head, QUADRANT_LABELS[quadrant], bold=writer.bold_head)
        if question := clean(questions.get(quadrant)):
            writer.write(writer.paragraph(role="cell", parent=cell), question, emphasis=True)
    writer.repeat_header(table)
    for row, cells in enumerate(row_cells[1:]):
        for cell, cards in zip(cells, columns, strict=True):
            paragraph = cell.paragraphs[0]
            if row < len(cards):
                writer.style(paragraph, "cell_list")
                writer.write(paragraph, cards[row])
            else:
                writer.style(paragraph, "cell")
                if row == 0:
                    writer.write(paragraph, EMPTY)
        writer.keep_row(cells[0])
    counts = ", ".join(
        f"{QUADRANT_LABELS[q]}: {len(c)}" for q, c in zip(quadrants, columns, strict=True)
    )
    writer.describe(table, caption, f"Karten der Gruppe in zwei Spalten ({counts}).")


def _card_text(card) -> str:
    text = clean(card.text)
    return f"{text} (×{card.merge_count})" if text and card.merge_count > 1 else text


def _proposals(writer: Writer, group: GroupReport, numbers: dict, caption: str) -> None:
    """Add the group's own proposals with their own dots, in the order of their plan numbers."""
    if not group.proposals:
        writer.paragraph("Diese Gruppe hat keine Maßnahmen vorgeschlagen.")
        return
    ordered = sorted(
        group.proposals, key=lambda p: (_number_key(numbers.get(p.measure_key)), p.order)
    )
    rows = [
        [
            f"zusammengeführt in {numbers.get(p.measure_key, '')}"
            if p.merged
            else numbers.get(p.measure_key, ""),
            p.title,
            p.owner,
            HORIZON_LABELS.get(p.horizon or "", ""),
            p.indicator,
            p.votes,
        ]
        for p in ordered
    ]
    header = ["Nr.", "Maßnahme", "Verantwortlich", "Horizont", "Indikator", "Punkte"]
    table = writer.table(header, rows, [1.9, 5.2, 2.9, 2.0, 3.4, 1.3], right={5})
    writer.describe(
        table,
        caption,
        "Je Vorschlag die Nummer der Maßnahme im Kapitel, Text, Verantwortlich, Horizont, "
        "Indikator und die Punkte, die dieser Vorschlag selbst erhielt.",
    )


def _number_key(number: str | None) -> tuple:
    # "M 2.10" after "M 2.9": compare the numbers, not the text.
    if not number:
        return (1, 0, 0)
    goal, index = number.removeprefix("M ").split(".")
    return (0, int(goal) or 99, int(index))

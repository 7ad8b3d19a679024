"""The consolidated SWOT from a curated Auswertung: in the plan chapter, the themes CSV and the CLI."""

import csv
import io
from types import SimpleNamespace

from forum.cli import main
from forum.extensions import db
from forum.models import Card, ThemeCard
from forum.services.auswertung import workspace
from forum.services.csv_export import THEME_HEADER, themes_csv
from forum.services.docx_export import build_docx
from forum.services.docx_plan import SWOT_HEADING, SWOT_NONE
from forum.services.report import examples, process_report
from tests.docx_reading import open_docx, section, table_after, table_rows

CARDS = [
    ("weakness", "Unklar, wer zuständig ist"),
    ("weakness", "Zuständigkeiten sind unklar"),
    ("weakness", "Unklare Zuständigkeiten zwischen den Ämtern"),
    ("weakness", "Lange Wartezeiten auf einen Integrationskurs"),
    ("weakness", "Wartelisten für Integrationskurse sind zu lang"),
    ("strength", "Stadtteilvereine sind gut vernetzt"),
    ("strength", "Gute Vernetzung der Stadtteilvereine untereinander"),
    ("strength", "Der Fußballtreff in Gorbitz läuft seit Jahren"),
]
UNCLEAR = "Zuständigkeiten klären"


def parse(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 byte order mark missing"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def theme_of(card):
    placement = db.session.get(ThemeCard, card.id)
    return placement.theme if placement else None


def curated(make_forum):
    """Two forums, cards spread over their groups, themes suggested; the unclear one renamed,
    marked for the plan and one of its cards hidden since."""
    first, second = make_forum(), make_forum(number=2, title="Arbeitsmarkt")
    cards = []
    for n, (quadrant, text) in enumerate(CARDS):
        group = (first, second)[n % 2].groups[n % 4]
        cards.append(Card(group_id=group.id, quadrant=quadrant, text=text))
    db.session.add_all(cards)
    db.session.commit()
    workspace.suggest(first.process)
    unclear = theme_of(cards[0])
    assert {theme_of(c) for c in cards[:3]} == {unclear}
    workspace.rename(unclear, UNCLEAR, unclear.version)
    workspace.mark(unclear, True, unclear.version)
    cards[2].hidden = True  # hidden after curating: it no longer counts
    db.session.commit()
    return first, second, cards


def swot_text(data: bytes) -> list[str]:
    return section(open_docx(data), SWOT_HEADING)


def test_marked_theme_in_the_plan_chapter_with_its_counts(app, make_forum):
    first, second, cards = curated(make_forum)
    waiting = theme_of(cards[3])
    assert waiting is not None and not waiting.for_plan
    report = process_report(first.process)
    assert [(t.title, t.cards, t.groups, t.forums) for t in report.swot] == [(UNCLEAR, 2, 2, 2)]
    assert report.swot[0].examples == [cards[0].text, cards[1].text]  # one from each forum
    data = build_docx(report)
    rows = table_rows(table_after(open_docx(data), f"{SWOT_HEADING}: Schwächen"))
    assert rows[1:] == [[UNCLEAR, "2", "2", f"„{cards[0].text}“\n„{cards[1].text}“"]]
    text = swot_text(data)
    assert waiting.title not in text and cards[2].text not in "\n".join(text)
    assert "Stärken: Für den Fachplan ist kein Thema ausgewählt." in text


def test_one_forum_document_counts_only_that_forums_cards(app, make_forum):
    first, second, cards = curated(make_forum)
    report = process_report(second.process, second)
    assert [(t.title, t.cards, t.groups, t.forums) for t in report.swot] == [(UNCLEAR, 1, 1, 1)]
    data = build_docx(report, whole_process=False)
    rows = table_rows(table_after(open_docx(data), f"{SWOT_HEADING}: Schwächen"))
    assert rows[1:] == [[UNCLEAR, "1", "1", f"„{cards[1].text}“"]]
    # A forum none of whose cards is in a marked theme: said so, no table.
    cards[0].hidden = True
    db.session.commit()
    report = process_report(first.process, first)
    assert report.swot == [] and report.swot_selected
    (only,) = swot_text(build_docx(report, whole_process=False))
    assert only.startswith("Keines der in der Auswertung für den Fachplan ausgewählten Themen")


def test_nothing_marked_says_so_and_invents_no_selection(app, make_forum):
    forum = make_forum()
    db.session.add(Card(group_id=forum.groups[0].id, quadrant="strength", text="Gute Vernetzung"))
    db.session.add(Card(group_id=forum.groups[1].id, quadrant="strength", text="Gut vernetzt"))
    db.session.commit()
    workspace.suggest(forum.process)
    report = process_report(forum.process)
    assert report.swot == [] and not report.swot_selected
    assert swot_text(build_docx(report)) == [SWOT_NONE]


def test_themes_csv_for_german_excel_one_row_per_card(app, make_forum, join_as_participant):
    first, second, cards = curated(make_forum)
    _, person = join_as_participant(first, name="Zzyzx Mustermann", organisation="Zzyzx e. V.")
    own = Card(group_id=person.group_id, quadrant="weakness", text="Kurs? Monate warten")
    own.participant_id = person.id
    db.session.add(own)
    db.session.commit()
    waiting = theme_of(cards[3])
    workspace.move_cards(first.process, [own], waiting, {})
    workspace.rename(waiting, "=HYPERLINK(1)", waiting.version)
    data = themes_csv(first.process)
    assert data.startswith(b"\xef\xbb\xbf" + ";".join(THEME_HEADER).encode() + b"\r\n")
    assert THEME_HEADER == [
        "Feld",
        "Thema",
        "Für den Fachplan",
        "Karten",
        "Gruppen",
        "Foren",
        "Karte",
    ]
    rows = parse(data)[1:]
    assert [row for row in rows if row[1] == UNCLEAR] == [
        ["Schwächen", UNCLEAR, "ja", "2", "2", "2", cards[0].text],
        ["Schwächen", UNCLEAR, "ja", "2", "2", "2", cards[1].text],
    ]
    waiting_rows = [row for row in rows if row[1] == "'=HYPERLINK(1)"]  # defused
    assert [row[6] for row in waiting_rows] == [cards[3].text, cards[4].text, own.text]
    assert {tuple(row[:4]) for row in waiting_rows} == {
        ("Schwächen", "'=HYPERLINK(1)", "nein", "3")
    }
    assert {row[0] for row in rows} == {"Schwächen", "Stärken"}
    themed = {row[6] for row in rows}
    assert cards[2].text not in themed  # hidden
    assert cards[7].text not in themed  # on its own, in no theme
    assert len(rows) == sum(1 for c in [*cards, own] if theme_of(c) and not c.hidden)
    assert b"Zzyzx" not in data and b"Mustermann" not in data


def test_planner_download_and_link(planner, make_forum):
    first, _, _ = curated(make_forum)
    slug = first.process.slug
    response = planner.get(f"/planner/processes/{slug}/themen.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == f'attachment; filename="{slug}-themen.csv"'
    assert response.data == themes_csv(first.process)
    assert f"/planner/processes/{slug}/themen.csv" in planner.get("/planner/").text


def test_cli_writes_the_themes_csv_and_refuses_a_forum(app, make_forum, tmp_path):
    first, _, _ = curated(make_forum)
    runner = app.test_cli_runner()
    out = tmp_path / "themen.csv"
    result = runner.invoke(main, ["export", "csv", "themen", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == themes_csv(first.process)
    result = runner.invoke(
        main, ["export", "csv", "themen", "--forum", first.slug, "--out", str(tmp_path / "x.csv")]
    )
    assert result.exit_code == 2 and "ganzen Prozess" in result.output
    assert not (tmp_path / "x.csv").exists()


def test_examples_prefer_other_forums_and_skip_a_card_that_repeats_the_title():
    def card(text, forum, group):
        return SimpleNamespace(text=text, group_id=group, group=SimpleNamespace(forum_id=forum))

    title = "Ehrenamtliche brennen aus"
    same = [card("Ehrenamtliche brennen aus", 2, 5), card("Zu viel Arbeit", 1, 1)]
    assert examples(title, [card("Kein Nachwuchs", 1, 1), *same]) == [
        "Kein Nachwuchs",
        "Zu viel Arbeit",
    ]
    spread = [card("A", 1, 1), card("B", 1, 1), card("C", 1, 2), card("D", 2, 3)]
    assert examples("Thema", spread) == ["A", "D"]
    assert examples("Thema", spread[:3]) == ["A", "C"]
    assert examples(title, [card(" ehrenamtliche  brennen aus", 1, 1)]) == [
        " ehrenamtliche  brennen aus"
    ]

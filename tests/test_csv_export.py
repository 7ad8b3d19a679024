"""CSV exports of cards and measures: German Excel format, only visible content, no names."""

import csv
import io
from datetime import datetime

from forum.cli import prepare_demo
from forum.extensions import db
from forum.models import Card, Forum, Measure, Participant, Vote
from forum.services.csv_export import (
    CARD_HEADER,
    MEASURE_HEADER,
    _cell,
    cards_csv,
    measures_csv,
)


def parse(data: bytes) -> list[list[str]]:
    """Read a CSV file the way a spreadsheet with ';' as separator does."""
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 byte order mark missing"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def add_card(group, text, quadrant="strength", **fields) -> Card:
    card = Card(group_id=group.id, quadrant=quadrant, text=text, **fields)
    db.session.add(card)
    db.session.commit()
    return card


def demo_forum() -> Forum:
    prepare_demo(sample=True)
    return db.session.execute(db.select(Forum).filter_by(slug="themenforum-1")).scalar_one()


def test_files_open_in_german_excel(make_forum):
    forum = make_forum()
    add_card(forum.groups[0], "Gute Vernetzung", created_at=datetime(2025, 1, 23, 10, 15, 30))
    for data, header in (
        (cards_csv([forum]), CARD_HEADER),
        (measures_csv([forum]), MEASURE_HEADER),
    ):
        assert data.startswith(b"\xef\xbb\xbf" + ";".join(header).encode() + b"\r\n")
    assert CARD_HEADER == ["Forum", "Gruppe", "Feld", "Text", "Anzahl", "Erstellt"]
    assert MEASURE_HEADER[:7] == [
        "Nr.",
        "Forum",
        "Gruppe",
        "Zusammengeführt in",
        "Leitziel",
        "Ziel",
        "Maßnahme",
    ]
    rows = parse(cards_csv([forum]))
    assert rows[1] == [
        "1. Themenforum: Gemeinwesenarbeit und Ehrenamt",
        "Orange",
        "Stärken",
        "Gute Vernetzung",
        "1",
        "2025-01-23 10:15:30",
    ]
    assert cards_csv([forum]).endswith(b"\r\n") and b"\n" not in cards_csv([forum]).replace(
        b"\r\n", b""
    )


def test_separators_quotes_and_line_breaks_survive(make_forum):
    forum = make_forum()
    texts = [
        "Sprachkurse; Kinderbetreuung fehlt",
        'Der "Welcome-Treff" im Stadtteil',
        "Erste Zeile\nzweite Zeile; mit Trenner",
        "Umlaute äöüß, Українська, العربية",
    ]
    for text in texts:
        add_card(forum.groups[0], text)
    rows = parse(cards_csv([forum]))
    assert [row[3] for row in rows[1:]] == texts
    assert all(len(row) == len(CARD_HEADER) for row in rows)


def test_cells_that_look_like_formulas_are_defused(make_forum):
    forum = make_forum()
    group = forum.groups[0]
    for text in ['=HYPERLINK("http://evil.example","klick")', "+49 351 123", "-1+1", "@SUM(A1)"]:
        add_card(group, text)
    add_card(group, "\t=1+1")
    db.session.add(
        Measure(group_id=group.id, title="=cmd|' /C calc'!A0", goal="+Ziel", owner="@team")
    )
    db.session.commit()
    texts = [row[3] for row in parse(cards_csv([forum]))[1:]]
    assert texts == [
        '\'=HYPERLINK("http://evil.example","klick")',
        "'+49 351 123",
        "'-1+1",
        "'@SUM(A1)",
        "'=1+1",
    ]
    measure = parse(measures_csv([forum]))[1]
    assert measure[5:8] == ["'+Ziel", "'=cmd|' /C calc'!A0", "'@team"]


def test_control_characters_do_not_break_the_file(make_forum):
    forum = make_forum()
    # PostgreSQL refuses NUL in text, so the card holds the others; _cell meets NUL directly.
    add_card(forum.groups[0], "Steuer\x01zeichen und \x1b Escape\x0b")
    assert parse(cards_csv([forum]))[1][3] == "Steuerzeichen und  Escape"
    assert _cell("Null\x00zeichen\ufffe") == "Nullzeichen"


def test_only_visible_cards_and_measures_appear(make_forum):
    forum = make_forum()
    group = forum.groups[1]
    kept = add_card(group, "Sichtbar", merge_count=2)
    add_card(group, "Versteckt", hidden=True)
    add_card(group, "Zusammengeführt", merged_into_id=kept.id)
    hidden_card = add_card(group, "Versteckte Verknüpfung", hidden=True)
    db.session.add_all(
        [
            Measure(group_id=group.id, title="Offen", cards=[kept, hidden_card]),
            Measure(group_id=group.id, title="Verborgen", hidden=True),
        ]
    )
    db.session.commit()
    cards = parse(cards_csv([forum]))
    assert [(row[1], row[3], row[4]) for row in cards[1:]] == [("Rot", "Sichtbar", "2")]
    measures = parse(measures_csv([forum]))
    assert [row[6] for row in measures[1:]] == ["Offen"]
    assert measures[1][13] == "Sichtbar"


def test_a_merged_measure_keeps_its_own_row_with_its_own_dots(make_forum):
    forum = make_forum()
    orange, blau = forum.groups[0], forum.groups[2]
    first, second = add_card(orange, "Karte Orange"), add_card(blau, "Karte Blau", "threat")
    keep = Measure(group_id=orange.id, title="Lotsen", cards=[first], votes=[Vote(), Vote()])
    other = Measure(group_id=blau.id, title="Lotsendienst", cards=[second], votes=[Vote()])
    db.session.add_all([keep, other])
    db.session.flush()
    other.merged_into_id = keep.id
    db.session.commit()
    rows = parse(measures_csv([forum]))[1:]
    assert [(row[0], row[2], row[3], row[6], row[11], row[13]) for row in rows] == [
        ("M 0.1", "Orange", "", "Lotsen", "2", "Karte Orange"),
        ("M 0.1", "Blau", "M 0.1", "Lotsendienst", "1", "Karte Blau"),
    ]


def test_measure_columns_of_the_sample_forum(app):
    forum = demo_forum()
    rows = parse(measures_csv([forum]))
    measures = rows[1:]
    assert len(measures) >= 12 and all(len(row) == len(MEASURE_HEADER) for row in rows)
    assert {row[2] for row in measures} == {group.name for group in forum.groups}
    assert {row[9] for row in measures} <= {"kurzfristig", "mittelfristig", "langfristig", ""}
    assert {row[4] for row in measures} <= {"1", "2", "3", ""}
    assert all(row[0].startswith(f"M {row[4] or 0}.") for row in measures)
    first = (
        db.session.execute(
            db.select(Measure).filter_by(group_id=forum.groups[0].id).order_by(Measure.id)
        )
        .scalars()
        .first()
    )
    row = next(row for row in measures if row[6] == first.title)
    assert row[11] == str(len(first.votes))
    people = db.session.execute(
        db.select(db.func.count(Participant.id)).filter_by(group_id=forum.groups[0].id)
    ).scalar_one()
    assert people > 0 and row[12] == str(people)
    assert first.cards and sorted(row[13].split(" | ")) == sorted(c.text for c in first.cards)


def test_several_forums_in_one_file(app):
    demo_forum()
    forums = db.session.execute(db.select(Forum).order_by(Forum.position)).scalars().all()
    rows = parse(cards_csv(forums))[1:]
    titles = [row[0] for row in rows]
    # Only the first two forums have cards (the demo's samples); each forum's rows come
    # together, in the forums' order.
    order = [
        "1. Themenforum: Gemeinwesenarbeit und Ehrenamt",
        "2. Themenforum: Integrationsprozess in den Ausbildungs- und Arbeitsmarkt",
    ]
    assert set(titles) == set(order)
    assert titles == sorted(titles, key=order.index)
    assert parse(cards_csv([])) == [CARD_HEADER]


def test_no_personal_data_in_either_file(app, join_as_participant):
    forum = demo_forum()
    _, person = join_as_participant(forum, name="Zzyzx Mustermann", organisation="Zzyzx e. V.")
    add_card(person.group, "Neutraler Text", participant_id=person.id)
    measure = Measure(group_id=person.group_id, title="Neutrale Maßnahme", participant_id=person.id)
    measure.votes = [Vote(participant_id=person.id)]
    db.session.add(measure)
    db.session.commit()
    cards, measures = cards_csv([forum]), measures_csv([forum])
    assert b"Neutraler Text" in cards and "Neutrale Maßnahme".encode() in measures
    for data in (cards, measures):
        assert b"Zzyzx" not in data and b"Mustermann" not in data

"""The consolidated DOCX says exactly what the groups produced, and nothing personal."""

import io
import zipfile

import docx

from forum.cli import prepare_demo
from forum.extensions import db
from forum.models import Card, Forum, Measure, Participant
from forum.services.docx_export import build_docx
from forum.services.docx_plan import short_title
from forum.services.report import process_report
from tests.docx_reading import blocks, open_docx


def all_xml(data: bytes) -> str:
    """Every XML part of the package: body, headers, footers, properties, comments."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return "\n".join(
            package.read(name).decode("utf-8")
            for name in package.namelist()
            if name.endswith(".xml")
        )


def texts(data: bytes) -> list[str]:
    return texts_of(docx.Document(io.BytesIO(data)))


def texts_of(document) -> list[str]:
    found = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                found.extend(p.text for p in cell.paragraphs)
    return found


def test_visible_cards_once_hidden_and_merged_absent_no_names(app, join_as_participant):
    prepare_demo(sample=True)
    forum = db.session.execute(db.select(Forum).filter_by(slug="themenforum-1")).scalar_one()
    _, named = join_as_participant(
        forum, name="Zzyzx Mustermann", organisation="Geheimverein Qwertz e. V."
    )
    db.session.add(
        Card(
            group_id=named.group_id,
            participant_id=named.id,
            quadrant="strength",
            text="Karte von Zzyzx mit eigenem Text",
        )
    )
    # The demo fills two forums; this document is the 1. Themenforum's.
    groups = [group.id for group in forum.groups]
    cards = (
        db.session.execute(db.select(Card).where(Card.group_id.in_(groups)).order_by(Card.id))
        .scalars()
        .all()
    )
    hidden, merged, keeper = cards[0], cards[1], cards[2]
    hidden.hidden = True
    merged.merged_into_id, keeper.merge_count = keeper.id, 2
    db.session.commit()

    data = build_docx(process_report(forum.process, forum), whole_process=False)
    paragraphs = texts(data)
    visible = [c for c in cards if c.visible]
    for card in visible:
        shown = [p for p in paragraphs if p.startswith(card.text)]
        assert len(shown) == 1, (card.text, shown)
    assert not any(p.startswith(hidden.text) for p in paragraphs)
    assert not any(p.startswith(merged.text) for p in paragraphs)
    assert any(p.startswith(keeper.text) and "2" in p[len(keeper.text) :] for p in paragraphs)

    xml = all_xml(data)
    for personal in ["Zzyzx Mustermann", "Geheimverein Qwertz"]:
        assert personal not in xml
    assert db.session.execute(
        db.select(Participant).filter_by(name="Zzyzx Mustermann")
    ).scalar_one()


def test_every_visible_measure_once_in_the_body_and_in_its_group_table(app):
    prepare_demo(sample=True)
    forum = db.session.execute(db.select(Forum).filter_by(slug="themenforum-1")).scalar_one()
    groups = [group.id for group in forum.groups]  # the demo fills two forums; this is one
    measures = (
        db.session.execute(
            db.select(Measure).where(Measure.group_id.in_(groups)).order_by(Measure.id)
        )
        .scalars()
        .all()
    )
    measures[0].hidden = True
    db.session.commit()
    report = process_report(forum.process, forum)
    doc = open_docx(build_docx(report, whole_process=False))
    body = [t for style, t, _ in blocks(doc) if style == "Heading 2"]
    numbered = {m.title: m.number for m in report.measures}
    paragraphs = texts_of(doc)
    for measure in measures[1:]:
        assert body.count(f"{numbered[measure.title]} {measure.title}") == 1, measure.title
        # the group's table in the appendix, and the overview when the title is short already
        assert paragraphs.count(measure.title) == 1 + (short_title(measure.title) == measure.title)
    assert measures[0].title not in numbered
    assert not any(measures[0].title in text for text in paragraphs)

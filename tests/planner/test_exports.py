"""Planners download the consolidated DOCX, CSV, backup and seed file; the CLI writes the same."""

import io

import docx

from forum.cli import main
from forum.extensions import db
from forum.models import Measure
from tests.office import pdf_text, to_pdf


def document_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_planner_downloads_the_forum_document(demo_planner):
    response = demo_planner.get("/planner/forums/themenforum-1/ergebnisse.docx")
    assert response.status_code == 200
    assert (
        response.headers["Content-Disposition"]
        == 'attachment; filename="themenforum-1-ergebnisse.docx"'
    )
    assert response.headers["Cache-Control"] == "no-store"
    text = document_text(response.data)
    for group in ["Orange", "Rot", "Blau", "Grün"]:
        assert f"Gruppe {group}" in text
    measure = db.session.execute(db.select(Measure).limit(1)).scalar_one()
    assert measure.title in text


def test_downloads_need_a_planner(client, demo):
    for url in [
        "/planner/forums/themenforum-1/ergebnisse.docx",
        f"/planner/processes/{demo.slug}/ergebnisse.docx",
        "/planner/forums/themenforum-1/karten.csv",
        f"/planner/processes/{demo.slug}/sicherung.json",
        f"/planner/processes/{demo.slug}/seed.toml",
    ]:
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.location, url


def test_console_downloads_csv_backup_and_seed(demo_planner, demo):
    planner = demo_planner
    cards = planner.get("/planner/forums/themenforum-1/karten.csv")
    assert cards.data.startswith("\ufeff".encode()) and "Stärken".encode() in cards.data
    measures = planner.get("/planner/forums/themenforum-1/massnahmen.csv")
    assert b"Verantwortlich" in measures.data
    backup = planner.get(f"/planner/processes/{demo.slug}/sicherung.json")
    assert backup.json["format"] == "themenforum-backup/1"
    seed = planner.get(f"/planner/processes/{demo.slug}/seed.toml")
    assert 'title = "Gemeinwesenarbeit und Ehrenamt"' in seed.text


def test_cli_exports_whole_process_and_one_forum(app, demo, tmp_path):
    runner = app.test_cli_runner()
    whole, single = tmp_path / "gesamt.docx", tmp_path / "forum.docx"
    assert runner.invoke(main, ["export", "docx", "--out", str(whole)]).exit_code == 0
    result = runner.invoke(
        main, ["export", "docx", "--out", str(single), "--forum", "themenforum-1"]
    )
    assert result.exit_code == 0, result.output
    whole_text, single_text = document_text(whole.read_bytes()), document_text(single.read_bytes())
    assert "Ergebnisse des Beteiligungsprozesses für die Fachplanfortschreibung" in whole_text
    assert "Ergebnisse des Beteiligungsprozesses" not in single_text
    assert "Integrationsprozess in den Ausbildungs- und Arbeitsmarkt" in whole_text
    assert "Integrationsprozess in den Ausbildungs- und Arbeitsmarkt" not in single_text
    assert "Leitziel 1" in whole_text and "Leitziel 1" in single_text
    result = runner.invoke(
        main, ["export", "docx", "--out", str(single), "--forum", "gibt-es-nicht"]
    )
    assert result.exit_code != 0 and "gibt-es-nicht" in result.output


def test_cli_backup_restores_into_an_empty_database(app, demo, tmp_path):
    from forum import create_app
    from forum.database import upgrade_database
    from tests.dbutil import app_config

    runner = app.test_cli_runner()
    first = tmp_path / "sicherung.json"
    assert runner.invoke(main, ["export", "json", "--out", str(first)]).exit_code == 0
    other = create_app(app_config(f"sqlite:///{tmp_path / 'other.sqlite3'}"))
    with other.app_context():
        upgrade_database()
        other_runner = other.test_cli_runner()
        result = other_runner.invoke(main, ["import", "json", str(first)])
        assert result.exit_code == 0, result.output
        again = other_runner.invoke(main, ["import", "json", str(first)])
        assert again.exit_code == 1 and "Fehler" in again.output
        second = tmp_path / "zweite.json"
        assert other_runner.invoke(main, ["export", "json", "--out", str(second)]).exit_code == 0
        db.session.remove()
        db.engine.dispose()
    assert second.read_text(encoding="utf-8") == first.read_text(encoding="utf-8")


def test_libreoffice_converts_the_demo_forum_document(app, demo, tmp_path):
    out = tmp_path / "themenforum-1.docx"
    app.test_cli_runner().invoke(
        main, ["export", "docx", "--out", str(out), "--forum", "themenforum-1"]
    )
    text = pdf_text(to_pdf(out))
    for group in ["Orange", "Rot", "Blau", "Grün"]:
        assert f"Gruppe {group}" in text
    measure = db.session.execute(db.select(Measure).order_by(Measure.id).limit(1)).scalar_one()
    first_words = " ".join(measure.title.split()[:2])
    assert first_words in text

"""`forum export …` and `forum import json`: the documents and backups from the command line."""

import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from forum.extensions import db
from forum.models import Forum, Process
from forum.services import backup, csv_export, restore, seed_export
from forum.services.docx_export import build_docx
from forum.services.pdf_export import PdfUnavailable, docx_to_pdf
from forum.services.report import process_report

OUT = click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path))
PROCESS = click.option("--process", "process_slug", help="Kurzname des Prozesses (bei mehreren).")
FORUM = click.option("--forum", "forum_slug", help="Nur dieses Forum (Kurzname).")


@click.group("export")
def export_group():
    """Write documents and backups."""


def _process(slug: str | None) -> Process:
    processes = db.session.execute(db.select(Process).order_by(Process.slug)).scalars().all()
    if slug:
        processes = [p for p in processes if p.slug == slug]
    if len(processes) != 1:
        names = ", ".join(p.slug for p in processes) or "keiner"
        raise click.UsageError(f"Bitte --process angeben (vorhanden: {names}).")
    return processes[0]


def _forum(process: Process, slug: str | None) -> Forum | None:
    if slug is None:
        return None
    forum = next((f for f in process.forums if f.slug == slug), None)
    if forum is None:
        raise click.UsageError(f"Forum „{slug}“ gibt es im Prozess {process.slug} nicht.")
    return forum


@export_group.command("docx")
@OUT
@FORUM
@PROCESS
@with_appcontext
def export_docx(out, forum_slug, process_slug):
    """The consolidated Word document (without --forum: the whole process)."""
    out.write_bytes(_report_docx(process_slug, forum_slug))
    click.echo(f"Geschrieben: {out}")


@export_group.command("pdf")
@OUT
@FORUM
@PROCESS
@with_appcontext
def export_pdf(out, forum_slug, process_slug):
    """The consolidated document as tagged PDF with its contents page filled (needs LibreOffice)."""
    try:
        pdf = docx_to_pdf(_report_docx(process_slug, forum_slug))
    except PdfUnavailable as error:
        click.echo(f"Fehler: {error}", err=True)
        sys.exit(1)
    out.write_bytes(pdf)
    click.echo(f"Geschrieben: {out}")


def _report_docx(process_slug: str | None, forum_slug: str | None) -> bytes:
    """The consolidated Word document of a process, or of one of its forums."""
    process = _process(process_slug)
    forum = _forum(process, forum_slug)
    return build_docx(process_report(process, forum), whole_process=forum is None)


@export_group.command("csv")
@click.argument("what", type=click.Choice(["karten", "massnahmen", "themen"]))
@OUT
@FORUM
@PROCESS
@with_appcontext
def export_csv(what, out, forum_slug, process_slug):
    """Cards, measures or the Auswertung's themes (whole process only) as CSV for Excel."""
    process = _process(process_slug)
    if what == "themen":
        if forum_slug is not None:
            raise click.UsageError(
                "Die Themen der Auswertung gelten für den ganzen Prozess: "
                "„themen“ geht nicht mit --forum."
            )
        out.write_bytes(csv_export.themes_csv(process))
        click.echo(f"Geschrieben: {out}")
        return
    forum = _forum(process, forum_slug)
    forums = [forum] if forum else list(process.forums)
    build = csv_export.cards_csv if what == "karten" else csv_export.measures_csv
    out.write_bytes(build(forums))
    click.echo(f"Geschrieben: {out}")


@export_group.command("json")
@OUT
@PROCESS
@with_appcontext
def export_json(out, process_slug):
    """A complete backup of a process."""
    out.write_text(
        backup.dump_json(backup.export_process(_process(process_slug))), encoding="utf-8"
    )
    click.echo(f"Geschrieben: {out}")


@export_group.command("seed")
@OUT
@PROCESS
@with_appcontext
def export_seed(out, process_slug):
    """The process set-up as a seed file."""
    out.write_text(seed_export.process_toml(_process(process_slug)), encoding="utf-8")
    click.echo(f"Geschrieben: {out}")


@click.group("import")
def import_group():
    """Restore backups."""


@import_group.command("json")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--replace", is_flag=True, help="Einen vorhandenen Prozess gleichen Namens ersetzen.")
@with_appcontext
def import_json(path, replace):
    """Restore a process from a JSON backup, all or nothing."""
    try:
        process = restore.import_process(backup.parse_json(path.read_bytes()), replace=replace)
    except backup.BackupError as error:
        click.echo(f"Fehler: {error}", err=True)
        sys.exit(1)
    click.echo(f"Wiederhergestellt: {process.title}")

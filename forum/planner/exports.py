"""Downloads for planners: the consolidated DOCX, CSV, the JSON backup and the seed file."""

from flask import Response

from forum.planner import bp
from forum.planner.forums import forum_or_404
from forum.planner.setup import process_or_404
from forum.services import backup, csv_export, seed_export
from forum.services.docx_export import build_docx
from forum.services.report import process_report

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def download(data: bytes | str, filename: str, mimetype: str) -> Response:
    """Send bytes as a file download that no cache keeps."""
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/processes/<slug>/ergebnisse.docx")
def process_docx(slug):
    """The whole process as one Word document, for the evaluation event."""
    process = process_or_404(slug)
    return download(build_docx(process_report(process)), f"{slug}-gesamt.docx", DOCX)


@bp.get("/forums/<slug>/ergebnisse.docx")
def forum_docx(slug):
    """One forum's results as a Word document."""
    forum = forum_or_404(slug)
    document = build_docx(process_report(forum.process, forum), whole_process=False)
    return download(document, f"{slug}-ergebnisse.docx", DOCX)


@bp.get("/forums/<slug>/<any(karten, massnahmen):what>.csv")
def forum_csv(slug, what):
    """The forum's cards or measures as CSV that Excel opens correctly."""
    forum = forum_or_404(slug)
    build = csv_export.cards_csv if what == "karten" else csv_export.measures_csv
    return download(build([forum]), f"{slug}-{what}.csv", "text/csv; charset=utf-8")


@bp.get("/processes/<slug>/sicherung.json")
def process_backup(slug):
    """Everything of a process, to restore it with `forum import json`."""
    data = backup.dump_json(backup.export_process(process_or_404(slug)))
    return download(data, f"{slug}-sicherung.json", "application/json")


@bp.get("/processes/<slug>/seed.toml")
def process_seed(slug):
    """The process set-up as a seed file that `forum seed` loads."""
    text = seed_export.process_toml(process_or_404(slug))
    return download(text, f"{slug}.toml", "application/toml; charset=utf-8")

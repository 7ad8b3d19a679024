"""Downloads for planners: the consolidated DOCX and PDF, CSV, the JSON backup and the seed file."""

from flask import Response, flash, redirect, url_for

from forum.planner import bp
from forum.planner.forums import forum_or_404
from forum.planner.setup import process_or_404
from forum.services import backup, csv_export, seed_export
from forum.services.docx_export import build_docx
from forum.services.pdf_export import PdfUnavailable, docx_to_pdf
from forum.services.report import process_report

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"


def download(data: bytes | str, filename: str, content_type: str) -> Response:
    """Send bytes as a file download that no cache keeps."""
    # As given: a mimetype argument would add a second "; charset=utf-8" to text/csv's.
    response = Response(data, content_type=content_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


def pdf_download(document: bytes, filename: str, back: str) -> Response:
    """Send the document as PDF; without LibreOffice say why on the page the button is on."""
    try:
        return download(docx_to_pdf(document), filename, PDF)
    except PdfUnavailable as error:
        flash(str(error), "error")
        return redirect(back)


def process_document(process) -> bytes:
    """The Word document of the whole process."""
    return build_docx(process_report(process))


def forum_document(forum) -> bytes:
    """The Word document of one forum."""
    return build_docx(process_report(forum.process, forum), whole_process=False)


@bp.get("/processes/<slug>/ergebnisse.docx")
def process_docx(slug):
    """The whole process as one Word document, for the evaluation event."""
    document = process_document(process_or_404(slug))
    return download(document, f"{slug}-gesamt.docx", DOCX)


@bp.get("/processes/<slug>/ergebnisse.pdf")
def process_pdf(slug):
    """The whole process as tagged PDF, contents page filled."""
    document = process_document(process_or_404(slug))
    return pdf_download(document, f"{slug}-gesamt.pdf", url_for("planner.index"))


@bp.get("/forums/<slug>/ergebnisse.docx")
def forum_docx(slug):
    """One forum's results as a Word document."""
    return download(forum_document(forum_or_404(slug)), f"{slug}-ergebnisse.docx", DOCX)


@bp.get("/forums/<slug>/ergebnisse.pdf")
def forum_pdf(slug):
    """One forum's results as tagged PDF, contents page filled."""
    document = forum_document(forum_or_404(slug))
    return pdf_download(document, f"{slug}-ergebnisse.pdf", url_for("planner.forum", slug=slug))


@bp.get("/forums/<slug>/<any(karten, massnahmen):what>.csv")
def forum_csv(slug, what):
    """The forum's cards or measures as CSV that Excel opens correctly."""
    forum = forum_or_404(slug)
    build = csv_export.cards_csv if what == "karten" else csv_export.measures_csv
    return download(build([forum]), f"{slug}-{what}.csv", "text/csv; charset=utf-8")


@bp.get("/processes/<slug>/themen.csv")
def process_themes_csv(slug):
    """The themes of the Auswertung, one row per card, as CSV that Excel opens correctly."""
    data = csv_export.themes_csv(process_or_404(slug))
    return download(data, f"{slug}-themen.csv", "text/csv; charset=utf-8")


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

"""The planner's overview of processes and forums, with the join QR code."""

import hashlib

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from forum.extensions import db
from forum.live import answer, live_response
from forum.models import Forum, Process
from forum.planner import bp
from forum.services import overview, phases, purge
from forum.services.qr import qr_svg


def join_url(forum: Forum) -> str:
    """Absolute join address for the QR code: PUBLIC_URL if set, else this request's host."""
    base = current_app.config["PUBLIC_URL"] or request.host_url.rstrip("/")
    return base + url_for("participant.join", code=forum.join_code)


@bp.get("/")
def index():
    """List the processes with their forums."""
    processes = db.session.execute(db.select(Process).order_by(Process.title)).scalars().all()
    return render_template("planner/index.html", processes=processes)


def forum_or_404(slug: str) -> Forum:
    """Return the forum with this slug or answer 404."""
    forum = db.session.execute(db.select(Forum).filter_by(slug=slug)).scalar_one_or_none()
    if forum is None:
        abort(404)
    return forum


@bp.get("/forums/<slug>")
def forum(slug):
    """Show one forum: QR code, join address and the live overview of its groups."""
    forum = forum_or_404(slug)
    url = join_url(forum)
    figures = overview.forum_figures(forum)
    return render_template(
        "planner/forum.html",
        forum=forum,
        join_url=url,
        qr=qr_svg(url, _("QR-Code zum Beitritt: %(url)s", url=url)),
        figures=figures,
        totals=overview.totals(figures),
        privacy=purge.privacy_status(forum),
    )


@bp.get("/forums/<slug>/overview")
def forum_overview(slug):
    """Return the overview table for live updates; 304 while the figures are unchanged."""
    forum = forum_or_404(slug)
    figures = overview.forum_figures(forum)
    html = render_template(
        "planner/_overview.html", figures=figures, totals=overview.totals(figures)
    )
    # The phase timer rides on this answer (timer.js does not poll beside a live region).
    timer = phases.state(forum)
    version = f"{html}{timer['phase']}{timer['ends_at']}"
    return live_response(
        hashlib.sha256(version.encode()).hexdigest()[:32],
        lambda: answer(regions={"overview": html}, timer=timer),
    )


@bp.post("/forums/<slug>/open")
def set_open(slug):
    """Open or close a forum for joining."""
    forum = forum_or_404(slug)
    forum.is_open = request.form.get("open") == "1"
    db.session.commit()
    flash(_("Beitritt geöffnet.") if forum.is_open else _("Beitritt geschlossen."))
    return redirect(url_for(".forum", slug=slug))

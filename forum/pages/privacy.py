"""The privacy notice (Datenschutzhinweise) linked from the join form and every page."""

from flask import current_app, render_template, request
from flask_babel import lazy_gettext as _l

from forum.pages import bp
from forum.services import joining, purge
from forum.services.seed_schema import DEFAULT_PURGE_DAYS

# Shown when the installation has not named its people: neutral, and still true.
DEFAULTS = {
    "ORGANISER_NAME": _l("die veranstaltende Stelle, die zu dem Forum eingeladen hat"),
    "PRIVACY_CONTACT": _l("die veranstaltende Stelle (Kontakt siehe Einladung)"),
    "DPO_CONTACT": _l("die oder der behördliche Datenschutzbeauftragte der veranstaltenden Stelle"),
}


@bp.get("/datenschutz")
def privacy():
    """Explain what the forum stores, why, for how long, and whom to ask."""
    # Opened from a join form, the notice names that forum's deletion date. Join codes are
    # 128-bit secrets, so answering for closed forums too reveals nothing to a prober.
    forum = joining.forum_by_code(request.args.get("forum", ""), open_only=False)
    return render_template("pages/privacy.html", forum=forum, **notice_facts(forum))


def notice_facts(forum) -> dict:
    """Collect the names, contacts and periods the notice states."""
    config = current_app.config
    names = {key: config.get(key) or default for key, default in DEFAULTS.items()}
    if not config.get("ORGANISER_NAME") and forum is not None and forum.process.organiser:
        names["ORGANISER_NAME"] = forum.process.organiser
    address = [line.strip() for line in config.get("ORGANISER_ADDRESS", "").split(";")]
    return {
        **names,
        "address": [line for line in address if line],
        "authority": config["SUPERVISORY_AUTHORITY"],
        "authority_url": config["SUPERVISORY_AUTHORITY_URL"],
        "session_days": config["PERMANENT_SESSION_LIFETIME"].days,
        "log_days": config["LOG_RETENTION_DAYS"],
        "default_purge_days": DEFAULT_PURGE_DAYS,
        "status": purge.privacy_status(forum) if forum else None,
    }

"""The privacy notice (Datenschutzhinweise) linked from the join form and every page."""

from flask import render_template

from forum.pages import bp


@bp.get("/datenschutz")
def privacy():
    """Explain what the forum stores, why, for how long, and whom to ask."""
    return render_template("pages/privacy.html")

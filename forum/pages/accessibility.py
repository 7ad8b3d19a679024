"""The accessibility statement (Erklärung zur Barrierefreiheit) German public bodies publish."""

from flask import render_template

from forum.pages import bp


@bp.get("/barrierefreiheit")
def accessibility():
    """State how far the service meets WCAG 2.1 AA and how to give feedback."""
    return render_template("pages/accessibility.html")

"""Cross-cutting web concerns: error pages, security headers, template helpers."""

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from forum import vocabulary
from forum.services import phases

CSP = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)


def register_errors(app: Flask) -> None:
    """Render every HTTP error as a plain page without internals."""

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        app.logger.warning("CSRF failure on %s: %s", request.path, error.description)
        return render_template("error.html", status=400, kept=_typed_text()), 400

    @app.errorhandler(HTTPException)
    def http_error(error):
        return render_template("error.html", status=error.code, kept=_typed_text()), error.code

    @app.errorhandler(Exception)
    def server_error(error):
        app.logger.exception("Unhandled error on %s", request.path)
        return render_template("error.html", status=500, kept=_typed_text()), 500


def _typed_text() -> str:
    # Whatever the participant typed is shown back so an error never swallows it.
    if request.method != "POST" or request.content_length and request.content_length > 65536:
        return ""
    return (request.form.get("text") or "").strip()


def register_security_headers(app: Flask) -> None:
    """Send a strict CSP and related headers with every response."""

    @app.after_request
    def add_headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response


def register_template_helpers(app: Flask) -> None:
    """Expose the interface vocabularies to all templates."""
    app.jinja_env.globals.update(
        QUADRANT_LABELS=vocabulary.QUADRANT_LABELS,
        ORG_TYPE_CHOICES=vocabulary.ORG_TYPE_CHOICES,
        HORIZON_LABELS=vocabulary.HORIZON_LABELS,
        forum_date=vocabulary.forum_date,
        phase_state=phases.state,
    )

"""Cross-cutting web concerns: error pages, security headers, template helpers."""

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError, same_origin
from werkzeug.exceptions import HTTPException, SecurityError
from werkzeug.middleware.proxy_fix import ProxyFix

from forum import colours, live, vocabulary
from forum.services import phases

CSP = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
# Served over HTTPS: browsers use nothing else for a year, so no first request goes out plain.
HSTS = "max-age=31536000"


def security_headers(config) -> dict[str, str]:
    """The headers every answer carries: SECURITY_HEADERS, and HSTS when PUBLIC_URL is https."""
    if config.get("PUBLIC_URL", "").startswith("https://"):
        return {**SECURITY_HEADERS, "Strict-Transport-Security": HSTS}
    return SECURITY_HEADERS


def register_errors(app: Flask) -> None:
    """Render every HTTP error as a plain page without internals."""

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        # Path and reason only: the form's content may be personal and stays out of the log.
        app.logger.warning("CSRF failure on %s: %s", request.path, error.description)
        resend = _resend_fields() if _same_origin() else None
        return render_template(
            "error.html", status=400, csrf=True, kept=_typed_text(), resend=resend
        ), 400

    @app.errorhandler(SecurityError)
    def untrusted_host(error):
        # No page: with an untrusted Host there is no URL adapter to build links from.
        app.logger.warning("Request for an untrusted host refused")
        body = "400 – Unbekannte Adresse (Host). / Unknown host.\n"
        return app.response_class(body, status=400, mimetype="text/plain")

    @app.errorhandler(HTTPException)
    def http_error(error):
        # Too many requests at once: the same post may simply be sent again a moment later.
        resend = _resend_fields() if error.code == 429 and _same_origin() else None
        page = render_template("error.html", status=error.code, kept=_typed_text(), resend=resend)
        return page, error.code

    @app.errorhandler(Exception)
    def server_error(error):
        app.logger.exception("Unhandled error on %s", request.path)
        return render_template("error.html", status=500, kept=_typed_text()), 500


# Form fields that carry what a person typed, shown back on an error page to copy.
TYPED_FIELDS = ("text", "title", "goal", "owner", "method", "indicator", "name", "organisation")
_NOT_RESENT = {"csrf_token"}


def _small_post() -> bool:
    return request.method == "POST" and (request.content_length or 0) <= 65536


def _typed_text() -> str:
    # Whatever the participant typed is shown back so an error never swallows it.
    if not _small_post():
        return ""
    values = [(request.form.get(name) or "").strip() for name in TYPED_FIELDS]
    return "\n\n".join(value for value in values if value)


def _resend_fields() -> list[tuple[str, str]] | None:
    """The rejected form's fields, to send once more with a fresh token (same idempotency key)."""
    # A password is never written back into a page: that form is typed again.
    if not _small_post() or not request.form or "password" in request.form:
        return None
    return [(k, v) for k, v in request.form.items(multi=True) if k not in _NOT_RESENT]


def _same_origin() -> bool:
    # Only our own pages may be offered a one-tap re-send; a cross-site POST just gets 400.
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None:
        return site in ("same-origin", "none")
    origin = request.headers.get("Origin") or request.headers.get("Referer") or ""
    try:
        # Scheme, host and port each equal: `http://ours:5202.evil.example` is not ours.
        return same_origin(origin, request.host_url)
    except ValueError:  # a port that is no number
        return False


# Pages with other people's contributions or accounts: never kept in a browser or proxy cache.
NO_STORE_BLUEPRINTS = {"auth", "moderator", "planner"}
# A phone's own pages (group, board, measures): never in a shared cache, and checked with the
# server on every use, as the board's live polls are. Not no-store: that would keep the board
# out of the browser's back/forward cache on bad Wi-Fi. Views that must not be kept at all (the
# join form with its new token, the timer) set no-store themselves.
PARTICIPANT_PAGES = "no-cache, private"


def register_security_headers(app: Flask) -> None:
    """Send a strict CSP and related headers with every response."""
    headers = security_headers(app.config)

    @app.after_request
    def add_headers(response):
        for name, value in headers.items():
            response.headers.setdefault(name, value)
        if request.blueprint in NO_STORE_BLUEPRINTS:
            response.headers["Cache-Control"] = "no-store"
        elif request.blueprint == "participant" and request.method in ("GET", "HEAD"):
            response.headers.setdefault("Cache-Control", PARTICIPANT_PAGES)
        return response


def register_proxy(app: Flask) -> None:
    """Believe X-Forwarded-For/-Proto from PROXY_COUNT reverse proxies, never the Host."""
    count = app.config.get("PROXY_COUNT", 0)
    if count:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)


def register_template_helpers(app: Flask) -> None:
    """Expose the interface vocabularies to all templates."""
    app.jinja_env.globals.update(
        QUADRANT_LABELS=vocabulary.QUADRANT_LABELS,
        ORG_TYPE_CHOICES=vocabulary.ORG_TYPE_CHOICES,
        HORIZON_LABELS=vocabulary.HORIZON_LABELS,
        forum_date=vocabulary.forum_date,
        phase_state=phases.state,
        swatch_edge=colours.swatch_edge,
        live_order=live.order,
    )

"""Interface languages: which locale a page gets, and the switch that remembers a choice."""

from urllib.parse import quote

from flask import Blueprint, abort, current_app, redirect, request
from flask_babel import get_locale

COOKIE = "lang"
COOKIE_MAX_AGE = 365 * 24 * 60 * 60
# Participants may read any of these; staff pages are written for German and English readers.
LOCALES = ("de", "en", "uk", "ar")
STAFF_LOCALES = ("de", "en")
STAFF_BLUEPRINTS = frozenset({"auth", "moderator", "planner"})
RIGHT_TO_LEFT = frozenset({"ar"})
# Each language is named in itself, so a reader finds theirs without reading the current one.
NAMES = {"de": "Deutsch", "en": "English", "uk": "Українська", "ar": "العربية"}

bp = Blueprint("i18n", __name__)


def offered_locales() -> tuple[str, ...]:
    """Return the languages the current page is offered in."""
    return STAFF_LOCALES if request.blueprint in STAFF_BLUEPRINTS else LOCALES


def browser_language(supported: tuple[str, ...]) -> str | None:
    """Return the first supported language of the browser's list, by quality then order."""
    for tag, quality in request.accept_languages:
        # werkzeug's best_match prefers any exact match, so "en-GB, de;q=0.7" would get German.
        primary = tag.replace("_", "-").split("-")[0].lower()
        if quality > 0 and primary in supported:
            return primary
    return None


def select_locale() -> str:
    """Pick the remembered choice, else the browser's first supported language, else German."""
    chosen = request.cookies.get(COOKIE)
    locale = chosen if chosen in LOCALES else browser_language(LOCALES) or "de"
    if locale in offered_locales():
        return locale
    # A Ukrainian or Arabic reader on a staff page: their browser's German or English, else English.
    return browser_language(STAFF_LOCALES) or "en"


def is_local_path(target: str) -> bool:
    """Accept only a path on this site, never a URL a browser could read as another host."""
    return (
        target.startswith("/")
        and not target.startswith("//")
        and all(0x20 < ord(char) < 0x7F and char != "\\" for char in target)
    )


def current_path() -> str:
    """Return where the switch should lead back to: this page, or the page that sent a form."""
    if request.method == "GET" or (request.url_rule and "GET" in request.url_rule.methods):
        path = quote(request.path)
        query = request.query_string.decode("latin-1")
        return f"{path}?{query}" if query else path
    # A form answered with errors: its action may accept only POST, so go back to the form's page.
    referrer = request.referrer or ""
    host = request.host_url
    return "/" + referrer[len(host) :] if referrer.startswith(host) else request.script_root + "/"


@bp.app_context_processor
def language_context() -> dict:
    """Give base.html the page's language and direction and the languages to switch to."""
    locale = str(get_locale() or "de")
    return {
        "page_lang": locale,
        "page_dir": "rtl" if locale in RIGHT_TO_LEFT else "ltr",
        "language_choices": [(code, NAMES[code]) for code in offered_locales()],
        "language_next": current_path,
    }


@bp.after_app_request
def vary_by_language(response):
    """Tell caches that a page's words depend on the `lang` cookie and the browser's languages."""
    if request.endpoint != "static":
        response.vary.update(("Accept-Language", "Cookie"))
    return response


@bp.post("/sprache")
def switch():
    """Remember the chosen language for a year and return to the page it was chosen on."""
    locale = request.form.get("lang", "")
    target = request.form.get("next", "")
    if locale not in LOCALES or not is_local_path(target):
        abort(400)
    response = redirect(target, code=303)
    response.set_cookie(
        COOKIE,
        locale,
        max_age=COOKIE_MAX_AGE,
        samesite="Lax",
        secure=current_app.config.get("SESSION_COOKIE_SECURE", False),
        httponly=True,
    )
    return response

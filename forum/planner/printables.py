"""Print views for planners: entrance poster, table cards, A3 SWOT worksheets."""

import colorsys
from urllib.parse import urlsplit

from flask import abort, render_template
from flask_babel import gettext as _

from forum.extensions import db
from forum.models import Forum, Group
from forum.planner import bp
from forum.planner.forums import forum_or_404, join_url
from forum.services.qr import qr_svg

# Names a group may already carry; then the card repeats the name instead of guessing one.
COLOUR_WORDS = {
    "rot", "orange", "gelb", "grün", "blau", "türkis", "lila", "violett", "rosa", "pink",
    "braun", "grau", "schwarz", "weiß",
}  # fmt: skip
# Hue bands (upper bound in degrees) for colours that come without a word.
HUES = [(15, "Rot"), (45, "Orange"), (70, "Gelb"), (165, "Grün"), (195, "Türkis"),
        (255, "Blau"), (290, "Lila"), (335, "Pink"), (360, "Rot")]  # fmt: skip
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}


def colour_name(group: Group) -> str:
    """Name a group's colour in German, so the printout does not rely on colour alone."""
    if group.name.strip().lower() in COLOUR_WORDS:
        return group.name.strip()
    red, green, blue = (int(group.colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    hue, light, saturation = colorsys.rgb_to_hls(red, green, blue)
    if saturation < 0.15 or light < 0.1 or light > 0.95:
        return "Schwarz" if light < 0.2 else "Weiß" if light > 0.9 else "Grau"
    name = next(word for bound, word in HUES if hue * 360 < bound)
    return "Braun" if name == "Orange" and light < 0.35 else name


def forum_label(forum: Forum) -> str:
    """Return '1. Themenforum', or the event kind when the forum has no number."""
    if forum.number:
        return _("%(number)s. Themenforum", number=forum.number)
    return _("Auswertungsveranstaltung") if forum.kind == "evaluation" else _("Themenforum")


@bp.get("/forums/<slug>/print/poster")
def print_poster(slug):
    """Show the A4 entrance poster with the join QR code and address."""
    forum = forum_or_404(slug)
    url = join_url(forum)
    return render_template(
        "planner/print/poster.html",
        forum=forum,
        label=forum_label(forum),
        join_url=url,
        qr=qr_svg(url, _("QR-Code zum Beitritt: %(url)s", url=url)),
        # A poster printed from a laptop's localhost address leads phones nowhere.
        local_address=urlsplit(url).hostname in LOCAL_HOSTS,
    )


@bp.get("/forums/<slug>/print/table-cards")
def print_table_cards(slug):
    """Show one folded A4 table card per group."""
    forum = forum_or_404(slug)
    return render_template(
        "planner/print/table_cards.html",
        forum=forum,
        label=forum_label(forum),
        colour_name=colour_name,
    )


@bp.get("/forums/<slug>/print/worksheets")
def print_worksheets(slug):
    """Show the A3 SWOT worksheets of all groups."""
    forum = forum_or_404(slug)
    return _worksheets(forum, forum.groups, single=False)


@bp.get("/forums/<slug>/print/worksheet/<int:group_id>")
def print_worksheet(slug, group_id):
    """Show the A3 SWOT worksheet of one group."""
    forum = forum_or_404(slug)
    group = db.session.get(Group, group_id)
    if group is None or group.forum_id != forum.id:
        abort(404)
    return _worksheets(forum, [group], single=True)


def _worksheets(forum: Forum, groups: list[Group], single: bool) -> str:
    return render_template(
        "planner/print/worksheets.html",
        forum=forum,
        label=forum_label(forum),
        groups=groups,
        single=single,
        colour_name=colour_name,
    )

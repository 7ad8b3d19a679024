"""The group's SWOT board on the phone: read, add, edit and delete own cards, live updates."""

import re
import secrets
import time
from typing import NamedTuple

from flask import (
    abort,
    current_app,
    flash,
    g,
    get_template_attribute,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.wrappers import Response
from flask_babel import gettext as _

from forum.database import phone_connection, retry_if_dropped
from forum.extensions import db
from forum.held_polls import hold_seconds, offered_seconds, reading_turn, wait_for_news
from forum.live import answer, item, live_response, not_modified
from forum.models import QUADRANTS, Card
from forum.participant import bp
from forum.participant.access import (
    load_participant,
    not_joined,
    participant_required,
    session_tokens,
)
from forum.participant.forms import CardForm, EditCardForm
from forum.services import cards, changes, joining, phases


def _blank_forms(failed: CardForm | None = None) -> dict[str, CardForm]:
    forms = {}
    for quadrant in QUADRANTS:
        if failed is not None and failed.quadrant.data == quadrant:
            forms[quadrant] = failed
            continue
        form = CardForm(formdata=None, quadrant=quadrant, client_key=secrets.token_urlsafe(16))
        forms[quadrant] = form
    return forms


def _selected_quadrant(asked: str | None) -> str:
    """Return the quadrant the board shows: the one asked for (?q=), else the first."""
    return asked if asked in QUADRANTS else QUADRANTS[0]


def _render_board(forms: dict[str, CardForm], selected: str, status: int = 200):
    group = g.participant.group
    return render_template(
        "participant/board.html",
        forum=g.forum,
        participant=g.participant,
        group=group,
        quadrants=cards.board(group.id),
        forms=forms,
        selected=selected,
        may_add_cards=phases.may_add_cards(g.forum),
        etag=board_etag(group.id),
        poll_ms=int(current_app.config["BOARD_POLL_SECONDS"] * 1000),
        hold_seconds=offered_seconds(),
    ), status


@bp.get("/<code>/board")
@participant_required
def board(code):
    """Show the four quadrants with the group's cards and a form for each."""
    if g.forum.kind == "evaluation":
        # At the Auswertungsveranstaltung the phone's board is the process's result.
        return redirect(url_for(".event_board", code=code))
    return _render_board(_blank_forms(), _selected_quadrant(request.args.get("q")))


@bp.post("/<code>/cards")
@retry_if_dropped
def add_card(code):
    """Store a new card once; bad input or a closed phase keeps the text with a message.

    The phone's outbox (outbox.js) asks for JSON; a plain form post gets the page. The busiest
    write of a forum reads the phone's state in one query and loads no objects unless it refuses.
    """
    with phone_connection() as connection:
        phone = joining.phone_state(connection, code, session_tokens())
        if phone is None:
            return not_joined(code)
        return _add_card(connection, code, phone)


def _add_card(connection, code: str, phone: joining.PhoneState):
    if phone.kind == "evaluation":
        abort(404)  # the Auswertungsveranstaltung's phones have no SWOT board to post to
    form = CardForm()
    if not form.validate():
        if form.quadrant.data not in QUADRANTS:
            abort(400)
        return _refuse(code, form, 422)
    key = form.client_key.data
    if not phases.cards_open(phone.phase) and not cards.stored(key):
        # Another phase runs; the typed text stays in the form (a retry of a stored card passes).
        form.text.errors.append(
            _(
                "Karten können gerade nicht hinzugefügt werden – "
                "die 4-Feldermatrix ist nicht die aktuelle Phase."
            )
        )
        return _refuse(code, form, 409)
    card_id = cards.post_card(
        connection, phone.group_id, phone.participant_id, form.quadrant.data, form.text.data, key
    )
    if _wants_json():
        return jsonify(ok=True, card_id=card_id)
    # Shown beside the quadrant's form; the board opens on that quadrant and scrolls to it.
    quadrant = form.quadrant.data
    flash(_("Karte gespeichert."), f"card-{quadrant}")
    return redirect(url_for(".board", code=code, q=quadrant, _anchor=f"q-{quadrant}"))


def _wants_json() -> bool:
    return request.accept_mimetypes.best_match(("text/html", "application/json")) == (
        "application/json"
    )


def _refuse(code: str, form: CardForm, status: int):
    """Answer a refused card with its messages and the (cleaned) text to put back."""
    if _wants_json():
        return jsonify(errors=form.errors, text=form.text.data or ""), status
    if not load_participant(code):
        return not_joined(code)
    return _render_board(_blank_forms(failed=form), form.quadrant.data, status=status)


def _board_regions(code: str, group_id: int) -> dict[str, str]:
    """Render the whole board's live regions: each quadrant's cards and count, the notes."""
    board = cards.board(group_id)
    regions = {
        f"cards-{quadrant}": render_template("participant/_cards.html", cards=items, code=code)
        for quadrant, items in board.items()
    }
    counts = {quadrant: len(items) for quadrant, items in board.items()}
    return regions | _count_regions(counts) | _note_regions(phases.may_add_cards(g.forum))


def _count_regions(counts: dict[str, int]) -> dict[str, str]:
    """Render each quadrant's card count, shown in its tab."""
    card_count = get_template_attribute("participant/_card_count.html", "card_count")
    return {f"count-{quadrant}": str(card_count(count)) for quadrant, count in counts.items()}


def _note_regions(may_add_cards: bool) -> dict[str, str]:
    """Render each quadrant's note: there while the phase takes no cards."""
    # outbox.js shows or locks the card forms by whether the note is there.
    note = str(get_template_attribute("participant/_card_note.html", "card_note")(may_add_cards))
    return {f"note-{quadrant}": note for quadrant in QUADRANTS}


def _delta_answer(code: str, phone: joining.PhoneState, held: "_Held", delta) -> dict:
    """Answer a phone behind by a few changes: those cards, the counts, the notes on a new phase."""
    regions = {}
    if held.phase != _phase_tag(phone):
        # The notes follow the phase alone: sent only when the phone holds another phase.
        regions = _note_regions(phases.cards_open(phone.phase))
    if delta.changed:
        regions |= _count_regions(delta.counts)
    me = phone.participant_id
    items = [
        item(f"card-{c.id}", f"cards-{c.quadrant}", render_card(c, code, me)) for c in delta.shown
    ]
    gone = delta.changed - {c.id for c in delta.shown}
    remove = [f"card-{card_id}" for card_id in sorted(gone)]
    return answer(regions=regions, items=items, remove=remove, timer=phases.phone_timer(phone))


def render_card(card, code: str, me: int) -> str:
    """Render one card (object or row) as the board shows it to participant `me`."""
    return str(get_template_attribute("participant/_card.html", "card_item")(card, code, me))


class _Held(NamedTuple):
    """What a board ETag says: the board's version and the running phase's tag."""

    version: str
    phase: str


# A board ETag as version_etag spells it: group, board version, participant, phase tag.
_BOARD_ETAG = re.compile(r"g(\d+)v(\d+\.\d+)p(\d+)(f\S*)")


def _held(tags: set[str], group_id: int, participant_id: int) -> _Held | None:
    """Read the version a phone holds from its ETags; None if none is this phone's."""
    for tag in tags:
        found = _BOARD_ETAG.fullmatch(tag)
        if found and int(found[1]) == group_id and int(found[3]) == participant_id:
            return _Held(found[2], found[4])
    return None


def board_etag(group_id: int) -> str:
    """Version of this phone's view of the board: group's changes, participant, running phase."""
    phase = phases.group_tag(g.forum, g.participant.group)
    return version_etag(g.participant.id, group_id, changes.version(group_id), phase)


def phone_etag(phone: joining.PhoneState) -> str:
    """Spell the board version a phone in this state holds."""
    return version_etag(phone.participant_id, phone.group_id, phone.version, _phase_tag(phone))


def _phase_tag(phone: joining.PhoneState) -> str:
    return phases.version_tag(phone.phase_item_id, phone.phase_ends_at, phone.extra_minutes)


def version_etag(participant_id: int, group_id: int, version: str, phase: str) -> str:
    """Spell a board version; the phase opens and closes the card forms, so it is part of it."""
    return f"g{group_id}v{version}p{participant_id}{phase}"


@bp.get("/<code>/board/live")
def board_live(code):
    """Return what changed on the board since the phone's ETag, or 304 when nothing did.

    A phone whose board is current may ask (?wait=seconds) to be answered only when its
    group's board or phase changes, or after LIVE_HOLD_SECONDS at most (forum/held_polls.py).
    """
    since = time.monotonic()
    phone, response = _board_answer(code)
    seconds = hold_seconds(request.args.get("wait", type=float))
    if phone is None or response.status_code != 304 or not seconds:
        return response
    # Nothing of the request's own session may stay checked out while it waits.
    db.session.close()
    waiting = time.monotonic()
    if wait_for_news(phone.group_id, phone.stamp, since, seconds):
        phone, response = _board_answer(code)
    # How long the answer waited for news, for the browser's tools and the load benchmark.
    response.headers["Server-Timing"] = f"hold;dur={(time.monotonic() - waiting) * 1000:.0f}"
    return response


@retry_if_dropped
def _board_answer(code) -> tuple[joining.PhoneState | None, Response]:
    """Answer a board poll at once; with the phone's state when it is a joined phone's.

    The hot path of a room: the phone's state in one query, and, when a few cards changed,
    those cards in one more, rendered by macros; no object loaded. Anything else (a phone
    that has not joined, one far behind) takes the full answer below.
    """
    with reading_turn(), phone_connection() as connection:
        phone = joining.phone_state(connection, code, session_tokens())
        if phone is None or phone.kind == "evaluation":
            return None, _full_board(code)
        etag = phone_etag(phone)
        if etag in request.if_none_match:
            return phone, not_modified(etag)
        tags = request.if_none_match.as_set()
        held = _held(tags, phone.group_id, phone.participant_id)
        # The version (in etag) was read before the cards: an answer may repeat a change, never
        # miss one.
        delta = changes.card_delta(connection, phone.group_id, held.version) if held else None
    if delta is None:
        return phone, _full_board(code)
    return phone, live_response(etag, lambda: _delta_answer(code, phone, held, delta))


@participant_required
def _full_board(code):
    """Answer with the whole board (a phone that holds no recent version of it)."""
    group_id = g.participant.group_id
    # The version is read before the cards: an answer may repeat a change, never miss one.
    etag = board_etag(group_id)
    timer = phases.state(g.forum, g.participant.group)
    return live_response(etag, lambda: answer(regions=_board_regions(code, group_id), timer=timer))


def _own_card(card_id: int) -> Card:
    card = db.session.get(Card, card_id)
    if card is None or card.participant_id != g.participant.id:
        abort(403)
    return card


@bp.route("/<code>/cards/<int:card_id>/edit", methods=["GET", "POST"])
@participant_required
def edit_card(code, card_id):
    """Edit one of the participant's own cards; a conflicting edit keeps both texts visible."""
    card = _own_card(card_id)
    form = EditCardForm(obj=card) if request.method == "GET" else EditCardForm()
    if form.validate_on_submit():
        try:
            cards.edit_card(card, form.text.data, form.quadrant.data, form.version.data)
        except cards.StaleEdit:
            form.version.data = card.version
            return render_template(
                "participant/edit_card.html", form=form, card=card, forum=g.forum, conflict=True
            ), 409
        flash(_("Karte gespeichert."))
        return redirect(url_for(".board", code=code, q=card.quadrant, _anchor=f"card-{card.id}"))
    status = 422 if form.is_submitted() else 200
    return render_template(
        "participant/edit_card.html", form=form, card=card, forum=g.forum
    ), status


@bp.post("/<code>/cards/<int:card_id>/delete")
@participant_required
def delete_card(code, card_id):
    """Delete one of the participant's own cards; a repeated delete finds it gone and says so."""
    if db.session.get(Card, card_id) is None:
        flash(_("Karte gelöscht."))
        return redirect(url_for(".board", code=code))
    card = _own_card(card_id)
    quadrant = card.quadrant
    cards.delete_card(card)
    flash(_("Karte gelöscht."))
    return redirect(url_for(".board", code=code, q=quadrant, _anchor=f"q-{quadrant}"))

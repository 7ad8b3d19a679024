"""Who is this phone? Forum lookup by join code and participant lookup by session token."""

from functools import wraps

from flask import g, redirect, render_template, session, url_for

from forum.services import joining


def remember(forum_id: int, token: str) -> None:
    """Keep the phone's token for this forum in its session cookie."""
    tokens = dict(session.get("tokens", {}))
    tokens[str(forum_id)] = token
    session["tokens"] = tokens
    session.permanent = True


def session_token(forum_id: int) -> str | None:
    """Return the token this phone holds for a forum, if any."""
    return session.get("tokens", {}).get(str(forum_id))


def session_tokens() -> dict[str, str]:
    """Return every token this phone holds, by forum id."""
    return session.get("tokens", {})


def participant_required(view):
    """Load g.forum and g.participant from the URL's code and the session, or send to join."""

    @wraps(view)
    def wrapped(code, **kwargs):
        if not load_participant(code):
            return not_joined(code)
        return view(code, **kwargs)

    return wrapped


def load_participant(code: str) -> bool:
    """Set g.forum and g.participant for this phone in this forum; False if it has not joined."""
    participant = joining.participant_by_code(code, session_tokens())
    if participant is None:
        return False
    g.forum, g.participant = participant.forum, participant
    return True


def not_joined(code: str):
    """Answer a phone that has not joined this forum: to the join page, if the forum is open."""
    forum = joining.forum_by_code(code, open_only=False)
    # A closed forum answers strangers like an unknown code: codes cannot be probed.
    if forum is None or not forum.is_open:
        return unavailable()
    return redirect(url_for("participant.join", code=code))


def unavailable():
    """Answer unknown and closed forums alike, so codes cannot be probed."""
    return render_template("participant/unavailable.html"), 404

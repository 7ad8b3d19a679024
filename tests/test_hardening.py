"""Hardening: HSTS behind HTTPS, participant pages kept out of shared caches, a long enough
SECRET_KEY under gunicorn, the CSV's charset said once."""

import pytest

from tests.benchmarks import server
from tests.conftest import app_on, create_forum
from tests.forms import form

HSTS = "max-age=31536000"


@pytest.fixture
def https_app(database, tmp_path):
    """The app as deployed behind an HTTPS proxy."""
    yield from app_on(database, tmp_path, PUBLIC_URL="https://localhost")


def test_behind_https_every_answer_asks_for_https_polls_and_outbox_cards_too(https_app):
    forum = create_forum()
    phone = https_app.test_client()
    _, joined = form(phone.get(f"/j/{forum.join_code}").text, org_type="volunteer")
    assert phone.post(f"/j/{forum.join_code}", data=joined).status_code == 302
    for path in ("/login", f"/j/{forum.join_code}/board", "/healthz"):
        assert phone.get(path).headers["Strict-Transport-Security"] == HSTS, path

    live = f"/j/{forum.join_code}/board/live"
    etag = phone.get(live).headers["ETag"]
    unchanged = phone.get(live, headers={"If-None-Match": etag})
    assert unchanged.status_code == 304
    assert unchanged.headers["Strict-Transport-Security"] == HSTS

    data = {
        "csrf_token": joined["csrf_token"],
        "quadrant": "strength",
        "text": "Sprachcafés im Stadtteil",
        "client_key": "k" * 22,
    }
    for _ in range(2):  # the second is a retry
        stored = phone.post(
            f"/j/{forum.join_code}/cards", data=data, headers={"Accept": "application/json"}
        )
        assert stored.status_code == 200 and stored.json["ok"] is True
        assert stored.headers["Strict-Transport-Security"] == HSTS


def test_without_https_no_hsts(client, make_forum):
    forum = make_forum()
    assert "Strict-Transport-Security" not in client.get(f"/j/{forum.join_code}").headers


def test_participant_pages_stay_out_of_shared_caches_and_are_revalidated(
    make_forum, join_as_participant
):
    forum = make_forum()
    phone, _ = join_as_participant(forum)
    for page in ("group", "board", "measures"):
        response = phone.get(f"/j/{forum.join_code}/{page}")
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "no-cache, private", page
    # The join form carries the phone's new token: it is never stored at all.
    other = make_forum()
    assert phone.get(f"/j/{other.join_code}").headers["Cache-Control"] == "no-store"


def test_the_csv_download_says_its_charset_once(planner, make_forum):
    forum = make_forum()
    for what in ("karten", "massnahmen"):
        response = planner.get(f"/planner/forums/{forum.slug}/{what}.csv")
        assert response.status_code == 200
        assert response.headers.getlist("Content-Type") == ["text/csv; charset=utf-8"]


def test_gunicorn_refuses_a_secret_key_shorter_than_32_bytes(tmp_path):
    log, env = tmp_path / "gunicorn.log", {"DATABASE_URL": f"sqlite:///{tmp_path / 'f.sqlite3'}"}
    short = {**env, "SECRET_KEY": "k" * 31}
    try:
        process = server.start("forum.wsgi:app", server.free_port(), short, log)
    except RuntimeError as error:
        assert "gunicorn exited" in str(error)
    else:
        server.stop(process)
        pytest.fail("gunicorn served with a 31-byte SECRET_KEY")
    assert "SECRET_KEY is too short" in log.read_text()

    # 32 bytes, such as 16 characters of two bytes each, will do.
    enough = {**env, "SECRET_KEY": "ä" * 16}
    server.stop(server.start("forum.wsgi:app", server.free_port(), enough, log))

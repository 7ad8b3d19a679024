"""Planners create, edit and delete accounts in the console; nobody locks the planners out."""

import re

from forum.extensions import db
from forum.models import User
from tests.conftest import TEST_PASSWORD, TEST_PASSWORD_HASH, sign_in
from tests.forms import form


def test_planner_creates_a_moderator_who_can_then_sign_in(planner, app):
    page = planner.get("/planner/accounts").text
    _, data = form(
        page,
        "",
        username="Lorenz",
        display_name="Fr. Lorenz",
        role="moderator",
        password="ein-langes-passwort",
    )
    assert planner.post("/planner/accounts", data=data).status_code == 302
    user = db.session.execute(db.select(User).filter_by(username="lorenz")).scalar_one()
    assert user.role == "moderator" and user.check_password("ein-langes-passwort")
    assert "Fr. Lorenz" in planner.get("/planner/accounts").text


def test_a_seeded_moderator_gets_a_password_through_bearbeiten(planner, make_forum):
    make_forum()
    page = planner.get("/planner/accounts").text
    assert "Fr. Heyde" in page and "noch kein Passwort" in page
    heyde = db.session.execute(db.select(User).filter_by(username="heyde")).scalar_one()
    assert f'href="/planner/accounts/{heyde.id}/edit"' in page
    _, data = form(planner.get(f"/planner/accounts/{heyde.id}/edit").text, "/edit")
    assert data["role"] == "moderator"
    data["password"] = "ein-langes-passwort"
    assert planner.post(f"/planner/accounts/{heyde.id}/edit", data=data).status_code == 302
    db.session.expire_all()
    assert heyde.role == "moderator" and heyde.check_password("ein-langes-passwort")
    assert heyde.display_name == "Fr. Heyde"


def test_short_passwords_are_refused_with_a_message(planner):
    page = planner.get("/planner/accounts").text
    _, data = form(page, "", username="neu", display_name="Neu", role="moderator", password="kurz")
    response = planner.post("/planner/accounts", data=data)
    assert response.status_code == 422
    assert "aria-invalid" in response.text
    assert (
        db.session.execute(db.select(User).filter_by(username="neu")).scalar_one_or_none() is None
    )


def account(username: str) -> User | None:
    db.session.expire_all()
    return db.session.execute(db.select(User).filter_by(username=username)).scalar_one_or_none()


def add_account(username: str, role: str, password="altes-passwort-123") -> User:
    user = User(username=username, display_name=f"Konto {username}", role=role)
    user.password_hash = TEST_PASSWORD_HASH if password == TEST_PASSWORD else None
    if password != TEST_PASSWORD:
        user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return user


def edit_url(user: User) -> str:
    return f"/planner/accounts/{user.id}/edit"


def test_the_edit_form_shows_the_current_role_and_a_blank_password_keeps_it(planner):
    other = add_account("zweite", "planner")
    version = other.session_version
    page = planner.get(edit_url(other)).text
    assert re.search(r'<option selected value="planner">|<option value="planner" selected', page)
    _, data = form(page, "/edit", display_name="Zweite Planerin")
    assert data["password"] == "" and data["role"] == "planner"
    assert planner.post(edit_url(other), data=data).status_code == 302
    other = account("zweite")
    assert (other.display_name, other.role) == ("Zweite Planerin", "planner")
    assert other.check_password("altes-passwort-123") and other.session_version == version


def test_a_new_password_is_set_only_when_typed(planner):
    moderator = add_account("kuehn", "moderator")
    _, data = form(planner.get(edit_url(moderator)).text, "/edit", password="ganz-neues-passwort")
    assert planner.post(edit_url(moderator), data=data).status_code == 302
    moderator = account("kuehn")
    assert moderator.role == "moderator" and moderator.check_password("ganz-neues-passwort")


def test_another_planner_can_be_demoted_and_deleted(planner):
    other = add_account("zweite", "planner")
    _, data = form(planner.get(edit_url(other)).text, "/edit", role="moderator")
    assert planner.post(edit_url(other), data=data).status_code == 302
    assert account("zweite").role == "moderator"
    _, data = form(planner.get(edit_url(other)).text, "/delete", confirm="y")
    assert planner.post(f"/planner/accounts/{other.id}/delete", data=data).status_code == 302
    assert account("zweite") is None


def test_a_planner_cannot_demote_or_delete_their_own_account(planner):
    me = account("planung")
    page = planner.get(edit_url(me)).text
    assert 'name="confirm"' not in page and '<select id="role"' not in page
    assert "nur eine andere Person mit Planung" in page
    # A hand-made request is refused by the service as well: nothing changes, the session holds.
    _, data = form(page, "/edit", role="moderator")
    response = planner.post(edit_url(me), data=data)
    assert response.status_code == 422
    assert "Die eigene Rolle kann nur eine andere Person mit Planung ändern." in response.text
    data = {"csrf_token": data["csrf_token"], "confirm": "y"}
    response = planner.post(f"/planner/accounts/{me.id}/delete", data=data)
    assert response.status_code == 422
    assert "Das eigene Konto kann nur eine andere Person mit Planung löschen." in response.text
    me = account("planung")
    assert me is not None and me.role == "planner"
    assert planner.get("/planner/accounts").status_code == 200


def test_deleting_needs_the_confirmation(planner):
    moderator = add_account("kuehn", "moderator")
    _, data = form(planner.get(edit_url(moderator)).text, "/delete")
    response = planner.post(f"/planner/accounts/{moderator.id}/delete", data=data)
    assert response.status_code == 422 and "Bitte bestätigen Sie das Löschen." in response.text
    assert account("kuehn") is not None


def test_a_deleted_moderator_leaves_their_groups_without_moderation(planner, make_forum):
    forum = make_forum()
    heyde = account("heyde")
    _, data = form(planner.get(edit_url(heyde)).text, "/delete", confirm="y")
    assert planner.post(f"/planner/accounts/{heyde.id}/delete", data=data).status_code == 302
    db.session.expire_all()
    assert account("heyde") is None
    assert [g.moderator is None for g in forum.groups] == [False, True, False, False]


def test_the_create_form_does_not_replace_an_existing_account(planner):
    moderator = add_account("kuehn", "moderator")
    _, data = form(
        planner.get("/planner/accounts").text,
        "",
        username="kuehn",
        display_name="Jemand anders",
        role="planner",
        password="ein-anderes-passwort",
    )
    response = planner.post("/planner/accounts", data=data)
    assert response.status_code == 422 and "Dieses Konto gibt es schon" in response.text
    kept = account("kuehn")
    assert (kept.display_name, kept.role) == (moderator.display_name, "moderator")
    assert kept.check_password("altes-passwort-123")


def test_a_new_own_password_ends_other_sessions_but_not_this_one(planner, app):
    elsewhere = app.test_client()
    sign_in(elsewhere, "planung", TEST_PASSWORD)
    me = account("planung")
    _, data = form(planner.get(edit_url(me)).text, "/edit", password="mein-neues-passwort")
    assert planner.post(edit_url(me), data=data).status_code == 302
    assert planner.get("/planner/accounts").status_code == 200
    assert elsewhere.get("/planner/accounts").status_code == 302  # to the sign-in
    assert account("planung").check_password("mein-neues-passwort")

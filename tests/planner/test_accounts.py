"""Planners create moderator accounts and set passwords from the console."""

from forum.extensions import db
from forum.models import User
from tests.forms import form


def test_planner_creates_a_moderator_who_can_then_sign_in(planner, app, make_forum):
    make_forum()
    page = planner.get("/planner/accounts").text
    assert "Fr. Heyde" in page and "noch kein Passwort" in page
    _, data = form(
        page,
        "",
        username="Heyde",
        display_name="Fr. Heyde",
        role="moderator",
        password="ein-langes-passwort",
    )
    assert planner.post("/planner/accounts", data=data).status_code == 302
    user = db.session.execute(db.select(User).filter_by(username="heyde")).scalar_one()
    assert user.role == "moderator" and user.check_password("ein-langes-passwort")
    assert "Fr. Heyde" in planner.get("/planner/accounts").text


def test_short_passwords_are_refused_with_a_message(planner):
    page = planner.get("/planner/accounts").text
    _, data = form(page, "", username="neu", display_name="Neu", role="moderator", password="kurz")
    response = planner.post("/planner/accounts", data=data)
    assert response.status_code == 422
    assert "aria-invalid" in response.text
    assert (
        db.session.execute(db.select(User).filter_by(username="neu")).scalar_one_or_none() is None
    )

"""`forum user`: changes only what is given, and never leaves the installation without a planner."""

import pytest

from forum.cli import main
from forum.extensions import db
from forum.models import User


def user(username: str) -> User | None:
    db.session.expire_all()
    return db.session.execute(db.select(User).filter_by(username=username)).scalar_one_or_none()


def forum_user(app, *arguments):
    return app.test_cli_runner().invoke(main, ["user", *arguments])


@pytest.fixture
def only_planner(app):
    result = forum_user(app, "add", "planung", "--name", "Sozialplanung", "--password", "p" * 12)
    assert result.exit_code == 0, result.output
    return user("planung")


def test_the_last_planner_cannot_be_demoted(app, only_planner):
    version = only_planner.session_version
    result = forum_user(app, "add", "planung", "--role", "moderator", "--password", "q" * 12)
    assert result.exit_code == 1
    assert result.output.strip() == (
        "Fehler: planung ist das letzte Konto mit Planung und bleibt es: zuerst ein weiteres "
        "Konto mit Planung anlegen."
    )
    kept = user("planung")
    assert kept.role == "planner" and kept.check_password("p" * 12)
    assert kept.session_version == version


def test_the_last_planner_cannot_be_deleted(app, only_planner):
    result = forum_user(app, "delete", "planung")
    assert result.exit_code == 1 and "letzte Konto mit Planung" in result.output
    assert "Traceback" not in result.output and user("planung") is not None


def test_with_a_second_planner_one_can_be_demoted_and_deleted(app, only_planner):
    assert forum_user(app, "add", "zweite", "--password", "z" * 12).exit_code == 0
    assert user("zweite").role == "planner"  # a new account without --role plans
    result = forum_user(app, "add", "planung", "--role", "moderator", "--password", "p" * 12)
    assert result.exit_code == 0, result.output
    assert user("planung").role == "moderator"
    assert forum_user(app, "delete", "planung").exit_code == 0
    assert user("planung") is None
    assert forum_user(app, "delete", "zweite").exit_code == 1  # now the last one
    assert user("zweite").role == "planner"


def test_setting_a_password_keeps_name_and_role(app, only_planner):
    assert (
        forum_user(
            app,
            "add",
            "heyde",
            "--name",
            "Fr. Heyde",
            "--role",
            "moderator",
            "--password",
            "h" * 12,
        ).exit_code
        == 0
    )
    result = forum_user(app, "add", "heyde", "--password", "n" * 12)
    assert result.exit_code == 0, result.output
    heyde = user("heyde")
    assert (heyde.display_name, heyde.role) == ("Fr. Heyde", "moderator")
    assert heyde.check_password("n" * 12)


def test_deleting_an_unknown_account_says_so_in_one_line(app, only_planner):
    result = forum_user(app, "delete", "niemand")
    assert result.exit_code == 1
    assert result.output.strip() == "Fehler: Konto niemand gibt es nicht."

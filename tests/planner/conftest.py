"""Fixtures shared by the planner tests: the demo, its planner, its whole-process PDF."""

import pytest

from forum.cli import main, prepare_demo
from forum.extensions import db
from forum.models import Process, User
from forum.services.auswertung import workspace
from tests.conftest import TEST_PASSWORD, TEST_PASSWORD_HASH, app_on, sign_in


@pytest.fixture
def demo(app):
    """The Dresden process with the sample results of the 1. Themenforum."""
    prepare_demo(sample=True)
    return db.session.execute(db.select(Process)).scalar_one()


@pytest.fixture
def demo_planner(app, demo):
    """A browser signed in as the demo's planner (the demo gave the account a new password)."""
    account = db.session.execute(db.select(User).filter_by(username="planung")).scalar_one()
    account.password_hash = TEST_PASSWORD_HASH
    db.session.commit()
    browser = app.test_client()
    sign_in(browser, "planung", TEST_PASSWORD)
    return browser


def prepare_demo_process() -> Process:
    """Load the demo with its samples and return its process."""
    prepare_demo(sample=True)
    return db.session.execute(db.select(Process)).scalar_one()


@pytest.fixture(scope="session")
def whole_process_pdf(database, tmp_path_factory):
    """The demo's whole-process PDF, written by `forum export pdf`."""
    folder = tmp_path_factory.mktemp("pdf")
    out = folder / "gesamt.pdf"
    for app in app_on(database, folder):
        process = prepare_demo_process()
        # A planner marks the widest themes, so the SWOT tables are in the document too.
        for quadrant in workspace.workspace(process):
            for item in quadrant.themes[:2]:
                workspace.mark(item.theme, True, item.theme.version)
        result = app.test_cli_runner().invoke(main, ["export", "pdf", "--out", str(out)])
        assert result.exit_code == 0, result.output
    return out

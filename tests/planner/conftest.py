"""Fixtures shared by the planner tests: the demo's whole-process PDF, converted once."""

import pytest

from forum.cli import main, prepare_demo
from tests.conftest import app_on


@pytest.fixture(scope="session")
def whole_process_pdf(database, tmp_path_factory):
    """The demo's whole-process PDF, written by `forum export pdf`."""
    folder = tmp_path_factory.mktemp("pdf")
    out = folder / "gesamt.pdf"
    for app in app_on(database, folder):
        prepare_demo(sample=True)
        result = app.test_cli_runner().invoke(main, ["export", "pdf", "--out", str(out)])
        assert result.exit_code == 0, result.output
    return out

"""The health check tells a load balancer whether the database answers."""

from forum import create_app
from tests.dbutil import app_config


def test_healthz_answers_200_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}


def test_healthz_answers_503_when_the_database_is_unreachable(tmp_path):
    # A database file inside a missing folder cannot be opened.
    app = create_app(app_config(f"sqlite:///{tmp_path}/missing/forum.sqlite3"))
    response = app.test_client().get("/healthz")
    assert response.status_code == 503

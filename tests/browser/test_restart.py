"""A server restart mid-forum: phones and consoles reconnect by themselves, typed text stays."""

import threading
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from forum import create_app
from forum.extensions import db
from forum.models import Card, Participant
from forum.services import cards
from tests import dbutil
from tests.browser.conftest import PHONE, join, open_quadrant, sign_in
from tests.conftest import create_forum

pytestmark = pytest.mark.browser
PASSWORD = "richtig-gutes-passwort"


class Server:
    """The app served on a fixed port, which can be stopped and started again like a process."""

    def __init__(self, uri: str):
        self.uri, self.port, self.server = uri, 0, None

    def start(self):
        self.app = create_app(dbutil.app_config(self.uri))
        self.server = make_server("127.0.0.1", self.port, self.app, threaded=True)
        self.port = self.server.server_port
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
        with self.app.app_context():
            db.engine.dispose()


@pytest.fixture
def server(tmp_path):
    served = Server(dbutil.migrated_database("_restart", tmp_path))
    served.start()
    yield served
    served.stop()


def test_phone_and_console_reconnect_after_a_restart_and_keep_typed_text(server, browser):
    with server.app.app_context():
        forum = create_forum(groups=[("Orange", "#E8710A", "E05", "beitz", "Hr. Beitz")])
        code = forum.join_code
        forum.groups[0].moderator.set_password(PASSWORD)
        db.session.commit()
    base = f"http://127.0.0.1:{server.port}"
    phone_context = browser.new_context(base_url=base, locale="de-DE", **PHONE)
    desk_context = browser.new_context(base_url=base, locale="de-DE")
    try:
        phone = phone_context.new_page()
        join(phone, SimpleNamespace(join_code=code))
        phone.goto(f"/j/{code}/board")
        console = desk_context.new_page()
        sign_in(console, "beitz", PASSWORD, "**/moderation/")
        with server.app.app_context():
            group_id = db.session.execute(db.select(Participant.group_id)).scalar_one()
        console.goto(f"/moderation/groups/{group_id}")
        typed = "Mehr Sprachkurse am Abend"
        open_quadrant(phone, "Risiken")
        phone.locator("#q-threat textarea").fill(typed)

        server.stop()
        phone.wait_for_timeout(3000)  # polls fail meanwhile: the server is gone
        server.start()

        with server.app.app_context():
            cards.store_card(
                group_id, "threat", "Nach dem Neustart notiert", "after-restart-key-000"
            )
        expect(phone.get_by_text("Nach dem Neustart notiert", exact=True)).to_be_visible(
            timeout=10000
        )
        expect(console.get_by_text("Nach dem Neustart notiert", exact=True)).to_be_visible(
            timeout=10000
        )
        expect(phone.locator("#q-threat textarea")).to_have_value(typed)
        phone.locator("#q-threat").get_by_role("button", name="Karte hinzufügen").click()
        expect(phone.get_by_text(typed, exact=True)).to_be_visible()
        for _ in range(50):  # the send may still be on its way when the card shows as pending
            with server.app.app_context():
                texts = db.session.execute(db.select(Card.text)).scalars().all()
            if len(texts) == 2:
                break
            phone.wait_for_timeout(100)
        phone.wait_for_timeout(1000)  # and nothing arrives twice
        with server.app.app_context():
            texts = db.session.execute(db.select(Card.text)).scalars().all()
        assert sorted(texts) == sorted(["Nach dem Neustart notiert", typed])
    finally:
        phone_context.close()
        desk_context.close()

"""The people in the room, as HTTP clients: phones that join and write cards, staff that watch.

Everything here speaks plain HTTP to a running server, as browsers do: it reads the forms the
server sends (CSRF token, form keys), keeps cookies, and sends If-None-Match like live.js.
"""

import html
import re
import secrets
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import quote_plus

from tests.benchmarks.httpload import Answer, Client
from tests.forms import form

QUADRANTS = ("strength", "weakness", "opportunity", "threat")
OUTBOX_HEADERS = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"}
_ETAG = re.compile(r'data-etag="([^"]+)"')
_HOLD = re.compile(r'data-live-hold="([^"]+)"')
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
_KEY = re.compile(r'name="client_key"[^>]*value="([^"]+)"')
_GROUP = re.compile(r'class="group-chip">(.*?)</p>', re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


class Record:
    """Latencies and failures per kind of request, from all threads."""

    def __init__(self):
        self.seconds: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, list[str]] = defaultdict(list)
        self.acknowledged: list[str] = []
        self.lock = threading.Lock()

    def check(self, kind: str, answer: Answer, *expected: int) -> Answer:
        """Count the answer under `kind`; an unexpected status is an error."""
        self.seconds[kind].append(answer.seconds)
        if answer.status not in expected:
            with self.lock:
                self.errors[kind].append(f"{answer.status} {answer.body[:200]!r}")
        return answer

    def fail(self, kind: str, error: Exception) -> None:
        """Count a request that got no answer at all."""
        with self.lock:
            self.errors[kind].append(repr(error))


@dataclass
class Phone:
    """A participant's phone after joining: its browser, CSRF token, next form key and ETag."""

    number: int
    client: Client
    code: str
    csrf: str = ""
    key: str = ""
    etag: str = ""
    # The group as the page names it ("Gruppe Orange · Raum E05"): whose cards the board shows.
    group: str = ""
    cards: list[str] = field(default_factory=list)
    # live.js polls beside the page's own requests: a second connection with the same cookies.
    poller: Client | None = None
    # Seconds the server may hold a board poll, as the board page tells live.js (0: no holding).
    hold: float = 0.0

    def __post_init__(self):
        self.poller = Client(self.client.host, self.client.port, self.client.cookies)

    def read_board(self, page: str) -> None:
        """Take the CSRF token, a fresh form key and the board's version from a board page."""
        self.csrf = _CSRF.search(page).group(1)
        self.key = _KEY.search(page).group(1)
        self.etag = html.unescape(_ETAG.search(page).group(1))
        hold = _HOLD.search(page)
        self.hold = float(hold.group(1)) if hold else 0.0
        self.group = " ".join(html.unescape(_TAG.sub("", _GROUP.search(page).group(1))).split())


class NotJoined(Exception):
    """The join form was refused: the phone never got a group."""


def join(port: int, code: str, number: int, record: Record) -> Phone:
    """Scan the QR code: open the join page, send the form, follow to the group and the board."""
    client = Client("127.0.0.1", port)
    page = record.check("Beitritt: Seite", client.get(f"/j/{code}"), 200)
    org_type = ("full_time", "volunteer", "migrant_org", "administration", "other")[number % 5]
    _, data = form(page.body.decode(), org_type=org_type)
    joined = record.check("Beitritt: Formular", client.post(f"/j/{code}", data), 302)
    if joined.status != 302:
        raise NotJoined(joined.status)  # counted once above; the phone has no seat to follow
    record.check("Gruppenseite", client.get(joined.location), 200)
    phone = Phone(number, client, code)
    phone.read_board(record.check("Board-Seite", client.get(f"/j/{code}/board"), 200).body.decode())
    return phone


def card_text(phone_number: int, count: int) -> str:
    """A unique, realistic card text the DOCX check can find again."""
    return f"Lastkarte {phone_number}-{count}: Ehrenamtliche Sprachpatenschaften im Stadtteil"


def post_card(phone: Phone, text: str, record: Record, *, follow: bool) -> bool:
    """Send the board's form without JavaScript, then (with `follow`) load the board it leads to."""
    data = _card_form(phone, text, phone.key if follow else secrets.token_urlsafe(16))
    answer = record.check(
        "Karte (Formular)", phone.client.post(f"/j/{phone.code}/cards", data), 302
    )
    if answer.status != 302:
        return False
    _acknowledged(phone, text, record)
    if follow:
        page = record.check("Board-Seite", phone.client.get(answer.location), 200)
        phone.read_board(page.body.decode())
    return True


def send_card(phone: Phone, text: str, record: Record) -> bool:
    """Send a card as the phone's outbox (outbox.js) does: the form's fields, asking for JSON."""
    # outbox.js makes a fresh key for each card it queues. The body is spelled out rather than
    # urlencode()d: the generator shares the two cores with the server it measures.
    quadrant = QUADRANTS[len(phone.cards) % 4]
    key = secrets.token_urlsafe(16)
    body = f"csrf_token={quote_plus(phone.csrf)}&quadrant={quadrant}&text={quote_plus(text)}"
    answer = phone.client.request(
        "POST", f"/j/{phone.code}/cards", f"{body}&client_key={key}".encode(), OUTBOX_HEADERS
    )
    record.check("Karte senden", answer, 200)
    if answer.status != 200 or b'"ok":true' not in answer.body:
        return False
    _acknowledged(phone, text, record)
    return True


def _card_form(phone: Phone, text: str, key: str) -> dict[str, str]:
    quadrant = QUADRANTS[len(phone.cards) % 4]
    return {"csrf_token": phone.csrf, "quadrant": quadrant, "text": text, "client_key": key}


def _acknowledged(phone: Phone, text: str, record: Record) -> None:
    phone.cards.append(text)
    with record.lock:
        record.acknowledged.append(text)


def poll_board(phone: Phone, record: Record) -> None:
    """Ask for the board's live regions with the version the phone holds."""
    headers = {"If-None-Match": phone.etag} if phone.etag else {}
    answer = phone.poller.get(f"/j/{phone.code}/board/live", headers)
    if answer.status == 304:
        record.check("Board-Abfrage 304", answer, 304)
    else:
        record.check("Board-Abfrage 200", answer, 200)
        phone.etag = answer.etag or phone.etag


@dataclass
class Watcher:
    """A signed-in console or projector that polls one live URL."""

    client: Client
    url: str
    kind: str
    etag: str = ""

    def poll(self, record: Record) -> None:
        """Poll once with the version held."""
        headers = {"If-None-Match": self.etag} if self.etag else {}
        answer = record.check(self.kind, self.client.get(self.url, headers), 200, 304)
        self.etag = answer.etag or self.etag


def sign_in(port: int, username: str, password: str, record: Record) -> Client:
    """Sign in through the login form."""
    client = Client("127.0.0.1", port)
    page = record.check("Anmeldung", client.get("/login"), 200)
    _, data = form(page.body.decode(), username=username, password=password)
    record.check("Anmeldung", client.post("/login", data), 302)
    return client


def every(seconds: float, until: float, action, offset: float = 0.0) -> None:
    """Run `action` every `seconds` (like a browser timer) until the monotonic time `until`."""
    due = time.monotonic() + offset
    while due < until:
        time.sleep(max(0.0, due - time.monotonic()))
        action()
        due += seconds

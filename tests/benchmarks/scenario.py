"""The room of issue 15 from outside: every joined phone polls its board, some write cards.

Every phone polls its board as live.js does, with If-None-Match and the ETag it holds, taking
the new ETag from each 200. When the board page offers held polls (data-live-hold), a poll
whose board is current waits on the server for the group's next change (?wait=), and a poll
starts 1.5 s after the one before at the earliest; without, 1.5 s after each answer. While
the served timer.js still polls /timer on pages with live regions, each phone does that too,
every 5 s after each answer.
WRITERS phones send a card through the outbox every `card_seconds` (random within the range);
the moderator consoles and a projector poll their live regions the same way. Latencies count
for requests sent inside the measured window (after a warm-up); polls go on after it until the
window's cards have reached every group-mate, or for at most a drain time.
"""

import dataclasses
import json
import os
import random
import resource
import threading
import time
from collections import defaultdict
from dataclasses import dataclass

import psycopg

from tests.benchmarks import cpu, room
from tests.benchmarks.httpload import Client
from tests.benchmarks.visibility import Acknowledged, Sightings, card_id, delays, percentiles

WRITERS = 50
POLL_SECONDS, TIMER_SECONDS = 1.5, 5.0
# The kind under which held board polls count their wait for news (ms in the report).
HELD = "Board-Abfrage gehalten: Wartezeit"


@dataclass(frozen=True)
class Pace:
    """One run of the room: how often writers write, its warm-up, window and longest drain."""

    card_seconds: tuple[float, float]
    warm_up: float
    measured: float
    drain: float


@dataclass
class Watcher:
    """A console or projector: a signed-in client polling one live URL."""

    client: Client
    url: str
    kind: str
    etag: str = ""


class Window:
    """The measured window: requests sent inside it count; errors count always."""

    def __init__(self, start: float, end: float):
        self.start, self.end = start, end
        self.record, self.outside = room.Record(), room.Record()

    def record_for(self, sent: float) -> room.Record:
        """The record a request sent at `sent` belongs to."""
        return self.record if self.start <= sent < self.end else self.outside


def timer_polls(port: int) -> bool:
    """Tell whether the served timer.js polls /timer beside live.js on a board page.

    The new timer.js takes the phase from live.js's answers and polls only on pages without
    live regions (it names the [data-live-url] root); the old one polls every 5 s everywhere.
    """
    script = Client("127.0.0.1", port).get("/static/js/timer.js").body
    return b"data-live-url" not in script


def watchers(port: int, groups: list, password: str, record: room.Record) -> list[Watcher]:
    """Each group's moderator on the console and the planner on the first group's projector."""
    consoles = [
        Watcher(
            room.sign_in(port, name, password, record), f"/moderation/groups/{gid}/live", "Konsole"
        )
        for gid, name in groups
    ]
    projector = room.sign_in(port, "planung", password, record)
    url = f"/moderation/groups/{groups[0][0]}/projector/live"
    return [*consoles, Watcher(projector, url, "Beamer")]


def run(
    phones: list[room.Phone],
    staff: list[Watcher],
    pace: Pace,
    server_pid: int,
    database: str,
    *,
    timer: bool,
    seed: int,
) -> dict:
    """Run the room once at `pace`; return latencies, visibility, CPU and load figures."""
    start = time.monotonic()
    window = Window(start + pace.warm_up, start + pace.warm_up + pace.measured)
    # Polls end when the window's cards reached every group-mate, at the latest after the drain.
    stopped = threading.Event()
    sightings, acknowledged = Sightings(), []
    members = defaultdict(list)
    for phone in phones:
        members[phone.group].append(phone.number)
    usage = {}

    def poll_phone(phone: room.Phone, rng: random.Random) -> None:
        timer_client = Client(phone.client.host, phone.client.port, phone.client.cookies)
        due = {"board": start + rng.uniform(0, POLL_SECONDS)}
        if timer:
            due["timer"] = start + rng.uniform(0, TIMER_SECONDS)
        while True:
            kind = min(due, key=due.get)
            if stopped.wait(max(0.0, due[kind] - time.monotonic())):
                return
            sent = time.monotonic()
            record = window.record_for(sent)
            try:
                if kind == "board":
                    _poll_board(phone, record, sightings)
                else:
                    record.check("Timer-Abfrage", timer_client.get(f"/j/{phone.code}/timer"), 200)
            except OSError as error:
                record.fail("Board-Abfrage" if kind == "board" else "Timer-Abfrage", error)
            if kind == "board" and phone.hold:
                # As live.js: a held poll's own wait counts towards the 1.5 s between polls.
                due[kind] = sent + POLL_SECONDS
            else:
                due[kind] = time.monotonic() + (POLL_SECONDS if kind == "board" else TIMER_SECONDS)

    def write(phone: room.Phone, rng: random.Random) -> None:
        due = start + rng.uniform(0, pace.card_seconds[1])
        while due < window.end:
            time.sleep(max(0.0, due - time.monotonic()))
            sent = time.monotonic()
            text = room.card_text(phone.number, len(phone.cards))
            try:
                stored = room.send_card(phone, text, window.record_for(sent))
            except OSError as error:
                window.record_for(sent).fail("Karte senden", error)
                stored = False
            if stored and window.start <= sent:
                acknowledged.append(
                    Acknowledged(card_id(text), phone.number, phone.group, time.monotonic())
                )
            due += rng.uniform(*pace.card_seconds)

    def watch(watcher: Watcher, rng: random.Random) -> None:
        due = start + rng.uniform(0, POLL_SECONDS)
        while not stopped.wait(max(0.0, due - time.monotonic())):
            record = window.record_for(time.monotonic())
            try:
                _poll_watcher(watcher, record)
            except OSError as error:
                record.fail(watcher.kind, error)
            due = time.monotonic() + POLL_SECONDS

    def drain(writers: list[threading.Thread]) -> None:
        for writer in writers:  # a post sent just before the window's end is in
            writer.join()
        while time.monotonic() < window.end + pace.drain:
            with sightings.lock:
                if not delays(acknowledged, sightings, members)[1]:
                    break
            time.sleep(0.25)
        stopped.set()

    def sample(name: str, at: float) -> None:
        time.sleep(max(0.0, at - time.monotonic()))
        usage[name] = _usage(server_pid, database)

    def spawn(job, subject, n: int) -> threading.Thread:
        return threading.Thread(target=job, args=(subject, random.Random(seed * 10_000 + n)))

    writers = [spawn(write, phone, n) for n, phone in enumerate(phones[:WRITERS])]
    threads = [spawn(poll_phone, phone, 100 + n) for n, phone in enumerate(phones)]
    threads += [spawn(watch, watcher, 1000 + n) for n, watcher in enumerate(staff)]
    threads += [
        *writers,
        threading.Thread(target=drain, args=(writers,)),
        threading.Thread(target=sample, args=("start", window.start)),
        threading.Thread(target=sample, args=("end", window.end)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seen, missing = delays(acknowledged, sightings, members)
    return {
        "kinds": _kinds(window.record, pace.measured),
        "errors_outside": _errors(window.outside),
        "visibility": {**percentiles(seen), "count": len(seen), "missing": missing},
        "cards": len(acknowledged),
        "groups": {name: len(numbers) for name, numbers in sorted(members.items())},
        **_spent(usage["start"], usage["end"]),
    }


def _poll_board(phone: room.Phone, record: room.Record, sightings: Sightings) -> None:
    headers = {"If-None-Match": phone.etag} if phone.etag else {}
    wait = f"?wait={phone.hold:g}" if phone.hold else ""
    answer = phone.poller.get(f"/j/{phone.code}/board/live{wait}", headers)
    if answer.held:
        # The wait is the phone's idle time, not the server's: the kinds below time the answer.
        record.seconds[HELD].append(answer.held)
        answer = dataclasses.replace(answer, seconds=answer.seconds - answer.held)
    if answer.status == 304:
        record.check("Board-Abfrage 304", answer, 304)
        return
    record.check("Board-Abfrage 200", answer, 200)
    if answer.status == 200:
        sightings.saw(phone.number, answer.body, time.monotonic())
        phone.etag = answer.etag or phone.etag


def _poll_watcher(watcher: Watcher, record: room.Record) -> None:
    headers = {"If-None-Match": watcher.etag} if watcher.etag else {}
    answer = watcher.client.get(watcher.url, headers)
    record.check(f"{watcher.kind} {answer.status}", answer, 200, 304)
    if answer.status == 200:
        watcher.etag = answer.etag or watcher.etag


def _usage(server_pid: int, database: str) -> dict:
    """Everything _spent() compares: clocks, the server's and the generator's CPU, load."""
    return {
        "wall": time.monotonic(),
        "server": cpu.group_seconds(server_pid),
        "database": cpu.processes_seconds(_backends(database)),
        "generator": sum(resource.getrusage(resource.RUSAGE_SELF)[:2]),
        "load": os.getloadavg(),
    }


def _spent(start: dict, end: dict) -> dict:
    wall = end["wall"] - start["wall"]
    database = cpu.spent(start["database"], end["database"])
    return {
        "server_cores": (end["server"] - start["server"]) / wall,
        "database_cores": database / wall if start["database"] or end["database"] else None,
        "generator_cores": (end["generator"] - start["generator"]) / wall,
        "load_start": start["load"],
        "load_end": end["load"],
    }


def _backends(database: str) -> list[int]:
    """Process ids of the PostgreSQL backends serving `database` (none for SQLite)."""
    if not database.startswith("postgresql"):
        return []
    url = database.replace("postgresql+psycopg://", "postgresql://", 1)
    with psycopg.connect(url) as connection:
        rows = connection.execute(
            "SELECT pid FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchall()
    return [pid for (pid,) in rows]


def _kinds(record: room.Record, seconds: float) -> dict:
    summary = {}
    for kind in sorted(set(record.seconds) | set(record.errors)):
        times = record.seconds.get(kind, [])
        figures = {key: value * 1000 for key, value in percentiles(times).items()}
        summary[kind] = {
            "count": len(times),
            "rps": len(times) / seconds,
            **figures,
            "errors": len(record.errors.get(kind, [])),
            "examples": record.errors.get(kind, [])[:3],
        }
    return summary


def _errors(record: room.Record) -> dict:
    return {
        kind: {"count": len(errors), "examples": errors[:3]}
        for kind, errors in record.errors.items()
        if errors
    }


def wire_size(phones: list[room.Phone], record: room.Record) -> dict:
    """One new card: the size of a group-mate's changed-board answer (headers and body)."""
    writer = phones[0]
    mate = next(phone for phone in phones[1:] if phone.group == writer.group)
    for _ in range(3):  # bring the mate's board up to date first
        answer = mate.poller.get(f"/j/{mate.code}/board/live", {"If-None-Match": mate.etag})
        if answer.status == 304:
            break
        mate.etag = answer.etag or mate.etag
    text = room.card_text(writer.number, len(writer.cards))
    room.send_card(writer, text, record)
    answer = record.check(
        "Board-Abfrage 200",
        mate.poller.get(f"/j/{mate.code}/board/live", {"If-None-Match": mate.etag}),
        200,
    )
    mate.etag = answer.etag or mate.etag
    try:
        data = json.loads(answer.body)
    except ValueError:
        data = {}
    return {
        "bytes": answer.size,
        "body_bytes": len(answer.body),
        "delta": bool(data.get("items")),
        "shows_card": card_id(text).encode() in answer.body,
    }

"""The load generator of bench_load.py, in its own process; prints its figures as JSON.

load.py hello PORT CONCURRENCY SECONDS      closed loop on hello world's /
load.py room PORT CONCURRENCY SETUP_JSON    join, the room at two paces, capacity, DOCX
"""

import io
import json
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks import room, scenario  # noqa: E402
from tests.benchmarks.httpload import Client  # noqa: E402

PHONES = 300
# Phones that join only for the capacity phase, unpaced.
CAPACITY_PHONES = 900
# Phase lengths; bench_load.py passes them (--short shortens them).
SECONDS = {"join": 30.0, "warm_up": 10.0, "measured": 60.0, "drain": 15.0, "capacity": 10.0}
# A realistic pace and a writing room (issue 15): each writer a card every so many seconds.
# The realistic room runs first, on boards of a real forum's size (some dozen cards a group);
# after the writing room each group's board holds over 2,000 cards, which no forum reaches.
CARD_SECONDS = {"realistic": (30.0, 60.0), "room": (4.0, 8.0)}


def figures(record: room.Record, seconds: float) -> dict:
    """Summarise each kind of request: count, requests/s over the phase, percentiles in ms."""
    summary = {}
    for kind, times in record.seconds.items():
        cuts = statistics.quantiles(times, n=100) if len(times) > 1 else times * 99
        summary[kind] = {
            "count": len(times),
            "rps": len(times) / seconds,
            "p50": cuts[49] * 1000,
            "p95": cuts[94] * 1000,
            "p99": cuts[98] * 1000,
            "errors": len(record.errors[kind]),
            "examples": record.errors[kind][:3],
        }
    for kind, errors in record.errors.items():
        if kind not in summary:
            summary[kind] = {"count": 0, "rps": 0, "p50": 0, "p95": 0, "p99": 0}
            summary[kind].update(errors=len(errors), examples=errors[:3])
    return summary


def closed_loop(threads: int, seconds: float, step) -> float:
    """Call step(thread_number) back to back in every thread for `seconds`; return the time."""
    stop = time.monotonic() + seconds

    def run(number: int) -> None:
        while time.monotonic() < stop:
            step(number)

    started = time.monotonic()
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(run, range(threads)))
    return time.monotonic() - started


def guarded(record: room.Record, kind: str, action):
    """Wrap an action so that a request without an answer counts as an error, not a crash."""

    def run(*args):
        try:
            action(*args)
        except OSError as error:
            record.fail(kind, error)

    return run


def join_all(port: int, code: str) -> tuple[list[room.Phone], dict]:
    """Let PHONES phones join, one every SECONDS["join"] / PHONES seconds."""
    return _join(port, code, range(PHONES), SECONDS["join"] / PHONES, workers=32)


def join_more(port: int, code: str, count: int) -> tuple[list[room.Phone], dict]:
    """Let `count` more phones join as fast as the server lets them, for the capacity phase."""
    return _join(port, code, range(PHONES, PHONES + count), 0.0, workers=16)


def _join(port: int, code: str, numbers: range, gap: float, workers: int):
    """Let the phones with these numbers join, the n-th `gap` seconds after the first."""
    record = room.Record()
    started = time.monotonic()

    def arrive(number: int) -> room.Phone | None:
        time.sleep(max(0.0, started + (number - numbers.start) * gap - time.monotonic()))
        try:
            return room.join(port, code, number, record)
        except (OSError, AttributeError) as error:
            record.fail("Beitritt: Formular", error)
            return None
        except room.NotJoined:
            return None

    with ThreadPoolExecutor(workers) as pool:
        phones = list(pool.map(arrive, numbers))
    return [phone for phone in phones if phone], figures(record, time.monotonic() - started)


def catch_up(phones: list[room.Phone]) -> None:
    """Let every phone fetch the boards that changed, as live.js would, before timing polls."""
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda phone: room.poll_board(phone, room.Record()), phones))


def capacity(phones: list[room.Phone], concurrency: int, hello_port: int) -> dict:
    """Hello world, polls that find nothing new and card posts, closed loop, interleaved.

    Each runs in two halves, in turns, so that a change in the machine's other load affects
    the baseline and the measured requests alike.
    """
    shares = [phones[n::concurrency] for n in range(concurrency)]
    turns = [0] * concurrency
    hellos = [Client("127.0.0.1", hello_port) for _ in range(concurrency)]
    records = {"Hello World": room.Record(), "polls": room.Record(), "cards": room.Record()}
    seconds = dict.fromkeys(records, 0.0)

    def next_phone(n: int) -> room.Phone:
        turns[n] += 1
        return shares[n][turns[n] % len(shares[n])]

    def hello(n: int) -> None:
        records["Hello World"].check("Hello World", hellos[n].get("/"), 200)

    def poll(n: int) -> None:
        room.poll_board(next_phone(n), records["polls"])

    def card(n: int) -> None:
        phone = next_phone(n)
        text = room.card_text(phone.number, len(phone.cards))
        room.send_card(phone, text, records["cards"])

    for _ in range(2):
        for name, step in (("Hello World", hello), ("polls", poll), ("cards", card)):
            if name == "polls":
                catch_up(phones)
            run = guarded(records[name], name, step)
            seconds[name] += closed_loop(concurrency, SECONDS["capacity"] / 2, run)
    result = {}
    for name, record in records.items():
        result.update(figures(record, seconds[name]))
    return result


def docx_cards(port: int, setup: dict, record: room.Record) -> int:
    """Download the forum's DOCX as the planner and count the load's card texts in it."""
    from docx import Document

    client = room.sign_in(port, "planung", setup["pw"], record)
    answer = record.check(
        "DOCX", client.get(f"/planner/forums/{setup['slug']}/ergebnisse.docx"), 200
    )
    document = Document(io.BytesIO(answer.body))
    texts = set()
    for paragraph in document.element.body.iter(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p"
    ):
        text = "".join(node.text or "" for node in paragraph.iter() if node.tag.endswith("}t"))
        if text.startswith("Lastkarte "):
            texts.add(text)
    return len(texts)


def room_run(port: int, concurrency: int, setup: dict) -> dict:
    """Join, the room at both paces, the wire size, capacity and the DOCX check."""
    phones, joined = join_all(port, setup["code"])
    record = room.Record()
    staff = scenario.watchers(port, setup["groups"], setup["pw"], record)
    timer = scenario.timer_polls(port)
    rooms = {}
    for seed, (name, card_seconds) in enumerate(CARD_SECONDS.items()):
        pace = scenario.Pace(
            card_seconds, SECONDS["warm_up"], SECONDS["measured"], SECONDS["drain"]
        )
        rooms[name] = scenario.run(
            phones, staff, pace, setup["server_pid"], setup["database"], timer=timer, seed=seed
        )
    wire = scenario.wire_size(phones, record)
    more, joined_more = join_more(port, setup["code"], CAPACITY_PHONES)
    load = capacity(phones + more, concurrency, setup["hello_port"])
    acknowledged = [text for phone in phones + more for text in phone.cards]
    in_docx = docx_cards(port, setup, record)
    return {
        "phases": {
            "Beitritt": joined,
            "Weitere Telefone": joined_more,
            "Kapazität": load,
            "Anmeldung, Drahtgröße, Export": figures(record, 1),
        },
        "rooms": rooms,
        "timer_polls": timer,
        "wire": wire,
        "acknowledged": len(acknowledged),
        "docx_cards": in_docx,
    }


if __name__ == "__main__":
    port, concurrency, setup = int(sys.argv[1]), int(sys.argv[2]), json.loads(sys.argv[3])
    SECONDS.update(setup["seconds"])
    print(json.dumps(room_run(port, concurrency, setup)))

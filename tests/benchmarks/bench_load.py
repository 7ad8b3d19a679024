"""Load benchmark: a room of phones against gunicorn; run:  .venv/bin/python tests/benchmarks/bench_load.py

On 127.0.0.1 with the repository's gunicorn.conf.py, which also serves Flask's hello world side
by side as the baseline; a fresh migrated SQLite database (WAL); rate limits on, as in production.
1. Join: 300 phones join within 30 s (join page, form with its CSRF token, group page, board).
2. Room, 60 s: 50 of them write cards and poll their board every 1.5 s with If-None-Match, as
   live.js does, while 4 moderator consoles and a projector poll their live regions. Cards go
   out as outbox.js sends them (JSON answer); every fifth phone has no JavaScript and posts the
   plain form, then loads the board it is redirected to.
3. Capacity, 10 s each in two interleaved halves, one client with CONCURRENCY connections: hello
   world, board polls that find nothing new (304), card posts (outbox). Spread over the 300
   phones and 900 more that join for it, so that no phone exceeds its own rate limits (10 reads
   and 5 writes a second, 60 writes a minute): this measures the server, not one phone's budget.
4. Check: cards acknowledged (200 "ok" or 302) == in the database == in the forum's DOCX.
The load runs in its own process (load.py). Exit status 1 when a target is missed: no errors;
304 polls >= 0.6 and card posts >= 0.25 of hello world's requests/s; card posts p95 under 150 ms.
"""

import argparse
import json
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks import server  # noqa: E402

CONCURRENCY = 16
JOIN_SECONDS, ROOM_SECONDS, CAPACITY_SECONDS = 30, 60, 10
TARGETS = {"poll_ratio": 0.6, "card_ratio": 0.25, "card_p95_ms": 150}
SECRET = "bench-secret-key-not-for-production"
PASSWORD = "last-test-passwort"


def prepare(folder: Path) -> dict:
    """Create the database: migrated, one open forum like the 1. Themenforum, staff accounts."""
    from werkzeug.security import generate_password_hash

    from forum import create_app
    from forum.database import upgrade_database
    from forum.extensions import db
    from forum.models import User
    from tests.conftest import create_forum

    uri = f"sqlite:///{folder / 'forum.sqlite3'}"
    app = create_app({"SECRET_KEY": SECRET, "SQLALCHEMY_DATABASE_URI": uri})
    with app.app_context():
        upgrade_database()
        # Rooms as in the 1. Themenforum, scaled so the capacity phones find seats too.
        forum = create_forum(capacities={"E05": 640, "5/501": 320, "4/402b": 320})
        password_hash = generate_password_hash(PASSWORD)
        planner = User(username="planung", display_name="Sozialplanung", role="planner")
        db.session.add(planner)
        staff = [planner] + [group.moderator for group in forum.groups]
        for user in staff:
            user.password_hash = password_hash
        db.session.commit()
        setup = {
            "code": forum.join_code,
            "slug": forum.slug,
            "groups": [[group.id, group.moderator.username] for group in forum.groups],
        }
        db.engine.dispose()
    return {**setup, "uri": uri}


def run_load(*args: str) -> dict:
    """Run the load generator in its own interpreter and return its figures."""
    command = [sys.executable, str(Path(__file__).with_name("load.py")), *args]
    return json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)


def stored_cards(folder: Path) -> tuple[int, int]:
    """Count cards and distinct card texts in the database the server wrote."""
    with sqlite3.connect(folder / "forum.sqlite3") as connection:
        query = "SELECT count(*), count(DISTINCT text) FROM card"
        return connection.execute(query).fetchone()


def measure(folder: Path, concurrency: int, seconds: dict) -> dict:
    """Serve hello world and the forum side by side, run the load, count the stored cards."""
    log = folder / "gunicorn.log"
    setup = prepare(folder)
    env = {"SECRET_KEY": SECRET, "DATABASE_URL": setup["uri"]}
    hello_port, port = server.free_port(), server.free_port()
    hello = server.start("tests.benchmarks.hello:app", hello_port, {}, log, ready_path="/")
    try:
        forum = server.start("forum.wsgi:app", port, env, log)
        try:
            options = {**setup, "pw": PASSWORD, "seconds": seconds, "hello_port": hello_port}
            room = run_load(str(port), str(concurrency), json.dumps(options))
        finally:
            server.stop(forum)
    finally:
        server.stop(hello)
    cards, texts = stored_cards(folder)
    return {"room": room, "stored": cards, "stored_texts": texts}


def percentile_row(name: str, figures: dict, hello_rps: float) -> str:
    """Format one kind of request as a table row."""
    ratio = figures["rps"] / hello_rps if hello_rps else 0
    return (
        f"| {name} | {figures['count']:,} | {figures['rps']:,.0f} | {ratio:.2f} | "
        f"{figures['p50']:.1f} | {figures['p95']:.1f} | {figures['p99']:.1f} | {figures['errors']} |"
    )


def report(result: dict) -> bool:
    """Print the figures as a Markdown table the README can quote; return whether targets hold."""
    hello = result["room"]["phases"]["Kapazität"]["Hello World"]
    print(
        "| Phase | Anfrage | Anzahl | Anfragen/s | × Hello World | p50 ms | p95 ms | p99 ms | Fehler |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    phases = result["room"]["phases"]
    errors = 0
    for phase, kinds in phases.items():
        for kind, figures in kinds.items():
            print(f"| {phase} " + percentile_row(kind, figures, hello["rps"]))
            errors += figures["errors"]
    for phase, kinds in phases.items():
        for kind, figures in kinds.items():
            for example in figures["examples"]:
                print(f"Fehler {phase}/{kind}: {example}")
    room = result["room"]
    poll = room["phases"]["Kapazität"]["Board-Abfrage 304"]
    card = room["phases"]["Kapazität"]["Karte senden"]
    counts = (room["acknowledged"], result["stored"], room["docx_cards"])
    print(
        f"\nKarten bestätigt: {counts[0]:,} · in der Datenbank: {counts[1]:,} "
        f"(verschiedene Texte: {result['stored_texts']:,}) · im DOCX: {counts[2]:,}"
    )
    checks = {
        "keine Fehler": errors == 0,
        f"304-Abfragen ≥ {TARGETS['poll_ratio']} × Hello World": poll["rps"]
        >= TARGETS["poll_ratio"] * hello["rps"],
        f"Karten ≥ {TARGETS['card_ratio']} × Hello World": card["rps"]
        >= TARGETS["card_ratio"] * hello["rps"],
        f"Karten p95 < {TARGETS['card_p95_ms']} ms": max(
            card["p95"],
            room["phases"]["Raum"]["Karte senden"]["p95"],
            room["phases"]["Raum"]["Karte (Formular)"]["p95"],
        )
        < TARGETS["card_p95_ms"],
        "bestätigt == gespeichert == im DOCX": len(set(counts)) == 1
        and result["stored_texts"] == counts[0],
    }
    for name, ok in checks.items():
        print(f"{'ok      ' if ok else 'VERFEHLT'} {name}")
    return all(checks.values())


def main() -> int:
    """Measure, print, and say whether the targets hold."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concurrency", type=int, default=CONCURRENCY)
    parser.add_argument("--short", action="store_true", help="a quarter of each phase's time")
    options = parser.parse_args()
    seconds = {"join": JOIN_SECONDS, "room": ROOM_SECONDS, "capacity": CAPACITY_SECONDS}
    if options.short:
        seconds = {phase: value / 4 for phase, value in seconds.items()}
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="bench-load-") as folder:
        result = measure(Path(folder), options.concurrency, seconds)
    ok = report(result)
    print(f"Dauer {time.monotonic() - started:.0f} s, Nebenläufigkeit {options.concurrency}")
    print("Ziele erreicht" if ok else "Ziele VERFEHLT")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

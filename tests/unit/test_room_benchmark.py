"""The room benchmark's own arithmetic: when a card reached group-mates, and the server's CPU."""

import json
import subprocess
import sys

from tests.benchmarks import cpu
from tests.benchmarks.room import card_text
from tests.benchmarks.visibility import Acknowledged, Sightings, card_id, card_ids, delays

MEMBERS = {"Gruppe Orange": [1, 2, 3, 4], "Gruppe Blau": [5, 6]}


def _board(*cards: str) -> bytes:
    """A full-regions answer, as the board sends one today."""
    items = "".join(f"<li>{card_text(*card)}</li>" for card in cards)
    return json.dumps({"regions": {"cards-strength": items}}).encode()


def _delta(card: tuple[int, int]) -> bytes:
    """An answer with only the new item, as in the protocol of issue 15."""
    html = f"<li id='card-9'>{card_text(*card)}</li>"
    return json.dumps({"items": [{"id": "card-9", "in": "cards-strength", "html": html}]}).encode()


def test_each_group_mate_counts_from_the_acknowledgement_to_its_first_answer_showing_the_card():
    sightings = Sightings()
    sightings.saw(2, _board((3, 0)), 9.9)  # another card only
    sightings.saw(2, _board((3, 0), (1, 0)), 10.4)  # full lists: first showing
    sightings.saw(2, _board((3, 0), (1, 0)), 11.9)  # shows it again: no new sighting
    sightings.saw(3, _delta((1, 0)), 11.0)  # only the change
    sightings.saw(4, _board((1, 0)), 9.8)  # answered before the post's answer arrived
    sightings.saw(5, _board((1, 0)), 10.1)  # another group: not a group-mate
    card = Acknowledged(card_id(card_text(1, 0)), author=1, group="Gruppe Orange", at=10.0)
    seen, missing = delays([card], sightings, MEMBERS)
    assert sorted(round(delay, 3) for delay in seen) == [0.0, 0.4, 1.0]
    assert missing == 0


def test_a_group_mate_whose_answers_never_showed_the_card_is_counted_as_missing():
    sightings = Sightings()
    sightings.saw(6, _board((5, 1)), 3.0)
    cards = [
        Acknowledged("5-0", author=5, group="Gruppe Blau", at=1.0),
        Acknowledged("5-1", author=5, group="Gruppe Blau", at=2.0),
    ]
    assert delays(cards, sightings, MEMBERS) == ([1.0], 1)


def test_card_names_are_read_whole_from_any_answer():
    body = _board((1, 23), (12, 3)) + _delta((7, 0))
    assert card_ids(body) == {"1-23", "12-3", "7-0"}
    assert "1-2" not in card_ids(body)
    assert card_id(card_text(300, 41)) == "300-41"


_BURN = "import time\nend = time.process_time() + 0.3\nwhile time.process_time() < end: pass\n"


def test_the_process_group_s_cpu_includes_a_worker_that_already_exited():
    # A master that runs a busy worker to its end, reaps it, says so and waits.
    master = (
        "import subprocess, sys, time\n"
        f"subprocess.run([sys.executable, '-c', {_BURN!r}], check=True)\n"
        "print('done', flush=True)\n"
        "time.sleep(30)\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", master], stdout=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        assert process.stdout.readline() == "done\n"
        own = cpu.process_seconds(process.pid)
        assert own < 0.25  # the master itself only started python
        assert cpu.group_seconds(process.pid) >= own + 0.29
    finally:
        process.kill()
        process.wait()


def _scene(kinds: dict, visibility_p95: float) -> dict:
    return {
        "kinds": {kind: {"rps": rps} for kind, rps in kinds.items()},
        "groups": {"Gruppe Orange": 150, "Gruppe Blau": 150},
        "visibility": {"p95": visibility_p95},
    }


def test_polling_phones_kept_pace_only_when_they_polled_nearly_every_one_and_a_half_seconds():
    from tests.benchmarks.bench_load import kept_pace

    # 300 phones every 1.5 s: 200 polls a second; 90% of that is the least a kept pace makes.
    assert kept_pace(_scene({"Board-Abfrage 200": 60, "Board-Abfrage 304": 125}, 1.4))
    assert not kept_pace(_scene({"Board-Abfrage 200": 60, "Board-Abfrage 304": 110}, 1.4))


def test_held_polls_kept_pace_when_the_cards_reached_the_group_mates_in_time():
    from tests.benchmarks.bench_load import kept_pace
    from tests.benchmarks.scenario import HELD

    # Held polls ask once per change: few requests are no sign of a starved server, late cards are.
    held = {"Board-Abfrage 200": 70, "Board-Abfrage 304": 5, HELD: 75}
    assert kept_pace(_scene(held, 0.3))
    assert not kept_pace(_scene(held, 1.6))

"""When a card reached each group-mate's phone: acknowledged posts against what polls showed.

Protocol-agnostic: a card counts as shown on a phone when its unique text appears in the body
of one of that phone's poll answers, whether the answer re-sends whole lists or only the
changed items.
"""

import re
import statistics
import threading
from collections import defaultdict
from dataclasses import dataclass

# room.card_text() writes "Lastkarte <phone>-<count>: …"; the number pair names the card.
_CARD = re.compile(rb"Lastkarte (\d+-\d+)")


def card_id(text: str) -> str:
    """The card's name inside a text written by room.card_text()."""
    return _CARD.search(text.encode()).group(1).decode()


def card_ids(body: bytes) -> set[str]:
    """The names of all load cards an answer body shows."""
    return {match.decode() for match in _CARD.findall(body)}


@dataclass(frozen=True)
class Acknowledged:
    """A card the server acknowledged: its name, the author's phone and group, and when."""

    card: str
    author: int
    group: str
    at: float


class Sightings:
    """For each phone, when a poll answer first showed it each card (monotonic seconds)."""

    def __init__(self):
        self.first: dict[int, dict[str, float]] = defaultdict(dict)
        self.lock = threading.Lock()

    def saw(self, phone: int, body: bytes, at: float) -> None:
        """Note the cards in a poll answer that reached `phone` at `at`."""
        found = card_ids(body)
        if not found:
            return
        with self.lock:
            seen = self.first[phone]
            for card in found:
                seen.setdefault(card, at)


def delays(
    acknowledged: list[Acknowledged], sightings: Sightings, members: dict[str, list[int]]
) -> tuple[list[float], int]:
    """Seconds from each acknowledgement to each group-mate's first answer showing the card.

    Returns the delays and how many (card, group-mate) pairs never saw the card. A poll that
    showed the card before its post's answer arrived counts as 0: the mate had it first.
    """
    found, missing = [], 0
    for card in acknowledged:
        for mate in members[card.group]:
            if mate == card.author:
                continue
            seen = sightings.first.get(mate, {}).get(card.card)
            if seen is None:
                missing += 1
            else:
                found.append(max(0.0, seen - card.at))
    return found, missing


def percentiles(values: list[float]) -> dict[str, float]:
    """p50, p95 and p99 of the values (0 for none)."""
    if not values:
        return {"p50": 0.0, "p95": 0.0, "p99": 0.0}
    cuts = statistics.quantiles(values, n=100) if len(values) > 1 else values * 99
    return {"p50": cuts[49], "p95": cuts[94], "p99": cuts[98]}

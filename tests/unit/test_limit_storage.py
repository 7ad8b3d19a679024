"""The forum+sqlite:// counters give the answers of limits' own memory counters, shared."""

import pytest
from limits import parse
from limits.storage import MemoryStorage, storage_from_string
from limits.strategies import FixedWindowRateLimiter, SlidingWindowCounterRateLimiter

from forum.limit_storage import SQLiteStorage


@pytest.mark.parametrize("strategy", [FixedWindowRateLimiter, SlidingWindowCounterRateLimiter])
def test_two_workers_on_one_file_answer_as_one_memory_counter(tmp_path, strategy):
    uri = f"forum+sqlite://{tmp_path / 'ratelimits.sqlite3'}"
    workers = [strategy(storage_from_string(uri)) for _ in range(2)]
    memory = strategy(MemoryStorage())
    limit = parse("5 per minute")
    for key in ("phone:a", "phone:b"):
        answers = [workers[n % 2].hit(limit, key) for n in range(8)]
        assert answers == [memory.hit(limit, key) for _ in range(8)] == [True] * 5 + [False] * 3
        stats = workers[0].get_window_stats(limit, key)
        assert stats.remaining == memory.get_window_stats(limit, key).remaining == 0
    workers[1].clear(limit, "phone:a")
    assert workers[0].hit(limit, "phone:a") and not workers[0].hit(limit, "phone:b")


def test_the_file_answers_a_health_check(tmp_path):
    storage = storage_from_string(f"forum+sqlite://{tmp_path / 'ratelimits.sqlite3'}")
    assert isinstance(storage, SQLiteStorage)
    assert storage.check() and storage.reset() == 0

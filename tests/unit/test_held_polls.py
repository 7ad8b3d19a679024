"""The watch behind held polls: who is woken, when, and who is answered at once."""

import threading
import time

from forum.held_polls import GroupWatch

TICK = 0.02


class Board:
    """Stamps per group as the database would return them; counts the reads."""

    def __init__(self, **stamps):
        self.stamps = {int(key[1:]): value for key, value in stamps.items()}
        self.reads = []
        self.failing = False

    def read(self, groups):
        self.reads.append(sorted(groups))
        if self.failing:
            raise OSError("database away")
        return {group: self.stamps[group] for group in groups if group in self.stamps}


def waiting(watch, group, stamp, timeout=2.0, since=None):
    """Start a wait in a thread; return a dict that gets the result and the time it took."""
    outcome = {}

    def run():
        started = time.monotonic()
        outcome["news"] = watch.wait(group, stamp, since or started, timeout)
        outcome["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    outcome["thread"] = thread
    time.sleep(5 * TICK)
    return outcome


def finished(outcome):
    outcome["thread"].join(timeout=5)
    return outcome


def test_a_change_of_the_group_wakes_its_waiter_within_a_few_reads():
    board = Board(g1="v1", g2="w1")
    watch = GroupWatch(board.read, seats=4, tick=TICK)
    mine, other = waiting(watch, 1, "v1"), waiting(watch, 2, "w1", timeout=0.5)
    board.stamps[1] = "v2"
    changed = time.monotonic()
    assert finished(mine)["news"] is True
    assert time.monotonic() - changed < 0.5
    # The other group's waiter heard nothing and waited its whole time.
    assert finished(other)["news"] is False and other["seconds"] >= 0.5


def test_a_waiter_whose_stamp_is_current_waits_its_whole_time():
    board = Board(g1="v1")
    watch = GroupWatch(board.read, seats=4, tick=TICK)
    outcome = finished(waiting(watch, 1, "v1", timeout=0.3))
    assert outcome["news"] is False and outcome["seconds"] >= 0.3
    assert [1] in board.reads


def test_a_waiter_that_read_an_older_stamp_is_answered_at_the_next_read():
    # The phone read v1; the group is at v2 already: the phone must fetch it at once.
    watch = GroupWatch(Board(g1="v2").read, seats=4, tick=TICK)
    assert finished(waiting(watch, 1, "v1"))["seconds"] < 0.5


def test_only_reads_begun_after_the_phone_s_own_read_count():
    # A read the watch began before the phone read its state may show an older stamp than the
    # phone's: that is no news. Here every read of the watch began "before" the phone's.
    watch = GroupWatch(Board(g1="old").read, seats=4, tick=TICK)
    outcome = finished(waiting(watch, 1, "new", timeout=0.3, since=time.monotonic() + 60))
    assert outcome["news"] is False


def test_without_a_free_seat_the_wait_ends_at_once():
    board = Board(g1="v1")
    watch = GroupWatch(board.read, seats=1, tick=TICK)
    seated = waiting(watch, 1, "v1", timeout=0.5)
    started = time.monotonic()
    assert watch.wait(1, "v1", started, 5.0) is False
    assert time.monotonic() - started < 0.05
    assert finished(seated)["seconds"] >= 0.5
    # The seat is free again once the first wait ended.
    assert finished(waiting(watch, 1, "v1", timeout=0.2))["seconds"] >= 0.2


def test_no_seats_means_no_holding():
    watch = GroupWatch(Board(g1="v1").read, seats=0, tick=TICK)
    started = time.monotonic()
    assert watch.wait(1, "v1", started, 5.0) is False
    assert time.monotonic() - started < 0.05


def test_a_failing_read_lets_the_waiters_wait_and_the_next_read_tells_them(caplog):
    board = Board(g1="v1")
    board.failing = True
    watch = GroupWatch(board.read, seats=4, tick=TICK)
    outcome = waiting(watch, 1, "v1")
    board.stamps[1] = "v2"
    time.sleep(5 * TICK)
    assert "news" not in outcome  # the failing reads told it nothing
    board.failing = False
    assert finished(outcome)["news"] is True
    # One message for the outage, not one per read.
    assert len(board.reads) > 3
    assert len([r for r in caplog.records if "stamps failed" in r.getMessage()]) == 1


def test_the_reading_thread_ends_when_nobody_waits_and_comes_back_on_demand():
    board = Board(g1="v1")
    watch = GroupWatch(board.read, seats=4, tick=TICK, idle=0.1)
    finished(waiting(watch, 1, "v1", timeout=0.1))
    time.sleep(0.4)
    reads = len(board.reads)
    time.sleep(0.2)
    assert len(board.reads) == reads  # nobody waits: nothing is read
    mine = waiting(watch, 1, "v1")
    board.stamps[1] = "v2"
    assert finished(mine)["news"] is True

"""Render workers: results in order, errors raised where the build is, a dead worker
reported by name and never waited for (briefgen/workers.py)."""

from __future__ import annotations

import os
import signal
import time

import pytest
from test_speed import gone

from briefgen import bounded
from briefgen import workers as workers_module
from briefgen.errors import BriefgenError
from briefgen.workers import workers

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="workers are forked")


def slow_square(n: int) -> tuple[int, int]:
    time.sleep(0.05 * (4 - n))  # the first ones finish last
    return n * n, os.getpid()


def fails_on_two(n: int) -> int:
    if n == 2:
        raise BriefgenError(f"notes {n}: cannot be rendered")
    return n


def dies_on_one(n: int) -> int:
    if n == 1:
        os.kill(os.getpid(), signal.SIGKILL)
    return n


def unpicklable(n: int) -> object:
    return lambda: n


def doubled_in_bounds(n: int) -> int:
    return bounded.bounded(lambda: 2 * n, "t.j2")


def stuck_in_bounds(n: int) -> None:
    """A bounded call stuck where its own timer cannot reach it, as C code in a loop is
    (SIGALRM blocked: the worker's timer never fires)."""

    def stuck() -> None:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        time.sleep(60)

    bounded.start(stuck, "brief.pdf", seconds=0.3).result()


def broken_load() -> None:
    raise BriefgenError("the engine cannot load: libpango is missing")


NAMES = [f"e{n}.yaml" for n in range(5)]


def test_results_come_back_in_order_from_every_worker() -> None:
    with workers(2, lambda: None) as pool:
        pids = [w.pid for w in pool.all]
        results = list(pool.imap(slow_square, range(5), NAMES))
    assert [square for square, _ in results] == [0, 1, 4, 9, 16]
    assert {pid for _, pid in results} == set(pids) and os.getpid() not in pids
    assert all(pid and gone(pid) for pid in pids)  # stopped and reaped when the block ends
    assert all(worker.tasks == worker.answers == -1 for worker in pool.all)  # closed once


def test_an_error_in_a_worker_is_raised_here_with_its_message() -> None:
    with workers(2, lambda: None) as pool, pytest.raises(BriefgenError, match="notes 2: cannot"):
        pids = [worker.pid for worker in pool.all]
        list(pool.imap(fails_on_two, range(5), NAMES))
    assert all(pid and gone(pid) for pid in pids)


def test_a_worker_that_dies_is_reported_by_what_it_held_not_waited_for() -> None:
    with workers(2, lambda: None) as pool, pytest.raises(BriefgenError) as raised:
        pids = [worker.pid for worker in pool.all]
        list(pool.imap(dies_on_one, range(5), NAMES))
    assert raised.value.message.startswith(
        "e1.yaml: the process rendering it stopped unexpectedly: it was killed (SIGKILL"
    )
    assert all(pid and gone(pid) for pid in pids)


def test_an_answer_that_cannot_cross_is_an_internal_error_not_a_hang() -> None:
    stop = pytest.raises(BriefgenError, match=r"e0\.yaml: internal error while rendering: ")
    with workers(1, lambda: None) as pool, stop:
        list(pool.imap(unpicklable, range(2), NAMES))


def test_a_worker_that_cannot_load_says_so_at_its_first_task() -> None:
    with workers(2, broken_load) as pool, pytest.raises(BriefgenError, match="libpango is miss"):
        list(pool.imap(fails_on_two, range(3), NAMES))


def test_a_large_task_and_answer_cross_whole() -> None:
    """Bigger than a pipe's buffer both ways (a brief's PDF and DOCX are megabytes)."""
    data = [bytes([n]) * (3 << 20) for n in range(3)]
    with workers(2, lambda: None) as pool:
        assert list(pool.imap(bytes, data, NAMES)) == data


def test_bounded_calls_in_a_worker_tell_their_bounds_and_still_answer() -> None:
    with workers(2, bounded.stay_in_process) as pool:
        assert list(pool.imap(doubled_in_bounds, range(5), NAMES)) == [0, 2, 4, 6, 8]


def test_a_worker_stuck_past_its_bound_is_stopped_by_the_build(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Its own timer cannot stop code that never comes back to Python; the build does,
    MARGIN after the bound, as it stops a bounded child."""
    monkeypatch.setattr(workers_module, "MARGIN", 0.5)
    started = time.monotonic()
    with workers(1, bounded.stay_in_process) as pool, pytest.raises(BriefgenError) as raised:
        pids = [worker.pid for worker in pool.all]
        list(pool.imap(stuck_in_bounds, range(2), NAMES))
    assert raised.value.message.startswith(
        "e0.yaml: brief.pdf: rendering took longer than 0.3 s and was stopped"
    )
    assert time.monotonic() - started < 20
    assert all(pid and gone(pid) for pid in pids)

"""What every process briefgen forks does first: die with its parent, leave signals to it.

A build forks render workers (briefgen/workers.py), or bounded children (the HTML
template, the DOCX) and the PDF engine. If the build is killed (SIGKILL, the OOM
killer, a closed terminal), nothing must keep rendering: on Linux each child asks the
kernel for SIGKILL when its parent dies (prctl PR_SET_PDEATHSIG), elsewhere a thread
watches the parent's id. Ctrl-C and
SIGTERM are the parent's to handle: it stops its children itself, so that the user sees
one message, not one traceback per worker.
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator

PR_SET_PDEATHSIG = 1
STOPPING = (signal.SIGINT, signal.SIGTERM)
_prctl: list[Callable[..., int] | None] = []


@contextlib.contextmanager
def held_signals() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM while forking: a child must not run the parent's handler
    (a traceback from the child) before `become_child` has set its own. The parent gets
    any held signal when the block ends."""
    _load_prctl()  # in the parent, once: the child has no time to spare
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, STOPPING)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def become_child(parent: int) -> None:
    """In a child just forked (under `held_signals`) from process `parent`: die with it,
    ignore Ctrl-C (the terminal sends it to the whole group; the parent stops us), end
    quietly on SIGTERM, then let signals in."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    prctl = _prctl[0] if _prctl else None
    if prctl is not None:
        prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    elif parent:
        _watch(parent)
    if os.getppid() != parent:  # it died before the request above: nobody would say so
        os._exit(1)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOPPING)


def _load_prctl() -> None:
    """libc's prctl on Linux (found without running any program), else None."""
    if _prctl:
        return
    function = None
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            import ctypes

            function = ctypes.CDLL(None, use_errno=True).prctl
    _prctl.append(function)


def _watch(parent: int) -> None:
    """Where there is no prctl: a thread that ends this process when its parent is gone."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="briefgen-parent-watch").start()


def freeze_inherited() -> None:
    """Leave everything this process has so far (what it inherited, what it imported) out
    of garbage collection from now on.

    A forked process shares its parent's memory until it writes to it, and a collection
    writes to every object it examines: a full collection in a DOCX child copied most of
    the worker's heap (35 ms of each DOCX child's CPU in a 20-edition build). Frozen,
    those objects are never examined; what the process makes from here is collected as
    before. A child or a worker lives for one build, so nothing
    frozen outlives the build that loaded it."""
    gc.freeze()

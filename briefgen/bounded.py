"""Run template rendering with a time and memory bound, in a forked child.

Templates are data that users edit; a loop that never ends or a string multiplied a
billion times must end in a message, not in a hung build or an exhausted machine. A
forked child inherits everything already loaded (no pickling of the brief, a few
milliseconds), renders under an address-space limit and a timer, and hands back its
result through a pipe. A process that renders one edition after another (a render
worker) or keeps an engine's caches for the next call (a PDF without an engine child)
sets the same bounds around the call in place and lifts them after. Where there is no
fork (Windows), rendering runs unbounded.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import resource
import select
import signal
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from briefgen.children import become_child, freeze_inherited, held_signals
from briefgen.errors import BriefgenError

T = TypeVar("T")

SECONDS = 300.0
"""How long rendering one document's template may take (a 100× brief's DOCX takes ~40 s)."""
MEGABYTES = 1024
"""How much memory rendering may add to what the process already uses."""


class _Timeout(BaseException):
    """Not an Exception: code that catches every Exception must not swallow the bound."""


_in_place: list[bool] = []


def stay_in_process() -> None:
    """From now on, run every bounded call in this process, under the same bounds.

    For a render worker of a many-edition build: it renders editions one after another,
    and a child forked for each edition's HTML and DOCX cost more than drawing them (a
    fifth of an edition's CPU: the fork, the child's copies of the pages it touches, the
    parent's after it). The bounds hold here as in a child (a timer, an address-space
    limit), are lifted after each call, and a call that runs over them raises the
    child's message; the build then fails and its workers end."""
    _in_place[:] = [True]


_watchers: list[Callable[[tuple[float, str] | None], None]] = []


def tell_bounds_to(watch: Callable[[tuple[float, str] | None], None]) -> None:
    """In place, call `watch((seconds, what))` as each bounded call starts and
    `watch(None)` as it ends: a render worker's parent then stops the worker when a call
    outlives its bound, as it stops a child that does. The timer here cannot stop code
    that never comes back to Python (a C library in a loop)."""
    _watchers.append(watch)


_carried: list[tuple[Callable[[], object], Callable[[object], None]]] = []


def carry_back(take: Callable[[], object], keep: Callable[[object], None]) -> None:
    """Have every bounded child hand back something it made that the children forked
    after it can reuse (compiled templates: briefgen/compiled.py): `take()` runs in the
    child after its call succeeds, `keep(what it took)` in the parent with the result."""
    _carried.append((take, keep))


def _take_carried() -> list[object]:
    try:
        return [take() for take, _ in _carried]
    except Exception:  # an optimisation only: the result stands without it
        return []


def bounded(call: Callable[[], T], what: str) -> T:
    """`call()`, or BriefgenError if it runs over SECONDS or MEGABYTES."""
    return start(call, what).result()  # type: ignore[no-any-return]


class Running:
    """A bounded call under way in a child; `result()` waits for it."""

    def __init__(
        self,
        pid: int,
        read: int,
        what: str,
        call: Callable[[], object] | None,
        in_place: bool = False,
        bounds: tuple[float, int] | None = None,
    ):
        """`pid` is the child's, or 0 where there is no fork or the process stays in
        place (`stay_in_process`): then `call` runs in `result()`, here, unbounded or,
        `in_place`, under the bounds (SECONDS and MEGABYTES unless given)."""
        self.pid, self.read, self.what, self.call = pid, read, what, call
        self.seconds, self.megabytes = bounds or (SECONDS, MEGABYTES)
        self.done, self.in_place = False, in_place

    def cancel(self) -> None:
        """Stop the child (the build failed elsewhere) and leave no process behind."""
        if self.done or not self.pid:
            return
        self.done = True
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        os.close(self.read)
        _reap(self.pid)

    def result(self) -> Any:
        if not self.pid:  # no fork on this platform, or a worker: run it now, here
            assert self.call is not None
            if not self.in_place:
                return self.call()
            for watch in _watchers:
                watch((self.seconds, self.what))
            status, value = _outcome(self.call, self.seconds, self.megabytes)
            for watch in _watchers:
                watch(None)
            if status == "ok":
                return value
            raise BriefgenError(_message(status, value, self.what, self.seconds, self.megabytes))
        self.done = True
        try:
            payload = _receive(self.read, self.pid, self.seconds + 10)
        except BaseException:  # Ctrl-C or SIGTERM while waiting: stop it, do not wait for it
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            raise
        finally:
            os.close(self.read)
            _reap(self.pid)
        status, value, *carried = pickle.loads(payload) if payload else ("crash", "")
        if status == "ok":
            for (_, keep), made in zip(_carried, carried[0] if carried else (), strict=False):
                keep(made)
            return value
        raise BriefgenError(_message(status, value, self.what, self.seconds, self.megabytes))


def start(
    call: Callable[[], object],
    what: str,
    seconds: float | None = None,
    megabytes: int | None = None,
    here: bool = False,
) -> Running:
    """Start `call()` in a bounded child and return at once, so that the parent can do
    other work (the PDF) while the child does this (the DOCX) on another core. The
    bounds are SECONDS and MEGABYTES unless given (the PDF's grow with its HTML).

    `here` (or `stay_in_process`): run it under the bounds in this process, when asked
    for the result, if this is the main thread (the timer needs it). For work whose
    process keeps what it loads for the next call: a PDF engine's fonts and caches."""
    seconds, megabytes = seconds or SECONDS, megabytes or MEGABYTES
    in_place = bool(_in_place or here) and threading.current_thread() is threading.main_thread()
    if in_place or not hasattr(os, "fork"):
        here_too = in_place and hasattr(os, "fork")
        return Running(0, -1, what, call, here_too, (seconds, megabytes))
    read, write = os.pipe()
    parent = os.getpid()
    with held_signals():
        pid = os.fork()
        if pid == 0:  # the child: never returns, and never runs the parent's exit handlers
            try:
                become_child(parent)
                os.close(read)
                _child(call, write, seconds, megabytes)
            finally:
                os._exit(1)
    os.close(write)
    return Running(pid, read, what, None, bounds=(seconds, megabytes))


class Engine(Running):
    """A bounded child started before its work is known: it loads an engine (WeasyPrint)
    while the parent is still validating, then waits for the arguments of its one call."""

    def __init__(self, pid: int, read: int, send: int, what: str, call: Callable[..., object]):
        super().__init__(pid, read, what, None)
        self.send_fd, self.work = send, call

    def send(
        self, *args: object, seconds: float | None = None, megabytes: int | None = None
    ) -> None:
        """Hand the child its arguments, and its bounds if not SECONDS and MEGABYTES (an
        engine's work grows with its input); `result()` then waits for the result."""
        self.seconds = seconds or SECONDS
        self.megabytes = megabytes or MEGABYTES
        if not self.pid:  # no fork: run it here when the result is asked for
            self.call = lambda: self.work(*args)
            return
        data = pickle.dumps((args, self.seconds, self.megabytes))
        fd, self.send_fd = self.send_fd, -1
        try:
            with os.fdopen(fd, "wb") as stream:
                stream.write(len(data).to_bytes(8, "big") + data)
        except BrokenPipeError:  # the child died while loading: result() says how
            pass

    def cancel(self) -> None:
        if self.send_fd >= 0:
            os.close(self.send_fd)
            self.send_fd = -1
        super().cancel()


def prepare(warm: Callable[[], object], call: Callable[..., object], what: str) -> Engine:
    """Fork a child that runs `warm()` (unbounded: importing an engine) at once, then waits
    for `Engine.send(*args)` and runs `call(*args)` under the bounds, like `start`."""
    if not hasattr(os, "fork"):
        return Engine(0, -1, -1, what, call)
    read, write = os.pipe()
    inbox, send = os.pipe()
    parent = os.getpid()
    with held_signals():
        pid = os.fork()
        if pid == 0:  # the child: never returns, and never runs the parent's exit handlers
            try:
                become_child(parent)  # Ctrl-C: the parent cancels it
                os.close(read)
                os.close(send)
                _engine_child(warm, call, inbox, write, parent)
            finally:
                os._exit(1)
    os.close(write)
    os.close(inbox)
    return Engine(pid, read, send, what, call)


def _engine_child(
    warm: Callable[[], object], call: Callable[..., object], inbox: int, write: int, parent: int
) -> None:
    """Load, wait for the arguments, then run like `start`'s child (a failed load is the
    result, reported when the parent asks for it)."""
    loaded: BaseException | None = None
    try:
        warm()
    except BaseException as error:
        loaded = error
    sent = _arguments(inbox, parent)
    if sent is None:  # cancelled, or the parent went away
        os._exit(0)
    args, seconds, megabytes = sent

    def run() -> object:
        if loaded is not None:
            raise loaded
        return call(*args)

    _child(run, write, seconds, megabytes)


def _arguments(inbox: int, parent: int) -> Any:
    """What the parent sends (pickled, length first), or None if it goes away."""
    data = bytearray()
    while len(data) < 8 or len(data) < 8 + int.from_bytes(data[:8], "big"):
        ready, _, _ = select.select([inbox], [], [], 1.0)
        if not ready:
            if os.getppid() != parent:
                return None
            continue
        chunk = os.read(inbox, 1 << 20)
        if not chunk:
            return None
        data += chunk
    os.close(inbox)
    return pickle.loads(data[8:])


def _child(call: Callable[[], object], write: int, seconds: float, megabytes: int) -> None:
    freeze_inherited()
    result: tuple[object, ...] = _outcome(call, seconds, megabytes)
    if result[0] == "ok":
        result += (_take_carried(),)
    try:
        data = pickle.dumps(result)
    except Exception as error:
        data = pickle.dumps(("internal", f"unpicklable result: {error}"))
    with os.fdopen(write, "wb") as stream:
        stream.write(data)
    os._exit(0)


def _outcome(call: Callable[[], object], seconds: float, megabytes: int) -> tuple[str, object]:
    """("ok", what `call()` returned) or (what stopped it, its message), the call run
    under the bounds; in a child, or here (`stay_in_process`)."""
    try:
        with _bounds(seconds, megabytes):
            return ("ok", call())
    except KeyboardInterrupt:  # Ctrl-C or SIGTERM in place (a child ignores them): stop
        raise
    except _Timeout:
        return ("timeout", "")
    except MemoryError:
        return ("memory", "")
    except BriefgenError as error:
        return ("error", error.message)
    except BaseException as error:  # anything else is reported as the internal error it is
        return ("internal", f"{type(error).__name__}: {error}")


@contextlib.contextmanager
def _bounds(seconds: float, megabytes: int) -> Iterator[None]:
    """A timer and an address-space limit for the block, both lifted when it ends. The
    timer fires again each second after the first: code that catches the first and goes
    on is stopped by the next."""
    limits = resource.getrlimit(resource.RLIMIT_AS)
    handler = signal.signal(signal.SIGALRM, _raise_timeout)
    try:
        _limit_memory(megabytes, limits[1])
        signal.setitimer(signal.ITIMER_REAL, seconds, 1.0)
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, handler)
        resource.setrlimit(resource.RLIMIT_AS, limits)


def _raise_timeout(signum: int, frame: object) -> None:
    raise _Timeout


def _limit_memory(megabytes: int, hard: int) -> None:
    """Cap the address space at what is mapped now plus `megabytes` (the soft limit, so
    that it can be lifted again; never above the `hard` one)."""
    with open("/proc/self/statm") as stream:
        mapped = int(stream.read().split()[0]) * resource.getpagesize()
    limit = mapped + megabytes * 2**20
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _receive(read: int, pid: int, deadline: float) -> bytes:
    """Everything the child writes, or nothing if it must be killed at the deadline."""
    chunks: list[bytes] = []
    end = time.monotonic() + deadline
    while True:
        remaining = end - time.monotonic()
        ready, _, _ = select.select([read], [], [], max(remaining, 0))
        if not ready:
            os.kill(pid, signal.SIGKILL)
            return pickle.dumps(("timeout", ""))
        chunk = os.read(read, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _reap(pid: int) -> None:
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)


def overrun(what: str, seconds: float) -> str:
    """What the build says of a render stopped at its time bound."""
    return _message("timeout", "", what, seconds, MEGABYTES)


def _message(status: str, value: object, what: str, seconds: float, megabytes: int) -> str:
    if status == "timeout":
        return (f"{what}: rendering took longer than {seconds:g} s and was stopped; "
                "look for a loop in the template that never ends")  # fmt: skip
    if status == "memory":
        return (f"{what}: rendering needed more than {megabytes} MB and was stopped; "
                "look for a template that builds a huge string or list")  # fmt: skip
    if status == "error":
        return str(value)
    if status == "internal":
        return f"{what}: internal error while rendering: {value}"
    return f"{what}: rendering stopped unexpectedly"

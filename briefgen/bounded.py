"""Run template rendering with a time and memory bound, in a forked child.

Templates are data that users edit; a loop that never ends or a string multiplied a
billion times must end in a message, not in a hung build or an exhausted machine. A
forked child inherits everything already loaded (no pickling of the brief, a few
milliseconds), renders under an address-space limit and a timer, and hands back its
result through a pipe. Where there is no fork (Windows), rendering runs unbounded.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import resource
import select
import signal
import time
from collections.abc import Callable
from typing import Any, TypeVar

from briefgen.children import become_child, freeze_inherited, held_signals
from briefgen.errors import BriefgenError

T = TypeVar("T")

SECONDS = 300.0
"""How long rendering one document's template may take (a 100× brief's DOCX takes ~40 s)."""
MEGABYTES = 1024
"""How much memory rendering may add to what the process already uses."""


class _Timeout(Exception):
    pass


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

    def __init__(self, pid: int, read: int, what: str, call: Callable[[], object] | None):
        """`pid` is the child's, or 0 where there is no fork: then `call` runs in
        `result()`, here and unbounded."""
        self.pid, self.read, self.what, self.call = pid, read, what, call
        self.seconds, self.megabytes = SECONDS, MEGABYTES
        self.done = False

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
        if not self.pid:  # no fork on this platform: run it now, unbounded
            assert self.call is not None
            return self.call()
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


def start(call: Callable[[], object], what: str) -> Running:
    """Start `call()` in a bounded child and return at once, so that the parent can do
    other work (the PDF) while the child does this (the DOCX) on another core."""
    if not hasattr(os, "fork"):
        return Running(0, -1, what, call)
    read, write = os.pipe()
    parent = os.getpid()
    with held_signals():
        pid = os.fork()
        if pid == 0:  # the child: never returns, and never runs the parent's exit handlers
            try:
                become_child(parent)
                os.close(read)
                _child(call, write, SECONDS, MEGABYTES)
            finally:
                os._exit(1)
    os.close(write)
    return Running(pid, read, what, None)


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
    try:
        _limit_memory(megabytes)
        signal.signal(signal.SIGALRM, _raise_timeout)
        signal.setitimer(signal.ITIMER_REAL, seconds)
        result: tuple[object, ...] = ("ok", call())
        signal.setitimer(signal.ITIMER_REAL, 0)
        result += (_take_carried(),)
    except _Timeout:
        result = ("timeout", "")
    except MemoryError:
        result = ("memory", "")
    except BriefgenError as error:
        result = ("error", error.message)
    except BaseException as error:  # anything else is reported as the internal error it is
        result = ("internal", f"{type(error).__name__}: {error}")
    try:
        data = pickle.dumps(result)
    except Exception as error:
        data = pickle.dumps(("internal", f"unpicklable result: {error}"))
    with os.fdopen(write, "wb") as stream:
        stream.write(data)
    os._exit(0)


def _raise_timeout(signum: int, frame: object) -> None:
    raise _Timeout


def _limit_memory(megabytes: int) -> None:
    """Cap the address space at what is mapped now plus `megabytes`."""
    with open("/proc/self/statm") as stream:
        mapped = int(stream.read().split()[0]) * resource.getpagesize()
    limit = mapped + megabytes * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


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

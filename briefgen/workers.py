"""Render workers for a build of several editions: forked processes that each load the
engines once, then render the editions sent to them one at a time.

Not multiprocessing.Pool: when one of its workers is killed from outside (the kernel's
out-of-memory killer, a `kill -9`), the edition it held is lost and the pool waits for
it for ever, and then even SIGTERM could not end the build (measured: a 20-edition
build, one worker killed, still waiting after a minute). Here each worker has a pipe
each way; a worker that dies closes its end, and the build fails at once with a message
that names the edition and how the worker ended. No thread either: the parent waits on
the workers' pipes, and a signal (Ctrl-C, SIGTERM) interrupts that wait.

Messages are pickled, their length first. Only this process's own forks read them.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import signal
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from briefgen import bounded
from briefgen.children import become_child, freeze_inherited, held_signals
from briefgen.errors import BriefgenError

Task = Callable[[Any], Any]

MARGIN = 10.0
"""How long past its bound a worker's bounded call may go before the worker is stopped
(its own timer stops it first, unless it is stuck where no signal reaches Python)."""


class _Worker:
    """One forked worker: its pid, the pipe it reads tasks from, the one it answers on."""

    def __init__(self, warm: Callable[[], object], siblings: Sequence[int] = ()):
        """Fork the worker; `siblings` are the earlier workers' pipes, which it closes (a
        worker holding another's task pipe open would keep it from seeing it closed)."""
        tasks_read, self.tasks = os.pipe()
        self.answers, answers_write = os.pipe()
        parent = os.getpid()
        with held_signals():
            self.pid = os.fork()
            if self.pid == 0:  # the child: never returns, never runs the parent's exit handlers
                try:
                    become_child(parent)
                    for fd in (self.tasks, self.answers, *siblings):
                        os.close(fd)
                    _serve(warm, tasks_read, answers_write)
                finally:
                    os._exit(1)
        os.close(tasks_read)
        os.close(answers_write)
        self.holding: int | None = None  # the index of the task it is rendering
        self.bound: tuple[float, float, str] | None = None  # (until, seconds, what)

    def send(self, index: int, call: Task, argument: object) -> bool:
        """Hand the worker a task; False if it is gone (its pipe is closed)."""
        self.holding = index
        try:
            _write(self.tasks, (call, argument))
        except BrokenPipeError:
            return False
        return True

    def receive(self) -> tuple[str, object] | None:
        """The worker's next message, once its pipe is readable (its answer, or a bound
        it starts or ends: `bounded.tell_bounds_to`); None if it died instead."""
        message = _read(self.answers)
        if message is not None and message[0] == "bound":
            seconds, what = message[1] or (0.0, "")
            until = time.monotonic() + seconds + MARGIN
            self.bound = (until, seconds, what) if message[1] else None
        return message  # type: ignore[no-any-return]

    def ended(self) -> str:
        """How a worker that closed its pipe ended (it is reaped here)."""
        self._close()
        try:
            _, status = os.waitpid(self.pid, 0)
        except ChildProcessError:
            return "it ended"
        finally:
            self.pid = 0  # reaped: its number may be another process's now
        if os.WIFSIGNALED(status):
            number = os.WTERMSIG(status)
            try:
                name = signal.Signals(number).name
            except ValueError:
                name = f"signal {number}"
            if number == signal.SIGKILL:
                return f"it was killed ({name}; the system may have run out of memory)"
            return f"it was killed ({name})"
        return f"it exited with status {os.WEXITSTATUS(status)}"

    def stop(self) -> None:
        """End the worker now and reap it (the build is over, or failed)."""
        self._close()
        if self.pid:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self.pid, 0)
            self.pid = 0

    def _close(self) -> None:
        """Close both pipes, once: a number closed twice may be another file's by then."""
        for fd in (self.tasks, self.answers):
            if fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(fd)
        self.tasks = self.answers = -1


class Workers:
    """`jobs` workers, each running `warm()` (imports) as soon as it is forked."""

    def __init__(self, jobs: int, warm: Callable[[], object]):
        self.all: list[_Worker] = []
        try:
            for _ in range(jobs):
                siblings = [fd for worker in self.all for fd in (worker.tasks, worker.answers)]
                self.all.append(_Worker(warm, siblings))
        except BaseException:
            self.stop()
            raise

    def imap(self, call: Task, arguments: Sequence[object], names: Sequence[str]) -> Iterator[Any]:
        """`call(argument)` for each argument, by the workers, the results in order. An
        exception raised by a call is raised here; a worker that dies fails the build
        with a message naming `names[i]`, the argument it was working on."""
        waiting = list(range(len(arguments)))
        done: dict[int, Any] = {}
        idle = list(self.all)
        busy: dict[int, _Worker] = {}  # by answer pipe
        for index in range(len(arguments)):
            while index not in done:
                while idle and waiting:
                    worker, task = idle.pop(0), waiting.pop(0)
                    if not worker.send(task, call, arguments[task]):
                        raise BriefgenError(_died(names[task], worker.ended()))
                    busy[worker.answers] = worker
                for worker in _answering(busy, names):
                    held = worker.holding
                    assert held is not None
                    answer = worker.receive()
                    if answer is None or answer[0] != "bound":
                        done[held] = _result(answer, worker, names[held])
                        idle.append(busy.pop(worker.answers))
            yield done.pop(index)

    def stop(self) -> None:
        for worker in self.all:
            worker.stop()


@contextlib.contextmanager
def workers(jobs: int, warm: Callable[[], object]) -> Iterator[Workers]:
    """Render workers for the block; whatever ends it (done, an error, a signal), no
    worker outlives it."""
    pool = Workers(jobs, warm)
    try:
        yield pool
    finally:
        pool.stop()


def _answering(busy: dict[int, _Worker], names: Sequence[str]) -> list[_Worker]:
    """The busy workers with something to read, once there is; a worker whose bounded
    call has outlived its bound by MARGIN is stopped, and the build with it."""
    bounds = [w.bound[0] for w in busy.values() if w.bound is not None]
    wait = max(min(bounds) - time.monotonic(), 0) if bounds else None
    ready, _, _ = select.select(list(busy), [], [], wait)
    for worker in busy.values():
        if not ready and worker.bound is not None and worker.bound[0] <= time.monotonic():
            _, seconds, what = worker.bound
            worker.stop()
            assert worker.holding is not None
            raise BriefgenError(f"{names[worker.holding]}: {bounded.overrun(what, seconds)}")
    return [busy[fd] for fd in ready]


def _result(answer: tuple[str, object] | None, worker: _Worker, name: str) -> Any:
    """What the worker answered, raised if it was an exception."""
    if answer is None:
        raise BriefgenError(_died(name, worker.ended()))
    status, value = answer
    if status == "ok":
        return value
    if isinstance(value, BaseException):
        raise value
    raise BriefgenError(f"{name}: internal error while rendering: {value}")


def _died(name: str, how: str) -> str:
    return (
        f"{name}: the process rendering it stopped unexpectedly: {how}. Nothing was "
        "written; run the build again, and if it happens again, with --jobs 1"
    )


def _serve(warm: Callable[[], object], tasks: int, answers: int) -> None:
    """The worker: load, then answer each task until the parent closes the task pipe. A
    failed load is every task's answer."""
    bounded.tell_bounds_to(lambda bound: _write(answers, ("bound", bound)))
    loaded: BaseException | None = None
    try:
        warm()
    except BaseException as error:
        loaded = error
    freeze_inherited()
    while (task := _read(tasks)) is not None:
        call, argument = task
        try:
            if loaded is not None:
                raise loaded
            answer: tuple[str, object] = ("ok", call(argument))
        except BaseException as error:
            answer = ("raised", error)
        try:
            _write(answers, answer)
        except BrokenPipeError:  # the parent is gone
            break
        except Exception as error:  # an answer that does not pickle
            _write(answers, ("raised", f"{type(error).__name__}: {error}"))
    os._exit(0)


def _write(fd: int, message: object) -> None:
    data = pickle.dumps(message)
    view = memoryview(len(data).to_bytes(8, "big") + data)
    while view:
        view = view[os.write(fd, view) :]


def _read(fd: int) -> Any:
    """The next message on `fd`, or None if the other end closed it first."""
    head = _exactly(fd, 8)
    if head is None:
        return None
    body = _exactly(fd, int.from_bytes(head, "big"))
    if body is None:
        return None
    try:
        return pickle.loads(body)
    except Exception as error:  # an exception whose class cannot be rebuilt from its args
        return ("raised", f"unreadable answer: {type(error).__name__}: {error}")


def _exactly(fd: int, size: int) -> bytes | None:
    chunks, left = [], size
    while left:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)

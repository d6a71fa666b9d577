"""No process outlives its build, and a stopped build says so in one line (issue 13).

Real builds of the sample notes in their own session, stopped midway by SIGKILL, SIGTERM
or Ctrl-C; what is left is read from /proc: every process of the session, whoever its
parent now is (an orphan is re-parented to init, but keeps its session).
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefgen import bounded, output
from conftest import sample_copy

SCRIPT = Path(sys.executable).parent / "briefgen"
BUILD = ["build", "--force", "-j", "2", "-f", "pdf", "-f", "docx", "-f", "html", "--no-charts"]

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/stat").exists() or not SCRIPT.exists(),
    reason="needs Linux /proc and the installed briefgen script",
)


def session(sid: int) -> list[tuple[int, int]]:
    """(pid, parent pid) of every live (not zombie) process of session `sid`."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # it ended while we looked
        if fields[0] not in ("Z", "X") and int(fields[3]) == sid:
            found.append((int(entry.name), int(fields[1])))
    return found


def wait_until(condition: Callable[[], bool], seconds: float) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


@pytest.fixture
def sample(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, dict[str, bytes]]:
    """The sample notes (three editions), with last week's outputs in output/."""
    ws = sample_copy(tmp_path, monkeypatch)
    (ws / "output").mkdir()
    earlier = {
        f"2025-01-{day}-nk-russia.{suffix}": f"last week's {day}.{suffix}\n".encode()
        for day in ("19", "26")
        for suffix in ("pdf", "docx", "html")
    }
    for name, data in earlier.items():
        (ws / "output" / name).write_bytes(data)
    return ws, earlier


def start(ws: Path, *paths: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [str(SCRIPT), *BUILD, *paths], cwd=ws, text=True, start_new_session=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip


def rendering(build: subprocess.Popen[str], children: int = 2) -> None:
    """Wait until the build has its `children` (workers, or the engine) up: it is midway."""

    def workers() -> bool:
        return sum(parent == build.pid for _, parent in session(build.pid)) >= children

    assert wait_until(workers, 60), f"the build never started {children} children"
    time.sleep(1.0)  # importing the engines, rendering the first editions


def end(build: subprocess.Popen[str]) -> None:
    """Whatever the test found, leave nothing running."""
    for pid, _ in session(build.pid):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    if build.poll() is None:
        build.kill()
    build.communicate(timeout=30)


def whole(name: str, data: bytes) -> bool:
    if name.endswith(".pdf"):
        return len(PdfReader(io.BytesIO(data)).pages) > 0
    if name.endswith(".docx"):
        return data.startswith(b"PK")
    return data.rstrip().endswith(b"</html>")


def check_output(ws: Path, earlier: dict[str, bytes]) -> None:
    """Every brief is last week's or a whole new one; no temp file is left."""
    names = sorted(p.name for p in (ws / "output").iterdir())
    assert not [n for n in names if output.is_temp_name(n) or n.endswith(".part")], names
    for name, data in earlier.items():
        now = (ws / "output" / name).read_bytes()
        assert now == data or whole(name, now), f"{name} is neither last week's nor whole"


def test_a_killed_build_leaves_no_process_rendering(sample: tuple[Path, dict[str, bytes]]) -> None:
    ws, earlier = sample
    build = start(ws)
    try:
        rendering(build)
        assert len(session(build.pid)) >= 3, session(build.pid)  # the build and its workers
        os.kill(build.pid, signal.SIGKILL)  # only the build: its children must follow
        build.wait(timeout=10)
        assert wait_until(lambda: not session(build.pid), 2.0), (
            f"orphans still running 2 s after the build was killed: {session(build.pid)}"
        )
        check_output(ws, earlier)
    finally:
        end(build)


@pytest.mark.parametrize(
    ("signum", "group", "paths"),
    [
        (signal.SIGTERM, False, ()),
        (signal.SIGINT, True, ()),
        (signal.SIGTERM, False, ("sources/nk-russia/2025-W04.yaml",)),
        (signal.SIGINT, True, ("-j", "1")),
    ],
    ids=["sigterm-to-the-build", "ctrl-c-to-the-group", "sigterm-one-edition", "ctrl-c-jobs-1"],
)
def test_a_stopped_build_says_so_in_one_line_and_leaves_nothing(
    sample: tuple[Path, dict[str, bytes]], signum: int, group: bool, paths: tuple[str, ...]
) -> None:
    ws, earlier = sample
    build = start(ws, *paths)
    try:
        rendering(build, 2 if not paths else 1)
        (os.killpg if group else os.kill)(build.pid, signum)
        _, err = build.communicate(timeout=60)
        assert build.returncode == 128 + signum, err
        lines = [line for line in err.splitlines() if line.strip()]
        assert len(lines) == 1 and "stopped by" in lines[0], err
        assert "Traceback" not in err and "Error" not in err.replace("Error: stopped", ""), err
        assert wait_until(lambda: not session(build.pid), 2.0), session(build.pid)
        check_output(ws, earlier)
    finally:
        end(build)


def test_a_worker_killed_from_outside_fails_the_build_in_one_message(
    sample: tuple[Path, dict[str, bytes]],
) -> None:
    """The out-of-memory killer takes a render worker: the build must not wait for it for
    ever (multiprocessing.Pool did, deaf even to SIGTERM) but fail, naming the edition."""
    ws, earlier = sample
    build = start(ws)
    try:
        rendering(build)
        worker = next(pid for pid, parent in session(build.pid) if parent == build.pid)
        os.kill(worker, signal.SIGKILL)
        _, err = build.communicate(timeout=60)
        assert build.returncode == 1, err
        lines = [line for line in err.splitlines() if line.strip()]
        assert len(lines) == 1 and "Traceback" not in err, err
        assert re.search(r"sources/nk-russia/2025-W0\d\.yaml: the process rendering it stopped "
                         r"unexpectedly: it was killed \(SIGKILL; ", lines[0]), err  # fmt: skip
        assert wait_until(lambda: not session(build.pid), 2.0), session(build.pid)
        check_output(ws, earlier)
        assert sorted(p.name for p in (ws / "output").iterdir()) == sorted(earlier)  # nothing new
    finally:
        end(build)


def test_the_next_build_up_to_date_sweeps_a_killed_build_s_temp_file(
    sample: tuple[Path, dict[str, bytes]],
) -> None:
    ws, _ = sample
    done = subprocess.run([str(SCRIPT), "build", "-f", "html"], cwd=ws, capture_output=True)
    assert done.returncode == 0, done.stderr
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    left = ws / "output" / output.temp_name(ws / "output" / "x.pdf", pid=int(dead.stdout))
    left.write_bytes(b"half a brief")
    other = ws / "output" / ".backup.20240101.tar.part"
    other.write_bytes(b"not briefgen's")
    again = subprocess.run([str(SCRIPT), "build", "-f", "html"], cwd=ws, capture_output=True)
    assert again.returncode == 0 and b"(up to date)" in again.stdout, again.stderr
    assert not left.exists()
    assert other.read_bytes() == b"not briefgen's"


@pytest.mark.parametrize("kind", ["bounded", "engine"])
def test_a_child_dies_at_once_with_its_parent(kind: str) -> None:
    """A bounded child sleeping 60 s, or an engine child waiting for work, goes when its
    parent is killed: not when it is done, nor a second later."""
    start_child = (
        "bounded.start(lambda: time.sleep(60), 'x')"
        if kind == "bounded"
        else "bounded.prepare(lambda: None, lambda: None, 'x')"
    )
    script = (
        f"import os, signal, time\nfrom briefgen import bounded\nchild = {start_child}\n"
        "print(child.pid, flush=True)\ntime.sleep(0.3)\nos.kill(os.getpid(), signal.SIGKILL)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    pid = int(parent.stdout.readline())  # not communicate(): the child holds the pipe too
    assert parent.wait(timeout=30) == -signal.SIGKILL
    parent.stdout.close()
    try:
        assert wait_until(lambda: not Path(f"/proc/{pid}").exists() or _zombie(pid), 0.5)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] in "ZX"
    except OSError:
        return True


def test_bounded_results_still_come_back() -> None:
    """Dying with the parent changes nothing for a parent that stays."""
    assert bounded.bounded(lambda: 6 * 7, "x") == 42

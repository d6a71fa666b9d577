"""A template that never ends, or eats memory, is stopped with a message."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from briefgen import bounded, pipeline
from briefgen.errors import BriefgenError
from briefgen.render import engine
from conftest import sample_copy

FOREVER = """{% extends "default:brief.html.j2" %}
{% block letterhead %}
{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}
{% endblock %}
"""
GREEDY = """{% extends "default:brief.html.j2" %}
{% block letterhead %}{{ "x" * 4000000000 }}{% endblock %}
"""


def template(workspace: Path, text: str) -> None:
    (workspace / "templates").mkdir()
    (workspace / "templates" / "brief.html.j2").write_text(text, encoding="utf-8")


def test_a_loop_that_never_ends_is_stopped(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bounded, "SECONDS", 1.0)
    template(workspace, FOREVER)
    with pytest.raises(BriefgenError, match=r"brief\.html\.j2: rendering took longer than 1 s"):
        pipeline.build([], pipeline.BuildOptions(formats=["html"]))
    assert not (workspace / "output").exists()


def test_a_template_that_eats_memory_is_stopped(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bounded, "MEGABYTES", 256)
    template(workspace, GREEDY)
    with pytest.raises(BriefgenError, match=r"brief\.html\.j2: rendering needed more than 256 MB"):
        pipeline.build([], pipeline.BuildOptions(formats=["html"]))


def test_errors_inside_the_bound_keep_their_message(workspace: Path) -> None:
    template(workspace, '{% extends "default:brief.html.j2" %}{% block letterhead %}'
             "{{ brief.nothing }}{% endblock %}")  # fmt: skip
    with pytest.raises(BriefgenError, match=r"templates/brief\.html\.j2:1: .*'nothing'"):
        pipeline.build([], pipeline.BuildOptions(formats=["html"]))


def test_results_come_back_from_the_bound() -> None:
    assert bounded.bounded(lambda: "é" * 3, what="x") == "ééé"


# --- a worker of a many-edition build keeps the bounds in its own process ---------------


def many(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> pipeline.BuildOptions:
    """The sample workspace (three editions) with a user template; options for a build
    by two workers, each rendering its editions' templates in place."""
    sample_copy(tmp_path, monkeypatch)
    template(tmp_path, text)
    return pipeline.BuildOptions(formats=["pdf", "docx"], jobs=2)


@pytest.mark.parametrize(
    ("bound", "value", "text", "stopped"),
    [
        ("SECONDS", 1.0, FOREVER, "took longer than 1 s"),
        ("MEGABYTES", 256, GREEDY, "needed more than 256 MB"),
    ],
    ids=["a-loop-that-never-ends", "a-template-that-eats-memory"],
)
def test_a_worker_stops_a_template_that_runs_over_its_bound(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    bound: str,
    value: float,
    text: str,
    stopped: str,
) -> None:
    monkeypatch.setattr(bounded, bound, value)
    options = many(tmp_path, monkeypatch, text)
    with pytest.raises(BriefgenError, match=rf"brief\.html\.j2: rendering {stopped}"):
        pipeline.build([], options)
    assert not (tmp_path / "output").exists()


def test_a_worker_makes_the_files_a_one_edition_build_makes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sample_copy(tmp_path, monkeypatch)
    topic = tmp_path / "sources" / "nk-russia"
    two = pipeline.build(
        [topic / "2025-W03.yaml", topic / "2025-W04.yaml"],
        pipeline.BuildOptions(output=tmp_path / "two", jobs=2),
    )
    one = pipeline.build([topic / "2025-W04.yaml"], pipeline.BuildOptions(output=tmp_path / "one"))
    assert len(two.written) == 4 and len(one.written) == 2
    for path in one.written:
        assert path.read_bytes() == (tmp_path / "two" / path.name).read_bytes(), path.name


IN_PLACE = """
import os, resource, signal
from briefgen import bounded
from briefgen.errors import BriefgenError
bounded.stay_in_process()
bounded.SECONDS = 0.5
limits, handler = resource.getrlimit(resource.RLIMIT_AS), signal.getsignal(signal.SIGALRM)
assert bounded.bounded(os.getpid, "x") == os.getpid()  # here, not in a child
capped = bounded.bounded(lambda: resource.getrlimit(resource.RLIMIT_AS), "x")
assert capped[0] not in (resource.RLIM_INFINITY, limits[0]), capped  # the cap was on
def swallow():
    while True:
        try:
            while True:
                pass
        except Exception:  # code that catches everything does not keep the bound from it
            pass
for call, stopped in [(swallow, "longer than 0.5 s"), (lambda: "x" * 2**31, "more than 1024 MB")]:
    try:
        bounded.bounded(call, "t.j2")
    except BriefgenError as error:
        assert stopped in error.message, error.message
    else:
        raise AssertionError("not stopped")
    assert resource.getrlimit(resource.RLIMIT_AS) == limits  # lifted again
    assert signal.getsignal(signal.SIGALRM) == handler
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
assert bounded.bounded(lambda: "é" * 3, "x") == "ééé"  # and the process goes on
print("ok")
"""


def test_bounds_kept_in_place_stop_the_call_then_are_lifted() -> None:
    done = subprocess.run([sys.executable, "-c", IN_PLACE], capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout == "ok\n", done.stderr


@pytest.mark.parametrize("jobs", [1, 2], ids=["here", "in-a-worker"])
def test_every_pdf_of_a_many_edition_build_keeps_the_engine_s_bounds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    """Only a one-edition build has an engine child; the others' PDFs were rendered with
    no bound at all. Now each is bounded, in the process that renders it."""
    sample_copy(tmp_path, monkeypatch)
    monkeypatch.setattr(engine, "bounds", lambda html: (0.05, 1024))
    with pytest.raises(BriefgenError, match=r"brief\.pdf: rendering took longer than 0\.05 s"):
        pipeline.build([], pipeline.BuildOptions(formats=["pdf"], jobs=jobs))
    assert not (tmp_path / "output").exists()


def test_bounds_asked_for_here_outside_the_main_thread_go_to_a_child() -> None:
    """The timer needs the main thread: a library caller's thread gets a child instead."""
    import threading

    pids: list[int] = []
    here = threading.Thread(
        target=lambda: pids.append(bounded.start(os.getpid, "x", here=True).result())
    )
    here.start()
    here.join()
    assert pids and pids[0] != os.getpid()
    assert bounded.start(os.getpid, "x", here=True).result() == os.getpid()

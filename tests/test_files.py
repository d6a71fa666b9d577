"""Special files are never read, two editions never share a brief, and what the tool says
about its output is true (issue 13).

Builds that could hang run as real processes with a timeout, so that a regression fails
the test instead of freezing the suite.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from briefgen import load, pipeline
from briefgen.errors import BriefgenError
from conftest import edit

SCRIPT = Path(sys.executable).parent / "briefgen"
needs_script = pytest.mark.skipif(not SCRIPT.exists(), reason="the briefgen script is not here")


def briefgen(
    *args: str, cwd: Path, stdout: object = subprocess.PIPE
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SCRIPT), *args], cwd=cwd, stdout=stdout, stderr=subprocess.PIPE, text=True,
        timeout=120,
    )  # fmt: skip


# --- the one reader ---------------------------------------------------------------------


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    pipe = tmp_path / "2025-W04.yaml"
    os.mkfifo(pipe)
    with pytest.raises(load.NotRegularFile, match="named pipe"):
        load.read_regular(pipe)  # would block for ever if it opened the pipe to read
    assert not load.is_regular(pipe)


@pytest.mark.parametrize("path", ["/dev/zero", "/dev/null", "/"])
def test_devices_and_folders_are_refused(path: str) -> None:
    if not Path(path).exists():
        pytest.skip(f"no {path} here")
    with pytest.raises(load.NotRegularFile, match="not a regular file"):
        load.read_regular(Path(path))


def test_a_link_to_a_regular_file_is_read_and_the_cap_holds(tmp_path: Path) -> None:
    (tmp_path / "notes.yaml").write_bytes(b"title: x\n")
    (tmp_path / "link.yaml").symlink_to("notes.yaml")
    assert load.read_regular(tmp_path / "link.yaml") == b"title: x\n"
    with pytest.raises(load.TooBig):
        load.read_regular(tmp_path / "notes.yaml", max_bytes=4)


def test_a_fifo_edition_is_a_problem_with_its_file_and_line(workspace: Path, edition: Path) -> None:
    edition.unlink()
    os.mkfifo(edition)
    with pytest.raises(BriefgenError) as caught:
        pipeline.check([])
    assert "sources/demo/2025-W03.yaml:1: cannot read the file: not a regular file" in str(
        caught.value.message
    )


@needs_script
def test_a_fifo_edition_named_on_the_command_line_is_refused(
    workspace: Path, edition: Path
) -> None:
    edition.unlink()
    os.mkfifo(edition)
    for command in ("check", "build"):
        done = briefgen(command, "sources/demo/2025-W03.yaml", cwd=workspace)
        assert done.returncode == 1, done.stderr
        assert "not a regular file" in done.stderr and "internal error" not in done.stderr


@needs_script
def test_a_fifo_as_the_earlier_edition_does_not_hang_the_build(workspace: Path) -> None:
    """Building W03 reads the edition before it (for 'what changed'): a FIFO there gets a
    warning, and the brief is built without that section."""
    os.mkfifo(workspace / "sources" / "demo" / "2025-W02.yaml")
    done = briefgen("build", "sources/demo/2025-W03.yaml", "-f", "html", cwd=workspace)
    assert done.returncode == 0, done.stderr
    assert "2025-W02.yaml has 1 problem" in done.stderr
    assert (workspace / "output" / "2025-01-19-demo.html").exists()


@needs_script
@pytest.mark.parametrize(
    "fifo",
    ["output/.briefgen/demo--2025-W03.json", "templates/brief.html.j2", "templates/brief.css"],
)
def test_a_fifo_in_the_cache_or_the_templates_does_not_hang_the_build(
    workspace: Path, fifo: str
) -> None:
    (workspace / fifo).parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(workspace / fifo)
    done = briefgen("build", "-f", "html", cwd=workspace)
    assert done.returncode == 0, done.stderr
    assert "Sources" in (workspace / "output" / "2025-01-19-demo.html").read_text()


@needs_script
def test_templates_check_reports_a_fifo_template(workspace: Path) -> None:
    (workspace / "templates").mkdir()
    os.mkfifo(workspace / "templates" / "brief.html.j2")
    os.mkfifo(workspace / "templates" / "brief.docx")
    done = briefgen("templates", "check", cwd=workspace)
    assert done.returncode == 1
    assert "templates/brief.html.j2:1: cannot read it: not a regular file" in done.stderr
    assert "templates/brief.docx:1: not a regular file" in done.stderr


# --- two editions, one brief --------------------------------------------------------------


@pytest.fixture
def twin(workspace: Path, edition: Path) -> Path:
    """A copy of the edition under another name, its `edition:` date unchanged."""
    copy = edition.with_name("2025-W03-copy.yaml")
    shutil.copy(edition, copy)
    edit(copy, "title: North Korean forces", "title: A copy of North Korean forces")
    return copy


def test_two_editions_with_one_date_are_refused_before_anything_is_written(
    workspace: Path, twin: Path
) -> None:
    with pytest.raises(BriefgenError) as caught:
        pipeline.build([], pipeline.BuildOptions(formats=["html"]))
    message = caught.value.message
    assert "sources/demo/2025-W03.yaml" in message and "sources/demo/2025-W03-copy.yaml" in message
    assert "output/2025-01-19-demo.*" in message
    assert not (workspace / "output").exists()
    with pytest.raises(BriefgenError, match="both editions would be written as"):
        pipeline.check([])


def test_building_one_of_them_is_refused_too(workspace: Path, edition: Path, twin: Path) -> None:
    """Even alone, it would replace the other's brief (built last week)."""
    for path in (edition, twin):
        with pytest.raises(BriefgenError, match=r"2025-W03-copy\.yaml"):
            pipeline.build([path], pipeline.BuildOptions(formats=["html"]))
    assert not (workspace / "output").exists()


def test_another_date_builds_both(workspace: Path, twin: Path) -> None:
    edit(twin, "edition: 2025-01-19", "edition: 2025-01-18")
    result = pipeline.build([], pipeline.BuildOptions(formats=["html"]))
    names = sorted(p.name for p in result.written)
    assert names == ["2025-01-18-demo.html", "2025-01-19-demo.html"]


def test_a_quoted_date_is_the_same_date(workspace: Path, twin: Path) -> None:
    edit(twin, "edition: 2025-01-19", 'edition: "2025-01-19"')
    with pytest.raises(BriefgenError, match="both editions would be written as"):
        pipeline.build([], pipeline.BuildOptions(formats=["html"]))


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("title: x\nedition: 2025-01-26\n", "2025-01-26"),
        ("nested: {edition: 2025-01-01}\nedition: '2025-01-27'\n", "2025-01-27"),
        ("edition: [2025-01-26]\n", None),
        ("- edition: 2025-01-26\n", None),
        ("title: x\n", None),
        ("edition: &a 2025-01-26\n", None),
        ("title: [unclosed\nedition: 2025-01-26\n", None),
    ],
)
def test_top_level_scalar_reads_only_the_top_level(
    tmp_path: Path, text: str, value: object
) -> None:
    path = tmp_path / "e.yaml"
    path.write_text(text)
    found = load.top_level_scalar(path, "edition")
    assert (None if found is None else str(found)) == value


# --- what the tool says about what it did ---------------------------------------------------


@needs_script
@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
def test_stdout_on_a_full_device_says_the_brief_was_written(workspace: Path) -> None:
    with open("/dev/full", "w") as full:
        done = briefgen("build", "-f", "html", cwd=workspace, stdout=full)
    assert done.returncode != 0
    assert "the build wrote 1 file (output/2025-01-19-demo.html)" in done.stderr
    assert "could not be printed: No space left on device" in done.stderr
    assert "nothing was written" not in done.stderr and "internal error" not in done.stderr
    assert "</html>" in (workspace / "output" / "2025-01-19-demo.html").read_text()
    with open("/dev/full", "w") as full:
        done = briefgen("check", cwd=workspace, stdout=full)
    assert done.returncode != 0 and "1 edition valid, but the report" in done.stderr

"""Atomic output: whole files or none, and nothing left behind by a killed build."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from briefgen import output
from briefgen.errors import BriefgenError


def dead_pid() -> int:
    """The id of a process that has certainly exited."""
    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                           capture_output=True, text=True, check=True)  # fmt: skip
    return int(child.stdout)


def test_a_killed_builds_temp_files_are_removed_by_the_next(tmp_path: Path) -> None:
    stale = tmp_path / output.temp_name(tmp_path / "brief.pdf", pid=dead_pid())
    running = tmp_path / output.temp_name(tmp_path / "brief.pdf")
    stale.write_bytes(b"half a PDF")
    running.write_bytes(b"another build's half")
    output.write_all({tmp_path / "brief.pdf": b"%PDF-whole"})
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([running.name, "brief.pdf"])
    assert (tmp_path / "brief.pdf").read_bytes() == b"%PDF-whole"


@pytest.mark.parametrize(
    "name",
    [
        ".backup.20240101.tar.part",  # another program's: the date is no process id
        ".brief.pdf.{dead}.k2j4h1aa.part",  # the shape older briefgen used: not provably ours
        ".download.{dead}.part",
        ".briefgen-tmp-{host}-{dead}-0123456789abcdef.brief.pdf.part.keep",
        ".briefgen-tmp-{host}-{dead}-0123.brief.pdf.part",  # a random part too short
        ".briefgen-tmp-00000000-{dead}-0123456789abcdef.brief.pdf.part",  # another machine
        "briefgen-tmp-{host}-{dead}-0123456789abcdef.brief.pdf.part",  # no leading dot
    ],
)
def test_the_sweep_leaves_every_file_briefgen_cannot_prove_its_own(
    tmp_path: Path, name: str
) -> None:
    host = output.temp_name(tmp_path / "x").split("-")[2]
    other = tmp_path / name.format(dead=dead_pid(), host=host)
    other.write_bytes(b"someone else's")
    output.write_all({tmp_path / "brief.eml": b"a draft"})
    assert other.read_bytes() == b"someone else's"


def test_the_sweep_removes_only_files_not_links_or_folders(tmp_path: Path) -> None:
    dead = dead_pid()
    (tmp_path / "keep").write_text("not briefgen's")
    link = tmp_path / output.temp_name(tmp_path / "a.pdf", pid=dead)
    link.symlink_to(tmp_path / "keep")
    folder = tmp_path / output.temp_name(tmp_path / "b.pdf", pid=dead)
    folder.mkdir()
    stale = tmp_path / output.temp_name(tmp_path / "c.pdf", pid=dead)
    stale.write_bytes(b"half")
    assert output.remove_stale_parts(tmp_path) == [stale]
    assert link.is_symlink() and folder.is_dir() and (tmp_path / "keep").exists()


def test_temp_names_are_briefgen_s_own_shape(tmp_path: Path) -> None:
    name = output.temp_name(tmp_path / "2025-01-26-nk-russia.pdf")
    assert name.startswith(".briefgen-tmp-") and name.endswith(".2025-01-26-nk-russia.pdf.part")
    assert output.is_temp_name(name)
    assert not output.is_temp_name(".2025-01-26-nk-russia.pdf.1234.abcdefgh.part")


def test_keep_existing_refuses_an_existing_file_and_writes_a_new_one(tmp_path: Path) -> None:
    notes = tmp_path / "2025-W04.yaml"
    notes.write_text("title: notes\n")
    with pytest.raises(BriefgenError, match="already exists"):
        output.write_all({notes: b"an email"}, keep_existing=True)
    assert notes.read_text() == "title: notes\n"
    fresh = tmp_path / "brief.eml"
    assert output.write_all({fresh: b"an email"}, keep_existing=True) == [fresh]
    assert fresh.read_bytes() == b"an email"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2025-W04.yaml", "brief.eml"]


def test_all_files_are_complete_before_any_replaces_its_predecessor(tmp_path: Path) -> None:
    (tmp_path / "a.pdf").write_bytes(b"old pdf")
    (tmp_path / "b.docx").write_bytes(b"old docx")
    (tmp_path / "c.html").mkdir()  # a rename that would fail after the others
    with pytest.raises(BriefgenError, match="a folder of that name is in the way"):
        output.write_all({
            tmp_path / "a.pdf": b"new pdf",
            tmp_path / "b.docx": b"new docx",
            tmp_path / "c.html": b"new html",
        })  # fmt: skip
    assert (tmp_path / "a.pdf").read_bytes() == b"old pdf"
    assert (tmp_path / "b.docx").read_bytes() == b"old docx"
    assert not list(tmp_path.glob(".*.part"))

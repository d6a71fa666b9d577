"""Atomic output: whole files or none, and nothing left behind by a killed build."""

from __future__ import annotations

import os
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
    stale = tmp_path / f".brief.pdf.{dead_pid()}.k2j4h1aa.part"
    running = tmp_path / f".brief.pdf.{os.getpid()}.zz9z9z9z.part"
    stale.write_bytes(b"half a PDF")
    running.write_bytes(b"another build's half")
    output.write_all({tmp_path / "brief.pdf": b"%PDF-whole"})
    assert sorted(p.name for p in tmp_path.iterdir()) == [running.name, "brief.pdf"]
    assert (tmp_path / "brief.pdf").read_bytes() == b"%PDF-whole"


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

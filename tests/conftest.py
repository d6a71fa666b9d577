"""Shared fixtures: a small, valid workspace copied fresh for each test."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

DATA = Path(__file__).parent / "data"
REPO = Path(__file__).parent.parent


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of tests/data/ws, made the working directory (so ./sources and ./output apply)."""
    root = tmp_path / "ws"
    shutil.copytree(DATA / "ws", root)
    monkeypatch.chdir(root)
    return root


@pytest.fixture
def edition(workspace: Path) -> Path:
    """The workspace's one edition file."""
    return workspace / "sources" / "demo" / "2025-W03.yaml"


def edit(path: Path, old: str, new: str) -> None:
    """Replace text in a notes file, failing loudly if the text is not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def sample_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the sample workspace (sources/nk-russia) in tmp_path, made the working
    directory; returns tmp_path."""
    shutil.copytree(REPO / "sources", tmp_path / "sources")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def pdf_text(pdf: Path | bytes) -> str:
    """The text of every page of a PDF file, or of PDF bytes, as pypdf extracts it."""
    source = io.BytesIO(pdf) if isinstance(pdf, bytes) else pdf
    return "\n".join(page.extract_text() for page in PdfReader(source).pages)


def shown(html: str) -> str:
    """The HTML brief without its ledger (issue 19: the notes as written travel inside it
    as JSON), so that a test of what the page shows does not count the notes again."""
    import re

    return re.sub(
        r'<script type="application/json" id="briefgen-ledger">.*?</script>', "", html, flags=re.S
    )


def build_sample_w04(root: Path) -> dict[str, Path]:
    """The sample W04 edition built as PDF, DOCX and HTML (no charts) in a copy of the
    sample workspace at `root`, by format: what the ledger and verify tests read back."""
    import os

    from briefgen import pipeline

    shutil.copytree(REPO / "sources", root / "sources")
    before = Path.cwd()
    os.chdir(root)
    try:
        options = pipeline.BuildOptions(formats=("pdf", "docx", "html"), charts=False)
        result = pipeline.build([Path("sources/nk-russia/2025-W04.yaml")], options)
        return {path.suffix[1:]: root / path for path in result.written}
    finally:
        os.chdir(before)

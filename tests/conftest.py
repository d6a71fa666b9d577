"""Shared fixtures: a small, valid workspace copied fresh for each test."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

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

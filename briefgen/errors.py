"""The errors a user can cause, and how they are shown.

Every error a user can fix is a BriefgenError: Click prints its message and exits 1
with no traceback. Problems in notes are collected as Problem values, all reported at
once, each as `path:line: where: what`.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import click


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in one notes file, at one line."""

    path: Path
    line: int
    where: str
    message: str

    def __str__(self) -> str:
        where = f" {self.where}:" if self.where else ""
        return f"{display_path(self.path)}:{self.line}:{where} {self.message}"


def display_path(path: Path) -> str:
    """The path relative to the working directory when it is inside it, as editors want;
    else absolute."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return str(Path(path).resolve()) if relative.startswith("..") else relative


class BriefgenError(click.ClickException):
    """A failure the user can fix: printed without a traceback, exit code 1."""

    exit_code = 1

    def format_message(self) -> str:
        return self.message


class InvalidNotes(BriefgenError):
    """The notes have problems; all of them are listed, then one summary line."""

    def __init__(self, problems: Sequence[Problem], preface: str = "") -> None:
        self.problems = sorted(problems)
        files = len({p.path for p in self.problems})
        count = len(self.problems)
        summary = f"{count} problem{'s' * (count != 1)} in {files} file{'s' * (files != 1)}."
        lines = [*(str(p) for p in self.problems), summary]
        super().__init__("\n".join([preface, *lines] if preface else lines))

    def show(self, file: IO[Any] | None = None) -> None:
        """Print the problems as they are, one per line, so editors can jump to them."""
        click.echo(self.format_message(), err=True, file=file)

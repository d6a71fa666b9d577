"""Two editions, one output name: refused before anything is rendered or written.

A brief is named by its edition date and topic (`2025-01-26-nk-russia.pdf`), so two
editions of a topic with one date — a copied file whose `edition:` was not changed —
would build to the same files, and one brief would silently replace the other. The
editions being built are compared with each other and with every other edition of
their topics (read only as far as their `edition:` key), so that building one edition
cannot clobber the brief of another built last week.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from briefgen.errors import BriefgenError, display_path
from briefgen.load import top_level_scalar
from briefgen.workspace import editions_of

if TYPE_CHECKING:
    from briefgen.validate import ValidEdition


def refuse(valid: Sequence[ValidEdition], output: Path) -> None:
    """BriefgenError naming both files if two editions would write one file name."""
    owners: dict[str, Path] = {}  # output stem -> the edition file that has it
    dates: dict[Path, dt.date | None] = {v.file.path: v.edition.edition for v in valid}
    for edition in valid:
        stem = _stem(edition.edition.edition, edition.file.topic)
        other = owners.setdefault(stem, edition.file.path)
        if other == edition.file.path:
            other = _sibling_with(edition, dates) or other
        if other != edition.file.path:
            raise BriefgenError(_message(other, edition.file.path, output / stem))


def _sibling_with(edition: ValidEdition, dates: dict[Path, dt.date | None]) -> Path | None:
    """Another edition of the same topic folder with the same edition date, if any."""
    for path in editions_of(edition.file.topic_dir):
        path = path.resolve()
        if path == edition.file.path:
            continue
        if path not in dates:
            dates[path] = _date(top_level_scalar(path, "edition"))
        if dates[path] == edition.edition.edition:
            return path
    return None


def _date(value: object) -> dt.date | None:
    """What validation would make of an `edition:` value, for the kinds it accepts."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _stem(date: dt.date, topic: str) -> str:
    return f"{date.isoformat()}-{topic}"


def _message(first: Path, second: Path, stem: Path) -> str:
    names = sorted([display_path(first), display_path(second)])
    return (
        f"{names[0]} and {names[1]}: both editions would be written as "
        f"{display_path(stem)}.* (same topic, same edition date), and one brief would "
        "replace the other; give one of them another `edition:` date, or move it out of "
        "the topic. Nothing was written."
    )

"""The part of a source text a registry entry stands for, read and folded once.

A feed file holds many dated items; each registered as its own source is bound to its own
lines, so a quote of one item cannot be verified by the words of another.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from briefgen.quotes.folding import Folded, fold


class Passage(NamedTuple):
    """A source's text: a file, or lines `first`–`last` of it (1-based, inclusive)."""

    path: Path
    first: int | None = None
    last: int | None = None

    def describe(self, shown: str) -> str:
        """`texts/003.txt` or `texts/003.txt, lines 8–12`, for messages."""
        if self.first is None:
            return shown
        last = self.last if self.last is not None else self.first
        lines = f"line {self.first}" if last == self.first else f"lines {self.first}\u2013{last}"
        return f"{shown}, {lines}"


class PassageError(ValueError):
    """A line range the file does not have."""


@dataclass(frozen=True)
class Indexed:
    """A passage's text folded for search, with the file line each folded offset is on."""

    folded: Folded
    first_line: int
    """The file's line number of the passage's first line."""
    _starts: list[int]

    @classmethod
    def of(cls, text: str, first_line: int = 1) -> Indexed:
        folded = fold(text)
        starts = [0] + [m.end() for m in re.finditer("\n", folded.source)]
        return cls(folded, first_line, starts)

    def line_of(self, offset: int) -> int:
        """The file line of the folded text's `offset`."""
        return self.first_line + bisect.bisect_right(self._starts, self.folded.origin(offset)) - 1

    def excerpt(self, start: int, end: int) -> str:
        """The source's own words for folded `start:end`, on one line, widened to whole words."""
        source = self.folded.source
        begin, stop = self.folded.origin(start), self.folded.origin(max(end - 1, start)) + 1
        while begin > 0 and source[begin - 1].isalnum() and source[begin].isalnum():
            begin -= 1
        while stop < len(source) and source[stop - 1].isalnum() and source[stop].isalnum():
            stop += 1
        return " ".join(source[begin:stop].split())


def lines_of(text: str, passage: Passage) -> tuple[str, int]:
    """The passage's lines of `text` and the number of the first; PassageError if the file
    is shorter than the range."""
    if passage.first is None:
        return text, 1
    last = passage.last if passage.last is not None else passage.first
    lines = text.split("\n")  # as editors count: other line separators are not breaks
    count = len(lines) - text.endswith("\n")
    if passage.first < 1 or last < passage.first or last > count:
        raise PassageError(
            f"the file has {count} lines, so lines {passage.first}-{last} are not in it; "
            "fix `lines` in sources.yaml"
        )
    return "\n".join(lines[passage.first - 1 : last]), passage.first


PAGE_MARK = re.compile(r"^\[page (\d+)\]$", re.MULTILINE)
"""The line a stored PDF text starts each page with (`source add` writes them), so a
quote found in it can say "p. 3"."""


def page_line(number: int) -> str:
    """The marker line for page `number` of a stored PDF text."""
    return f"[page {number}]"


def page_at(text: str, line: int) -> int | None:
    """The page the file's `line` (1-based) is on, from the last marker above it; None
    for a text without page markers."""
    starts = [text.count("\n", 0, m.start()) + 1 for m in PAGE_MARK.finditer(text)]
    numbers = [int(m.group(1)) for m in PAGE_MARK.finditer(text)]
    at = bisect.bisect_right(starts, line) - 1
    return numbers[at] if at >= 0 else None

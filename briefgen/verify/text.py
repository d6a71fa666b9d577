"""The document's text, made comparable with the notes whatever the format did to it.

A PDF's text comes back with line breaks, hyphens where a word was broken, ligatures and
the bidi isolates every field is wrapped in; Word splits a line into runs. So both sides
are compared with whitespace, hyphens and invisible marks removed, NFKC-normalised and
case-folded; the original text is kept beside it, to quote what the document says instead.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field

INVISIBLE = frozenset(
    "-\u2010\u2011\u00ad\u200b\u200c\u200d\u200e\u200f\u061c\u2066\u2067\u2068\u2069\u202a\u202b\u202c\u202d\u202e\ufeff"
)


def fold(text: str) -> str:
    """`text` as compared: no whitespace, hyphens or invisible marks, NFKC, case-folded."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return "".join(c for c in text if not c.isspace() and c not in INVISIBLE)


@dataclass
class Haystack:
    """The document's text (pages joined), folded, with a map back to the original."""

    original: str
    page_starts: list[int] = field(default_factory=list)
    folded: str = ""
    index: list[int] = field(default_factory=list)

    @classmethod
    def of(cls, pages: list[str]) -> Haystack:
        starts, original = [], ""
        for page in pages:
            starts.append(len(original))
            original += page + "\n"
        hay = cls(original, starts)
        chars, index = [], []
        for position, char in enumerate(original):
            for out in fold(char):
                chars.append(out)
                index.append(position)
        hay.folded, hay.index = "".join(chars), index
        return hay

    def find(self, needle: str, start: int = 0) -> int | None:
        """Where the folded `needle` first occurs from `start` on, else anywhere."""
        if not needle:
            return start
        found = self.folded.find(needle, start)
        if found < 0 and start:
            found = self.folded.find(needle)
        return found if found >= 0 else None

    def page(self, at: int) -> int | None:
        """The 1-based page of folded position `at` (None for a document without pages)."""
        if len(self.page_starts) < 2:
            return None
        where = self.index[min(at, len(self.index) - 1)] if self.index else 0
        return bisect.bisect_right(self.page_starts, where)

    def excerpt(self, start: int, end: int, limit: int = 400) -> str:
        """The original text between folded positions, whitespace collapsed."""
        if not self.index or end <= start:
            return ""
        first = self.index[min(start, len(self.index) - 1)]
        last = self.index[min(end, len(self.index)) - 1] + 1
        text = re.sub(r"\s+", " ", self.original[first:last]).strip()
        return text if len(text) <= limit else text[: limit - 1] + "…"

    def count(self, needle: str) -> int:
        return self.folded.count(needle) if needle else 0

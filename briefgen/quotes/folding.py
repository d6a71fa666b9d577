"""Fold a text to the form quotes are compared in, remembering where each piece came from.

Analysts copy quotes from web pages, PDFs and email, which disagree about curly quotes,
dashes, line breaks, hyphenation, invisible characters, Unicode forms and case. Both the
quote and the source text are folded the same way, so only a change of words counts as a
misquote. The folded text keeps a map back to the text it came from, so a refusal can name
the line of the closest passage; the map is piecewise (a few entries for each non-ASCII
character, none for runs of plain ASCII) so a large text costs no per-character list.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

_QUOTES = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
        "\u00ab": '"', "\u00bb": '"', "\u2039": "'", "\u203a": "'",
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
        "\u2015": "-", "\u2212": "-", "\ufe58": "-", "\ufe63": "-", "\uff0d": "-",
        "\u00a0": " ", "\u2009": " ", "\u202f": " ",
    }
)  # fmt: skip

INVISIBLE = frozenset(
    "\u00ad"  # soft hyphen: a break opportunity, not a character of the word
    "\u180e\u200b\u200c\u200d\u2060\ufeff"  # zero-width spaces, joiners, word joiner, BOM
    "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"  # bidi controls
)
"""Characters a copy may carry or drop without changing a word: deleted on both sides."""

_HYPHENATION = r"(?<=[^\W\d_])[-\u00ad\u2010][ \t]*\r?\n[ \t]*(?=[^\W\d_])"
"""A word broken at a line end ("intelli-\\ngence", or "well-\\nknown"): folded to BREAK,
which the search may read as nothing or as a hyphen."""

BREAK = "\u00ad"
"""A line-break hyphenation in folded text (soft hyphens themselves are gone by then)."""

_INVISIBLE = re.compile("[" + "".join(sorted(INVISIBLE - {"\u00ad"})) + "]|\u00ad(?![ \t]*\r?\n)")
"""Invisible characters, except a soft hyphen at a line end (a hyphenation, below)."""
_STAGE_ONE = re.compile(f"{_HYPHENATION}|[^\\x00-\\x7f\u00ad]+|\u00ad")
"""What folding changes: a hyphenation, a run of non-ASCII characters, a stray soft hyphen."""
_SPACES = re.compile(r"\s{2,}|[^\S ]")
"""White space that is not already one plain space."""


@dataclass(frozen=True)
class _Map:
    """Where the pieces of a rewritten text came from: for each piece, its start in the
    new text, its start in the old, and whether it was copied (offsets run in step) or
    replaced (every offset inside maps to the start of what it replaced)."""

    new: list[int]
    old: list[int]
    copied: list[bool]

    def add(self, new: int, old: int, copied: bool) -> None:
        self.new.append(new)
        self.old.append(old)
        self.copied.append(copied)

    def __call__(self, offset: int) -> int:
        i = bisect.bisect_right(self.new, offset) - 1
        if i < 0:
            return offset
        return self.old[i] + (offset - self.new[i] if self.copied[i] else 0)


def _rewrite(
    text: str,
    pattern: re.Pattern[str],
    replace: Callable[[str], str],
    lower: bool,
    mapping: _Map | None = None,
) -> str:
    """`pattern.sub(replace)`, with the text between matches lower-cased when `lower` (it
    is then ASCII: same length), recording in `mapping` if given where each piece of the
    new text came from."""
    out: list[str] = []
    new = old = 0
    for match in pattern.finditer(text):
        start, end = match.span()
        if start > old:
            if mapping is not None:
                mapping.add(new, old, True)
            out.append(text[old:start].lower() if lower else text[old:start])
            new += start - old
        piece = replace(match[0])
        if mapping is not None:
            mapping.add(new, start, len(piece) == end - start)  # same length: in step
        out.append(piece)
        new, old = new + len(piece), end
    if mapping is not None:
        mapping.add(new, old, True)
    out.append(text[old:].lower() if lower else text[old:])
    return "".join(out)


class _Folds(dict[int, str]):
    """Each non-ASCII character's folded form, worked out the first time it is seen: a
    text in another script folds at the speed of `str.translate`."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", char).casefold())
        self[code] = "".join(c for c in folded.translate(_QUOTES) if c not in INVISIBLE)
        return self[code]


_FOLDS = _Folds()


def _fold_piece(piece: str) -> str:
    """A run of non-ASCII characters (or a line-break hyphenation) in its folded form."""
    if "\n" in piece:
        return BREAK
    return piece.translate(_FOLDS)


@dataclass(frozen=True)
class Folded:
    """A text in folded form, and the map from its offsets to the (NFC) text it came from."""

    text: str
    source: str
    """The text folded, in NFC: what excerpts are cut from (same lines as the original)."""
    _first: _Map
    _second: _Map

    def origin(self, offset: int) -> int:
        """The offset in `source` where the folded text's `offset` came from."""
        return self._first(self._second(offset))


def fold(text: str) -> Folded:
    """Fold `text`: invisible characters out and NFC first (so NFC and NFD copies become
    one even with a zero-width character inside a letter; line breaks are untouched, so
    line numbers hold), then each non-ASCII character through NFKC and case folding
    (ligatures, full-width forms, ß), quotes and dashes to ASCII, line-break hyphenation
    out, and runs of white space to one space."""
    source = unicodedata.normalize("NFC", _INVISIBLE.sub("", text))
    first, second = _Map([], [], []), _Map([], [], [])
    first_text = _rewrite(source, _STAGE_ONE, _fold_piece, True, first)
    folded = _rewrite(first_text, _SPACES, lambda _: " ", False, second)
    return Folded(folded, source, first, second)


def folded_text(text: str) -> str:
    """`fold(text).text` without the maps back to the source: what a quote's key needs
    (a third of folding it)."""
    source = unicodedata.normalize("NFC", _INVISIBLE.sub("", text))
    return _SPACES.sub(" ", _rewrite(source, _STAGE_ONE, _fold_piece, True))


def normalise(text: str) -> str:
    """Fold quotes, dashes, whitespace, Unicode forms and case so only the words compare."""
    return folded_text(text).replace(BREAK, "").strip()

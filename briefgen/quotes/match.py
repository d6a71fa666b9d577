"""Find a folded quote in a folded text as whole words, or the passage closest to it.

Whole words because a substring test verifies "likely to attack" against "unlikely to
attack" and "legal under" against "illegal under": the opposite of what the source says.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from briefgen.quotes.folding import BREAK, folded_text

MIN_CHARS = 12
"""Shorter than this, a quote matches too many texts to prove anything."""

_IDEOGRAPH = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_WORD = re.compile(f"[{_IDEOGRAPH}]|[^\\W{_IDEOGRAPH}]+")
"""A word: a run of letters and digits, or one ideograph (scripts written without spaces)."""

_MARKS = "\"' "


def quote_key(quote: str) -> str:
    """The folded quote without the quote marks and spaces an analyst may wrap it in."""
    return folded_text(quote).strip(_MARKS)


def too_short(key: str) -> str | None:
    """Why the folded quote is too short to check, or None."""
    key = key.replace(BREAK, "")
    words = len(_WORD.findall(key))
    if not key:
        why = "it is empty"
    elif words == 0:
        why = "it has no words"
    elif words < 2:
        why = "it is one word, which occurs in too many texts to prove anything"
    elif len(key) < MIN_CHARS:
        why = f"it is under {MIN_CHARS} characters, which occur in too many texts"
    else:
        return None
    return f"quote {key!r} is too short to check: {why}; quote a whole phrase or drop `quote:`"


def _hyphenated(key: str) -> str:
    """The folded quote's pattern, where a word broken at a line end in either text
    matches it whole: BREAK may stand between any two letters of the text, and a hyphen
    or BREAK inside a word of the quote may be a hyphen, BREAK or nothing in the text."""
    parts: list[str] = []
    for i, char in enumerate(key):
        inside = 0 < i < len(key) - 1 and key[i - 1].isalnum() and key[i + 1].isalnum()
        if char in "-" + BREAK and inside:
            parts.append(f"[-{BREAK}]?")
            continue
        parts.append(re.escape(char))
        if char.isalnum() and key[i + 1 : i + 2].isalnum():
            parts.append(f"{BREAK}?")
    return "".join(parts)


def pattern(key: str) -> re.Pattern[str]:
    """The folded quote as a pattern that matches it as whole words: no letter or digit
    on either side (nor a digit group: "reach 4" is not in "reach 4,000"), and robust to
    line-break hyphenation in either text."""
    body = _hyphenated(key)
    head = r"(?<!\w)(?<!\d[.,])" if key[:1].isalnum() else ""
    tail = r"(?!\w)(?![.,]\d)" if key[-1:].isalnum() else ""
    return re.compile(head + body + tail)


def find(key: str, text: str) -> tuple[int, int] | None:
    """Where the folded quote first occurs in the folded text as whole words, or None.
    The quote as it stands is looked for first (no pattern to compile: most quotes are
    copied exactly, and a build checks hundreds); only if that fails is the
    hyphenation-tolerant pattern compiled, which matches all the plain search does and
    more."""
    start = text.find(key)
    while start != -1:
        if _whole(key, text, start, start + len(key)):
            return start, start + len(key)
        start = text.find(key, start + 1)
    match = pattern(key).search(text)
    return match.span() if match else None


def _whole(key: str, text: str, start: int, end: int) -> bool:
    """`pattern`'s boundary rules at text[start:end]: no word character either side, no
    digit group ("4" in "4,000", "1" in "3.1") where the quote starts or ends in one."""
    if key[:1].isalnum():
        before = text[max(0, start - 2) : start]
        if (before[-1:] and _is_word(before[-1])) or re.fullmatch(r"\d[.,]", before):
            return False
    if key[-1:].isalnum():
        after = text[end : end + 2]
        if (after[:1] and _is_word(after[0])) or re.fullmatch(r"[.,]\d", after):
            return False
    return True


def _is_word(char: str) -> bool:
    return re.match(r"\w", char) is not None


def part_words(key: str, text: str) -> bool:
    """True when the quote occurs in the text only inside longer words ("unlikely")."""
    return re.search(_hyphenated(key), text) is not None


class Near(NamedTuple):
    """The stretch of a folded text closest to a quote, and how close (0–100)."""

    start: int
    end: int
    score: float


_NEEDLE = 160
"""How much of a long quote the closest-passage search aligns: its cost grows with the
quote's length times the text's (a 5,000-character quote took 30 s on a 5 MB text)."""


def closest(key: str, text: str) -> Near | None:
    """The window of `text` about the quote's length that best matches it (rapidfuzz's
    partial alignment of the quote's start, then as long as the quote), or None for an
    empty text."""
    from rapidfuzz import fuzz  # only for a quote not found as written (8 ms to import)

    if not text.strip():
        return None
    found = fuzz.partial_ratio_alignment(key[:_NEEDLE], text)
    if found is None:
        return None
    end = found.dest_end if len(key) <= _NEEDLE else found.dest_start + len(key)
    return Near(found.dest_start, min(end, len(text)), found.score)

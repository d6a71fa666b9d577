"""The refusals: what the grammar will not guess, each with how to write it instead."""

from __future__ import annotations

import re

from briefgen.estimates.numbers import Number

EXAMPLES = (
    "write it as e.g. 'about 11,000', '10,000 to 12,000', 'more than 3,000' or "
    "'up to 4,000', or give low: and high:"
)

_VAGUE = re.compile(
    r"\b(?:tens|hundreds|thousands|millions|billions|dozens|scores|several|a few|"
    r"a handful|many|numerous|countless|a number of)\b",
    re.IGNORECASE,
)
_WORDS = re.compile(
    r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|"
    r"thirty|forty|fifty|sixty|seventy|eighty|ninety|a|half a|a half)\s+"
    r"(?:hundred|thousand|million|billion|trillion|dozen)\b|\b(?:one|two|three|four|five|"
    r"six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty)\b",
    re.IGNORECASE,
)
_SCIENTIFIC = re.compile(r"\d(?:[.,]\d+)?\s*(?:e[+-]?\d|[x×]\s*10\s*(?:\^|\*\*))", re.I)
_NEGATIVE = re.compile(r"^[^\d–-]*[–-]\s?(?:us\$|[$€£])?\d", re.IGNORECASE)
"""A dash before the first digit: a minus sign (after it, a dash is a range's)."""
_CONTRADICTION = {
    frozenset({"upper bound", "lower bound"}),
    frozenset({"high end", "lower bound"}),
    frozenset({"high end", "upper bound"}),
}


def refuse_whole(text: str, cleaned: str) -> None:
    """Refuse at once what no reading of the parts could fix."""
    if _SCIENTIFIC.search(cleaned):
        raise ValueError(
            f"{text!r} is in scientific notation, which reports do not use and readers "
            "misread; write the number with a scale word (e.g. '1 billion' for 1e9) or in "
            "full (1,000,000,000)"
        )
    if _NEGATIVE.search(cleaned):
        raise ValueError(
            f"{text!r} is negative; an estimate counts something: write its size (e.g. "
            "'5%') and say in the quantity which way it moved (e.g. 'fall in GDP')"
        )
    if not re.search(r"\d", cleaned):
        raise refuse_unreadable(text, cleaned)


def refuse_unreadable(text: str, cleaned: str) -> ValueError:
    """The message for text with no number the grammar can read where it expects one."""
    start = f"cannot read a number from {text!r}; {EXAMPLES}"
    if _WORDS.search(cleaned):
        return ValueError(f"{start} (numbers in digits: '5,000' for 'five thousand')")
    if not re.search(r"\d", cleaned) and _VAGUE.search(cleaned):
        return ValueError(
            f"{start} (it states no number, as 'tens of thousands' or 'hundreds' do, and "
            "the brief will not invent one: give the figure or the bound the source states, "
            "in digits, e.g. 'more than 10,000' only where the source says so)"
        )
    return ValueError(start)


def combine(text: str, before: str | None, after: str | None) -> str | None:
    """The kind that the qualifiers before and after the number say together."""
    if before is None or after is None or before == after:
        return before or after
    if frozenset({before, after}) in _CONTRADICTION:
        raise ValueError(
            f"{text!r} contradicts itself: it says both {_says(before)} and {_says(after)}; "
            "keep the one the source means (e.g. 'up to 4,000' or 'at least 4,000')"
        )
    if "approximate" in (before, after):  # `about 300 or more`, `up to 300 or so`
        return after if before == "approximate" else before
    return after  # pragma: no cover - every pair of distinct kinds is handled above


def _says(kind: str) -> str:
    return {
        "upper bound": "a most (up to, at most, or fewer)",
        "lower bound": "a least (more than, at least, +, or more)",
        "high end": "a high-end figure (could reach, as high as)",
        "approximate": "an approximation",
    }[kind]


def refuse_range_words(text: str, first: Number, second: Number) -> ValueError:
    """A range under a bound's words: `up to 10,000–12,000`, `more than 4 to 5 million`."""
    return ValueError(
        f"{text!r} puts a bound's words (up to, more than, at most…) on a range; write the "
        "range alone ('10,000 to 12,000'), or the bound alone ('up to 12,000'), as the "
        "source says it"
    )


def unit_of_range(text: str, first: Number, second: Number) -> str | None:
    """One unit for both ends: written on either end (`$5–7 million`, `30–35%`), or both."""
    if first.unit and second.unit and first.unit != second.unit:
        raise ValueError(
            f"{text!r} gives its two ends in different units ({first.unit} and "
            f"{second.unit}); write one unit, or two estimates"
        )
    return first.unit or second.unit

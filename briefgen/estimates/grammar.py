"""Read an estimate as an analyst writes it: `about 11,000`, `15 to 30,000`, `$7mn or more`.

The grammar is: [qualifier] [between|from] NUMBER [(to|–|-|and|or) NUMBER] [rest], where
the rest may carry a qualifier of its own (`or so`, `at most`, `or fewer`, `or more`,
`plus`) but no other number. A NUMBER is read by numbers.py. Whatever could be read two
ways is refused with a message saying how to write it: a silently wrong figure in an
estimate is worse than an error.

Two conventions, both shown in the brief's reading column beside the text:
- a scale word after a range applies to both ends: `1.2–1.5 million`, `2 to 3 dozen`;
  when that would make the range run backwards (`800 to 1.2 million`) it is refused;
- a bare whole number before a thousands-grouped one takes its magnitude when the result
  is still a range: `15 to 30,000` is 15,000–30,000 (no report means "fifteen to thirty
  thousand people" as 15–30,000), while `800 to 1,200` stays as written.
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal

from briefgen.estimates.format import format_number
from briefgen.estimates.numbers import Number, exact, read_number
from briefgen.estimates.reading import Reading

_APPROX = (
    "approximately", "approx.", "approx", "about", "around", "roughly", "some", "nearly",
    "almost", "close to", "an estimated", "estimated", "circa", "ca.", "c.", "~", "≈",
    "an approximate", "upwards of about",
)  # fmt: skip
_LOWER = (
    "more than", "over", "at least", "in excess of", "upwards of", "upward of", "above",
    "exceeding", "no fewer than", "no less than", "not less than", "a minimum of",
    "minimum of", "north of", "≥", ">=", ">",
)  # fmt: skip
_UPPER = (
    "up to", "as many as", "as much as", "fewer than", "less than", "no more than",
    "not more than", "at most", "under", "below", "a maximum of", "maximum of", "max.",
    "not exceeding", "≤", "<=", "<",
)  # fmt: skip
_STRICT = frozenset(
    ("more than", "over", "in excess of", "upwards of", "upward of", "above", "exceeding",
     "north of", ">", "fewer than", "less than", "under", "below", "<")
)  # fmt: skip
"""Bounds that exclude their figure: `more than 3,000` is > 3,000, `at least 3,000` ≥."""

_HIGH = (
    "could reach", "may reach", "might reach", "could rise to", "could climb to",
    "could be as high as", "could be as many as", "may be as many as", "possibly as many as",
    "perhaps as many as", "potentially as many as", "as high as", "could total",
)  # fmt: skip
_ADVERB = r"(?:just|well|slightly|somewhat|a little|far|considerably|significantly)\s+"
"""`well over`, `just under`: the bound stands; the adverb adds nothing a reading can hold."""

_SUFFIX = {
    "lower bound": ("or more", "or over", "or above", "or higher", "or greater", "and more",
                    "and above", "and over", "plus", "at least", "at a minimum"),
    "upper bound": ("or fewer", "or less", "or under", "or below", "at most", "at the most",
                    "at maximum", "at the maximum", "at the very most", "max", "maximum"),
    "high end": ("(high end)", "at the high end", "at the upper end", "high end"),
    "approximate": ("or so", "or thereabouts", "give or take", "approximately", "roughly",
                    "or about"),
}  # fmt: skip


def _alternation(phrases: tuple[str, ...]) -> str:
    ordered = sorted(phrases, key=len, reverse=True)
    return "|".join(re.escape(p) + (r"(?![a-z])" if p[-1].isalpha() else "") for p in ordered)


_WORDS = re.IGNORECASE | re.ASCII
"""The phrases are ASCII and are matched against `_clean`ed text (its spaces all plain):
ASCII case folding reads them alike, and compiles these patterns in 3 ms instead of 20 ms,
paid by every command that reads a figure (`check` among them)."""

_PREFIX = re.compile(
    rf"(?:{_ADVERB})?(?:(?P<high>{_alternation(_HIGH)})|(?P<upper>{_alternation(_UPPER)})"
    rf"|(?P<lower>{_alternation(_LOWER)})|(?P<approx>{_alternation(_APPROX)}))\s*",
    _WORDS,
)
_SUFFIXES = {
    kind: re.compile(rf"(?<![a-z])(?:{_alternation(words)})", _WORDS)
    for kind, words in _SUFFIX.items()
}
_FILLER = re.compile(r"(?:(?:a|an|the)\s+)?(?:total\s+of|figure\s+of|toll\s+of)\s+", _WORDS)
_OPENER = re.compile(r"(?P<between>between|from)\s+", _WORDS)
_SEPARATOR = re.compile(r"\s*(?:(?P<dash>–|-)|(?P<word>to|through|and|or))\s*", _WORDS)


def parse_estimate(text: str, locale: str = "en") -> Reading:
    """Read the estimate as written; raise ValueError saying what to write instead."""
    from briefgen.estimates.refusals import refuse_unreadable, refuse_whole

    cleaned = _clean(text)
    refuse_whole(text, cleaned)
    pos = _skip(_FILLER, cleaned, 0)
    prefix = _PREFIX.match(cleaned, pos)
    kind = _prefix_kind(prefix)
    pos = prefix.end() if prefix else pos
    opener = _OPENER.match(cleaned, pos)
    pos = opener.end() if opener else pos
    first = read_number(cleaned, pos, locale)
    if first is None:
        raise refuse_unreadable(text, cleaned)
    second, end = _second(cleaned, first, bool(opener and opener["between"]), locale)
    rest = cleaned[end:]
    if re.search(r"\d", rest):
        raise ValueError(
            f"{text!r} holds more than one number; write one estimate per quantity "
            "(e.g. killed and wounded as two rows), or give low: and high:"
        )
    if opener and second is None:
        raise refuse_unreadable(text, cleaned)
    suffix = _suffix_kind(text, rest)
    if second is None:
        reading = _point(text, first, kind, suffix)
        strict = _strict(prefix) and reading.qualifier in ("lower bound", "upper bound")
        return replace(reading, strict=True) if strict else reading
    return _range(text, first, second, kind, suffix)


def _strict(prefix: re.Match[str] | None) -> bool:
    """True when the bound the prefix wrote excludes its figure (`more than`, `under`)."""
    if prefix is None:
        return False
    words = prefix["lower"] or prefix["upper"] or ""
    return " ".join(words.lower().split()) in _STRICT


def _clean(text: str) -> str:
    """Fold spaces, set every dash to an en dash, drop a closing full stop."""
    cleaned = " ".join(text.split())
    cleaned = re.sub("[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]", "–", cleaned)
    return cleaned.rstrip(".;,").strip()


def _skip(pattern: re.Pattern[str], text: str, pos: int) -> int:
    match = pattern.match(text, pos)
    return match.end() if match else pos


def _prefix_kind(prefix: re.Match[str] | None) -> str | None:
    if prefix is None:
        return None
    for group, kind in (("high", "high end"), ("upper", "upper bound"), ("lower", "lower bound")):
        if prefix[group]:
            return kind
    return "approximate"


def _second(text: str, first: Number, between: bool, locale: str) -> tuple[Number | None, int]:
    """The range's second number and where it ends, or (None, end of the first)."""
    separator = _SEPARATOR.match(text, first.end)
    if not separator:
        return None, first.end
    word = (separator["word"] or "").lower()
    if (word == "and") != between and not (between and word == "to"):
        return None, first.end
    second = read_number(text, separator.end(), locale)
    if second is None:
        return None, first.end
    return second, second.end


def _suffix_kind(text: str, rest: str) -> str | None:
    """The qualifier written after the number (`or so`, `at most`, `or more`)."""
    found = [kind for kind, pattern in _SUFFIXES.items() if pattern.search(rest)]
    if len(found) > 1:
        raise ValueError(
            f"{text!r} qualifies its number twice ({' and '.join(found)}); keep the one the "
            "source means"
        )
    return found[0] if found else None


def _point(text: str, number: Number, prefix: str | None, suffix: str | None) -> Reading:
    """One number, with what the words before and after it say."""
    from briefgen.estimates.refusals import combine

    if number.plus:
        suffix = combine(text, suffix, "lower bound") if suffix else "lower bound"
    kind = combine(text, prefix, suffix)
    value, unit, scale = number.value, number.unit, number.scale
    approx = "approximate" in (prefix, suffix)
    if kind == "lower bound":
        return Reading(value, None, kind, unit, approx=approx, scale=scale)
    if kind in ("upper bound", "high end"):
        return Reading(None, value, kind, unit, approx=approx, scale=scale)
    return Reading(value, value, kind or "exact", unit, approx=approx, scale=scale)


def _range(
    text: str, first: Number, second: Number, prefix: str | None, suffix: str | None
) -> Reading:
    """Two numbers: a range, maybe approximate, maybe open at the top."""
    from briefgen.estimates.refusals import refuse_range_words, unit_of_range

    if prefix not in (None, "approximate") or suffix in ("upper bound", "high end"):
        raise refuse_range_words(text, first, second)
    if first.plus:
        raise ValueError(
            f"{text!r} has a + on the lower end of a range; write the range "
            "(4,000–10,000), or the open end at the top (4,000–10,000+)"
        )
    low = _low_end(text, first, second)
    high = second.value
    if low > high:
        raise ValueError(f"the range {text!r} runs backwards; write the lower number first")
    open_high = second.plus or suffix == "lower bound"
    approx = "approximate" in (prefix, suffix)
    unit = unit_of_range(text, first, second)
    return Reading(
        low, high, "range", unit, open_high=open_high, approx=approx,
        scale=second.scale or first.scale,
    )  # fmt: skip


def _low_end(text: str, first: Number, second: Number) -> Decimal:
    """The range's low end, with the scale the analyst left to the high end to say."""
    if first.scale is None and not first.grouped and second.scale is not None:
        low = exact(first.value * second.factor)  # 1.2–1.5 million: 1200000, not 1200000.0
        if low > second.value:
            literal, thousands = first.value, first.value * 1000
            raise ValueError(
                f"{text!r} is ambiguous: the scale word after the range would make it run "
                "backwards; write both ends in full, e.g. "
                f"'{format_number(literal)} to {format_number(second.value)}' or "
                f"'{format_number(thousands)} to {format_number(second.value)}'"
            )
        return low
    if first.bare and second.grouped and second.scale is None:
        scaled = first.value * Decimal(1000) ** second.groups
        if scaled < second.value:  # `1 to 1,000` stays 1–1,000, not an empty range
            return scaled  # `15 to 30,000` → 15,000–30,000
    return first.value

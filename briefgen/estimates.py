"""Read the numbers out of an estimate as an analyst writes it.

`about 11,000` is a point, `10,000 to 12,000` a range, `more than 3,000` a lower bound and
`up to 4,000` an upper bound. Keeping the words and the numbers side by side lets the brief
quote the estimator exactly while charts and diffs compare like with like.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

_NUMBER = r"\$?\s*\d[\d,]*(?:\.\d+)?(?:\s*(?:k|thousand|million|m|billion|bn)\b)?\+?"
_SCALE = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "billion": 1e9, "bn": 1e9}

_APPROX = (
    "about|around|approximately|approx\\.?|roughly|some|an estimated|estimated|nearly|almost|"
    "close to|circa|c\\.|~"
)
_LOWER = "more than|over|at least|in excess of|upwards of|above|exceeding|>|≥|no fewer than"
_UPPER = "up to|fewer than|less than|under|at most|no more than|below|<|≤"

_RANGE_RE = re.compile(
    rf"^(?:between\s+)?(?P<a>{_NUMBER})\s*(?:to|and|-|–|—)\s*(?P<b>{_NUMBER})", re.IGNORECASE
)
_QUALIFIED_RE = re.compile(
    rf"^(?:(?P<approx>{_APPROX})|(?P<lower>{_LOWER})|(?P<upper>{_UPPER}))?\s*(?P<n>{_NUMBER})",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ParsedEstimate:
    """An estimate's numeric reading: `low` and/or `high`, and how the text qualified it."""

    low: float | None
    high: float | None
    qualifier: str
    """One of: exact, approximate, range, lower bound, upper bound, given."""

    @property
    def midpoint(self) -> float | None:
        """A single value to sort or plot by: the middle of a range, or the one bound."""
        if self.low is not None and self.high is not None:
            return (self.low + self.high) / 2
        return self.low if self.low is not None else self.high


def parse_number(text: str) -> float:
    """`11,000` → 11000.0; `1.5 million` → 1500000.0; `$2,000` → 2000.0."""
    match = re.fullmatch(
        r"\$?\s*(\d[\d,]*(?:\.\d+)?)\s*(k|thousand|million|m|billion|bn)?\+?",
        text.strip(),
        re.IGNORECASE,
    )
    if not match:
        raise ValueError(f"cannot read a number from {text!r}")
    value = float(match.group(1).replace(",", "")) * _SCALE.get((match.group(2) or "").lower(), 1)
    if not math.isfinite(value) or value > 1e15:
        raise ValueError(f"{text!r} is too large a number for an estimate")
    return value


def parse_estimate(text: str) -> ParsedEstimate:
    """Parse the estimate as written; raise ValueError saying what to write instead."""
    cleaned = " ".join(text.split())
    cleaned = re.sub(r"^(?:an?\s+)?(?:total\s+of\s+)", "", cleaned, flags=re.IGNORECASE)
    if match := _RANGE_RE.match(cleaned):
        _one_estimate(text, cleaned[match.end() :])
        low, high = parse_number(match["a"]), parse_number(match["b"])
        if not _has_scale(match["a"]) and _has_scale(match["b"]):  # "10 to 12 thousand"
            low *= _SCALE[_has_scale(match["b"])]
        if low > high:
            raise ValueError(f"the range {text!r} runs backwards; write the lower number first")
        return ParsedEstimate(low, high, "range")
    if match := _QUALIFIED_RE.match(cleaned):
        rest = cleaned[match.end() :]
        _one_estimate(text, rest)
        value = parse_number(match["n"])
        plus = match["n"].endswith("+") or re.match(r"\s*(?:plus|or more)\b", rest, re.I)
        if match["lower"] or plus:
            return ParsedEstimate(value, None, "lower bound")
        if match["upper"]:
            return ParsedEstimate(None, value, "upper bound")
        return ParsedEstimate(value, value, "approximate" if match["approx"] else "exact")
    raise ValueError(
        f"cannot read a number from {text!r}; write it as e.g. 'about 11,000', "
        "'10,000 to 12,000', 'more than 3,000' or 'up to 4,000', or give low: and high:"
    )


def _has_scale(number: str) -> str:
    """The scale word a number ends with (`thousand`, `m`), lowercased, or ''."""
    match = re.search(r"(k|thousand|million|m|billion|bn)\+?$", number.strip(), re.IGNORECASE)
    return match[1].lower() if match else ""


def _one_estimate(text: str, rest: str) -> None:
    """Refuse `300 dead and 2,700 wounded`: two quantities need two estimates."""
    if re.search(r"\d", rest):
        raise ValueError(
            f"{text!r} holds more than one number; write one estimate per quantity "
            "(e.g. killed and wounded as two rows), or give low: and high:"
        )


def format_number(value: float) -> str:
    """11000.0 → '11,000'; 2.5 → '2.5'."""
    return f"{value:,.0f}" if value == int(value) else f"{value:,}"

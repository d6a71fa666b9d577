"""Number tokens: digits in the workspace's number style, scale words, currencies, percent.

Every value is a `Decimal` built from the characters the analyst typed, so `4.1 million`
is 4,100,000 exactly and never 4,099,999.9999999995. A token that could mean two
different numbers (`12.000` is twelve in English and twelve thousand in German) is
refused with a message saying how to write it, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

LOCALES = ("en", "de", "fr")
"""Number styles a workspace may declare ([notes] number_locale): en `12,000.5`,
de `12.000,5`, fr `12 000,5`."""

MAX_VALUE = Decimal(10) ** 15
"""Nothing an estimate counts comes near a quadrillion; a larger number is a typo."""

_SCALES: dict[str, tuple[str, Decimal]] = {
    "k": ("thousand", Decimal(1000)),
    "thousand": ("thousand", Decimal(1000)),
    "hundred": ("hundred", Decimal(100)),
    "dozen": ("dozen", Decimal(12)),
    "m": ("million", Decimal(10) ** 6),
    "mn": ("million", Decimal(10) ** 6),
    "mln": ("million", Decimal(10) ** 6),
    "million": ("million", Decimal(10) ** 6),
    "bn": ("billion", Decimal(10) ** 9),
    "bln": ("billion", Decimal(10) ** 9),
    "billion": ("billion", Decimal(10) ** 9),
    "tn": ("trillion", Decimal(10) ** 12),
    "trn": ("trillion", Decimal(10) ** 12),
    "trillion": ("trillion", Decimal(10) ** 12),
}
"""English scale words and abbreviations (Reuters writes `mln`/`bln`, the FT `mn`/`bn`)."""

_GERMAN_SCALES: dict[str, tuple[str, Decimal]] = {
    "tsd": ("thousand", Decimal(1000)),
    "tausend": ("thousand", Decimal(1000)),
    "mio": ("million", Decimal(10) ** 6),
    "millionen": ("million", Decimal(10) ** 6),
    "mrd": ("billion", Decimal(10) ** 9),
    "milliarden": ("billion", Decimal(10) ** 9),
}
"""German abbreviations, read only when the workspace's number style is `de`
(a German `Billion` is 10^12, so the word itself is never read)."""

_FRENCH_SCALES: dict[str, tuple[str, Decimal]] = {
    "millions": ("million", Decimal(10) ** 6),
    "milliard": ("billion", Decimal(10) ** 9),
    "milliards": ("billion", Decimal(10) ** 9),
    "md": ("billion", Decimal(10) ** 9),
    "mds": ("billion", Decimal(10) ** 9),
}

_CURRENCIES = {
    "$": "USD",
    "us$": "USD",
    "usd": "USD",
    "dollars": "USD",
    "us dollars": "USD",
    "€": "EUR",
    "eur": "EUR",
    "euros": "EUR",
    "£": "GBP",
    "gbp": "GBP",
}
PERCENT = "%"

_DIGITS = r"\d+(?:[.,]\d+)*(?:[ \u00a0\u202f]\d{3}(?![\d.,]\d))*"
"""Loosely: digits with any separators; `value()` then reads them by the number style."""
_ALL_SCALES = "|".join(sorted({*_SCALES, *_GERMAN_SCALES, *_FRENCH_SCALES}, key=len, reverse=True))
_UNIT_AFTER = r"%|per ?cent\b|percent\b|pct\b|usd\b|eur\b|gbp\b|€|(?:us )?dollars\b|euros\b"

TOKEN = re.compile(
    rf"(?P<cur>us\$|\$|€|£|(?:usd|eur|gbp)\b ?)? ?(?P<digits>{_DIGITS})"
    rf"(?: ?(?P<scale>{_ALL_SCALES})(?![\w])\.?)?(?P<plus>\+)?"
    rf"(?: ?(?P<unit>{_UNIT_AFTER}))?(?P<plus2>\+)?",
    re.IGNORECASE,
)
"""One number as written: `$7mn`, `1.2–` (its first half), `33.5 per cent`, `10,000+`."""


@dataclass(frozen=True)
class Number:
    """One number token, read."""

    value: Decimal
    """Its value with its own scale applied."""
    digits: Decimal
    """Its value before the scale (`1.5` of `1.5 million`)."""
    factor: Decimal
    """What its scale word multiplies by (1 without one)."""
    scale: str | None
    """`thousand`, `million`, … as a word, or None."""
    unit: str | None
    """`USD`, `EUR`, `GBP`, `%` or None."""
    plus: bool
    """Written with a trailing `+` (`10,000+`)."""
    grouped: bool
    """Written with thousands separators (`30,000`), which tells its magnitude."""
    bare: bool
    """A whole number with no separators, scale or decimals (`15`)."""
    groups: int
    """How many thousands groups follow the first (`30,000` → 1, `1,200,000` → 2)."""
    end: int
    """Where the token ends in the text it was read from."""


def read_number(text: str, pos: int, locale: str) -> Number | None:
    """The number token that starts at `pos` (after spaces), or None."""
    match = TOKEN.match(text, pos)
    if not match:
        return None
    raw = match["digits"]
    scale_word = (match["scale"] or "").lower()
    unit = _unit(match["cur"], match["unit"])
    digits, grouped, groups = value(raw, locale, scaled=bool(scale_word) or unit == PERCENT)
    scale, factor = _scale(scale_word, locale)
    number = exact(digits * factor) if factor != 1 else digits
    if number > MAX_VALUE:
        raise ValueError(
            f"{match[0].strip()!r} is larger than any estimate counts (over 10^15); check "
            "the number"
        )
    bare = not grouped and factor == 1 and raw.isdigit()
    plus = bool(match["plus"] or match["plus2"])
    return Number(number, digits, factor, scale, unit, plus, grouped, bare, groups, match.end())


def exact(number: Decimal) -> Decimal:
    """`1.5 million` → 1500000, not 1500000.0: a scaled whole number prints as one."""
    if number == number.to_integral_value():
        return number.quantize(Decimal(1))
    return number.normalize()


def _unit(prefix: str | None, suffix: str | None) -> str | None:
    """The token's unit; a currency before and a different one after is refused."""
    before = _CURRENCIES[prefix.strip().lower()] if prefix else None
    after = None
    if suffix:
        word = " ".join(suffix.lower().split())
        after = PERCENT if word in ("%", "per cent", "percent", "pct") else _CURRENCIES[word]
    if before and after and before != after:
        raise ValueError(
            f"{prefix}…{suffix} names two units for one number; write one (e.g. $2,000 or "
            "2,000 USD)"
        )
    return before or after


def _scale(word: str, locale: str) -> tuple[str | None, Decimal]:
    """The scale word's name and factor, by the workspace's number style."""
    if not word:
        return None, Decimal(1)
    if word in _SCALES:
        return _SCALES[word]
    table = {"de": _GERMAN_SCALES, "fr": _FRENCH_SCALES}.get(locale, {})
    if word in table:
        return table[word]
    raise ValueError(
        f"{word!r} is a scale word of another language's number style; write it in English "
        "(thousand, million, billion) or set [notes] number_locale in briefgen.toml "
        f"({', '.join(repr(name) for name in LOCALES)})"
    )


def value(raw: str, locale: str = "en", scaled: bool = False) -> tuple[Decimal, bool, int]:
    """The digits of a token by the number style: (value, grouped, thousands groups).

    `scaled` says a scale word or a percent sign follows, which settles `1.500 million`
    and `2.125%` as decimals in English.
    """
    group, point = {"en": (",", "."), "de": (".", ","), "fr": (" ", ",")}[locale]
    text = re.sub("[\u00a0\u202f]", " ", raw)
    if len(text) > 30:
        raise ValueError(f"{raw!r} has more digits than any estimate needs; check the number")
    whole, _, fraction = text.partition(point)
    if point in fraction:
        raise _style(raw, locale, "has two decimal marks")
    parts = whole.split(group) if group in whole else [whole]
    if any(not p.isdigit() for p in parts) or (fraction and not fraction.isdigit()):
        spaced = " " in text and group != " "
        raise _style(
            raw,
            locale,
            "groups thousands with spaces"
            if spaced
            else "mixes separators of different number styles",
        )
    if len(parts) > 1 and (len(parts[0]) > 3 or any(len(p) != 3 for p in parts[1:])):
        decimal_mark = len(parts) == 2 and not fraction and group in ",."
        raise _style(
            raw,
            locale,
            f"has {group!r} as a decimal mark" if decimal_mark else "is not grouped in thousands",
        )
    if _ambiguous(whole, fraction, len(parts) > 1, scaled):
        raise _style(raw, locale, "could be read two ways")
    number = Decimal("".join(parts) + ("." + fraction if fraction else ""))
    return number, len(parts) > 1, len(parts) - 1


def _ambiguous(whole: str, fraction: str, grouped: bool, scaled: bool) -> bool:
    """`12.000` (English) or `12,000` (German): a decimal mark before exactly three digits
    reads as a thousands separator in the other style; only a scale word or % settles it."""
    return (
        not grouped and not scaled and len(fraction) == 3 and 1 <= len(whole) <= 3 and whole != "0"
    )


def _style(raw: str, locale: str, what: str) -> ValueError:
    """The refusal of a number not written in the workspace's number style."""
    examples = {
        "en": "12,000 for twelve thousand, 12.5 for twelve and a half",
        "de": "12.000 for twelve thousand, 12,5 for twelve and a half",
        "fr": "12 000 for twelve thousand, 12,5 for twelve and a half",
    }[locale]
    hint = (
        "; a workspace whose notes use another style declares it: [notes] number_locale = "
        '"de" (12.000,5) or "fr" (12 000,5) in briefgen.toml'
        if locale == "en"
        else ""
    )
    return ValueError(
        f"{raw!r} {what} in the workspace's number style ({locale!r}); write {examples}{hint}"
    )


def has_scale_word(word: str) -> bool:
    """True for a scale word of any style (for refusing `1,2 Mio.` in English)."""
    return word.lower() in _SCALES or word.lower() in _GERMAN_SCALES

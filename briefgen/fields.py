"""The scalar fields of the notes: text, web addresses, bounds, dates.

Each is an annotated type that cleans or refuses one value as it is read, so that every
model field of that kind behaves the same. Context-dependent checks (the caps of
briefgen.toml, the edition date) read the validation context validate.py passes in.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    Field,
    PlainSerializer,
    PlainValidator,
    ValidationInfo,
)

from briefgen.bidi import unbalanced
from briefgen.caps import Limits
from briefgen.dates import When, parse_when
from briefgen.estimates.bounds import bound
from briefgen.urls import check_url


def _clean(value: str, limits: Limits | None = None) -> str:
    """Fold YAML's line breaks and stray spaces, and set quotes typographically.

    Analysts type straight quotes; a brief prints curly ones. Doing it here, once, means
    the PDF, the DOCX and every later comparison see the same text. The field's size cap
    is checked first (before any copy is made), and its bidi controls must be balanced.
    """
    if too_long := (limits or Limits()).field_problem(value):
        raise ValueError(too_long)
    text = " ".join(value.split())
    if not text:
        raise ValueError("is empty; write the text or remove the key")
    if bad := _NOT_XML.search(text):
        raise ValueError(
            f"contains the control character U+{ord(bad[0]):04X}, which PDF and Word "
            "documents cannot hold; remove it (it is often pasted in by accident)"
        )
    if problem := unbalanced(text):
        raise ValueError(problem)
    return smart_quotes(text)


def _url(value: str, info: ValidationInfo) -> str:
    """A web address through the one URL policy (briefgen/urls.py), in its printed form:
    ASCII, the host as its A-label."""
    return check_url(value, limits_of(info).url_chars).url


Url = Annotated[str, Field(strict=True, json_schema_extra={"format": "uri"}), AfterValidator(_url)]
"""An http(s) address with a host, no user name or password, no invisible characters."""


def _bound(value: Any, info: ValidationInfo) -> Decimal | None:
    return bound(value, limits_of(info).number_locale)


def _plain_bound(value: Decimal | None) -> int | float | str | None:
    """A bound as YAML and JSON write numbers: exactly (a string only if a float cannot be)."""
    if value is None or value == value.to_integral_value():
        return None if value is None else int(value)
    return float(value) if Decimal(repr(float(value))) == value else str(value)


Bound = Annotated[
    Decimal | None,
    BeforeValidator(_bound, json_schema_input_type=float | None),
    PlainSerializer(_plain_bound),
    Field(json_schema_extra={"type": "number"}),
]
"""An explicit low:/high:: a number as written (never a YAML yes/no), read exactly."""


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
"""Characters XML 1.0 forbids; YAML's escapes (`"\\a"`, `"\\x07"`) can still produce them."""


_OPENS_AFTER = " ([{\u2014\u2013/-"


def smart_quotes(text: str) -> str:
    """`"a" isn't` → `“a” isn’t`: a quote opens at the start or after a space or bracket."""
    if '"' in text:
        text = _OPENING_DOUBLE.sub("\u201c", text).replace('"', "\u201d")
    if "'" in text:
        text = _OPENING_SINGLE.sub(_single, text).replace("'", "\u2019")
    return text


_AFTER_OPENER = "(?<![^" + re.escape(_OPENS_AFTER) + "])"
"""At the start of the text, or after one of _OPENS_AFTER."""
_OPENING_DOUBLE = re.compile(_AFTER_OPENER + '"')
_OPENING_SINGLE = re.compile(_AFTER_OPENER + "'(?=.)", re.DOTALL)


def _single(match: re.Match[str]) -> str:
    """An opening single quote, if a letter follows; else an apostrophe (`'90s`)."""
    return "\u2018" if match.string[match.end()].isalpha() else "\u2019"


def _clean_field(value: str, info: ValidationInfo) -> str:
    """_clean with the caps of this validation (briefgen.toml's, from the context)."""
    return _clean(value, limits_of(info))


Text = Annotated[str, Field(strict=True), AfterValidator(_clean_field)]
"""A non-empty string. Strict, so that YAML's `no` or `1e3` is not quietly turned into text."""


def _to_date(value: Any) -> Any:
    """Accept a YAML date or an ISO `YYYY-MM-DD` string, and nothing looser.

    Pydantic's lax mode would take a Unix timestamp or a datetime and drop its time;
    a brief's dates are days, written as days.
    """
    if isinstance(value, dt.datetime):
        raise ValueError(f"{value.isoformat()} is a timestamp; write a date as YYYY-MM-DD")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"{value!r} is not a day of the calendar") from None
    raise ValueError(f"not a date ({value!r}); write YYYY-MM-DD")


Date = Annotated[dt.date, BeforeValidator(_to_date)]


def _when_out(value: When) -> dt.date | str:
    """As written: a day stays a YAML date (unquoted on carry-over), the rest their text."""
    return value.start if value.is_day else str(value)


FuzzyDate = Annotated[
    When,
    PlainValidator(parse_when, json_schema_input_type=str),
    PlainSerializer(_when_out),
]
"""A date as precise as the source (briefgen/dates.py): `2025-01-24`, `2024-10`, `2024-Q4`,
`2023-04/2024-06`, `..2025-01-24`."""


def mark_inferred(model: BaseModel, field: str, reason: str | None) -> None:
    """Carry the sibling `…_inferred:` reason into the date itself, so every consumer (table,
    chart, export) sees it. A sibling key, not a mapping under the date: an analyst types
    `as_of_inferred: undated in the feed, placed between 31 Oct and 7 Nov` with its commas
    unquoted, which a flow mapping `{date: …, inferred: …}` would not take, and the date
    stays a plain scalar that sorts, diffs and greps as before."""
    value = getattr(model, field)
    if reason and isinstance(value, When):
        object.__setattr__(model, field, value.with_inferred(reason))  # frozen model


def not_after_edition(value: When, info: ValidationInfo, what: str) -> None:
    """An as-of date may not start after the edition; a month, quarter, season or year
    that holds the edition day is allowed (the source said "this month"), but an explicit
    span or "by" must end by the edition: it states the figure held on its last day."""
    edition = context_of(info).get("edition")
    if not isinstance(edition, dt.date) or value.end <= edition:
        return
    if value.is_day:  # the message analysts know
        raise ValueError(
            f"{value} is after the edition date {edition}; an estimate cannot be "
            "as of a day the brief has not reached"
        )
    if value.start > edition:
        raise ValueError(
            f"{what} {value} ({value.label(marked=False)}) starts after the edition date "
            f"{edition}; an estimate cannot be as of a time the brief has not reached"
        )
    if value.precision in ("span", "by"):
        raise ValueError(
            f"{what} {value} ends {value.end}, after the edition date {edition}; end the "
            f"span by the edition (…/{edition.isoformat()}) or give the month it falls in"
        )


def context_of(info: ValidationInfo) -> dict[str, Any]:
    return info.context if isinstance(info.context, dict) else {}


def limits_of(info: ValidationInfo) -> Limits:
    """The caps validate.py passes in the context; the defaults otherwise."""
    limits = context_of(info).get("limits")
    return limits if isinstance(limits, Limits) else Limits()


SourceId = Annotated[str, Field(strict=True, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")]
"""A registry id: letters, digits, `.`, `_` and `-`, as file names and anchors allow."""


def parse_lines(value: Any) -> tuple[int, int]:
    """`8` or `"8-12"` → (8, 12): a passage of a source text, 1-based and inclusive."""
    text = str(value).strip() if isinstance(value, int | str) else ""  # True is "True"
    match = re.fullmatch(r"(\d{1,7})(?:\s*[-\u2013]\s*(\d{1,7}))?", text)
    if match is None:
        raise ValueError(
            f'{value!r} is not a line range; write one line (8) or a range ("8-12"), '
            "counted from 1 in the text file"
        )
    first, last = int(match[1]), int(match[2] or match[1])
    if first < 1 or last < first:
        raise ValueError(f'{value!r}: lines count from 1 and a range runs forward ("8-12")')
    return first, last


def _lines_out(value: tuple[int, int]) -> int | str:
    return value[0] if value[0] == value[1] else f"{value[0]}-{value[1]}"


Lines = Annotated[
    tuple[int, int],
    PlainValidator(parse_lines, json_schema_input_type=int | str),
    PlainSerializer(_lines_out),
]
"""The lines of a source text one registry entry stands for: `8` or `8-12`."""

"""Dates as precise as the source: a day, a month, a quarter, a season, a year, a span, or
"by" a day, each held as the range of days it can mean.

Reports rarely give a day ("last October", "earlier in January", "April 2023 to June
2024"). Forcing a day makes the brief state, and the chart plot, a precision the source
never had. A `When` keeps the range (`start`..`end`, inclusive days), how it was written
(`written`, kept verbatim so carried-over notes read as the analyst typed them), its
`precision`, and an optional reason when the analyst placed an undated item (`inferred`).

Written forms (`parse_when`): `2025-01-24`, `2024-10`, `2024-Q4` (or `Q4 2024`), `2024`,
`spring 2024` / `summer` / `autumn` (`fall`) / `winter 2024/25` (northern meteorological
seasons; a bare `winter 2024` is refused: it has two readings), a span
`2023-04/2024-06` (ends of any of those forms), and "by" a day or month `..2025-01-24`
(also `../2025-01-24`, `by 2025-01-24`).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, replace
from typing import Any, Literal

Precision = Literal["day", "month", "quarter", "season", "year", "span", "by"]

_RANK: dict[str, int] = {
    "day": 0,
    "by": 1,
    "month": 2,
    "season": 3,
    "quarter": 4,
    "span": 5,
    "year": 6,
}
"""Sort order among dates that start on the same day: the most precise first."""

_MONTHS = [calendar.month_abbr[m] for m in range(13)]

_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
_QUARTER = re.compile(r"(?:(\d{4})-?Q([0-9])|Q([0-9])\s+(\d{4}))", re.IGNORECASE)
_YEAR = re.compile(r"\d{4}")
_SEASON = re.compile(r"(spring|summer|autumn|fall|winter)\s+(\d{4})(?:\s*/\s*(\d{2}|\d{4}))?", re.I)
_SEASON_MONTHS = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}

FORMS = "YYYY-MM-DD, YYYY-MM, YYYY-Qn, YYYY, a span START/END, or ..YYYY-MM-DD for 'by'"


class DateError(ValueError):
    """A date the notes cannot mean; the message says what to write instead."""


@dataclass(frozen=True, eq=False)
class When:
    """A date as precise as its source: the inclusive range of days it can mean."""

    start: dt.date
    end: dt.date
    precision: Precision
    written: str
    """The form the analyst wrote, normalised only in spacing; what carry-over writes back."""
    inferred: str | None = None
    """Why the analyst placed an undated item here; None when the source gives the date."""

    def __str__(self) -> str:
        return self.written

    def __eq__(self, other: object) -> bool:
        """Equal when they mean the same days at the same precision: `2024-Q4` and `Q4 2024`
        are one date (so a reworded as-of is not a revision), however each was written."""
        if not isinstance(other, When):
            return NotImplemented
        return (self.start, self.end, self.precision) == (other.start, other.end, other.precision)

    def __hash__(self) -> int:
        return hash((self.start, self.end, self.precision))

    def sort_key(self) -> tuple[dt.date, int, dt.date]:
        """By start, then the more precise first, then by end."""
        return (self.start, _RANK[self.precision], self.end)

    def __lt__(self, other: When) -> bool:
        return self.sort_key() < other.sort_key()

    def __le__(self, other: When) -> bool:
        return self.sort_key() <= other.sort_key()

    def __gt__(self, other: When) -> bool:
        return self.sort_key() > other.sort_key()

    def __ge__(self, other: When) -> bool:
        return self.sort_key() >= other.sort_key()

    @property
    def is_day(self) -> bool:
        """True only for a single day the source gives (the one form a chart plots as a point)."""
        return self.precision == "day"

    @property
    def midpoint(self) -> dt.date:
        """The middle day of the range (for placing a label, never as the date itself)."""
        return self.start + (self.end - self.start) / 2

    def with_inferred(self, reason: str | None) -> When:
        """The same date, marked as placed by the analyst for `reason`."""
        return replace(self, inferred=reason)

    def as_of(self) -> str:
        """`as of Oct 2024`, but `by 24 Jan 2025` (never "as of by")."""
        text = self.label()
        return text if self.precision == "by" else f"as of {text}"

    def label(self, marked: bool = True) -> str:
        """The date as a reader reads it: `24 Jan 2025`, `Oct 2024`, `Q4 2024`,
        `Apr 2023 – Jun 2024`, `by 24 Jan 2025`; an inferred date ends in `*`."""
        text = _label(self)
        return f"{text}*" if marked and self.inferred else text


def same_period(a: When | dt.date, b: When | dt.date) -> bool:
    """True when two as-of dates speak of the same time, so that two estimators' figures
    that cannot both hold are a disagreement ("estimates differ"), not a change over time.

    Two single days are one period when they fall in the same ISO week (figures a few
    days apart describe one state of affairs); a month, quarter or span is one period
    with whatever its days overlap, so a day and the month it falls in are, and two
    different months are not. "By" a day is taken at that day, the latest it can mean:
    stretching it back over everything before would flag disagreements the sources may
    not have."""
    (a_start, a_end), (b_start, b_end) = _days(a), _days(b)
    if a_start == a_end and b_start == b_end:
        return a_start.isocalendar()[:2] == b_start.isocalendar()[:2]
    return a_start <= b_end and b_start <= a_end


def _days(when: When | dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day an as-of date can mean (a "by" date: its day)."""
    if isinstance(when, dt.date):
        return when, when
    return (when.end, when.end) if when.precision == "by" else (when.start, when.end)


def day_label(day: dt.date) -> str:
    return f"{day.day} {_MONTHS[day.month]} {day.year}"


def _month_label(day: dt.date) -> str:
    return f"{_MONTHS[day.month]} {day.year}"


def _label(when: When) -> str:
    if when.precision == "day":
        return day_label(when.start)
    if when.precision == "month":
        return _month_label(when.start)
    if when.precision == "quarter":
        return f"Q{(when.start.month - 1) // 3 + 1} {when.start.year}"
    if when.precision == "year":
        return str(when.start.year)
    if when.precision == "season":
        return _season_label(when)
    if when.precision == "by":
        return f"by {_end_label(when.end, when.written)}"
    start, _, end = _split_span(when.written)
    return f"{_start_label(when.start, start)} – {_end_label(when.end, end)}"


def _season_label(when: When) -> str:
    name = when.written.split()[0].lower()
    if name == "winter":
        return f"winter {when.start.year}/{str(when.end.year)[-2:]}"
    return f"{name} {when.start.year}"


def _start_label(day: dt.date, written: str) -> str:
    """A span's start as precise as it was written."""
    return day_label(day) if _DAY.fullmatch(written.strip()) else _part_label(day, written)


def _end_label(day: dt.date, written: str) -> str:
    """A span's (or a "by"'s) end as precise as it was written."""
    text = written.strip().lstrip(".").lstrip("/").strip()
    if text.lower().startswith("by "):
        text = text[3:].strip()
    if _DAY.fullmatch(text):
        return day_label(day)
    return _part_label(day, text)


def _part_label(day: dt.date, written: str) -> str:
    text = written.strip()
    if _MONTH.fullmatch(text):
        return _month_label(day)
    if _QUARTER.fullmatch(text):
        return f"Q{(day.month - 1) // 3 + 1} {day.year}"
    return str(day.year)


# --- parsing ---------------------------------------------------------------------------


def parse_when(value: Any) -> When:
    """Read a date as the loader gives it (a `datetime.date` for a full day, a string or an
    int for the rest); raise DateError saying what to write instead."""
    if isinstance(value, When):
        return value
    if isinstance(value, dt.datetime):
        raise DateError(f"{value.isoformat()} is a timestamp; write a date as YYYY-MM-DD")
    if isinstance(value, dt.date):
        return When(value, value, "day", value.isoformat())
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise DateError(f"not a date ({value!r}); write {FORMS}")
    text = " ".join(str(value).split())
    if not text:
        raise DateError(f"empty date; write {FORMS}")
    return _parse_text(text)


def _parse_text(text: str) -> When:
    lower = text.lower()
    if lower.startswith(("..", "by ")):
        return _parse_by(text)
    if re.fullmatch(r"\d{1,2}/\d{1,2}/\d{2,4}", text):
        raise DateError(
            f"not a date ({text!r}): day/month order differs by country; write YYYY-MM-DD"
        )
    if "/" in text and not _SEASON.fullmatch(text):
        return _parse_span(text)
    if text.endswith(".."):
        raise DateError(
            f"{text!r} is open at its end ('since'); an as-of date is a moment or a closed "
            "span: write the span START/END, or the day the figure was given"
        )
    for sep in (" to ", "–", "—"):
        if sep in text:
            raise DateError(f"{text!r}: write a span with a slash, START/END (2023-04/2024-06)")
    start, end, precision = _parse_part(text)
    return When(start, end, precision, text)


def _parse_by(text: str) -> When:
    rest = text[3:] if text.lower().startswith("by ") else text[2:]
    rest = rest.lstrip("/").strip()
    _, end, precision = _parse_part(rest)
    if precision not in ("day", "month"):
        raise DateError(f"{text!r}: 'by' takes a day or a month (..2025-01-24 or ..2025-01)")
    return When(end, end, "by", text)


def _split_span(text: str) -> tuple[str, str, str]:
    start, sep, end = text.partition("/")
    return start, sep, end


def _parse_span(text: str) -> When:
    first, _, second = _split_span(text)
    if not first.strip() or first.strip() == "..":
        raise DateError(f"{text!r}: for 'on or before', write ..{second.strip()}")
    if not second.strip() or second.strip() == "..":
        raise DateError(f"{text!r} has no end; an as-of span is closed: write START/END")
    if "/" in second:
        raise DateError(f"{text!r} has more than one '/'; write a span as START/END")
    if re.fullmatch(r"\d{1,2}(-\d{1,2})?", second.strip()):
        raise DateError(
            f"{text!r}: write the span's end in full (2023-04-01/2023-06-30), not abbreviated"
        )
    start, _, kind_a = _parse_part(first.strip())
    _, end, _ = _parse_part(second.strip())
    if end < start:
        raise DateError(f"{text!r} ends before it starts; write START/END with START first")
    if (start, end) == _parse_part(first.strip())[:2]:
        raise DateError(f"{text!r} is a single {kind_a}; write just {first.strip()}")
    return When(start, end, "span", f"{first.strip()}/{second.strip()}")


def _parse_part(text: str) -> tuple[dt.date, dt.date, Precision]:
    """One non-span date: its first day, last day and precision."""
    digits = re.search(r"\d{4}", text)
    if digits and not 1 <= int(digits[0]) <= 9999:
        raise DateError(f"{text!r}: year {digits[0]} is out of range; years run 0001 to 9999")
    if m := _DAY.fullmatch(text):
        day = _make_day(text, int(m[1]), int(m[2]), int(m[3]))
        return day, day, "day"
    if m := _MONTH.fullmatch(text):
        year, month = int(m[1]), int(m[2])
        _check_month(text, month)
        first, last = _month_range(year, month)
        return first, last, "month"
    if m := _QUARTER.fullmatch(text):
        return _quarter(text, m)
    if _YEAR.fullmatch(text):
        year = int(text)
        return dt.date(year, 1, 1), dt.date(year, 12, 31), "year"
    if m := _SEASON.fullmatch(text):
        return _season(text, m)
    raise DateError(f"not a date ({text!r}); write {FORMS}{_hint(text)}")


def _hint(text: str) -> str:
    """`Jan 2025` → `; for Jan 2025 write 2025-01` (month names are not read: `3/4/2025`
    and `4 Mar` are written so many ways that ISO is the one form nobody misreads)."""
    m = re.fullmatch(r"(\d{1,2}\s+)?([A-Za-z]{3})[a-z]*\.?\s+(\d{4})", text)
    names = [name.lower() for name in _MONTHS]
    if not m or m[2].lower() not in names:
        return ""
    month = f"{m[3]}-{names.index(m[2].lower()):02d}"
    iso = f"{month}-{int(m[1]):02d}" if m[1] else month
    return f"; for {text} write {iso}"


def _make_day(text: str, year: int, month: int, day: int) -> dt.date:
    _check_month(text, month)
    try:
        return dt.date(year, month, day)
    except ValueError:
        last = calendar.monthrange(year, month)[1]
        raise DateError(
            f"{text!r} is not a day of the calendar ({_MONTHS[month]} {year} has {last} days)"
        ) from None


def _check_month(text: str, month: int) -> None:
    if not 1 <= month <= 12:
        raise DateError(f"{text!r}: month {month} does not exist; months run 01 to 12")


def _month_range(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def _quarter(text: str, m: re.Match[str]) -> tuple[dt.date, dt.date, Precision]:
    year, quarter = (int(m[1]), int(m[2])) if m[1] else (int(m[4]), int(m[3]))
    if not 1 <= quarter <= 4:
        raise DateError(f"{text!r}: quarter {quarter} does not exist; write Q1 to Q4")
    start = _month_range(year, 3 * quarter - 2)[0]
    return start, _month_range(year, 3 * quarter)[1], "quarter"


def _season(text: str, m: re.Match[str]) -> tuple[dt.date, dt.date, Precision]:
    name, year, second = m[1].lower(), int(m[2]), m[3]
    if name != "winter":
        if second:
            raise DateError(f"{text!r}: only winter spans two years; write {name} {year}")
        first = _SEASON_MONTHS[name]
        return _month_range(year, first)[0], _month_range(year, first + 2)[1], "season"
    if year == 9999:
        raise DateError(f"{text!r} would run past 9999-12-31, the last date there is")
    if not second:
        raise DateError(
            f"{text!r} is ambiguous (Dec {year - 1}–Feb {year} or Dec {year}–Feb {year + 1}); "
            f"write winter {year}/{str(year + 1)[-2:]} or a span such as {year}-12/{year + 1}-02"
        )
    following = int(second) if len(second) == 4 else int(str(year)[:2] + second)
    if following != year + 1:
        raise DateError(
            f"{text!r}: a winter runs into the next year; write winter {year}/{str(year + 1)[-2:]}"
        )
    return dt.date(year, 12, 1), _month_range(year + 1, 2)[1], "season"


UNDATED = When(dt.date.min, dt.date.min, "day", "0001-01-01")
"""A placeholder for rows built without a date (never printed from real notes)."""

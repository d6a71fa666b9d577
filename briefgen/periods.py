"""The period an edition covers: an ISO week (`2025-W04`) or an explicit date range."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

_WEEK_RE = re.compile(r"^(\d{4})-W(\d{2})$")
_RANGE_RE = re.compile(r"^(\d{4}-\d{2}-\d{2})\s*(?:/|to|–|—|\.\.)\s*(\d{4}-\d{2}-\d{2})$")


@dataclass(frozen=True)
class Period:
    """A closed range of days, with the label the analyst wrote."""

    start: dt.date
    end: dt.date
    label: str

    @property
    def iso_week(self) -> str | None:
        """`2025-W04` when the period is exactly one ISO week, else None."""
        year, week, weekday = self.start.isocalendar()
        if weekday == 1 and (self.end - self.start).days == 6:
            return f"{year}-W{week:02d}"
        return None

    def describe(self) -> str:
        """`2025-01-20 to 2025-01-26 (ISO week 2025-W04)`."""
        text = f"{self.start.isoformat()} to {self.end.isoformat()}"
        return f"{text} (ISO week {self.iso_week})" if self.iso_week else text


def week_period(year: int, week: int) -> Period:
    """The Monday-to-Sunday range of an ISO week; ValueError for a week the year lacks."""
    try:
        start = dt.date.fromisocalendar(year, week, 1)
        end = dt.date.fromisocalendar(year, week, 7)
    except (ValueError, OverflowError):
        raise ValueError(
            f"{year}-W{week:02d} is not an ISO week; {year} has weeks 01 to "
            f"{dt.date(year, 12, 28).isocalendar()[1]:02d}"
        ) from None
    return Period(start, end, f"{year}-W{week:02d}")


def parse_period(value: Any) -> Any:
    """Turn `2025-W04` or `2025-01-20 to 2025-01-26` into a Period; leave other types to fail."""
    if isinstance(value, Period):
        return value
    if isinstance(value, dict) and set(value) == {"start", "end"}:
        value = f"{value['start']} to {value['end']}"
    if not isinstance(value, str):
        raise ValueError(
            f"not a period ({value!r}); write an ISO week like 2025-W04 or "
            "a range like 2025-01-20 to 2025-01-26"
        )
    text = value.strip()
    if match := _WEEK_RE.match(text):
        return week_period(int(match[1]), int(match[2]))
    if match := _RANGE_RE.match(text):
        try:
            start, end = (dt.date.fromisoformat(match[i]) for i in (1, 2))
        except ValueError as error:
            raise ValueError(f"{text!r}: {error}") from None
        if start > end:
            raise ValueError(f"{text!r} ends before it starts")
        return Period(start, end, text)
    raise ValueError(
        f"not a period ({text!r}); write an ISO week like 2025-W04 or "
        "a range like 2025-01-20 to 2025-01-26"
    )

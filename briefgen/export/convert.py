"""The assembled Brief → the export's models (shape.py). Pure: no I/O.

It follows the Brief the templates see, not the notes, so the export says what the PDF
says: the same numbering, the same open questions, the same "estimates differ". Values
are turned into text in one place (`text_of`), so that a new date or figure type in the
notes model serialises by changing that one function.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, Literal

from briefgen import __version__
from briefgen.assemble import Brief, Cited, EstimateGroup, EstimateRow, Item, JudgmentItem, Ref
from briefgen.export import shape

ROW_FIELDS = frozenset(
    {"text", "refs", "estimator", "as_of", "reading", "unit", "note", "parsed", "caveat"}
)
"""EstimateRow fields the export maps by name; any other field goes to `extra`."""
GROUP_FIELDS = frozenset({"quantity", "rows", "refs", "verdict", "disagree", "qualifiers"})
"""EstimateGroup fields the export maps by name; any other field goes to `extra`."""


def text_of(value: Any) -> Any:
    """A value of the Brief as JSON can carry it without loss: dates as ISO text, Decimals
    as plain decimal strings (never a float), enums by value, sequences item by item;
    anything else by its `label` if it has one, else its str()."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        return decimal_text(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return text_of(value.value)
    if isinstance(value, list | tuple | frozenset | set):
        return [text_of(item) for item in value]
    label = getattr(value, "label", None)
    return label if isinstance(label, str) else str(value)


def decimal_text(value: Decimal) -> str:
    """`Decimal('4.1E+6')` → `4100000`: plain notation, every digit the value has."""
    return format(abs(value) if value == 0 else value, "f")  # no "-0"


def span_of(value: Any) -> shape.DateSpan:
    """The range of days a date means: a day is itself; a date type with `start` and `end`
    (a month, a span, "by" a day) gives its range, `precision` and `inferred` reason."""
    if isinstance(value, dt.date):
        return shape.DateSpan(
            start=value.isoformat(), end=value.isoformat(), precision="day", inferred=None
        )
    inferred = getattr(value, "inferred", None)
    return shape.DateSpan(
        start=text_of(value.start),
        end=text_of(value.end),
        precision=str(getattr(value, "precision", "span")),
        inferred=None if inferred is None else str(inferred),
    )


def to_export(brief: Brief) -> shape.ExportedBrief:
    """The export of a Brief: what its templates show, for machines."""
    return shape.ExportedBrief(
        schema_version=shape.SCHEMA_VERSION,
        briefgen_version=__version__,
        topic=brief.topic,
        title=brief.title,
        edition=text_of(brief.edition),
        period=shape.Period(
            label=brief.period.label,
            start=text_of(brief.period.start),
            end=text_of(brief.period.end),
        ),
        previous_edition=text_of(brief.previous),
        marking=brief.marking,
        author=brief.author,
        language=brief.language,
        summary=brief.summary,
        sections=list(brief.sections),
        key_judgments=lines(brief.key_judgments),
        changes=lines(brief.changes),
        situation=lines(brief.situation),
        estimates=[group_of(group) for group in brief.estimates],
        questions=lines(brief.questions),
        outlook=[judgment(item) for item in brief.outlook],
        sources=sources(brief),
        source_summary=brief.source_summary,
    )


def lines(items: Iterable[Item]) -> list[shape.Line]:
    return [shape.Line(text=item.text, **cited(item)) for item in items]


def cited(item: Cited) -> dict[str, Any]:
    """The citation fields every line has."""
    return {
        "citations": [citation(ref) for ref in item.refs],
        "markers": item.numbers,
        "single_source": item.single_source,
        "origins": sorted(origin.name for origin in item.origins),
        "caveat": getattr(item, "caveat", None),
    }


QuoteCheck = Literal["verified", "unverified"] | None


def citation(ref: Ref) -> shape.Citation:
    """A citation; its quote passed validation, so it is verified wherever a text exists."""
    check: QuoteCheck = None
    if ref.quote is not None:
        check = "unverified" if ref.unverified else "verified"
    return shape.Citation(
        number=ref.number,
        source=ref.source.id,
        quote=ref.quote,
        quote_check=check,
        said_by=ref.said_by,
        origin=ref.origin.name if ref.origin else ref.source.publisher,
        credibility=ref.credibility,
        code=ref.code,
    )


_PERCENTS = re.compile(r"^\s*(\d+)\s*[–-]\s*(\d+)\s*%\s*$")
_OPEN_PERCENT = re.compile(r"^\s*([≤≥<>])\s*(\d+)\s*%\s*$")


def probability_of(text: str) -> shape.Probability | None:
    """The range a printed probability stands for: `55–80%`, or an open end as PHIA prints
    its outer bands (`≤5%` is 0–5, `≥95%` is 95–100); None for anything else."""
    if match := _PERCENTS.match(text):
        return shape.Probability(text=text, low_percent=int(match[1]), high_percent=int(match[2]))
    if match := _OPEN_PERCENT.match(text):
        bound = int(match[2])
        low, high = (0, bound) if match[1] in "≤<" else (bound, 100)
        if bound <= 100:
            return shape.Probability(text=text, low_percent=low, high_percent=high)
    return None


def judgment(item: JudgmentItem) -> shape.Judgment:
    probability = probability_of(item.probability)
    return shape.Judgment(
        text=item.text,
        **cited(item),
        likelihood=item.likelihood,
        probability=probability,
        confidence=item.confidence,
    )


def group_of(group: EstimateGroup) -> shape.EstimateGroup:
    qualifiers = getattr(group, "qualifiers", ())
    return shape.EstimateGroup(
        quantity=text_of(group.quantity),
        rows=[row_of(row) for row in group.rows],
        markers=group.numbers,
        disagree=_flag(getattr(group, "disagree", None)),
        verdict=verdict_of(getattr(group, "verdict", None)),
        qualifiers={str(name): str(text_of(value)) for name, value in qualifiers},
        extra=extra(group, GROUP_FIELDS),
    )


def verdict_of(value: object) -> shape.Verdict | None:
    """The group's verdict: its kind, the band's words, the spread and the estimators
    (a verdict given as bare text is its own kind and label)."""
    if value is None:
        return None
    spread, estimators = getattr(value, "spread", None), getattr(value, "estimators", None)
    return shape.Verdict(
        kind=str(text_of(getattr(value, "kind", value))),
        label=str(text_of(getattr(value, "label", value))),
        spread=None if spread is None else str(spread),
        estimators=estimators if isinstance(estimators, int) else None,
    )


def _flag(value: object) -> bool | None:
    """A yes/no the brief states, or None where it states none (never a guessed False)."""
    return None if value is None else bool(value)


def row_of(row: EstimateRow) -> shape.EstimateRow:
    value = row.parsed
    return shape.EstimateRow(
        text=row.text,
        **cited(row),
        estimator=row.estimator,
        as_of=text_of(row.as_of),
        as_of_span=span_of(row.as_of),
        reading=row.reading,
        low=text_of(value.low),
        high=text_of(value.high),
        kind=value.kind,
        open_high=value.open_high,
        strict=value.strict,
        approximate=value.approx,
        unit=text_of(row.unit),
        unit_shown=text_of(getattr(row, "unit_after", row.unit)),
        reading_unit=value.unit,
        note=row.note,
        extra=extra(row, ROW_FIELDS),
    )


def extra(value: object, mapped: frozenset[str]) -> dict[str, Any]:
    """The dataclass fields of `value` the export does not map yet, as text: a field added
    to the Brief reaches the export before its schema names it."""
    fields = dataclasses.fields(value) if dataclasses.is_dataclass(value) else ()
    return {
        f.name: plain_of(getattr(value, f.name))
        for f in fields
        if f.name not in mapped and not f.name.startswith("_")
    }


def plain_of(value: Any) -> Any:
    """`text_of`, except that a dataclass with no text of its own (no `__str__`: a
    structured quantity, a verdict with its spread) becomes an object of its fields, not
    its repr. One that says how it reads (a date as written) stays that text."""
    own_text = any("__str__" in vars(cls) for cls in type(value).__mro__[:-1])
    if dataclasses.is_dataclass(value) and not isinstance(value, type) and not own_text:
        return {f.name: plain_of(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [plain_of(item) for item in value]
    return text_of(value)


def sources(brief: Brief) -> list[shape.Source]:
    return [
        shape.Source(
            number=entry.number,
            id=entry.source.id,
            publisher=entry.source.publisher,
            author=entry.source.author,
            title=entry.source.title,
            published=text_of(entry.source.published),
            published_span=span_of(entry.source.published),
            url=entry.source.url,
            reliability=entry.source.grade,
            reliability_text=entry.reliability_text,
            has_text=entry.source.text is not None,
            cited_lines=entry.cited_lines,
            unidentified=entry.source.unidentified,
            reliability_note=entry.source.reliability_note,
            derives_from=entry.source.derives_from,
            archive=entry.source.archive,
            accessed=entry.source.accessed.isoformat() if entry.source.accessed else None,
            link=entry.link,
        )
        for entry in brief.sources
    ]

"""The shape of `briefgen export --json`, as pydantic models: the schema is made from them.

Every field says what it means to a machine reading it, because these descriptions are
the documentation dashboards and threat-intel platforms get (docs/export.schema.json).
Numbers that an estimate gives are strings of exact decimals: a JSON number is a binary
float to most readers, and `4,100,000.1` must not come back as `4100000.099999999`.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1.1"
"""MAJOR.MINOR. A field added is a minor bump; a field removed, renamed or given another
meaning is a major one (docs/export.md)."""

DecimalText = Annotated[
    str,
    Field(
        pattern=r"^-?[0-9]+(\.[0-9]+)?$",
        description="An exact decimal as a string, in plain notation (no exponent, no "
        "grouping), with the digits the source gave: parse it with a decimal type.",
    ),
]

DateText = Annotated[
    str,
    Field(
        description="A date as the notes give it: `YYYY-MM-DD` for a day; other forms "
        "(a month, a span) are written as the notes model prints them."
    ),
]


class Out(BaseModel):
    """Base of the export models: unknown keys are errors, values do not change."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class DateSpan(Out):
    """The days a date can mean, for machines that place or compare it: a day is a span
    of one day; a month, quarter or "by" a day is the range the source allows."""

    start: str = Field(description="The first day it can mean, `YYYY-MM-DD`.")
    end: str = Field(description="The last day it can mean, `YYYY-MM-DD`.")
    precision: str = Field(
        description="How precise the source was: day, month, quarter, season, year, span "
        "or by (a day or earlier)."
    )
    inferred: str | None = Field(
        description="Why the analyst placed an undated figure here; null when the source "
        "gives the date."
    )


class Citation(Out):
    """One citation of a line: the marker the brief prints and the source it points to."""

    number: int = Field(ge=1, description="The marker printed in the brief: `[2]` is 2.")
    source: str = Field(description="The id of the source in the topic's sources.yaml.")
    quote: str | None = Field(description="The exact words the line rests on, if given.")
    quote_check: Literal["verified", "unverified"] | None = Field(
        description="`verified`: the quote was found word for word in the source's stored "
        "text; `unverified`: the source has no stored text to check it against; null: no "
        "quote."
    )
    said_by: str | None = Field(
        description="Who originated the information, when the notes say and it is not the outlet."
    )
    origin: str = Field(
        description="The independent origin the brief counts: `said_by`, else the outlet of "
        "the source (or of the source it relays)."
    )
    credibility: int | None = Field(
        ge=1, le=6, description="Admiralty information credibility 1–6, or null if not graded."
    )
    code: str = Field(description="The Admiralty code: reliability and credibility, `B2`.")


class Line(Out):
    """A line of the brief with its citations."""

    text: str = Field(description="The line as the brief prints it.")
    citations: list[Citation] = Field(
        min_length=1, description="Every citation, in the order the notes give them."
    )
    markers: list[int] = Field(
        description="The distinct source numbers, ascending: what the brief prints, `[2, 5]`."
    )
    single_source: bool = Field(
        description="True when the line rests on one independent origin, however many "
        "outlets relay it (†)."
    )
    origins: list[str] = Field(description="The independent origins the line rests on.")
    caveat: str | None = Field(description="The caveat printed with the line, or null.")


class Probability(Out):
    """The probability range a likelihood term stands for on the desk's scale."""

    text: str = Field(description="As the brief prints it, e.g. `55–80%`.")
    low_percent: int = Field(ge=0, le=100)
    high_percent: int = Field(ge=0, le=100)


class Judgment(Line):
    """An outlook judgment."""

    likelihood: str = Field(description="The likelihood term, e.g. `likely` (ICD 203).")
    probability: Probability | None = Field(
        description="The range the term stands for; null if the brief gives none."
    )
    confidence: str = Field(description="`low`, `moderate` or `high`.")


class EstimateRow(Line):
    """One row of the estimates table. `text` is the estimate as the estimator gave it."""

    estimator: str = Field(description="Who made the estimate (not the outlet reporting it).")
    as_of: DateText
    as_of_span: DateSpan
    reading: str = Field(description="The reading as the brief prints it: `≈ 11,000`.")
    low: DecimalText | None = Field(description="The lowest figure the reading gives, or null.")
    high: DecimalText | None = Field(
        description="The highest figure the reading gives, or null (open upwards, or none)."
    )
    kind: str = Field(
        description="What the reading is: exact, approximate, range, lower bound, upper "
        "bound, high end (the top of what is thought possible, no floor) or given "
        "(explicit low:/high: in the notes)."
    )
    open_high: bool = Field(description="A range whose top is itself open (`4,000–10,000+`).")
    strict: bool = Field(
        description="A bound that excludes its figure: `more than 3,000` (> 3,000), not "
        "`at least` (≥)."
    )
    approximate: bool = Field(description="Qualified by `about`, `or so` and the like.")
    unit: str | None = Field(description="The unit as the notes give it (`USD a month`), or null.")
    unit_shown: str | None = Field(
        description="The unit the table prints after the reading, less what the reading "
        "already shows (`$2,000` with `USD a month` prints `a month`), or null."
    )
    reading_unit: str | None = Field(
        description="The unit the estimate's text carries: USD, EUR, GBP or %, or null."
    )
    note: str | None = Field(description="The analyst's note on the row, or null.")
    extra: dict[str, object] = Field(
        description="Fields the brief has for the row that this schema version does not "
        "name yet, by name, as strings (dates, decimals) or lists of them. Empty today; "
        "a later minor version gives them their own keys."
    )


class Verdict(Out):
    """What the brief concludes about a group's figures taken together."""

    kind: str = Field(
        description="single (one row), consistent (the figures can all hold), series (one "
        "estimator's figures over time), apart (different dates, none in conflict) or "
        "differ (different estimators, one period, figures that cannot both hold)."
    )
    label: str = Field(description="The band over the group as the brief prints it.")
    spread: str | None = Field(description="The range the group's figures span, as printed.")
    estimators: int | None = Field(description="How many estimators gave the figures.")


class EstimateGroup(Out):
    """All estimates of one quantity, as the table groups them."""

    quantity: str = Field(description="What is counted, as the table heads the group.")
    rows: list[EstimateRow] = Field(min_length=1)
    markers: list[int] = Field(description="Every source the group rests on, ascending.")
    disagree: bool | None = Field(
        description='True when the brief flags the group "estimates differ", false when '
        "it does not; null if the brief has no such flag (then see `verdict`)."
    )
    verdict: Verdict | None = Field(description="The brief's verdict on the group, or null.")
    qualifiers: dict[str, str] = Field(
        description="What sets the group apart from others of the same quantity, by field: "
        "`place`, `cause`, `method`, `covers`, `unit`. Empty when none is given."
    )
    extra: dict[str, object] = Field(
        description="Fields of the group this schema version does not name yet (see rows)."
    )


class Source(Out):
    """An entry of the brief's numbered Sources list."""

    number: int = Field(ge=1, description="The number markers point to.")
    id: str = Field(description="The id in sources.yaml.")
    publisher: str
    author: str | None
    title: str
    published: DateText
    published_span: DateSpan
    url: str | None = Field(description="The source's address (http or https), or null.")
    reliability: str = Field(description="Admiralty reliability grade, A to F.")
    reliability_text: str = Field(description="The grade in words: `fairly reliable`.")
    has_text: bool = Field(description="True when the source's text is stored (quotes checked).")
    unidentified: bool = Field(description="True when the outlet cannot be identified.")
    reliability_note: str | None = Field(description="Why the grade is what it is, or null.")
    derives_from: str | None = Field(description="The id of the source this one relays.")
    archive: str | None = Field(description="A saved copy's address, or null.")
    accessed: str | None = Field(description="The day the desk read it, `YYYY-MM-DD`, or null.")
    link: str | None = Field(
        description="The address with a text fragment (`#:~:text=`) of the quotes cited."
    )
    cited_lines: int = Field(ge=0, description="How many lines of the brief cite it.")


class Period(Out):
    """The period the edition covers."""

    label: str = Field(description="As the notes give it: `2025-W04` or a date range.")
    start: DateText
    end: DateText


class ExportedBrief(Out):
    """One edition's brief as assembled for the PDF, DOCX and HTML, for machines."""

    schema_version: str = Field(pattern=r"^[0-9]+\.[0-9]+$", description="MAJOR.MINOR.")
    briefgen_version: str
    topic: str = Field(description="The topic folder's name.")
    title: str
    edition: DateText
    period: Period
    previous_edition: DateText | None = Field(
        description="The date of the edition `changes` compares with, or null."
    )
    marking: str = Field(description="The handling marking, e.g. UNCLASSIFIED.")
    author: str | None
    language: str = Field(description="The brief's language tag, e.g. `en`.")
    summary: str | None
    sections: list[str] = Field(description="The sections the brief shows, in order.")
    key_judgments: list[Line]
    changes: list[Line] = Field(description="What changed since the previous edition.")
    situation: list[Line]
    estimates: list[EstimateGroup]
    questions: list[Line] = Field(description="The open questions.")
    outlook: list[Judgment]
    sources: list[Source] = Field(description="Numbered in order of first citation.")
    source_summary: str = Field(description="The paragraph on what the brief rests on.")

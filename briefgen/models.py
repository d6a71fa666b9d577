"""The notes, as pydantic models: a topic's source registry and one edition of its brief.

The models are strict on shape (unknown keys are errors, so a typo is never silently
ignored) and check what a single item can know by itself. Checks that need the source
registry (unknown ids, quotes) run through the validation context that
``validate.py`` passes in, so that pydantic reports them with their location.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    PrivateAttr,
    ValidationInfo,
    field_validator,
    model_validator,
)

from briefgen.bidi import unbalanced
from briefgen.caps import Limits
from briefgen.dates import When, parse_when
from briefgen.estimates import Reading, format_number
from briefgen.estimates.bounds import bound, read_estimate
from briefgen.periods import Period, parse_period
from briefgen.quotes import QuoteIndex
from briefgen.urls import check_url

LIKELIHOOD: dict[str, str] = {
    "almost no chance": "1–5%",
    "very unlikely": "5–20%",
    "unlikely": "20–45%",
    "roughly even chance": "45–55%",
    "likely": "55–80%",
    "very likely": "80–95%",
    "almost certain": "95–99%",
}
"""ICD 203 likelihood terms, in order, with the probability range each one stands for."""

RELIABILITY: dict[str, str] = {
    "A": "completely reliable",
    "B": "usually reliable",
    "C": "fairly reliable",
    "D": "not usually reliable",
    "E": "unreliable",
    "F": "reliability cannot be judged",
}
"""Admiralty (NATO) source reliability grades."""

CREDIBILITY: dict[int, str] = {
    1: "confirmed",
    2: "probably true",
    3: "possibly true",
    4: "doubtful",
    5: "improbable",
    6: "truth cannot be judged",
}
"""Admiralty (NATO) information credibility grades."""

Likelihood = Literal[
    "almost no chance",
    "very unlikely",
    "unlikely",
    "roughly even chance",
    "likely",
    "very likely",
    "almost certain",
]
Confidence = Literal["low", "moderate", "high"]
Reliability = Literal["A", "B", "C", "D", "E", "F"]


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
    return check_url(value, _limits(info).url_chars).url


Url = Annotated[str, Field(strict=True, json_schema_extra={"format": "uri"}), AfterValidator(_url)]
"""An http(s) address with a host, no user name or password, no invisible characters."""


def _bound(value: Any, info: ValidationInfo) -> Decimal | None:
    return bound(value, _limits(info).number_locale)


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
    return _clean(value, _limits(info))


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


def _mark_inferred(model: BaseModel, field: str, reason: str | None) -> None:
    """Carry the sibling `…_inferred:` reason into the date itself, so every consumer (table,
    chart, export) sees it. A sibling key, not a mapping under the date: an analyst types
    `as_of_inferred: undated in the feed, placed between 31 Oct and 7 Nov` with its commas
    unquoted, which a flow mapping `{date: …, inferred: …}` would not take, and the date
    stays a plain scalar that sorts, diffs and greps as before."""
    value = getattr(model, field)
    if reason and isinstance(value, When):
        object.__setattr__(model, field, value.with_inferred(reason))  # frozen model


def _not_after_edition(value: When, info: ValidationInfo, what: str) -> None:
    """An as-of date may not start after the edition; a month, quarter, season or year
    that holds the edition day is allowed (the source said "this month"), but an explicit
    span or "by" must end by the edition: it states the figure held on its last day."""
    edition = _context(info).get("edition")
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


class Strict(BaseModel):
    """Base for every notes model: unknown keys are errors and models are immutable."""

    # No `use_attribute_docstrings`: it reads and tokenizes this file's source at import,
    # about 30 ms of every `check`; schema.py puts the docstrings in the schema instead.
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- the source registry -------------------------------------------------------------


class Source(Strict):
    """One entry of a topic's `sources.yaml`: something the brief can cite."""

    id: Annotated[str, Field(strict=True, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    title: Text
    publisher: Text
    author: Text | None = None
    published: FuzzyDate
    published_inferred: Text | None = None
    """Why an undated source was placed at `published` (then printed with a mark)."""
    url: Url | None = None
    reliability: Reliability
    text: Annotated[str, Field(strict=True)] | None = None
    """Path of the source's full text, relative to the topic folder; enables quote checks."""

    @model_validator(mode="after")
    def _published_mark(self) -> Source:
        _mark_inferred(self, "published", self.published_inferred)
        return self


# --- an edition ------------------------------------------------------------------------


def _cite_shorthand(value: Any) -> Any:
    """Let `cite: [some-id]` stand for `cite: [{source: some-id}]`."""
    return {"source": value} if isinstance(value, str) else value


class Citation(Strict):
    """A pointer from a line of the brief to a source, optionally with the exact words."""

    source: Annotated[str, Field(strict=True)]
    quote: Text | None = None

    @field_validator("source")
    @classmethod
    def _known_source(cls, value: str, info: ValidationInfo) -> str:
        registry = _context(info).get("registry")
        if registry is None or registry.unreadable or value in registry.broken:
            return value  # a broken registry entry is reported once, in sources.yaml
        if value not in registry:
            raise ValueError(registry.unknown_id_message(value))
        published, edition = registry[value].published, _context(info).get("edition")
        if isinstance(edition, dt.date) and published.start > edition:
            raise ValueError(
                f"source {value!r} was published {published}, after the edition date "
                f"{edition}; a brief cannot rest on what was not yet published"
            )
        return value

    @field_validator("quote")
    @classmethod
    def _quote_in_text(cls, value: str | None, info: ValidationInfo) -> str | None:
        registry = _context(info).get("registry")
        source = info.data.get("source")
        if value is None or registry is None or not isinstance(source, str):
            return value
        if source not in registry:
            return value
        quotes: QuoteIndex = registry.quotes
        problem = quotes.check(source, value)
        if problem:
            raise ValueError(problem)
        return value


Cite = Annotated[
    list[
        Annotated[Citation, BeforeValidator(_cite_shorthand, json_schema_input_type=str | Citation)]
    ],
    Field(min_length=1),
]
"""At least one citation: a line without a source is an error, not a warning."""


class Line(Strict):
    """A cited line: a key judgment or a situation bullet."""

    text: Text
    cite: Cite


ItemId = Annotated[str, Field(strict=True, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")]
"""An optional stable name for a question or judgment, so that editions can be compared
even after the analyst rewords it (without one, the wording is matched)."""


class Question(Strict):
    """An open question, with the sources that raise it.

    Writing an `answer:` closes it: the brief then reports it as answered since the last
    edition instead of listing it as open, and `briefgen new` does not carry it over.
    """

    id: ItemId | None = None
    text: Text
    answer: Text | None = None
    cite: Cite


class Judgment(Strict):
    """An outlook judgment with an ICD 203 likelihood and a confidence level."""

    id: ItemId | None = None
    text: Text
    likelihood: Likelihood
    confidence: Confidence
    cite: Cite

    @field_validator("likelihood", "confidence", mode="before")
    @classmethod
    def _lowercase(cls, value: Any) -> Any:
        return " ".join(value.lower().split()) if isinstance(value, str) else value


class Estimate(Strict):
    """One estimate of one quantity by one estimator, as reported by the cited source."""

    quantity: Text
    low: Bound = None
    """Explicit bounds override what the estimate's text says, and must agree with it.
    They are declared before `estimate` so that its validator can see them (pydantic
    validates in field order)."""
    high: Bound = None
    bounds_note: Text | None = None
    """Why low:/high: say something other than the estimate's text (else they must agree)."""
    estimate: Text
    """The estimate as given: `about 11,000`, `10,000 to 12,000`, `more than 3,000`."""
    unit: Text | None = None
    place: Text | None = None
    """Where the figure counts (`Kursk region`), when the quantity's name does not say."""
    cause: Text | None = None
    """What it counts (`violent deaths`, `all-cause`, `killed or wounded, scope unstated`)."""
    method: Text | None = None
    """How it was reached (`recorded`, `modelled`, `extrapolated`)."""
    covers: Text | None = None
    """The period the figure counts over (`since Oct 2024`, `2024-Q4`); as_of is when."""
    estimator: Text
    """Who made the estimate (an intelligence service, a minister), not the outlet."""
    as_of: FuzzyDate
    as_of_inferred: Text | None = None
    """Why an undated figure was placed at `as_of` (the brief marks it with `*`)."""
    note: Text | None = None
    cite: Cite

    _reading: Reading | None = PrivateAttr(default=None)

    @field_validator("high")
    @classmethod
    def _high_not_below_low(cls, value: Decimal | None, info: ValidationInfo) -> Decimal | None:
        low = info.data.get("low")
        if value is not None and low is not None and low > value:
            raise ValueError(
                f"low ({format_number(low)}) is greater than high ({format_number(value)})"
            )
        return value

    @field_validator("estimate")
    @classmethod
    def _readable(cls, value: str, info: ValidationInfo) -> str:
        data, locale = info.data, _limits(info).number_locale
        # raises ValueError saying what to write instead
        read_estimate(value, data.get("low"), data.get("high"), data.get("bounds_note"), locale)
        return value

    @model_validator(mode="after")
    def _keep_reading(self, info: ValidationInfo) -> Estimate:
        """Read once, in the workspace's number style, for every later consumer."""
        locale = _limits(info).number_locale
        self._reading = read_estimate(self.estimate, self.low, self.high, "kept", locale)
        return self

    @field_validator("as_of")
    @classmethod
    def _as_of_not_future(cls, value: When, info: ValidationInfo) -> When:
        _not_after_edition(value, info, "as_of")
        return value

    @model_validator(mode="after")
    def _as_of_mark(self) -> Estimate:
        _mark_inferred(self, "as_of", self.as_of_inferred)
        return self

    @property
    def parsed(self) -> Reading:
        """The estimate's numeric range; explicit `low`/`high` override what the text says."""
        if self._reading is None:  # built without validation: English number style
            return read_estimate(self.estimate, self.low, self.high, "kept", "en")
        return self._reading


class Edition(Strict):
    """One week's notes: everything one brief says, each line cited."""

    title: Text
    edition: Date
    """The date the brief is "as of"; its file name carries it."""
    period: Annotated[Period, BeforeValidator(parse_period, json_schema_input_type=str)]
    """An ISO week (`2025-W04`) or a date range (`2025-01-20 to 2025-01-26`)."""
    marking: Text | None = None
    """The handling marking; default: the workspace's, else UNCLASSIFIED."""
    author: Text | None = None
    language: Annotated[str, Field(strict=True, pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")] = "en"
    summary: Text | None = None
    key_judgments: Annotated[list[Line], Field(min_length=1, max_length=5)]
    situation: Annotated[list[Line], Field(min_length=1)]
    estimates: list[Estimate] = []
    questions: list[Question] = []
    outlook: list[Judgment] = []

    @field_validator("period")
    @classmethod
    def _period_contains_edition(cls, value: Period, info: ValidationInfo) -> Period:
        edition = info.data.get("edition")
        if isinstance(edition, dt.date) and not value.start <= edition <= value.end:
            raise ValueError(
                f"{value.label} ({value.start} to {value.end}) does not contain the edition "
                f"date {edition}; fix the period or the edition date"
            )
        return value


class Registry:
    """A topic's sources by id, and their texts for quote checks."""

    def __init__(
        self,
        sources: list[Source],
        texts: dict[str, Path],
        broken: frozenset[str] = frozenset(),
        unreadable: bool = False,
        text_bytes: int = Limits().text_bytes,
    ) -> None:
        self.sources = {source.id: source for source in sources}
        self.quotes = QuoteIndex(texts, text_bytes)
        self.broken = broken
        """Ids of entries that failed validation: already reported, so citing them is not."""
        self.unreadable = unreadable
        """sources.yaml could not be read at all (reported once): no id can be checked."""

    def __contains__(self, source_id: object) -> bool:
        return source_id in self.sources

    def __getitem__(self, source_id: str) -> Source:
        return self.sources[source_id]

    def unknown_id_message(self, source_id: str) -> str:
        """Say the id is unknown and name the closest known ones, since most are typos."""
        near = difflib.get_close_matches(source_id, list(self.sources), n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(map(repr, near))}?" if near else ""
        if not near and self.sources:
            hint = f"; known ids: {', '.join(sorted(self.sources)[:8])}"
        return f"unknown source id {source_id!r} (not in sources.yaml){hint}"


def _context(info: ValidationInfo) -> dict[str, Any]:
    return info.context if isinstance(info.context, dict) else {}


def _limits(info: ValidationInfo) -> Limits:
    """The caps validate.py passes in the context; the defaults otherwise."""
    limits = _context(info).get("limits")
    return limits if isinstance(limits, Limits) else Limits()

"""One edition of a brief: its lines, citations, estimates, questions and judgments."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    BeforeValidator,
    Field,
    ModelWrapValidatorHandler,
    PrivateAttr,
    ValidationInfo,
    field_validator,
    model_validator,
)

from briefgen.dates import When
from briefgen.estimates import Reading, format_number
from briefgen.estimates.bounds import read_estimate
from briefgen.fields import (
    Bound,
    Date,
    FuzzyDate,
    Text,
    context_of,
    limits_of,
    mark_inferred,
    not_after_edition,
)
from briefgen.judgments.scales import (
    ICD203,
    Confidence,
    Credibility,
    Likelihood,
    Scale,
    canonical,
    scale_of,
)
from briefgen.models.base import Strict
from briefgen.periods import Period, parse_period
from briefgen.quotes import QuoteIndex

# --- an edition ------------------------------------------------------------------------


def _cite_shorthand(value: Any) -> Any:
    """Let `cite: [some-id]` stand for `cite: [{source: some-id}]`."""
    return {"source": value} if isinstance(value, str) else value


class Citation(Strict):
    """A pointer from a line of the brief to a source, optionally with the exact words."""

    source: Annotated[str, Field(strict=True)]
    quote: Text | None = None
    said_by: Text | None = None
    """Who originated the information, when that is not the outlet (`South Korea's JCS`):
    the brief counts independent origins by it, case and spacing aside."""
    credibility: Credibility | None = None
    """Admiralty information credibility, 1 (confirmed) to 6 (cannot be judged)."""

    @field_validator("source")
    @classmethod
    def _known_source(cls, value: str, info: ValidationInfo) -> str:
        registry = context_of(info).get("registry")
        if registry is None or registry.unreadable or value in registry.broken:
            return value  # a broken registry entry is reported once, in sources.yaml
        if value not in registry:
            raise ValueError(registry.unknown_id_message(value))
        if registry[value].reliability is None:  # registered by `source add`, not yet read
            raise ValueError(
                f"source {value!r} has no reliability grade yet; set 'reliability:' (A-F) "
                "on it in sources.yaml before a brief cites it"
            )
        published, edition = registry[value].published, context_of(info).get("edition")
        if isinstance(edition, dt.date) and published.start > edition:
            raise ValueError(
                f"source {value!r} was published {published}, after the edition date "
                f"{edition}; a brief cannot rest on what was not yet published"
            )
        return value

    @field_validator("quote")
    @classmethod
    def _quote_in_text(cls, value: str | None, info: ValidationInfo) -> str | None:
        registry = context_of(info).get("registry")
        source = info.data.get("source")
        if value is None or registry is None or not isinstance(source, str):
            return value
        if source not in registry:
            return value
        quotes: QuoteIndex = registry.quotes
        problem = quotes.problem(source, value)  # the QuoteResult API: issue 15
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
    caveat: Text | None = None
    """A short caveat the brief prints with the line, in every format."""
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
    caveat: Text | None = None
    """A short caveat the brief prints with the line, in every format."""
    cite: Cite


class Reason(Strict):
    """Why a judgment moved since the last edition (ICD 203: explain change), cited."""

    text: Text
    cite: Cite


Result = Literal["happened", "did not happen", "withdrawn"]


class Outcome(Strict):
    """How a judgment whose time frame has passed came out, cited."""

    result: Result
    text: Text | None = None
    """What happened, in a line."""
    cite: Cite


class Judgment(Strict):
    """An outlook judgment with a likelihood on the desk's scale and a confidence level."""

    id: ItemId | None = None
    text: Text
    likelihood: Likelihood
    confidence: Confidence
    by: Date | None = None
    """The end of the judgment's time frame; once an edition passes it, an outcome is due."""
    reason: Reason | None = None
    """Why the likelihood or confidence moved since the last edition."""
    outcome: Outcome | None = None
    """How it came out, once its time frame has passed."""
    caveat: Text | None = None
    """A short caveat the brief prints with the line, in every format."""
    cite: Cite

    # The shared scale (frozen), not the deep copy pydantic makes of a default per judgment.
    _scale: Scale = PrivateAttr(default_factory=lambda: ICD203)
    _row: int = PrivateAttr(default=1)
    """Which of the scale's parallel rows the analyst wrote (2: `probable` for `likely`)."""

    @field_validator("confidence", mode="before")
    @classmethod
    def _lowercase(cls, value: Any) -> Any:
        return " ".join(value.lower().split()) if isinstance(value, str) else value

    @field_validator("likelihood", mode="before")
    @classmethod
    def _on_the_scale(cls, value: Any, info: ValidationInfo) -> Any:
        """Any term of either row of the desk's scale, stored as its canonical term, so
        that the brief, `diff` and `record` compare one word per band."""
        return canonical(value, scale_of(info)) if isinstance(value, str) else value

    @model_validator(mode="wrap")
    @classmethod
    def _remember_row(
        cls, data: Any, handler: ModelWrapValidatorHandler[Judgment], info: ValidationInfo
    ) -> Judgment:
        """Keep the scale and the row written: `check` warns when one brief mixes rows."""
        judgment = handler(data)
        judgment._scale = scale_of(info)
        if isinstance(data, Mapping):
            judgment._row = judgment._scale.row(data.get("likelihood")) or 1
        return judgment

    @property
    def scale(self) -> Scale:
        """The likelihood scale the judgment was checked against."""
        return self._scale

    @property
    def row(self) -> int:
        """1 if the analyst wrote the canonical term, 2 if its parallel spelling."""
        return self._row

    @property
    def probability(self) -> str:
        """The printed range of its likelihood on its scale: `55–80%`."""
        return self._scale.probability(self.likelihood)


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
    caveat: Text | None = None
    """A short caveat the brief prints with the row (`video likely made under duress`)."""
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
        data, locale = info.data, limits_of(info).number_locale
        # raises ValueError saying what to write instead
        read_estimate(value, data.get("low"), data.get("high"), data.get("bounds_note"), locale)
        return value

    @model_validator(mode="after")
    def _keep_reading(self, info: ValidationInfo) -> Estimate:
        """Read once, in the workspace's number style, for every later consumer."""
        locale = limits_of(info).number_locale
        self._reading = read_estimate(self.estimate, self.low, self.high, "kept", locale)
        return self

    @field_validator("as_of")
    @classmethod
    def _as_of_not_future(cls, value: When, info: ValidationInfo) -> When:
        not_after_edition(value, info, "as_of")
        return value

    @model_validator(mode="after")
    def _as_of_mark(self) -> Estimate:
        mark_inferred(self, "as_of", self.as_of_inferred)
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
    organisation: Text | None = None
    """Title block (each optional; default: the workspace's [brief]): the issuing office,"""
    product_line: Text | None = None
    """the series this brief belongs to (e.g. "Weekly Korea Watch"),"""
    number: Annotated[int, Field(strict=True, ge=1)] | None = None
    """this edition's number in the series,"""
    contact: Text | None = None
    """whom a reader asks about it,"""
    distribution: Text | None = None
    """and who may receive it."""
    language: Annotated[str, Field(strict=True, pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")] = "en"
    summary: Text | None = None
    key_judgments: Annotated[list[Line], Field(min_length=1, max_length=5)]
    situation: Annotated[list[Line], Field(min_length=1)]
    # pydantic copies a default per instance (ruff cannot see Strict is a BaseModel here)
    estimates: list[Estimate] = []  # noqa: RUF012
    questions: list[Question] = []  # noqa: RUF012
    outlook: list[Judgment] = []  # noqa: RUF012

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

"""Models → the Brief the templates see. Pure: no I/O, no rendering.

Everything a template needs is decided here — the numbering of sources in order of first
citation, the markers on each line, the grouping of estimates by quantity, the source
summary — so that HTML and DOCX templates only lay it out and cannot drift apart. A
template receives lines only as `Item`s, and an `Item` cannot exist without citations.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from briefgen.dates import UNDATED, When
from briefgen.diff import Change
from briefgen.estimates import ParsedEstimate, Reading
from briefgen.estimates import reading as format_reading
from briefgen.house import ORDER, SECTIONS, House
from briefgen.models import LIKELIHOOD, RELIABILITY, Citation, Edition, Estimate, Registry, Source
from briefgen.periods import Period
from briefgen.quantities import shown_unit
from briefgen.verdicts import Verdict, quantity_key, same_figure, verdict


@dataclass(frozen=True)
class Ref:
    """A citation as the reader sees it: the marker number and where it points."""

    number: int
    anchor: str
    source: Source
    quote: str | None


class Cited:
    """Something the brief shows with citation markers: a line, or a chart of a group."""

    refs: tuple[Ref, ...]

    @property
    def numbers(self) -> list[int]:
        """The distinct source numbers, ascending: the markers `[2, 5]`."""
        return sorted({ref.number for ref in self.refs})

    @property
    def single_source(self) -> bool:
        return len(self.numbers) == 1


@dataclass(frozen=True)
class Item(Cited):
    """A line of the brief with its citations. It refuses to exist without one."""

    text: str
    refs: tuple[Ref, ...]

    def __post_init__(self) -> None:
        if not self.refs:
            raise ValueError(f"unsourced line reached the brief: {self.text!r}")


@dataclass(frozen=True)
class JudgmentItem(Item):
    """An outlook line with its ICD 203 likelihood and confidence."""

    likelihood: str = ""
    probability: str = ""
    confidence: str = ""


NO_READING = Reading(None, None, "given")
"""A row built without a reading (tests of layout): no numbers, so no verdict."""


@dataclass(frozen=True)
class EstimateRow(Item):
    """One row of the estimates table; `text` is the estimate as the estimator gave it."""

    estimator: str = ""
    as_of: When = UNDATED
    reading: str = ""
    unit: str | None = None
    """The unit as the notes give it (`USD a month`): charts label their axis with it."""
    note: str | None = None
    parsed: Reading = NO_READING
    """The exact reading, for verdicts, charts and the export."""

    @property
    def unit_after(self) -> str | None:
        """The unit the table prints after the reading, less what the reading already
        shows: `$2,000` with `USD a month` is `$2,000 a month`, not `$2,000 USD a month`."""
        return shown_unit(self.unit, self.parsed.unit)


@dataclass(frozen=True)
class EstimateGroup(Cited):
    """All estimates of one quantity, so that disagreement sits together."""

    quantity: str
    """The quantity as first spelled in the notes (grouped regardless of case and spacing)."""
    rows: tuple[EstimateRow, ...]
    qualifiers: tuple[tuple[str, str], ...] = ()
    """(field, value) of the qualifiers the group's estimates give: `place`, `cause` …"""

    @property
    def refs(self) -> tuple[Ref, ...]:  # type: ignore[override]
        """Every citation of the group's rows: what a chart of the group rests on."""
        return tuple(ref for row in self.rows for ref in row.refs)

    @property
    def verdict(self) -> Verdict:
        """Consistent, a series, or a real disagreement (briefgen/verdicts.py)."""
        return verdict(self.rows)

    @property
    def disagree(self) -> bool:
        """True only when different estimators' figures for one period cannot both hold."""
        return self.verdict.differ

    @property
    def band(self) -> str:
        """What the band says after the quantity: `1,200–4,000 · 3 estimators · consistent`."""
        return self.verdict.label

    @property
    def qualifier_text(self) -> str:
        """The qualifiers that set this group apart, as the band prints them."""
        return " · ".join(f"{QUALIFIER_NAMES[name]} {value}" for name, value in self.qualifiers)

    @property
    def caption(self) -> str:
        """What a chart of the group shows, stated as the finding its verdict gives, with
        its qualifiers (briefgen/captions.py): a chart read alone says what the table does."""
        from briefgen.captions import caption

        return caption(self)


QUALIFIER_NAMES = {
    "place": "in",
    "cause": "counting",
    "method": "method:",
    "covers": "covering",
    "unit": "in",
}
"""How the band introduces each qualifier: `in Kursk region · counting violent deaths`."""


@dataclass(frozen=True)
class NumberedSource:
    """An entry of the Sources list."""

    number: int
    anchor: str
    source: Source
    reliability_text: str
    cited_lines: int


@dataclass(frozen=True)
class Brief:
    """Everything one brief shows, in the order the default template shows it."""

    topic: str
    title: str
    edition: dt.date
    period: Period
    marking: str
    author: str | None
    language: str
    summary: str | None
    key_judgments: tuple[Item, ...]
    situation: tuple[Item, ...]
    estimates: tuple[EstimateGroup, ...]
    questions: tuple[Item, ...]
    outlook: tuple[JudgmentItem, ...]
    sources: tuple[NumberedSource, ...]
    source_summary: str
    changes: tuple[Item, ...] = ()
    """What changed since `previous`, each line cited; empty for a first edition."""
    previous: dt.date | None = None
    """The edition date of the edition before this one, when there is one."""
    sections: tuple[str, ...] = ORDER
    """The sections to show, in order (from the workspace's briefgen.toml)."""
    section_titles: Mapping[str, str] = field(default_factory=lambda: dict(SECTIONS))

    @property
    def file_stem(self) -> str:
        """`2025-01-26-nk-russia`: output files are named by edition date and topic."""
        return f"{self.edition.isoformat()}-{self.topic}"

    @property
    def cited_items(self) -> list[Item]:
        """Every line that carries citations, in document order."""
        rows = [row for group in self.estimates for row in group.rows]
        return [
            *self.key_judgments,
            *self.changes,
            *self.situation,
            *rows,
            *self.questions,
            *self.outlook,
        ]


class _Numbering:
    """Numbers sources in order of first citation, so `[1]` is the first one a reader meets."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self.numbers: dict[str, int] = {}

    def refs(self, cites: Sequence[Citation]) -> tuple[Ref, ...]:
        return tuple(self._ref(cite) for cite in cites)

    def _ref(self, cite: Citation) -> Ref:
        number = self.numbers.setdefault(cite.source, len(self.numbers) + 1)
        return Ref(number, source_anchor(number), self.registry[cite.source], cite.quote)


def source_anchor(number: int) -> str:
    """The id of a source's entry in the Sources list; markers link to `#src-N`."""
    return f"src-{number}"


def assemble(
    edition: Edition,
    registry: Registry,
    topic: str,
    changes: Sequence[Change] = (),
    previous: dt.date | None = None,
    house: House | None = None,
) -> Brief:
    """Build the Brief for one validated edition, and what changed since `previous`."""
    house = house or House()
    numbering = _Numbering(registry)
    key_judgments = tuple(Item(x.text, numbering.refs(x.cite)) for x in edition.key_judgments)
    changed = tuple(Item(_change_text(c, registry), numbering.refs(c.cite)) for c in changes)
    situation = tuple(Item(x.text, numbering.refs(x.cite)) for x in edition.situation)
    estimates = _estimate_groups(edition, numbering)
    open_questions = [x for x in edition.questions if x.answer is None]
    questions = tuple(Item(x.text, numbering.refs(x.cite)) for x in open_questions)
    outlook = tuple(
        JudgmentItem(
            x.text,
            numbering.refs(x.cite),
            likelihood=x.likelihood,
            probability=LIKELIHOOD[x.likelihood],
            confidence=x.confidence,
        )
        for x in edition.outlook
    )
    rows = [row for group in estimates for row in group.rows]
    items = [*key_judgments, *changed, *situation, *rows, *questions, *outlook]
    sources = _numbered_sources(numbering, items)
    return Brief(
        topic=topic,
        title=edition.title,
        edition=edition.edition,
        period=edition.period,
        marking=edition.marking or house.marking,
        author=edition.author or house.author,
        language=edition.language,
        summary=edition.summary,
        key_judgments=key_judgments,
        situation=situation,
        estimates=estimates,
        questions=questions,
        outlook=outlook,
        sources=sources,
        source_summary=source_summary(sources, items),
        changes=changed,
        previous=previous,
        sections=house.sections,
        section_titles={**SECTIONS, **house.titles},
    )


def _change_text(change: Change, registry: Registry) -> str:
    """The change as the brief says it; a new source is named, not given by its id."""
    if change.kind == "source-added":
        source = registry[change.detail["source"]]
        return f"New source: {source.publisher}, {source.title} ({source.published.label()})."
    return change.text


def _estimate_groups(edition: Edition, numbering: _Numbering) -> tuple[EstimateGroup, ...]:
    """Group rows by quantity (case and spacing aside), in order of first appearance;
    the same figure by the same estimator as of the same date is one row citing every
    outlet that reported it."""
    groups: dict[str, list[Estimate]] = {}
    for estimate in edition.estimates:
        groups.setdefault(quantity_key(estimate.quantity), []).append(estimate)
    return tuple(_group(estimates, numbering) for estimates in groups.values())


def _group(estimates: list[Estimate], numbering: _Numbering) -> EstimateGroup:
    rows: list[EstimateRow] = []
    for estimate in estimates:
        row = _row(estimate, numbering)
        same = next((i for i, r in enumerate(rows) if same_figure(r, row)), None)
        if same is None:
            rows.append(row)
        else:
            rows[same] = _merged(rows[same], row)
    rows.sort(key=lambda r: (r.as_of, r.estimator))
    return EstimateGroup(estimates[0].quantity, tuple(rows), _qualifiers(estimates))


def _row(estimate: Estimate, numbering: _Numbering) -> EstimateRow:
    return EstimateRow(
        estimate.estimate,
        numbering.refs(estimate.cite),
        estimator=estimate.estimator,
        as_of=estimate.as_of,
        reading=reading(estimate.parsed),
        unit=estimate.unit,
        note=estimate.note,
        parsed=estimate.parsed,
    )


def _merged(first: EstimateRow, again: EstimateRow) -> EstimateRow:
    """One row for a figure several outlets reported: every citation, every distinct note."""
    notes = [n for n in (first.note, again.note) if n]
    note = " ".join(dict.fromkeys(notes)) or None
    refs = first.refs + tuple(r for r in again.refs if r not in first.refs)
    return replace(first, refs=refs, note=note)


def _qualifiers(estimates: list[Estimate]) -> tuple[tuple[str, str], ...]:
    """The qualifiers any estimate of the group gives (check makes sure they agree)."""
    found: dict[str, str] = {}
    for estimate in estimates:
        for name in ("place", "cause", "method", "covers"):
            value = getattr(estimate, name)
            if value is not None:
                found.setdefault(name, value)
    return tuple(found.items())


def reading(parsed: ParsedEstimate) -> str:
    """A compact, comparable form of an estimate: `≈ 11,000`, `10,000–12,000`, `≥ 3,000`.

    Printed from the reading's Decimals (briefgen/estimates/format.py), so `over 4.1
    million` is `≥ 4,100,000`, and the form reads back through the grammar unchanged.
    """
    return format_reading(parsed)


def _numbered_sources(numbering: _Numbering, items: list[Item]) -> tuple[NumberedSource, ...]:
    cited = Counter(number for item in items for number in item.numbers)
    return tuple(
        NumberedSource(
            number=number,
            anchor=source_anchor(number),
            source=numbering.registry[source_id],
            reliability_text=RELIABILITY[numbering.registry[source_id].reliability],
            cited_lines=cited[number],
        )
        for source_id, number in numbering.numbers.items()
    )


def source_summary(sources: tuple[NumberedSource, ...], items: list[Item]) -> str:
    """One paragraph on what the brief rests on: how many sources, how reliable, how thin."""
    if not sources:
        return ""
    publishers = {s.source.publisher for s in sources}
    first = min(s.source.published for s in sources)
    last = max((s.source.published for s in sources), key=lambda w: w.end)
    grades = Counter(s.source.reliability for s in sources)
    spread = ", ".join(f"{grades[g]} graded {g} ({RELIABILITY[g]})" for g in sorted(grades))
    single = sum(item.single_source for item in items)
    span = (
        f"published {first.label()}"
        if first.label() == last.label()
        else f"published between {first.label()} and {last.label()}"
    )
    return (
        f"This brief rests on {_count(len(sources), 'source')} from "
        f"{_count(len(publishers), 'publisher')}, {span}. Reliability: {spread}. "
        f"{_count(single, 'line')} of {len(items)} rest{'s' * (single == 1)} on a single "
        "source; they are marked † and should be read with that in mind."
    )


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' * (n != 1)}"

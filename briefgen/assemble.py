"""Models → the Brief the templates see. Pure: no I/O, no rendering.

Everything a template needs is decided here — the numbering of sources in order of first
citation, the markers on each line, the grouping of estimates by quantity, the source
summary — so that HTML and DOCX templates only lay it out and cannot drift apart. A
template receives lines only as `Item`s, and an `Item` cannot exist without citations.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from briefgen.dates import UNDATED, When
from briefgen.diff import Change
from briefgen.editorial import SOURCES, editorial
from briefgen.estimates import ParsedEstimate, Reading
from briefgen.estimates import reading as format_reading
from briefgen.estimates.quantities import shown_unit
from briefgen.estimates.verdicts import Verdict, quantity_key, same_figure, verdict
from briefgen.house import ORDER, SECTIONS, House
from briefgen.judgments.scales import ICD203, Scale
from briefgen.models import (
    Citation,
    Edition,
    Estimate,
    Line,
    Question,
    Registry,
    Source,
)
from briefgen.periods import Period
from briefgen.sourcing import Origin, origins
from briefgen.sourcing.summary import (
    NumberedSource,
    anchor,
    legend,
    numbered_sources,
    source_summary,
)


@dataclass(frozen=True)
class Ref:
    """A citation as the reader sees it: the marker number and where it points."""

    number: int
    anchor: str
    source: Source
    quote: str | None
    origin: Origin | None = None
    """Who the information comes from (briefgen/sourcing/__init__.py); None only in layout tests."""
    credibility: int | None = None
    """Admiralty information credibility 1–6, when the notes grade it."""
    said_by: str | None = None
    """Who originated it, when the notes say and it is not the outlet."""
    words: str | None = None
    """A verified quote as the source words it: where a text-fragment link must land."""
    quote_status: str | None = None
    """`verified` (found in the source's text on file) or `unverified` (no text on file)."""

    @property
    def code(self) -> str:
        """The Admiralty code: source reliability and, when graded, credibility (`B2`)."""
        return f"{self.source.grade}{self.credibility or ''}"

    @property
    def unverified(self) -> bool:
        return self.quote_status == "unverified"


@dataclass(frozen=True)
class Marker:
    """One source number in a line's markers, with what every format prints beside it:
    `3 B2‡` is source 3, Admiralty code B2, a quote from it not checked."""

    number: int
    anchor: str
    source: Source
    code: str
    """The Admiralty codes of the line's citations of it that grade credibility (`B2`)."""
    unverified: bool
    said_by: str | None
    quote: str | None

    @property
    def suffix(self) -> str:
        """What follows the number in plain text: ` B2‡`."""
        return (f" {self.code}" if self.code else "") + ("‡" if self.unverified else "")


class Cited:
    """Something the brief shows with citation markers: a line, or a chart of a group."""

    refs: tuple[Ref, ...]

    @property
    def markers(self) -> list[Marker]:
        """One marker per distinct source, ascending: `[2 B2, 5‡]`."""
        by_number: dict[int, list[Ref]] = {}
        for ref in self.refs:
            by_number.setdefault(ref.number, []).append(ref)
        return [_marker(refs) for _, refs in sorted(by_number.items())]

    @property
    def numbers(self) -> list[int]:
        """The distinct source numbers, ascending: the markers `[2, 5]`."""
        return sorted({ref.number for ref in self.refs})

    @property
    def origins(self) -> set[Origin]:
        """The independent origins the item rests on (a relayed statement is one)."""
        return {
            ref.origin or Origin(f"source:{ref.source.id}", ref.source.publisher)
            for ref in self.refs
        }

    @property
    def single_source(self) -> bool:
        """True when the item rests on one independent origin, however many outlets
        relay it: what † marks."""
        return len(self.origins) == 1

    @property
    def unverified_quotes(self) -> int:
        """How many of the item's quotes could not be checked (no text on file)."""
        return sum(ref.unverified for ref in self.refs)


def _marker(refs: list[Ref]) -> Marker:
    first = refs[0]
    return Marker(
        first.number,
        first.anchor,
        first.source,
        "/".join(sorted({r.code for r in refs if r.credibility is not None})),
        any(r.unverified for r in refs),
        next((r.said_by for r in refs if r.said_by), None),
        next((r.quote for r in refs if r.quote), None),
    )


@dataclass(frozen=True)
class Item(Cited):
    """A line of the brief with its citations. It refuses to exist without one."""

    text: str
    refs: tuple[Ref, ...]
    caveat: str | None = field(default=None, kw_only=True)
    """A short caveat printed with the line in every format."""

    def __post_init__(self) -> None:
        if not self.refs:
            raise ValueError(f"unsourced line reached the brief: {self.text!r}")


@dataclass(frozen=True)
class Listing(Item):
    """A line that lists sources rather than rests on them ("New sources: …"): its
    markers link to them, and it claims no single origin, so no †."""

    @property
    def single_source(self) -> bool:
        return False


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
        """Consistent, a series, or a real disagreement (briefgen/estimates/verdicts.py)."""
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
        its qualifiers (estimates/captions.py): a chart read alone says what the table does."""
        from briefgen.estimates.captions import caption

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
    legend: tuple[str, ...] = ()
    """The marks the brief uses (†, ‡, Admiralty codes), each explained once."""
    changes: tuple[Item, ...] = ()
    """What changed since `previous`, each line cited; empty for a first edition."""
    previous: dt.date | None = None
    """The edition date of the edition before this one, when there is one."""
    sections: tuple[str, ...] = ORDER
    """The sections to show, in order (from the workspace's briefgen.toml)."""
    section_titles: Mapping[str, str] = field(default_factory=lambda: dict(SECTIONS))
    scale: Scale = ICD203
    """The likelihood scale the outlook uses (the desk's), printed once as a key."""
    organisation: str | None = None
    """Title block: issuing office, series, edition number, contact, distribution (each
    optional: the edition's, else the workspace's [brief])."""
    product_line: str | None = None
    number: int | None = None
    contact: str | None = None
    distribution: str | None = None

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
        found = origins(cites, self.registry)
        return tuple(self._ref(cite, origin) for cite, origin in zip(cites, found, strict=True))

    def _ref(self, cite: Citation, origin: Origin) -> Ref:
        number = self.numbers.setdefault(cite.source, len(self.numbers) + 1)
        status = None
        if cite.quote is not None:
            status = "verified" if self.registry.has_text(cite.source) else "unverified"
        return Ref(
            number,
            source_anchor(number),
            self.registry[cite.source],
            cite.quote,
            origin=origin,
            credibility=cite.credibility,
            said_by=cite.said_by,
            quote_status=status,
            words=self._words(cite) if status == "verified" else None,
        )

    def _words(self, cite: Citation) -> str | None:
        """The source's own wording of a verified quote (its quote marks and dashes)."""
        assert cite.quote is not None
        return self.registry.quotes.check(cite.source, cite.quote).words


def source_anchor(number: int) -> str:
    """The id of a source's entry in the Sources list; markers link to `#src-N`."""
    return anchor(number)


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
    key_judgments = tuple(_item(x, numbering) for x in edition.key_judgments)
    changed = _changes(changes, registry, numbering)
    situation = tuple(_item(x, numbering) for x in edition.situation)
    estimates = _estimate_groups(edition, numbering)
    open_questions = [x for x in edition.questions if x.answer is None]
    questions = tuple(_item(x, numbering) for x in open_questions)
    outlook = tuple(
        JudgmentItem(
            x.text,
            numbering.refs(x.cite),
            caveat=x.caveat,
            likelihood=x.likelihood,
            probability=x.probability,
            confidence=x.confidence,
        )
        for x in edition.outlook
        if x.outcome is None  # a resolved judgment is news once, in what changed
    )
    rows = [row for group in estimates for row in group.rows]
    items = [*key_judgments, *changed, *situation, *rows, *questions, *outlook]
    sources = numbered_sources(numbering.numbers, numbering.registry.sources, items)
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
        source_summary=source_summary(sources, items, key_judgments),
        legend=tuple(legend(items)),
        changes=changed,
        previous=previous,
        sections=house.sections,
        section_titles={**SECTIONS, **house.titles},
        scale=edition.outlook[0].scale if edition.outlook else ICD203,
        organisation=edition.organisation or house.organisation,
        product_line=edition.product_line or house.product_line,
        number=edition.number,
        contact=edition.contact or house.contact,
        distribution=edition.distribution or house.distribution,
    )


def _item(line: Line | Question, numbering: _Numbering) -> Item:
    return Item(line.text, numbering.refs(line.cite), caveat=line.caveat)


def _changes(
    changes: Sequence[Change], registry: Registry, numbering: _Numbering
) -> tuple[Item, ...]:
    """What changed, as an editor writes it (editorial.py); a new source named by its
    publisher, not its id, and the line listing new sources marked with no † of its own."""
    lines = editorial(changes, lambda source: registry[source].publisher)
    return tuple(
        (Listing if line.kind == SOURCES else Item)(line.text, numbering.refs(line.cite))
        for line in lines
    )


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
        caveat=estimate.caveat,
        parsed=estimate.parsed,
    )


def _merged(first: EstimateRow, again: EstimateRow) -> EstimateRow:
    """One row for a figure several outlets reported: every citation, every distinct note."""
    refs = first.refs + tuple(r for r in again.refs if r not in first.refs)
    return replace(
        first,
        refs=refs,
        note=_joined(first.note, again.note),
        caveat=_joined(first.caveat, again.caveat),
    )


def _joined(*texts: str | None) -> str | None:
    """Each distinct text once, in order."""
    return " ".join(dict.fromkeys(t for t in texts if t)) or None


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

"""Models → the Brief the templates see. Pure: no I/O, no rendering.

Everything a template needs is decided here — the numbering of sources in order of first
citation, the markers on each line, the grouping of estimates by quantity, the source
summary — so that HTML and DOCX templates only lay it out and cannot drift apart. A
template receives lines only as `Item`s, and an `Item` cannot exist without citations.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from briefgen.assemble.estimates import (
    NO_READING,
    QUALIFIER_NAMES,
    EstimateGroup,
    EstimateRow,
    _estimate_groups,
    reading,
)
from briefgen.assemble.items import (
    Cited,
    Item,
    JudgmentItem,
    Listing,
    Marker,
    Ref,
    _Numbering,
    source_anchor,
)
from briefgen.diff import Change
from briefgen.editorial import SOURCES, editorial
from briefgen.house import ORDER, SECTIONS, House
from briefgen.judgments.scales import ICD203, Scale
from briefgen.models import (
    Edition,
    Line,
    Question,
    Registry,
)
from briefgen.periods import Period
from briefgen.sourcing.summary import (
    NumberedSource,
    legend,
    numbered_sources,
    source_summary,
)

__all__ = [
    "NO_READING",
    "QUALIFIER_NAMES",
    "Brief",
    "Cited",
    "EstimateGroup",
    "EstimateRow",
    "Item",
    "JudgmentItem",
    "Listing",
    "Marker",
    "Ref",
    "assemble",
    "reading",
    "source_anchor",
]


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

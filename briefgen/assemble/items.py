"""What a template sees of a cited line: its sources as `Ref`s and `Marker`s, numbered in
order of first citation (`_Numbering`), and the `Item`s that cannot exist without them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from briefgen.models import (
    Citation,
    Registry,
    Source,
)
from briefgen.sourcing import Origin, origins
from briefgen.sourcing.summary import (
    anchor,
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

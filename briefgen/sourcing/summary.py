"""The Sources list and the source summary statement that heads it.

ICD 206 asks a product to say what it rests on: how many sources, of what reliability,
how many independent origins, and where a line rests on one. Counted by origin (not by
outlet: three outlets relaying one statement are one origin), so the summary cannot
overstate the breadth of the sourcing. Pure: built from the assembled lines.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from briefgen.dates import day_label
from briefgen.models import CREDIBILITY, RELIABILITY, Source
from briefgen.quotes import text_fragment
from briefgen.sourcing import Origin, fold

if TYPE_CHECKING:
    from briefgen.assemble import Cited as Cites


@dataclass(frozen=True)
class NumberedSource:
    """An entry of the Sources list."""

    number: int
    anchor: str
    source: Source
    reliability_text: str
    cited_lines: int
    quotes: tuple[str, ...] = ()
    """The quotes the brief cites from it, verified ones only, in the source's own words
    (its quote marks and dashes): where its link lands."""
    relays: str | None = None
    """What it relays (`derives_from`), as the list names it: `[4] Yonhap`."""

    @property
    def link(self) -> str | None:
        """The source's address; with its quotes as a text fragment, so that a browser
        lands on (and highlights) the quoted words."""
        if self.source.url is None:
            return None
        return self.source.url + fragment(self.quotes)


def fragment(quotes: Sequence[str]) -> str:
    """`#:~:text=a&text=b`: one text directive per quote (a browser highlights each)."""
    directives = [text_fragment(quote).removeprefix("#:~:") for quote in quotes]
    return "#:~:" + "&".join(directives) if directives else ""


def anchor(number: int) -> str:
    """The id of a source's entry in the Sources list; markers link to `#src-N`."""
    return f"src-{number}"


def numbered_sources(
    order: Mapping[str, int], sources: Mapping[str, Source], items: Sequence[Cites]
) -> tuple[NumberedSource, ...]:
    """The entries in citation order, each with how many lines cite it."""
    cited = Counter(number for item in items for number in {r.number for r in item.refs})
    quotes: dict[int, list[str]] = {}
    for item in items:
        for ref in item.refs:
            if ref.quote and ref.quote_status == "verified":
                quotes.setdefault(ref.number, []).append(ref.words or ref.quote)
    return tuple(
        NumberedSource(
            number=number,
            anchor=anchor(number),
            source=sources[source_id],
            reliability_text=RELIABILITY[sources[source_id].grade],
            cited_lines=cited[number],
            quotes=tuple(dict.fromkeys(quotes.get(number, []))),
            relays=_relays(sources[source_id], order, sources),
        )
        for source_id, number in order.items()
    )


def _relays(source: Source, order: Mapping[str, int], sources: Mapping[str, Source]) -> str | None:
    """`[4] Yonhap` when the original is in the list, else its publisher and title."""
    original = source.derives_from
    if original is None or original not in sources:
        return None
    if original in order:
        return f"[{order[original]}] {sources[original].publisher}"
    return f"{sources[original].publisher}, {sources[original].title}"


def source_summary(
    sources: Sequence[NumberedSource], items: Sequence[Cites], key_judgments: Sequence[Cites] = ()
) -> str:
    """One paragraph in the manner of an ICD 206 source summary statement."""
    if not sources:
        return ""
    return " ".join(
        part
        for part in (
            _breadth(sources, items),
            _reliability(sources),
            _credibility(items),
            _single_origin(items, key_judgments),
            _unverified(items),
        )
        if part
    )


def _breadth(sources: Sequence[NumberedSource], items: Sequence[Cites]) -> str:
    outlets = {fold(s.source.publisher) for s in sources if not s.source.unidentified}
    unknown = sum(s.source.unidentified for s in sources)
    origins: set[Origin] = set().union(*(item.origins for item in items))
    dates = [s.source.published for s in sources]
    first = min(w.end if w.precision == "by" else w.start for w in dates)
    last = max(w.end for w in dates)
    span = (
        f"published {day_label(first)}"
        if first == last
        else f"published between {day_label(first)} and {day_label(last)}"
    ) + (" (some dates inferred, marked *)" if any(w.inferred for w in dates) else "")
    from_ = _count(len(outlets), "outlet")
    if unknown:
        from_ += f" and {_count(unknown, 'unidentified outlet')}"
    return (
        f"This brief rests on {_count(len(sources), 'source')} from {from_}, {span}; "
        f"they relay {_count(len(origins), 'independent origin')}."
    )


def _reliability(sources: Sequence[NumberedSource]) -> str:
    grades = Counter(s.source.grade for s in sources)
    spread = ", ".join(f"{grades[g]} {RELIABILITY[g]} ({g})" for g in sorted(grades))
    return f"Source reliability: {spread}."


def _credibility(items: Sequence[Cites]) -> str:
    graded = Counter(
        r.credibility for item in items for r in item.refs if r.credibility is not None
    )
    if not graded:
        return "Information credibility is not graded."
    spread = ", ".join(f"{graded[g]} {CREDIBILITY[g]} ({g})" for g in sorted(graded))
    return f"Information credibility, where graded by citation: {spread}."


def _single_origin(items: Sequence[Cites], key_judgments: Sequence[Cites]) -> str:
    single = sum(item.single_source for item in items)
    if not single:
        return "Every line rests on more than one independent origin."
    text = (
        f"{single} of {_count(len(items), 'line')} rest{'s' * (single == 1)} on a single "
        "origin, however many outlets relay it; they are marked †"
    )
    thin = [str(n) for n, item in enumerate(key_judgments, 1) if item.single_source]
    if thin:
        which = " and ".join([", ".join(thin[:-1]), thin[-1]] if len(thin) > 1 else thin)
        text += f", among them key judgment{'s' * (len(thin) > 1)} {which}"
    return text + "."


def _unverified(items: Sequence[Cites]) -> str:
    count = sum(item.unverified_quotes for item in items)
    if not count:
        return ""
    they = "it is" if count == 1 else "they are"
    return (
        f"{_count(count, 'quote')} could not be checked against the source's words (no "
        f"text of the source is on file); {they} marked ‡."
    )


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' * (n != 1)}"


def legend(items: Iterable[Cites]) -> list[str]:
    """The marks the brief uses, explained once under Sources."""
    items = list(items)
    marks = []
    if any(item.single_source for item in items):
        marks.append("† rests on a single independent origin")
    if any(item.unverified_quotes for item in items):
        marks.append("‡ quote not checked (no text of the source on file)")
    if any(r.credibility is not None for item in items for r in item.refs):
        marks.append(
            "B2 Admiralty code: source reliability A (completely reliable) to F (cannot be "
            "judged), information credibility 1 (confirmed) to 6 (cannot be judged)"
        )
    return marks

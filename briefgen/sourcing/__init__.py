"""Who a line rests on: independent origins, not outlets.

Three outlets relaying one JCS statement are one origin; a wire copy is its original.
The brief's † (one origin), its source summary and `check`'s warnings on thin key
judgments all count origins through `origin_of`, so they cannot disagree.

An origin is the citation's `said_by`, else its source's, else (following `derives_from`
to the source a copy relays) that source's `said_by`, else that source itself: an
outlet's own reporting is its own origin.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from briefgen.models import Citation, Edition, Registry, Source

Located = tuple[tuple[str | int, ...], str]
"""A finding at a place in the notes: (("key_judgments", 2, "cite"), message)."""

WEAK_GRADES = frozenset("DEF")
"""Source reliability below C: a key judgment resting on one such origin is warned of."""


@dataclass(frozen=True)
class Origin:
    """An independent origin of information, compared by `key` (case and spacing aside)."""

    key: str
    name: str = field(compare=False)
    """As the brief names it: the `said_by` text, or the outlet of the original source."""


def fold(text: str) -> str:
    """`South Korea's  JCS` and `south korea's jcs` are one originator."""
    return " ".join(text.casefold().replace("\u2019", "'").split())


def root(source: Source, registry: Registry) -> Source:
    """The source a copy relays, following `derives_from` (cycles are refused on load;
    a guard stops here anyway)."""
    seen = {source.id}
    while source.derives_from and source.derives_from in registry:
        source = registry[source.derives_from]
        if source.id in seen:
            break
        seen.add(source.id)
    return source


def origin_of(source_id: str, said_by: str | None, registry: Registry) -> Origin:
    """The origin of one citation."""
    source = registry[source_id]
    original = root(source, registry)
    said = said_by or source.said_by or original.said_by
    if said:
        return Origin(f"said:{fold(said)}", said)
    return Origin(f"source:{original.id}", original.publisher)


def origins(cites: Sequence[Citation], registry: Registry) -> list[Origin]:
    """The origin of each of a line's citations. A copy (`derives_from`) cited without
    `said_by` takes the origin its original is cited with on the same line: a wire story
    and the paper that printed it are one origin, whoever the wire quoted. A source cited
    again without `said_by` is its own reporting, whatever else it relays."""
    found = [origin_of(c.source, c.said_by, registry) for c in cites]
    by_root: dict[str, Origin] = {}
    for cite, origin in zip(cites, found, strict=True):
        if cite.said_by:
            by_root.setdefault(root(registry[cite.source], registry).id, origin)
    return [
        by_root.get(root(registry[c.source], registry).id, origin) if _copy(c, registry) else origin
        for c, origin in zip(cites, found, strict=True)
    ]


def _copy(cite: Citation, registry: Registry) -> bool:
    """A citation of a copy that does not name its originator itself."""
    return not cite.said_by and registry[cite.source].derives_from is not None


def derivation_problems(sources: Sequence[Source]) -> list[tuple[str, str]]:
    """(source id, what is wrong) for `derives_from` that names no registered source,
    names the source itself, or closes a loop."""
    known = {source.id: source for source in sources}
    problems = []
    for source in sources:
        target = source.derives_from
        if target is None:
            continue
        if target not in known:
            problems.append((source.id, f"derives_from {target!r} is not a source id here"))
        elif _loops(source, known):
            problems.append(
                (
                    source.id,
                    f"derives_from {target!r} leads back to {source.id!r}; a copy "
                    "relays an original, so one of them must not derive from the other",
                )
            )
    return problems


def _loops(source: Source, known: dict[str, Source]) -> bool:
    seen = {source.id}
    current = source
    while current.derives_from in known:
        current = known[current.derives_from]
        if current.id in seen:
            return True
        seen.add(current.id)
    return False


def thin_key_judgments(edition: Edition, registry: Registry) -> list[Located]:
    """Key judgments resting on one origin that is weak: graded below C, or F, or given
    credibility 6 (or 4–5). A warning, not an error: the analyst may know better, but
    the reader should not have to find out."""
    findings: list[Located] = []
    for index, line in enumerate(edition.key_judgments):
        if any(c.source not in registry for c in line.cite):
            continue  # a broken registry entry, reported in sources.yaml
        found = set(origins(line.cite, registry))
        if len(found) != 1:
            continue
        weak = _weakness(line.cite, registry)
        if weak:
            (origin,) = found
            message = (
                f"this key judgment rests on one origin ({origin.name}), {weak}; add an "
                "independent source or move the line to the situation"
            )
            findings.append((("key_judgments", index, "cite"), message))
    return findings


def _weakness(cites: Sequence[Citation], registry: Registry) -> str:
    grades = {registry[c.source].grade for c in cites}
    credibility = {c.credibility for c in cites if c.credibility is not None}
    if grades <= WEAK_GRADES:
        return f"graded {'/'.join(sorted(grades))}"
    if credibility and min(credibility) >= 4:
        return f"its information graded {min(credibility)} (doubtful or worse)"
    return ""


def citations(edition: Edition) -> Iterator[tuple[tuple[str | int, ...], Citation]]:
    """Every citation of the edition with its place: (("situation", 3, "cite", 0), c)."""
    sections: dict[str, Sequence[Any]] = {
        "key_judgments": edition.key_judgments,
        "situation": edition.situation,
        "estimates": edition.estimates,
        "questions": edition.questions,
        "outlook": edition.outlook,
    }
    for name, items in sections.items():
        for index, item in enumerate(items):
            for number, cite in enumerate(item.cite):
                yield (name, index, "cite", number), cite


def unverified_quotes(edition: Edition, registry: Registry) -> list[Located]:
    """Quotes whose source has no text on file: they cannot be checked, and say so."""
    return [
        (
            (*loc, "quote"),
            f"quote unverified: source {cite.source!r} has no text on file, so its words "
            "cannot be checked; register the text (text: under its sources.yaml entry) or "
            "accept the mark (check --strict refuses unverified quotes)",
        )
        for loc, cite in citations(edition)
        if cite.quote is not None and cite.source in registry and not registry.has_text(cite.source)
    ]

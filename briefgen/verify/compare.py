"""Every claim the notes make, looked for in the document, each difference at its place.

A claim is a field the brief prints from the notes: a line and its citation markers, an
estimate's figures, estimator and date, a source entry, the marking. Fields of one item
are looked for in order, from where the item before ended; a field the document lacks is
reported with what the document has in its place ("page 2, estimates, row 3: 3,000 in the
document, more than 3,000 in the notes").
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from briefgen.verify.text import Haystack, fold

if TYPE_CHECKING:
    from briefgen.assemble import Brief, Cited, Item


@dataclass(frozen=True)
class Claim:
    """One item the brief prints: where it is (section, row) and its fields in order."""

    section: str
    row: int
    fields: tuple[tuple[str, str], ...]
    """(what, text): `("text", "Zelensky said …")`, `("markers", "[1 B2, 2‡]†")`."""


def markers(item: Cited) -> str:
    """The markers as every format prints them: `[1 B2, 2‡]†`."""
    inner = ", ".join(f"{m.number}{m.suffix}" for m in item.markers)
    return f"[{inner}]" + ("†" if item.single_source else "")


def claims(brief: Brief) -> Iterator[Claim]:
    """The brief's claims, in the order the default template prints its sections."""
    yield Claim("title", 1, (("title", brief.title), ("marking", brief.marking)))
    for section in brief.sections:
        yield from _section(brief, section)


def _lines(section: str, items: tuple[Item, ...]) -> Iterator[Claim]:
    for row, item in enumerate(items, start=1):
        yield Claim(section, row, (("text", item.text), ("markers", markers(item))))


def _section(brief: Brief, section: str) -> Iterator[Claim]:
    plain = {
        "key-judgments": brief.key_judgments,
        "changes": brief.changes,
        "situation": brief.situation,
        "questions": brief.questions,
    }
    if section in plain:
        yield from _lines(section, plain[section])
    elif section == "outlook":
        for row, item in enumerate(brief.outlook, start=1):
            fields: tuple[tuple[str, str], ...] = (
                ("likelihood", item.likelihood),
                ("probability", item.probability),
                ("confidence", f"{item.confidence} confidence"),
            )
            yield Claim(section, row, (*fields, ("text", item.text), ("markers", markers(item))))
    elif section == "estimates":
        row = 0
        for group in brief.estimates:
            for estimate in group.rows:
                row += 1
                fields = (
                    ("estimate", estimate.text),
                    ("reading", estimate.reading),
                    ("estimator", estimate.estimator),
                    ("date", estimate.as_of.label()),
                )
                yield Claim(section, row, (*fields, ("markers", markers(estimate))))
    elif section == "sources":
        for entry in brief.sources:
            source = entry.source
            fields = (
                ("publisher", source.publisher),
                ("grade", f"Reliability {source.reliability}"),
            )
            yield Claim(section, entry.number, fields)


@dataclass(frozen=True)
class Difference:
    """One field of the notes the document does not say as the notes do."""

    page: int | None
    section: str
    row: int
    what: str
    document: str
    notes: str

    def __str__(self) -> str:
        place = f"page {self.page}, " if self.page else ""
        section = self.section.replace("-", " ")
        document, notes = _from_first_difference(self.document, self.notes)
        document = _about_as_long(document, notes)
        shown = f"“{document}”" if document else "nothing"
        return (
            f"{place}{section}, {'entry' if self.section == 'sources' else 'row'} {self.row}: "
            f"{self.what}: {shown} in the document, “{notes}” in the notes"
        )


def _about_as_long(document: str, notes: str, slack: int = 8) -> str:
    """The document's text cut at the first word end past the notes' length: what stands
    in the field's place, not the fields after it ("about 10,100 …", not the row)."""
    if len(document) <= len(notes) + slack:
        return document
    end = document.find(" ", len(notes))
    return document if end < 0 else document[:end] + " …"


def _from_first_difference(document: str, notes: str, limit: int = 80) -> tuple[str, str]:
    """Both texts from a few words before where they part, each at most `limit` long."""
    same = 0
    while same < min(len(document), len(notes)) and document[same] == notes[same]:
        same += 1
    start = notes.rfind(" ", 0, max(0, same - 12)) + 1 if same > 30 else 0

    def cut(text: str) -> str:
        text = ("…" if start else "") + text[start:]
        return text if len(text) <= limit else text[: limit - 1] + "…"

    return cut(document), cut(notes)


Span = tuple[int, int, Claim]
"""Where (folded start, end) the document prints a claim's citation markers."""


def differences(
    brief: Brief, hay: Haystack, markers_at: list[Span] | None = None
) -> list[Difference]:
    """Every field of every claim the document does not print as the notes say; where
    each claim's markers were found is added to `markers_at` (to place a link)."""
    found: list[Difference] = []
    cursor = 0
    for claim in claims(brief):
        cursor = _claim(claim, hay, cursor, found, markers_at)
    return found


def _claim(
    claim: Claim,
    hay: Haystack,
    cursor: int,
    found: list[Difference],
    markers_at: list[Span] | None = None,
) -> int:
    """Look for the claim's fields from `cursor`; record what is missing; return where
    the claim ended (or `cursor`, when nothing of it was found)."""
    places: list[tuple[int, int] | None] = []
    at = cursor
    for index, (_, text) in enumerate(claim.fields):
        needle = fold(text)
        start = hay.find(needle, at)
        if start is not None and index and claim.fields[index - 1][0] == "text":
            prev = places[-1]
            start = start if prev is None or start == prev[1] else None
        places.append(None if start is None else (start, start + len(needle)))
        at = start + len(needle) if start is not None else at
    for (what, _), place in zip(claim.fields, places, strict=True):
        if what == "markers" and place is not None and markers_at is not None:
            markers_at.append((*place, claim))
    for index, place in enumerate(places):
        if place is not None:
            continue
        what, text = claim.fields[index]
        begin = next((p[1] for p in reversed(places[:index]) if p), cursor)
        after = next((p[0] for p in places[index + 1 :] if p), None)
        begin = _opening(hay, fold(text), begin, after)
        end = after if after is not None and after >= begin else begin + len(fold(text)) + 8
        if what == "markers" and markers_at is not None:
            markers_at.append((begin, end, claim))  # where they should be: a link there
        page = hay.page(begin)
        found.append(
            Difference(page, claim.section, claim.row, what, hay.excerpt(begin, end), text)
        )
    ends = [p[1] for p in places if p]
    return max(ends) if ends else cursor


def _opening(hay: Haystack, needle: str, begin: int, after: int | None) -> int:
    """Where the document starts the field that it prints otherwise: its first words,
    when they stand between `begin` and the next field found (a line dropped or edited
    further on leaves them), else `begin` (the page headers between are not the field)."""
    for length in (24, 12):
        if len(needle) <= length:
            continue
        found = hay.folded.find(needle[:length], begin, after)
        if found >= 0:
            return found
    return begin


def marking_problems(brief: Brief, pages: list[str]) -> list[str]:
    """The marking on every page of a PDF (the header prints it there)."""
    needle = fold(brief.marking)
    return [
        f"page {number}: the marking “{brief.marking}” is missing"
        for number, page in enumerate(pages, start=1)
        if needle not in fold(page)
    ]


def place_of(at: int, hay: Haystack, markers_at: list[Span]) -> str:
    """`page 2, situation, row 3: ` for the original-text offset `at` when it falls in a
    claim's markers; the page alone, or nothing, when it does not."""
    folded = bisect.bisect_left(hay.index, at)
    page = hay.page(folded)
    where = f"page {page}, " if page else ""
    for start, end, claim in markers_at:
        if start <= folded < end:
            return f"{where}{claim.section.replace('-', ' ')}, row {claim.row}: "
    return where

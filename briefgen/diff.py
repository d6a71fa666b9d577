"""What changed between two editions of a brief: estimates, questions, judgments, sources.

Pure functions over two validated `Edition`s; no I/O, so the CLI, the brief's "changes
since the last edition" section and the tests all see the same list of `Change`s.

Matching rules, in short:

- Estimates are the same estimate when quantity and estimator agree (ignoring case,
  spacing and quote style). Several estimates under one key are paired identical ones
  first, then in order of their as-of date.
- Questions and judgments are the same item when they carry the same `id`; otherwise
  when their wording is the same after normalising, or close enough (difflib ratio of at
  least 0.75), best match first, one-to-one. Two items that both carry an `id`, and
  different ones, are never matched by wording: the analyst said they differ.
- A source is new when the new edition cites it and the old one cites it nowhere.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from briefgen.judgments.matching import match as _match
from briefgen.judgments.matching import norm as _norm
from briefgen.models import Citation, Edition, Estimate, Judgment, Question

KINDS = (
    "judgment-moved",
    "judgment-resolved",
    "judgment-added",
    "judgment-reworded",
    "judgment-dropped",
    "estimate-added",
    "estimate-revised",
    "estimate-dropped",
    "question-opened",
    "question-reworded",
    "question-answered",
    "question-dropped",
    "source-added",
)
"""In the order an editor reports them: what the desk now judges differently first (a
move, a judgment come due), then the evidence (estimates), the questions, the sources."""

HEADINGS = {
    "judgment-moved": "Judgments moved",
    "judgment-resolved": "Judgments resolved",
    "judgment-added": "Judgments added",
    "judgment-reworded": "Judgments reworded",
    "judgment-dropped": "Judgments dropped",
    "estimate-added": "Estimates added",
    "estimate-revised": "Estimates revised",
    "estimate-dropped": "Estimates dropped",
    "question-opened": "Questions opened",
    "question-reworded": "Questions reworded",
    "question-answered": "Questions answered",
    "question-dropped": "Questions dropped",
    "source-added": "Sources added",
}
"""The heading each kind of change gets in the terminal listing."""


@dataclass(frozen=True)
class Change:
    """One change between two editions, in words and in fields."""

    kind: str
    """One of KINDS (or, for the brief's collapsed lines, editorial.ESTIMATES/SOURCES)."""
    text: str
    """One line in words, as the brief and the terminal show it."""
    cite: tuple[Citation, ...]
    """The citations behind the new value; for a drop, the old item's citations."""
    detail: dict[str, Any] = field(default_factory=dict)
    """Machine-readable fields for --json; JSON-serialisable (dates as ISO strings)."""

    @property
    def sources(self) -> list[str]:
        """The distinct source ids of `cite`, in order."""
        return list(dict.fromkeys(citation.source for citation in self.cite))


def compare(old: Edition, new: Edition) -> list[Change]:
    """The changes from OLD to NEW, by kind in KINDS order, then in document order."""
    changes = [
        *_estimates(old.estimates, new.estimates),
        *_questions(old.questions, new.questions),
        *_judgments(old.outlook, new.outlook),
        *_sources(old, new),
    ]
    rank = {kind: i for i, kind in enumerate(KINDS)}
    # Each helper yields (change, position in its edition); kinds never share a position.
    changes.sort(key=lambda item: (rank[item[0].kind], item[1]))
    return [change for change, _ in changes]


def format_text(changes: list[Change], old_label: str, new_label: str) -> str:
    """The changes for the terminal: a heading per kind, a line per change."""
    if not changes:
        return "No changes."
    lines = [f"Changes from {old_label} to {new_label}"]
    for kind in KINDS:
        group = [change for change in changes if change.kind == kind]
        if not group:
            continue
        lines += ["", f"{HEADINGS[kind]} ({len(group)})"]
        for change in group:
            cited = "" if kind == "source-added" else f"  [{', '.join(change.sources)}]"
            lines.append(f"  - {change.text}{cited}")
    return "\n".join(lines)


def to_json(changes: list[Change], old_label: str, new_label: str) -> str:
    """The changes as JSON: {"old", "new", "changes": [{"kind", "text", "sources", ...}]}."""
    items = [
        {**change.detail, "kind": change.kind, "text": change.text, "sources": change.sources}
        for change in changes
    ]
    document = {"old": old_label, "new": new_label, "changes": items}
    return json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False)


# --- matching ---------------------------------------------------------------------------


def _unmatched_old(old: Sequence[Any], pairs: dict[int, int]) -> Iterator[tuple[int, Any]]:
    taken = set(pairs.values())
    return ((i, item) for i, item in enumerate(old) if i not in taken)


# The position of a change within its kind: new-edition index, or old-edition index for
# drops (a drop sorts among drops only, so the two never compare).
Positioned = tuple[Change, int]


# --- estimates -----------------------------------------------------------------------------


def _estimate_key(estimate: Estimate) -> tuple[str, str]:
    return _norm(estimate.quantity), _norm(estimate.estimator)


def _same_value(a: Estimate, b: Estimate) -> bool:
    return _norm(a.estimate) == _norm(b.estimate) and a.as_of == b.as_of


def _pair_estimates(old: Sequence[Estimate], new: Sequence[Estimate]) -> dict[int, int]:
    """{index in new: index in old} for estimates of the same quantity and estimator.

    Within one key, identical estimates pair first (so adding an older figure does not
    shift every pairing), then the rest pair in order of their as-of dates, aligned at
    the newest: when one side has more, its oldest figures are the ones added or dropped,
    since a new figure usually revises the latest one, not the earliest.
    """
    pairs: dict[int, int] = {}
    keys = dict.fromkeys(_estimate_key(e) for e in [*old, *new])
    for key in keys:
        olds = [i for i, e in enumerate(old) if _estimate_key(e) == key]
        news = [j for j, e in enumerate(new) if _estimate_key(e) == key]
        for j in list(news):
            same = next((i for i in olds if _same_value(old[i], new[j])), None)
            if same is not None:
                pairs[j] = same
                olds.remove(same)
                news.remove(j)
        olds.sort(key=lambda i: old[i].as_of, reverse=True)
        news.sort(key=lambda j: new[j].as_of, reverse=True)
        pairs.update(zip(news, olds, strict=False))
    return pairs


def _estimate_detail(old: Estimate | None, new: Estimate | None) -> dict[str, Any]:
    current = new or old
    assert current is not None
    return {
        "quantity": current.quantity,
        "estimator": current.estimator,
        "unit": current.unit,
        "old": old.estimate if old else None,
        "new": new.estimate if new else None,
        "as_of_old": str(old.as_of) if old else None,
        "as_of_new": str(new.as_of) if new else None,
    }


def _estimate_line(estimate: Estimate) -> str:
    """`North Korean troops killed: about 300 (South Korea NIS, as of 13 Jan 2025)`."""
    return (
        f"{estimate.quantity}: {estimate.estimate} ({estimate.estimator}, {estimate.as_of.as_of()})"
    )


def _estimates(old: Sequence[Estimate], new: Sequence[Estimate]) -> Iterator[Positioned]:
    pairs = _pair_estimates(old, new)
    for j, after in enumerate(new):
        if j not in pairs:
            detail = _estimate_detail(None, after)
            yield Change("estimate-added", _estimate_line(after), tuple(after.cite), detail), j
            continue
        before = old[pairs[j]]
        if _same_value(before, after):
            continue
        head = f"{after.quantity}, {after.estimator}: "
        when = f"{before.as_of.label()} → {after.as_of.label()}"
        if _norm(before.estimate) == _norm(after.estimate):
            text = f"{head}{after.estimate}, reaffirmed {after.as_of.as_of()}"
        elif before.as_of == after.as_of:
            text = f"{head}{before.estimate} → {after.estimate}"
        else:
            text = f"{head}{before.estimate} → {after.estimate} (as of {when})"
        detail = _estimate_detail(before, after)
        yield Change("estimate-revised", text, tuple(after.cite), detail), j
    for i, before in _unmatched_old(old, pairs):
        text = f"Dropped: {_estimate_line(before)}"
        detail = _estimate_detail(before, None)
        yield Change("estimate-dropped", text, tuple(before.cite), detail), i


# --- questions -------------------------------------------------------------------------------


def _question_detail(old: Question | None, new: Question | None) -> dict[str, Any]:
    current = new or old
    assert current is not None
    return {
        "id": current.id,
        "question_old": old.text if old else None,
        "question_new": new.text if new else None,
        "answer": new.answer if new else None,
    }


def _questions(old: Sequence[Question], new: Sequence[Question]) -> Iterator[Positioned]:
    pairs = _match(old, new)
    for j, after in enumerate(new):
        before = old[pairs[j]] if j in pairs else None
        detail = _question_detail(before, after)
        if after.answer is not None:
            if before is not None and _same_answer(before, after):
                continue  # answered last time already
            text = f"Answered: {after.text} — {after.answer}"
            yield Change("question-answered", text, tuple(after.cite), detail), j
        elif before is None:
            yield Change("question-opened", f"Opened: {after.text}", tuple(after.cite), detail), j
        elif _norm(before.text) != _norm(after.text):
            text = f"Reworded: {after.text}"
            yield Change("question-reworded", text, tuple(after.cite), detail), j
    for i, before in _unmatched_old(old, pairs):
        if before.answer is not None:
            continue  # reported as answered last time; `briefgen new` drops it by design
        text, detail = f"Dropped: {before.text}", _question_detail(before, None)
        yield Change("question-dropped", text, tuple(before.cite), detail), i


def _same_answer(old: Question, new: Question) -> bool:
    if old.answer is None or new.answer is None:
        return False
    return _norm(old.answer) == _norm(new.answer)


# --- judgments -------------------------------------------------------------------------------


def _judgment_detail(old: Judgment | None, new: Judgment | None) -> dict[str, Any]:
    current = new or old
    assert current is not None
    return {
        "id": current.id,
        "judgment_old": old.text if old else None,
        "judgment_new": new.text if new else None,
        "likelihood_old": old.likelihood if old else None,
        "likelihood_new": new.likelihood if new else None,
        "confidence_old": old.confidence if old else None,
        "confidence_new": new.confidence if new else None,
        "by": str(current.by) if current.by else None,
        "reason": new.reason.text if new and new.reason else None,
        "outcome": new.outcome.result if new and new.outcome else None,
        "outcome_text": new.outcome.text if new and new.outcome else None,
    }


def _rating(judgment: Judgment) -> str:
    return f"{judgment.likelihood}, {judgment.confidence} confidence"


CONFIDENCE = ("low", "moderate", "high")


def _arrow(scale: Sequence[str], old: str, new: str) -> str:
    """▲ when NEW stands higher on the scale than OLD, else ▼."""
    rank = {term: i for i, term in enumerate(scale)}
    return "▲" if rank.get(new, 0) > rank.get(old, 0) else "▼"


def moves(old: Judgment, new: Judgment) -> list[str]:
    """What moved, each with its direction: `▲ likely → very likely`,
    `▼ confidence moderate → low`; empty when neither likelihood nor confidence did."""
    found = []
    if old.likelihood != new.likelihood:
        arrow = _arrow(new.scale.terms, old.likelihood, new.likelihood)  # the desk's scale
        found.append(f"{arrow} {old.likelihood} → {new.likelihood}")
    if old.confidence != new.confidence:
        arrow = _arrow(CONFIDENCE, old.confidence, new.confidence)
        found.append(f"{arrow} confidence {old.confidence} → {new.confidence}")
    return found


def _moved(before: Judgment, after: Judgment, detail: dict[str, Any]) -> Change:
    """A move, with the reason the edition gives and that reason's citations (the
    judgment's own when it gives none, which `check` refuses: see continuity.py)."""
    text = f"{'; '.join(moves(before, after))}: {after.text}"
    cite = tuple(after.cite)
    if after.reason is not None:
        text = f"{text} Reason: {after.reason.text}"
        cite = tuple(after.reason.cite)
    return Change("judgment-moved", text, cite, detail)


def _resolved(judgment: Judgment, detail: dict[str, Any]) -> Change:
    """`Did not happen: Kim will … (judged unlikely, moderate confidence). What happened.`"""
    assert judgment.outcome is not None
    outcome = judgment.outcome
    text = (
        f"{outcome.result.capitalize()}: {judgment.text.rstrip('.')} (judged {_rating(judgment)})."
    )
    if outcome.text:
        text = f"{text} {outcome.text}"
    return Change("judgment-resolved", text, tuple(outcome.cite), detail)


def _judgments(old: Sequence[Judgment], new: Sequence[Judgment]) -> Iterator[Positioned]:
    pairs = _match(old, new)
    for j, after in enumerate(new):
        before = old[pairs[j]] if j in pairs else None
        detail = _judgment_detail(before, after)
        if after.outcome is not None:
            if before is None or before.outcome is None:
                yield _resolved(after, detail), j
            continue  # resolved last time already
        if before is None:
            text = f"New judgment ({_rating(after)}): {after.text}"
            yield Change("judgment-added", text, tuple(after.cite), detail), j
        elif moves(before, after):
            yield _moved(before, after, detail), j
        elif _norm(before.text) != _norm(after.text):
            text = f"Reworded, still {_rating(after)}: {after.text}"
            yield Change("judgment-reworded", text, tuple(after.cite), detail), j
    for i, before in _unmatched_old(old, pairs):
        if before.outcome is not None:
            continue  # reported as resolved last time; not carried by design
        text = f"Dropped judgment ({_rating(before)}): {before.text}"
        detail = _judgment_detail(before, None)
        yield Change("judgment-dropped", text, tuple(before.cite), detail), i


# --- sources ---------------------------------------------------------------------------------


def _cited(edition: Edition) -> list[str]:
    """Every source id the edition cites, once each, in document order."""
    return list(dict.fromkeys(citation.source for citation in _citations(edition)))


def _citations(value: Any) -> Iterator[Citation]:
    """Walk a model's fields in declaration order, yielding every Citation."""
    if isinstance(value, Citation):
        yield value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _citations(getattr(value, name))
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _citations(item)


def _sources(old: Edition, new: Edition) -> Iterator[Positioned]:
    before = set(_cited(old))
    for position, source in enumerate(_cited(new)):
        if source not in before:
            cite, text = (Citation(source=source),), f"New source: {source}"
            yield Change("source-added", text, cite, {"source": source}), position

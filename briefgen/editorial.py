"""The brief's "what changed" as an editor writes it, from diff.py's list of changes.

`diff` lists one change per row, for machines and for the analyst at the terminal. A
reader of the brief wants the news first and the bookkeeping last: judgment moves (▲/▼
with their reasons) and judgments resolved, added or dropped; then estimates, one line
per quantity (a new figure and a revised one of the same count read together); then
questions opened, reworded, answered (with the answer) or dropped; and the new sources
in one line, by publisher, which lists sources rather than resting on them (so the brief
marks no † on it).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from briefgen.diff import Change
from briefgen.estimates.verdicts import quantity_key

ESTIMATES = "estimates"
"""The kind of a line that gathers the estimate changes of one quantity."""
SOURCES = "sources"
"""The kind of the one line that names the new sources."""

_LABELS = {"estimate-added": "new", "estimate-revised": "revised", "estimate-dropped": "dropped"}


def editorial(changes: Sequence[Change], publisher: Callable[[str], str]) -> list[Change]:
    """The lines of "what changed", in an editor's order; PUBLISHER names a source id."""
    judgments = [c for c in changes if c.kind.startswith("judgment-")]
    estimates = [c for c in changes if c.kind.startswith("estimate-")]
    questions = [c for c in changes if c.kind.startswith("question-")]
    sources = [c for c in changes if c.kind == "source-added"]
    lines = [*judgments, *_estimate_lines(estimates), *questions]
    if sources:
        lines.append(sources_line(sources, publisher))
    return lines


def _estimate_lines(changes: list[Change]) -> list[Change]:
    """One line per quantity, its changes in diff's order (added, revised, dropped)."""
    groups: dict[str, list[Change]] = {}
    for change in changes:
        groups.setdefault(quantity_key(change.detail["quantity"]), []).append(change)
    return [_estimate_line(group) for group in groups.values()]


def _estimate_line(group: list[Change]) -> Change:
    """`New estimates of North Korean losses: close to 1,200 (US …); could reach 4,000
    (…)`; a mix of kinds is labelled part by part: `Estimates of …: new: …; revised: …`."""
    quantity = group[0].detail["quantity"]
    kinds = {change.kind for change in group}
    parts = [_part(change, quantity) for change in group]
    if len(kinds) == 1:
        plural = "s" if len(group) > 1 else ""
        label = f"{_LABELS[group[0].kind].capitalize()} estimate{plural} of {quantity}"
    else:
        label = f"Estimates of {quantity}"
        parts = [f"{_LABELS[c.kind]}: {part}" for c, part in zip(group, parts, strict=True)]
    cite = tuple(citation for change in group for citation in change.cite)
    detail = {"quantity": quantity, "changes": [dict(c.detail, kind=c.kind) for c in group]}
    return Change(ESTIMATES, f"{label}: {'; '.join(parts)}", cite, detail)


def _part(change: Change, quantity: str) -> str:
    """A change's words without its quantity, which the line names once."""
    text = change.text.removeprefix("Dropped: ")
    for head in (f"{quantity}: ", f"{quantity}, "):
        if text.startswith(head):
            return text.removeprefix(head)
    return text


def sources_line(changes: list[Change], publisher: Callable[[str], str]) -> Change:
    """`New sources: Wire report (Seoul), The Kyiv Independent (2 items)`: publishers in
    order of first citation, each once, with how many of its items are new."""
    counts: dict[str, int] = {}
    for change in changes:
        name = publisher(change.detail["source"])
        counts[name] = counts.get(name, 0) + 1
    names = [f"{name} ({n} items)" if n > 1 else name for name, n in counts.items()]
    label = "New sources" if len(changes) > 1 else "New source"
    cite = tuple(citation for change in changes for citation in change.cite)
    detail = {"sources": [change.detail["source"] for change in changes]}
    return Change(SOURCES, f"{label}: {', '.join(names)}", cite, detail)

"""Checks across editions: a judgment that moved says why, one that came due says how it
came out (ICD 203: explain change to or consistency of judgments).

Each edition is valid or not on its own first (validate.py); then this module compares it
with the edition before it in its topic folder, as `diff` and the brief's "what changed"
do (matching.py pairs the judgments), and reports at the new edition's lines. One place,
called once from validate.check, so `check`, `build`, `new` and `diff` refuse alike.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from briefgen.judgments.matching import match, norm
from briefgen.judgments.record import due
from briefgen.load import Loc
from briefgen.models import Edition, Judgment
from briefgen.workspace import EditionFile, editions_of

if TYPE_CHECKING:
    from briefgen.caps import Limits
    from briefgen.errors import Problem
    from briefgen.validate import ValidEdition

Finding = tuple[Loc, str]
"""Where in the new edition (`("outlook", 2, "likelihood")`), and what to do."""

OUTCOMES = "happened / did not happen / withdrawn"


def findings(previous: Edition | None, edition: Edition) -> list[Finding]:
    """What EDITION must still say, given the edition before it (None for a first one)."""
    found: list[Finding] = []
    if previous is not None:
        pairs = match(previous.outlook, edition.outlook)
        for j, i in sorted(pairs.items()):
            found += _unexplained(previous.outlook[i], edition.outlook[j], j, previous.edition)
    for j, judgment in enumerate(edition.outlook):
        if due(judgment, edition.edition):
            message = (
                f"came due on {judgment.by}; add outcome: {OUTCOMES}, with cite "
                "(or a later by: if the time frame was extended, with a reason:)"
            )
            found.append((("outlook", j, "by"), message))
    return found


def _unexplained(before: Judgment, after: Judgment, j: int, since: dt.date) -> list[Finding]:
    """A move without a reason, or with the reason given for the previous move."""
    moved = []
    if before.likelihood != after.likelihood:
        moved.append(f"likelihood moved {before.likelihood} → {after.likelihood}")
    if before.confidence != after.confidence:
        moved.append(f"confidence moved {before.confidence} → {after.confidence}")
    if not moved:
        return []
    field = "likelihood" if before.likelihood != after.likelihood else "confidence"
    what = " and ".join(moved)
    if after.reason is None:
        message = f"{what} since {since}; add reason: with a text and cite"
        return [(("outlook", j, field), message)]
    if before.reason is not None and norm(before.reason.text) == norm(after.reason.text):
        message = (
            f"{what} since {since}, but reason: is the one {since}'s edition gave; "
            "say why it moved this time"
        )
        return [(("outlook", j, "reason"), message)]
    return []


def problems(
    files: list[EditionFile],
    valid: list[ValidEdition],
    max_bytes: int | None = None,
    caps: Limits | None = None,
) -> list[Problem]:
    """The findings of every valid edition against its predecessor, at their lines.

    A predecessor checked in the same run is reused; one outside it is read; one that
    is invalid is skipped (its own problems are reported, or `build` warns of it)."""
    from briefgen.load import LoadError, load_yaml
    from briefgen.validate import _located, load_edition

    checked = {edition.file.path: edition.edition for edition in valid}
    invalid = {file.path for file in files} - set(checked)
    found: list[Problem] = []
    for current in valid:
        earlier = [p for p in editions_of(current.file.topic_dir) if p < current.file.path]
        previous = None
        if earlier and earlier[-1] in checked:
            previous = checked[earlier[-1]]
        elif earlier and earlier[-1] not in invalid:
            previous, _ = load_edition(earlier[-1], current.registry, max_bytes, caps)
        items = findings(previous, current.edition)
        if not items:
            continue
        try:
            loaded = load_yaml(current.file.path, max_bytes)
        except LoadError as error:  # changed under us since it was validated
            found.append(error.problem)
            continue
        found += [_located(loaded, loc, message) for loc, message in items]
    return found

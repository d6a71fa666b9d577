"""Which question or judgment of one edition is which of the next: by `id`, else by
wording. One module, so that `diff` (what changed), the continuity check (a move needs
a reason) and the track record (one judgment across editions) pair items alike.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from typing import TypeVar

from briefgen.models import Judgment, Question

SIMILAR = 0.75
"""The least difflib ratio at which two differently worded items count as the same."""

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def norm(text: str) -> str:
    """Text for comparison: case, spacing and quote style do not count."""
    return " ".join(text.translate(_QUOTES).casefold().split())


def similarity(a: str, b: str) -> float:
    # autojunk would treat common letters of texts over 200 characters as junk and
    # understate how alike two long questions are.
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


Item = TypeVar("Item", Question, Judgment)


def match(old: Sequence[Item], new: Sequence[Item]) -> dict[int, int]:
    """Pair items of OLD and NEW one-to-one: {index in new: index in old}.

    By `id` where both carry one; then by normalised wording, most similar pair first,
    with a ratio of at least SIMILAR. Items that both have ids (different ones, or they
    would have paired) are not paired by wording.
    """
    pairs: dict[int, int] = {}
    old_by_id: dict[str, list[int]] = {}
    for i, item in enumerate(old):
        if item.id is not None:
            old_by_id.setdefault(item.id, []).append(i)
    for j, item in enumerate(new):
        if item.id is not None and old_by_id.get(item.id):
            pairs[j] = old_by_id[item.id].pop(0)

    taken = set(pairs.values())
    candidates = []
    for j, n in enumerate(new):
        if j in pairs:
            continue
        for i, o in enumerate(old):
            if i in taken or (o.id is not None and n.id is not None):
                continue
            ratio = similarity(norm(o.text), norm(n.text))
            if ratio >= SIMILAR:
                candidates.append((-ratio, j, i))
    for _, j, i in sorted(candidates):
        if j not in pairs and i not in taken:
            pairs[j] = i
            taken.add(i)
    return pairs

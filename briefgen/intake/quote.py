"""`briefgen quote TOPIC "words"`: the topic's stored texts searched for a remembered
passage, the best ones printed with where they are and ready to paste as `quote:`."""

from __future__ import annotations

from pathlib import Path

from briefgen.errors import BriefgenError, display_path
from briefgen.quotes.search import Hit, search
from briefgen.workspace import REGISTRY


def find(topic_dir: Path, words: str, limit: int = 5) -> list[Hit]:
    """The best passages for `words` in the topic's texts; BriefgenError when there is
    nothing to search or nothing close."""
    from briefgen.validate import load_registry

    registry, _ = load_registry(topic_dir)  # broken entries are check's to report
    if not registry.texts:
        raise BriefgenError(
            f"{display_path(topic_dir / REGISTRY)}: no source of this topic has a text on "
            "file to search; add one with `briefgen source add`"
        )
    try:
        hits = search(registry.quotes, words, limit)
    except ValueError as error:
        raise BriefgenError(str(error)) from None
    if not hits:
        count = len(registry.texts)
        raise BriefgenError(
            f"no passage close to {words!r} in the {count} text{'s' * (count != 1)} of "
            f"{display_path(topic_dir)}; try other words you remember, or fewer of them"
        )
    return hits


def report(hits: list[Hit]) -> list[str]:
    """Each passage: rank, source id, file:line (and page), how close, the paste-ready cite."""
    lines: list[str] = []
    for rank, hit in enumerate(hits, 1):
        exact = "exact words" if hit.score >= 100 else f"{hit.score:.0f}% alike"
        lines.append(f"{rank}. {hit.source_id}  {hit.where()}  ({exact})")
        lines += [f"   {line}" for line in hit.cite().split("\n")]
    lines.append("Paste a block under a line's `cite:`; briefgen check verifies the quote.")
    return lines

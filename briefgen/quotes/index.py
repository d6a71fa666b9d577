"""The quote check a build runs on every quote: verified, unverified or refused.

Each passage is read and folded once per build, whatever the number of quotes citing it.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from briefgen.load import read_text
from briefgen.quotes.folding import BREAK
from briefgen.quotes.match import closest, find, part_words, pattern, quote_key, too_short
from briefgen.quotes.passages import Indexed, Passage, PassageError, lines_of, page_at


class QuoteStatus(StrEnum):
    """What a reader may take a quote for."""

    VERIFIED = "verified"
    """Found, as whole words, in the source's stored text, within its passage."""
    UNVERIFIED = "unverified"
    """The source has no text on file: nobody checked the words."""
    REFUSED = "refused"
    """Not in the stored text, or too short to check: the build says why."""


@dataclass(frozen=True)
class QuoteResult:
    """A quote's status, and for a refusal what is wrong and what to do."""

    status: QuoteStatus
    message: str | None = None
    words: str | None = None
    """For a verified quote, the source's own words it matched (its quote marks, dashes
    and case): what a text fragment link should search the page for, rather than the
    analyst's copy. None where a line-break hyphenation splits them."""


def _verified(indexed: Indexed, start: int, end: int) -> QuoteResult:
    """Verified, with the source's words for folded `start:end` unless a break splits them."""
    if BREAK in indexed.folded.text[start:end]:
        return QuoteResult(QuoteStatus.VERIFIED)
    return QuoteResult(QuoteStatus.VERIFIED, words=indexed.excerpt(start, end))


_UNVERIFIED = QuoteResult(QuoteStatus.UNVERIFIED)
_EXCERPT = 120
"""Longest excerpt a refusal quotes (the closest passage), in characters."""


class QuoteIndex:
    """Source passages by source id, read and folded once and only when a quote needs them."""

    def __init__(
        self,
        texts: Mapping[str, Passage | Path],
        text_bytes: int = 20_000_000,
        topic_dir: Path | None = None,
    ) -> None:
        self._passages = {
            source_id: value if isinstance(value, Passage) else Passage(value)
            for source_id, value in texts.items()
        }
        self._text_bytes = text_bytes
        self._topic_dir = topic_dir
        self._files: dict[Path, str | OSError | UnicodeDecodeError] = {}
        self._indexed: dict[Passage, Indexed | str] = {}
        """Folded passages (and whole files, for the closest match), or why not."""

    def check(self, source_id: str, quote: str) -> QuoteResult:
        """Whether `quote` is in the passage `source_id` stands for, as whole words."""
        key = quote_key(quote)
        if (short := too_short(key)) is not None:
            return QuoteResult(QuoteStatus.REFUSED, short)
        passage = self._passages.get(source_id)
        if passage is None:
            return _UNVERIFIED
        indexed = self._index(passage)
        if isinstance(indexed, str):
            where = passage.describe(self._shown(passage.path))
            return QuoteResult(
                QuoteStatus.REFUSED, f"cannot check quotes of {source_id} ({where}): {indexed}"
            )
        if span := find(key, indexed.folded.text):
            return _verified(indexed, *span)
        return self._refuse(source_id, passage, self._why_not(key, passage, indexed))

    def problem(self, source_id: str, quote: str) -> str | None:
        """The refusal message, or None: what `check` returned before quote statuses."""
        result = self.check(source_id, quote)
        return result.message if result.status is QuoteStatus.REFUSED else None

    def same_text(self) -> list[tuple[str, str]]:
        """Pairs of source ids whose passages hold the same words: one article registered
        twice counts as two sources unless someone notices."""
        by_text: dict[str, list[str]] = {}
        for source_id, passage in sorted(self._passages.items()):
            indexed = self._index(passage)
            if isinstance(indexed, Indexed) and (
                words := indexed.folded.text.replace(BREAK, "").strip()
            ):
                by_text.setdefault(words, []).append(source_id)
        groups = (ids for ids in by_text.values() if len(ids) > 1)
        return sorted(pair for ids in groups for pair in itertools.combinations(ids, 2))

    def ids(self) -> list[str]:
        """The ids of the sources with a text on file, sorted."""
        return sorted(self._passages)

    def indexed(self, source_id: str) -> Indexed | str:
        """The source's passage folded for search, or why it cannot be read."""
        return self._index(self._passages[source_id])

    def path_of(self, source_id: str) -> Path:
        return self._passages[source_id].path

    def shown(self, path: Path) -> str:
        """The path as the analyst wrote it: relative to the topic folder where possible."""
        return self._shown(path)

    def _shown(self, path: Path) -> str:
        """The path as the analyst wrote it: relative to the topic folder where possible."""
        folders = [] if self._topic_dir is None else [self._topic_dir.resolve(), self._topic_dir]
        for folder in folders:
            if path.is_relative_to(folder):
                return path.relative_to(folder).as_posix()
        return path.name

    def _refuse(self, source_id: str, passage: Passage, why: str) -> QuoteResult:
        where = passage.describe(self._shown(passage.path))
        return QuoteResult(QuoteStatus.REFUSED, f"quote not found in {source_id} ({where}); {why}")

    def _why_not(self, key: str, passage: Passage, indexed: Indexed) -> str:
        """Name the closest passage in the whole file (a quote cited to the wrong item of a
        feed is found in another item) and what to do."""
        whole = self._index(Passage(passage.path))
        if isinstance(whole, str):
            return whole
        shown = self._shown(passage.path)
        found = pattern(key).search(whole.folded.text)
        if found and passage.first is not None:
            line = whole.line_of(found.start())
            return (
                f"it is at {shown}:{line}, outside this source's lines; cite the source that "
                "stands for that line, or fix `lines` in sources.yaml"
            )
        near = closest(key, whole.folded.text)
        if near is None:
            return "the text is empty; check the file, or drop `quote:`"
        excerpt = "".join(c for c in whole.excerpt(near.start, near.end) if c.isprintable())
        if len(excerpt) > _EXCERPT:
            excerpt = excerpt[: _EXCERPT - 1] + "\u2026"
        fix = "copy the words exactly"
        if part_words(key, whole.folded.text):
            fix = "the quote begins or ends inside a word; copy whole words exactly"
        line = whole.line_of(near.start)
        page = page_at(whole.folded.source, line)
        at = f"{shown}:{line}" + (f", p. {page}" if page is not None else "")
        return f"closest: '{excerpt}' at {at}; {fix}"

    def _index(self, passage: Passage) -> Indexed | str:
        """The passage folded (once), or why it cannot be read."""
        if passage not in self._indexed:
            self._indexed[passage] = self._fold(passage)
        return self._indexed[passage]

    def _fold(self, passage: Passage) -> Indexed | str:
        text = self._read(passage.path)
        if not isinstance(text, str):
            return f"cannot read the text: {text}; check the file"
        try:
            part, first = lines_of(text, passage)
        except PassageError as error:
            return str(error)
        return Indexed.of(part, first)

    def _read(self, path: Path) -> str | OSError | UnicodeDecodeError:
        """The file's text (read once for all its passages), or the error reading it."""
        if path not in self._files:
            try:
                self._files[path] = read_text(path, self._text_bytes)
            except (OSError, UnicodeDecodeError) as error:  # changed since validation
                self._files[path] = error
        return self._files[path]

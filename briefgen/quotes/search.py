"""Find the exact words of a passage remembered roughly: `briefgen quote TOPIC "words"`.

The analyst remembers "300 soldiers killed, 2700 wounded"; the source printed "about 300
North Korean soldiers had been killed and 2,700 wounded". Every stored text of the topic
is searched the way a refused quote is (the same folding, the same closest-passage
alignment as `match.closest`, so `check`'s "closest:" and this command name the same
words), and each passage found is given back in the source's own words, widened to whole
words and checked to verify as a quote, ready to paste under `cite:`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from briefgen.quotes.folding import BREAK
from briefgen.quotes.index import QuoteIndex
from briefgen.quotes.match import closest, find, pattern, quote_key, too_short
from briefgen.quotes.passages import Indexed, page_at

MIN_SCORE = 60.0
"""Below this (rapidfuzz's 0-100), a passage shares only a few words with the query."""


@dataclass(frozen=True)
class Hit:
    """One passage close to the words searched for."""

    source_id: str
    shown: str
    """The text file, as the topic folder names it (`texts/x.txt`)."""
    line: int
    page: int | None
    score: float
    words: str
    """The source's own words: paste-ready as `quote:` (they verify)."""

    def where(self) -> str:
        page = f", p. {self.page}" if self.page is not None else ""
        return f"{self.shown}:{self.line}{page}"

    def cite(self) -> str:
        """The citation as YAML lines to paste under a line's `cite:`."""
        quote = json.dumps(self.words, ensure_ascii=False)
        return f"- source: {self.source_id}\n  quote: {quote}"


def search(index: QuoteIndex, words: str, limit: int = 5) -> list[Hit]:
    """The best passage of each source's text for `words`, best first, at most `limit`;
    ValueError (the message says why) when the words are too few to search for."""
    key = quote_key(words)
    if (short := too_short(key)) is not None:
        raise ValueError(short.replace("`quote:`", "the search").replace("check", "search for"))
    hits = [hit for source_id in index.ids() if (hit := _best(index, source_id, key))]
    hits.sort(key=lambda hit: (-hit.score, hit.source_id))
    return hits[:limit]


def _best(index: QuoteIndex, source_id: str, key: str) -> Hit | None:
    """The passage of `source_id` closest to `key`, if close enough and it verifies."""
    indexed = index.indexed(source_id)
    if isinstance(indexed, str):
        return None
    folded = indexed.folded.text
    found = pattern(key).search(folded)
    if found:
        start, end, score = found.start(), found.end(), 100.0
    else:
        near = closest(key, folded)
        if near is None or near.score < MIN_SCORE:
            return None
        start, end = _edges(folded, key, near.start, near.end)
        score = near.score
    words = _verifiable(indexed, start, end)
    if words is None:
        return None
    line = indexed.line_of(start)
    path = index.path_of(source_id)
    page = page_at(indexed.folded.source, line - indexed.first_line + 1)
    return Hit(source_id, index.shown(path), line, page, round(score, 1), words)


_TOKEN = re.compile(r"\w+")
_EDGE_SCORE = 75.0
"""How alike a text word must be to the query's first or last word to start or end there."""


def _edges(folded: str, key: str, start: int, end: int) -> tuple[int, int]:
    """The aligned window moved to the words most like the query's first and last words
    nearby: the alignment is as long as the query, so a passage worded longer ("about
    300 North Korean soldiers had been killed" for "300 soldiers killed") would lose its
    first words. Keeps the window when no word nearby is alike."""
    query = _TOKEN.findall(key)
    if len(query) < 2:
        return start, end
    area = [m for m in _TOKEN.finditer(folded, max(0, start - len(key)), end + len(key))]
    starts = [m for m in area if fuzz.ratio(m.group(), query[0]) >= _EDGE_SCORE]
    ends = [m for m in area if fuzz.ratio(m.group(), query[-1]) >= _EDGE_SCORE]
    best: tuple[float, int, int] | None = None
    for first in starts:
        for last in ends:
            if first.start() >= last.end() or last.end() - first.start() > 2 * len(key):
                continue
            score = fuzz.token_set_ratio(key, folded[first.start() : last.end()])
            score -= abs(first.start() - start) / 100  # the aligned place breaks a tie
            if best is None or score > best[0]:
                best = (score, first.start(), last.end())
    return (best[1], best[2]) if best else (start, end)


_PAIRS = {"\u201c": "\u201d", '"': '"'}


def _balanced(words: str, before: str) -> str:
    """The words with their double quote marks paired, so a pasted quote never carries
    half a pair: the opening mark just `before` them is taken in when they hold its
    closing one; otherwise an unpaired mark at either end is left out."""
    for opener, closer in _PAIRS.items():
        if opener == closer:
            unpaired = words.count(opener) % 2 == 1
            closes = unpaired and words.rfind(opener) > len(words) // 2
        else:
            unpaired = words.count(opener) != words.count(closer)
            closes = words.count(closer) > words.count(opener)
        if unpaired and closes and before == opener:
            words = opener + words
        elif unpaired and closes:
            words = words[: words.rfind(closer)].rstrip(" ,;:")
        elif unpaired:
            words = words[words.find(opener) + 1 :].lstrip()
    return words


def _verifiable(indexed: Indexed, start: int, end: int) -> str | None:
    """The source's words for folded `start:end`, trimmed of a page marker and of stray
    punctuation at the ends, if they verify as a quote of this text (else None)."""
    words = re.sub(r"\[page \d+\]", "", indexed.excerpt(start, end)).strip(" ,;:(")
    begin = indexed.folded.origin(start) if words[:1].isalnum() else 0
    before = indexed.folded.source[begin - 1] if begin > 0 else ""
    words = _balanced(words, before)
    key = quote_key(words)
    if BREAK in key or too_short(key) is not None:
        return None
    return words if find(key, indexed.folded.text) else None

"""Check that a quoted passage really occurs in the cited source's text, and link to it.

A quote is verified (its words are in the stored text, as whole words, within the passage
its source stands for), unverified (no text on file: nobody checked it) or refused (too
short to prove anything, or not in the text: the message names the closest passage). The
parts: `folding` (the form quotes and texts are compared in), `passages` (the lines a
source stands for), `match` (whole-word search, closest passage), `index` (the check a
build runs), `fragments` (links that land on the quoted words).
"""

from __future__ import annotations

from briefgen.fields import parse_lines
from briefgen.quotes.folding import normalise
from briefgen.quotes.fragments import text_fragment
from briefgen.quotes.index import QuoteIndex, QuoteResult, QuoteStatus
from briefgen.quotes.passages import Passage

__all__ = [
    "Passage",
    "QuoteIndex",
    "QuoteResult",
    "QuoteStatus",
    "normalise",
    "parse_lines",
    "text_fragment",
]

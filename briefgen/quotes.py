"""Check that a quoted passage really occurs in the cited source's text.

Analysts copy quotes from web pages, PDFs and email, which disagree about curly quotes,
dashes, line breaks and case. Both sides are normalised the same way before comparing,
so only a change of words counts as a misquote.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from briefgen.load import read_text

_QUOTES = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
        "\u00ab": '"', "\u00bb": '"',
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
        "\u2015": "-", "\u2212": "-",
        "\u00a0": " ", "\u2009": " ", "\u202f": " ",
    }
)  # fmt: skip


def normalise(text: str) -> str:
    """Fold quotes, dashes, whitespace and case so that only the words are compared."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    return re.sub(r"\s+", " ", text).strip().casefold()


class QuoteIndex:
    """Source texts by source id, read once and only when a quote needs them."""

    def __init__(self, paths: dict[str, Path], max_bytes: int = 20_000_000) -> None:
        self._paths = paths
        self._max_bytes = max_bytes
        self._texts: dict[str, str] = {}
        """Folded texts by file path."""

    def check(self, source_id: str, quote: str) -> str | None:
        """None if the quote occurs in the source's text, else what is wrong."""
        path = self._paths.get(source_id)
        if path is None:
            return None  # no text on file: the quote cannot be checked, which is allowed
        key = str(path)  # sources may share a text: read and fold it once
        if key not in self._texts:
            try:
                self._texts[key] = normalise(read_text(path, self._max_bytes))
            except (OSError, UnicodeDecodeError) as error:  # it changed since validation
                return f"cannot read the text of {source_id!r} ({path.name}): {error}"
        if normalise(quote.strip("\"'“”‘’ ")) in self._texts[key]:
            return None
        return (
            f"quote not found in the text of {source_id!r} ({path.name}); "
            "copy it exactly from the source (case, spacing, quote marks and dashes may differ)"
        )

"""Check that a quoted passage really occurs in the cited source's text.

Analysts copy quotes from web pages, PDFs and email, which disagree about curly quotes,
dashes, line breaks and case. Both sides are normalised the same way before comparing,
so only a change of words counts as a misquote.
"""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from pathlib import Path

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


class TooBig(OSError):
    """A source text above its cap (its size is known before anything is read)."""

    def __init__(self, size: int) -> None:
        super().__init__(f"{size} bytes")
        self.size = size


def read_source_text(path: Path, max_bytes: int) -> str:
    """A source text as UTF-8, refusing what is not a regular file (a FIFO would block,
    /dev/zero never end) and what is above `max_bytes`, both known from fstat before the
    first byte is read. Never reads more than `max_bytes` + 1, even of a file that grows.

    Raises TooBig, OSError (not a regular file: errno-less) or UnicodeDecodeError."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(fd, "rb") as file:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(f"{path.name} is not a regular file")
        if info.st_size > max_bytes:
            raise TooBig(info.st_size)
        data = file.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise TooBig(len(data))
    return data.decode("utf-8")


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
                self._texts[key] = normalise(read_source_text(path, self._max_bytes))
            except (OSError, UnicodeDecodeError) as error:  # it changed since validation
                return f"cannot read the text of {source_id!r} ({path.name}): {error}"
        if normalise(quote.strip("\"'“”‘’ ")) in self._texts[key]:
            return None
        return (
            f"quote not found in the text of {source_id!r} ({path.name}); "
            "copy it exactly from the source (case, spacing, quote marks and dashes may differ)"
        )

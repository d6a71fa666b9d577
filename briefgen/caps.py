"""The size caps on what notes may hold, and the messages that name each cap's setting.

A note is read by people, so nothing in it needs to be huge; a huge one is a paste gone
wrong or an attack, and costs memory and render time out of all proportion (a 100 KB
address made the PDF layout quadratic; a 100 MB source text took 1.6 GB to check a
quote). Each cap is a `[notes]` setting of briefgen.toml, named in its message.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from briefgen.urls import MAX_URL_CHARS

MAX_FIELD_CHARS = 5_000
"""A field is a line of a brief: a long situation line is 300 characters, a summary
paragraph 1,500; 5,000 is a page of text. Also keeps one unbreakable word cheap to lay out."""
MAX_TEXT_MB = 20.0
"""A source text is an article or a report: a long report is 1–2 MB of text."""


@dataclass(frozen=True)
class Limits:
    """The caps one validation applies (the defaults, or briefgen.toml's)."""

    field_chars: int = MAX_FIELD_CHARS
    url_chars: int = MAX_URL_CHARS
    text_mb: float = MAX_TEXT_MB
    number_locale: str = "en"
    """Not a cap but a [notes] setting validation needs too: how estimates write numbers."""

    @property
    def text_bytes(self) -> int:
        return int(self.text_mb * 1_000_000)

    def field_problem(self, text: str) -> str | None:
        """Why a field is too long, or None."""
        if len(text) <= self.field_chars:
            return None
        return (
            f"is {len(text):,} characters long; the cap is {self.field_chars:,} a field "
            "([notes] max_field_chars in briefgen.toml raises it); shorten it or split it "
            "into several lines"
        )

    def text_problem(self, name: str, size: int) -> str | None:
        """Why a source text of `size` bytes is too big to read, or None."""
        if size <= self.text_bytes:
            return None
        return (
            f"{name!r} is {size / 1_000_000:,.1f} MB; the cap on a source text is "
            f"{self.text_mb:g} MB ([notes] max_text_mb in briefgen.toml raises it); keep "
            "the part of the source the brief quotes"
        )


def limits(root: Path = Path()) -> Limits:
    """The workspace's caps, from briefgen.toml's [notes] table."""
    from briefgen import config

    notes = config.load(root).notes
    return Limits(
        notes.max_field_chars, notes.max_url_chars, notes.max_text_mb, notes.number_locale
    )

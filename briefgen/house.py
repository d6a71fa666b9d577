"""A workspace's house style: which sections a brief has, in what order, under what
titles, and what every brief says unless its edition says otherwise.

Its own module, free of the notes models, so that reading `briefgen.toml` (which every
command does) does not cost building them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

SECTIONS: dict[str, str] = {
    "key-judgments": "Key judgments",
    "changes": "What changed since the last edition",
    "situation": "Situation",
    "estimates": "Estimates",
    "charts": "Estimates over time",
    "questions": "Open questions",
    "outlook": "Outlook",
    "sources": "Sources",
}
"""Section ids (stable: links and tests use them) and their default titles."""

ORDER = ("key-judgments", "changes", "situation", "estimates", "questions", "outlook", "sources")
"""The default order of the sections; a workspace's `briefgen.toml` may change it."""


@dataclass(frozen=True)
class House:
    """A workspace's defaults for every brief: what an edition does not say itself."""

    author: str | None = None
    marking: str = "UNCLASSIFIED"
    organisation: str | None = None
    product_line: str | None = None
    contact: str | None = None
    distribution: str | None = None
    sections: tuple[str, ...] = ORDER
    titles: Mapping[str, str] = field(default_factory=dict)

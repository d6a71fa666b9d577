"""The grading scales the notes use: likelihood (ICD 203, or the UK PHIA yardstick a desk
may pick instead) and confidence, and the Admiralty (NATO) system's source reliability and
information credibility.

One module, so that the models, the brief and the checker print the same words.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import Field, ValidationInfo


@dataclass(frozen=True)
class Band:
    """One step of a likelihood scale: its term, the term's other spelling, its range."""

    term: str
    """The canonical term (ICD 203's first row), the one the brief prints."""
    other: str | None
    """The parallel term the standard also allows (ICD 203's second row), or None."""
    probability: str
    """The range as printed: `55–80%`, `≤5%`."""
    low: int
    high: int
    """The range in per cent; an open end (`≤5%`) is 0 or 100."""


@dataclass(frozen=True)
class Scale:
    """A likelihood yardstick: its bands in order, from least to most likely."""

    key: str
    """The name `[brief] scale` in briefgen.toml gives it."""
    name: str
    bands: tuple[Band, ...]
    gaps: bool = False
    """True when the bands leave deliberate gaps (PHIA: no term for 6–9%), so the key says so."""

    def band(self, written: object) -> Band | None:
        """The band a term written in the notes stands for, case and spacing aside."""
        term = normalise(written)
        return next((b for b in self.bands if term in (b.term, b.other)), None)

    def row(self, written: object) -> int:
        """1 for a canonical term, 2 for its parallel spelling, 0 if not on the scale."""
        band = self.band(written)
        if band is None:
            return 0
        return 2 if normalise(written) == band.other else 1

    @property
    def terms(self) -> tuple[str, ...]:
        """The canonical terms, in order."""
        return tuple(band.term for band in self.bands)

    @property
    def accepted(self) -> tuple[str, ...]:
        """Every term the notes may write, both rows."""
        return tuple(t for band in self.bands for t in (band.term, band.other) if t)

    def probability(self, term: str) -> str:
        """The printed range of a canonical (or parallel) term; '' if off the scale."""
        band = self.band(term)
        return band.probability if band else ""

    def rank(self, term: str) -> int:
        """The term's place on the scale, 0 for the least likely (for ▲/▼); -1 if off it."""
        band = self.band(term)
        return self.bands.index(band) if band else -1

    def listing(self) -> str:
        """The valid terms as a refusal lists them: `likely (or probable), ...`."""
        return ", ".join(f"{b.term} (or {b.other})" if b.other else b.term for b in self.bands)


ICD203 = Scale(
    "icd203",
    "ICD 203",
    (
        Band("almost no chance", "remote", "1–5%", 1, 5),
        Band("very unlikely", "highly improbable", "5–20%", 5, 20),
        Band("unlikely", "improbable", "20–45%", 20, 45),
        Band("roughly even chance", "roughly even odds", "45–55%", 45, 55),
        Band("likely", "probable", "55–80%", 55, 80),
        Band("very likely", "highly probable", "80–95%", 80, 95),
        Band("almost certain", "nearly certain", "95–99%", 95, 99),
    ),
)
"""US Intelligence Community Directive 203: seven bands, each with two parallel terms."""

PHIA = Scale(
    "phia",
    "PHIA",
    (
        Band("remote chance", None, "≤5%", 0, 5),
        Band("highly unlikely", None, "10–20%", 10, 20),
        Band("unlikely", None, "25–35%", 25, 35),
        Band("realistic possibility", None, "40–50%", 40, 50),
        Band("likely", "probably", "55–75%", 55, 75),
        Band("highly likely", None, "80–90%", 80, 90),
        Band("almost certain", None, "≥95%", 95, 100),
    ),
    gaps=True,
)
"""The UK Professional Head of Intelligence Assessment yardstick. Its gaps (6–9%, 21–24%
…) are deliberate: they stop a reader splitting hairs between neighbouring terms."""

SCALES: dict[str, Scale] = {scale.key: scale for scale in (ICD203, PHIA)}
"""The yardsticks `[brief] scale` may name, by key."""

LIKELIHOOD: dict[str, str] = {band.term: band.probability for band in ICD203.bands}
"""ICD 203 likelihood terms, in order, with the probability range each one stands for."""


def normalise(written: object) -> str:
    """A term as compared: lower case, single spaces."""
    return " ".join(written.lower().split()) if isinstance(written, str) else ""


def scale_of(info: ValidationInfo) -> Scale:
    """The desk's scale validate.py passes in the context; ICD 203 otherwise."""
    context = info.context if isinstance(info.context, dict) else {}
    scale = context.get("scale")
    return scale if isinstance(scale, Scale) else ICD203


def canonical(written: Any, scale: Scale) -> str:
    """The canonical term for what the notes wrote, or ValueError saying what to write."""
    band = scale.band(written)
    if band is not None:
        return band.term
    raise ValueError(refusal(written, scale))


def refusal(written: Any, scale: Scale) -> str:
    """Why a likelihood is refused: a term of the other yardstick is named with this
    desk's equivalent (same place on the scale); anything else gets the nearest term and
    the whole list."""
    shown = written if isinstance(written, str) else str(written)
    if len(shown) > 40:  # a paste gone wrong: the message names it, it does not repeat it
        shown = shown[:40] + "…"
    setting = f"the desk's scale is {scale.name} ([brief] scale in briefgen.toml)"
    for other in SCALES.values():
        band = other.band(written) if other is not scale else None
        if band is not None:
            mine = scale.bands[other.bands.index(band)]
            return (
                f"{shown!r} is {_a(other.name)} {other.name} term; {setting}: write "
                f"{mine.term!r} (its terms: {scale.listing()})"
            )
    near = difflib.get_close_matches(normalise(shown), scale.accepted, n=1, cutoff=0.75)
    hint = f"did you mean {near[0]!r}? " if near else ""
    return (
        f"{shown!r} is not {_a(scale.name)} {scale.name} likelihood term; {hint}use one of: "
        f"{scale.listing()}"
    )


def _a(name: str) -> str:
    """The article before a scale's name, as it is read aloud: an ICD 203, a PHIA."""
    return "an" if name[0] in "AEFHILMNORSX" else "a"


RELIABILITY: dict[str, str] = {
    "A": "completely reliable",
    "B": "usually reliable",
    "C": "fairly reliable",
    "D": "not usually reliable",
    "E": "unreliable",
    "F": "reliability cannot be judged",
}
"""Admiralty (NATO) source reliability grades."""

CREDIBILITY: dict[int, str] = {
    1: "confirmed",
    2: "probably true",
    3: "possibly true",
    4: "doubtful",
    5: "improbable",
    6: "truth cannot be judged",
}
"""Admiralty (NATO) information credibility grades."""

ACCEPTED = tuple(dict.fromkeys(t for scale in SCALES.values() for t in scale.accepted))
"""Every likelihood term of every yardstick, for the editor's schema (which cannot know
the desk's choice; `check` then holds the notes to it)."""

Likelihood = Annotated[str, Field(strict=True, json_schema_extra={"enum": list(ACCEPTED)})]
"""A canonical term of the desk's scale (Judgment's validator makes it one)."""
Confidence = Literal["low", "moderate", "high"]
Reliability = Literal["A", "B", "C", "D", "E", "F"]
Credibility = Annotated[int, Field(strict=True, ge=1, le=6)]
"""1–6, a number (strict: YAML's `yes` is not 1)."""

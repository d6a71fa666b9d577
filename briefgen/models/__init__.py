"""The notes, as pydantic models: a topic's source registry and one edition of its brief.

The models are strict on shape (unknown keys are errors, so a typo is never silently
ignored) and check what a single item can know by itself. Checks that need the source
registry (unknown ids, quotes) run through the validation context that
``validate.py`` passes in, so that pydantic reports them with their location.
"""

from __future__ import annotations

from briefgen.fields import _clean, smart_quotes
from briefgen.judgments.scales import CREDIBILITY, LIKELIHOOD, RELIABILITY
from briefgen.models.base import Strict
from briefgen.models.edition import (
    Citation,
    Edition,
    Estimate,
    Judgment,
    Line,
    Outcome,
    Question,
    Reason,
)
from briefgen.models.registry import Registry, Source

__all__ = [
    "CREDIBILITY",
    "LIKELIHOOD",
    "RELIABILITY",
    "Citation",
    "Edition",
    "Estimate",
    "Judgment",
    "Line",
    "Outcome",
    "Question",
    "Reason",
    "Registry",
    "Source",
    "Strict",
    "_clean",
    "smart_quotes",
]

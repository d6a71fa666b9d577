"""The grading scales the notes use: ICD 203 likelihood and confidence, and the
Admiralty (NATO) system's source reliability and information credibility.

One module, so that the models, the brief and the checker print the same words.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

LIKELIHOOD: dict[str, str] = {
    "almost no chance": "1–5%",
    "very unlikely": "5–20%",
    "unlikely": "20–45%",
    "roughly even chance": "45–55%",
    "likely": "55–80%",
    "very likely": "80–95%",
    "almost certain": "95–99%",
}
"""ICD 203 likelihood terms, in order, with the probability range each one stands for."""

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

Likelihood = Literal[
    "almost no chance",
    "very unlikely",
    "unlikely",
    "roughly even chance",
    "likely",
    "very likely",
    "almost certain",
]
Confidence = Literal["low", "moderate", "high"]
Reliability = Literal["A", "B", "C", "D", "E", "F"]
Credibility = Annotated[int, Field(strict=True, ge=1, le=6)]
"""1–6, a number (strict: YAML's `yes` is not 1)."""

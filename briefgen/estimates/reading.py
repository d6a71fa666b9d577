"""What an estimate says, as numbers: the `Reading` every consumer works from."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

KINDS = ("exact", "approximate", "range", "lower bound", "upper bound", "high end", "given")
"""What a reading can be. A *high end* (`could reach 4,000`, `as high as 4,000`) is the top
of what the source thinks possible: it claims no floor, and unlike `up to` it is not a cap
either, so it is printed as the figure marked "high end", never as ≤ or ≈."""


@dataclass(frozen=True)
class Reading:
    """An estimate's numeric reading: `low` and/or `high` (exact decimals) and its kind."""

    low: Decimal | None
    high: Decimal | None
    qualifier: str
    """The kind: one of KINDS."""
    unit: str | None = None
    """`USD`, `EUR`, `GBP` or `%` when the text says so (`$7mn`, `33.5 per cent`)."""
    open_high: bool = False
    """A range whose top is itself open (`4,000–10,000+`): at least `low`, with no cap."""
    approx: bool = False
    """Qualified by `about`, `or so` … (a point's kind says it too; a range keeps it here)."""
    scale: str | None = None
    """The scale word the text used (`thousand`, `million`, `dozen`), or None."""
    strict: bool = False
    """A bound that excludes its figure: `more than 3,000` (> 3,000), not `at least` (≥)."""

    @property
    def kind(self) -> str:
        """The reading's kind (the `qualifier`, under the name the issue gives it)."""
        return self.qualifier

    @property
    def floor(self) -> Decimal | None:
        """The lowest value the estimate allows (None: no floor claimed)."""
        return None if self.qualifier == "high end" else self.low

    @property
    def ceiling(self) -> Decimal | None:
        """The highest value the estimate allows (None: open upwards)."""
        if self.open_high or self.qualifier == "high end":
            return None
        return self.high

    @property
    def midpoint(self) -> Decimal | None:
        """A single value to sort or plot by: the middle of a range, or the one bound."""
        if self.low is not None and self.high is not None:
            return (self.low + self.high) / 2
        return self.low if self.low is not None else self.high

    def overlaps(self, low: Decimal | None, high: Decimal | None) -> bool:
        """True when [low, high] (None: open) shares a value with what this reading allows."""
        floor, ceiling = self.floor, self.ceiling
        if self.qualifier == "high end":  # allows anything up to about its figure
            ceiling = self.high
        below = high is not None and floor is not None and high < floor
        above = low is not None and ceiling is not None and low > ceiling
        return not (below or above)


ParsedEstimate = Reading
"""The old name, kept so that callers written against it still read."""

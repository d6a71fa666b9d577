"""The desk's track record: every outlook judgment over all editions of a topic, how the
resolved ones came out, and how well the likelihoods the desk gave them were calibrated.

A judgment is followed from edition to edition as `diff` pairs them (by `id`, else by
wording: matching.py). Its forecast is the likelihood it carried in the last edition
before the one that records its outcome (the one it was made in, if resolved at once),
so an analyst cannot improve the record by re-grading a judgment as it resolves.

Scoring: happened = 1, did not happen = 0; withdrawn judgments are not scored. The
probability of a likelihood term is the midpoint of its band on the scale
(on the desk's scale: ICD 203's "likely", 55–80%, counts as 67.5%). The Brier score is the mean of
(probability − outcome)² over the scored judgments: 0 is perfect, and saying "roughly
even chance" of everything scores 0.25. A hit is a judgment that came out the way its
likelihood leaned (above 50% and happened, below 50% and did not happen); a band whose
midpoint is 50% has no lean, so neither hits nor misses.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from briefgen.judgments.matching import match
from briefgen.judgments.scales import ICD203, Scale
from briefgen.models import Edition, Judgment

SCORED = {"happened": 1, "did not happen": 0}
"""The outcomes a forecast is scored against; `withdrawn` is not one."""


def due(judgment: Judgment, day: dt.date) -> bool:
    """True when JUDGMENT's time frame (`by:`) ended before DAY and it has no outcome:
    `check` asks for one, and `briefgen new` must not carry it over silently."""
    return judgment.by is not None and judgment.by < day and judgment.outcome is None


def resolved(judgment: Judgment) -> bool:
    """True when the judgment records its outcome: reported once, then not carried."""
    return judgment.outcome is not None


def midpoint(term: str, scale: Scale = ICD203) -> float:
    """The probability a likelihood term stands for on the desk's scale: its band's
    midpoint (0.675 for ICD 203's `likely`, 55–80%; 0.65 for PHIA's, 55–75%)."""
    band = scale.band(term)
    if band is None:
        from briefgen.errors import BriefgenError

        raise BriefgenError(
            f"the record scores terms of the {scale.name} scale; {term!r} is not one, so it "
            "has no band midpoint"
        )
    return (band.low + band.high) / 200


@dataclass(frozen=True)
class Tracked:
    """One judgment over the editions that carried it."""

    text: str
    id: str | None
    made: dt.date
    """The edition it first appeared in."""
    likelihood: str
    """The forecast scored: its likelihood before the edition recording its outcome."""
    confidence: str
    by: dt.date | None
    last: dt.date
    """The last edition that carried it."""
    result: str | None = None
    resolved_on: dt.date | None = None


def track(editions: Sequence[Edition]) -> list[Tracked]:
    """Every distinct judgment of EDITIONS (oldest first), followed across them."""
    tracked: list[Tracked] = []
    live: list[tuple[Judgment, int]] = []  # the previous edition's outlook, and its entries
    for edition in editions:
        pairs = match([judgment for judgment, _ in live], edition.outlook)
        current = []
        for j, judgment in enumerate(edition.outlook):
            if j in pairs:
                index = live[pairs[j]][1]
                tracked[index] = _carried(tracked[index], judgment, edition.edition)
            else:
                index = len(tracked)
                tracked.append(_first(judgment, edition.edition))
            current.append((judgment, index))
        live = current
    return tracked


def _first(judgment: Judgment, day: dt.date) -> Tracked:
    entry = Tracked(
        judgment.text,
        judgment.id,
        day,
        judgment.likelihood,
        judgment.confidence,
        judgment.by,
        day,
    )
    return _carried(entry, judgment, day, regrade=False)


def _carried(entry: Tracked, judgment: Judgment, day: dt.date, regrade: bool = True) -> Tracked:
    """ENTRY as of another edition carrying JUDGMENT: the new grade while it is open; the
    outcome (once, the first time it is given) with the grade it had before."""
    if entry.result is not None:
        return replace(entry, last=day)
    if judgment.outcome is not None:
        return replace(entry, last=day, result=judgment.outcome.result, resolved_on=day)
    if not regrade:
        return entry
    return replace(
        entry,
        text=judgment.text,
        likelihood=judgment.likelihood,
        confidence=judgment.confidence,
        by=judgment.by,
        last=day,
    )


@dataclass(frozen=True)
class Band:
    """One row of the calibration table: a likelihood term and how its judgments came out."""

    term: str
    range: str
    probability: float
    scored: int
    happened: int
    hits: int | None
    """None for a band without a lean (its midpoint is 50%)."""

    @property
    def observed(self) -> float | None:
        """How often judgments in this band happened, or None when none was scored."""
        return self.happened / self.scored if self.scored else None


@dataclass(frozen=True)
class Record:
    """The track record of one topic."""

    topic: str
    editions: tuple[dt.date, ...]
    judgments: tuple[Tracked, ...]
    bands: tuple[Band, ...]
    brier: float | None
    """None when no judgment has been scored yet."""

    def count(self, result: str | None) -> int:
        return sum(j.result == result for j in self.judgments)

    @property
    def overdue(self) -> list[Tracked]:
        """Open judgments whose time frame ended before the latest edition."""
        latest = self.editions[-1]
        return [j for j in self.judgments if j.result is None and j.by and j.by < latest]


def record(topic: str, editions: Sequence[Edition]) -> Record:
    """The track record over EDITIONS, oldest first."""
    judgments = track(editions)
    scale = next((j.scale for e in editions for j in e.outlook), ICD203)
    scored = [j for j in judgments if j.result in SCORED]
    errors = [(midpoint(j.likelihood, scale) - SCORED[j.result or ""]) ** 2 for j in scored]
    return Record(
        topic,
        tuple(edition.edition for edition in editions),
        tuple(judgments),
        tuple(_band(band.term, band.probability, scored, scale) for band in scale.bands),
        sum(errors) / len(errors) if errors else None,
    )


def _band(term: str, shown: str, scored: list[Tracked], scale: Scale) -> Band:
    mine = [j for j in scored if j.likelihood == term]
    happened = sum(SCORED[j.result or ""] for j in mine)
    probability = midpoint(term, scale)
    hits = None
    if probability > 0.5:
        hits = happened
    elif probability < 0.5:
        hits = len(mine) - happened
    return Band(term, shown, probability, len(mine), happened, hits)


def write_chart(result: Record, path: Path) -> None:
    """The calibration chart as SVG, written whole or not at all (output.write_all)."""
    from briefgen.output import write_all
    from briefgen.render.calibration import calibration_svg

    write_all({path: calibration_svg(result).encode()})


def load(topic: str) -> Record:
    """The record of TOPIC (a name under ./sources, or a topic folder), every edition of
    it validated first: a record is only as good as its notes."""
    from briefgen import validate
    from briefgen.errors import BriefgenError
    from briefgen.workspace import EditionFile, editions_of, is_topic

    folder = next((p for p in (Path(topic), Path("sources") / topic) if is_topic(p)), None)
    if folder is None:
        raise BriefgenError(
            f"no topic {topic!r}: expected a folder with a sources.yaml, such as "
            f"sources/{topic}/; give its name or its path"
        )
    files = [EditionFile(path) for path in editions_of(folder)]
    if not files:
        raise BriefgenError(f"{folder}: the topic has no edition yet, so no record")
    valid = validate.check(files)
    return record(folder.resolve().name, [v.edition for v in valid])


# --- output -----------------------------------------------------------------------------------


def _percent(value: float) -> str:
    return f"{value * 100:.1f}".removesuffix(".0") + "%"


def format_text(result: Record) -> str:
    """The record for the terminal: counts, the Brier score and the calibration table."""
    first, last = result.editions[0], result.editions[-1]
    resolved_count = len(result.judgments) - result.count(None)
    lines = [
        f"Track record of {result.topic}: {len(result.editions)} edition(s), {first} to {last}",
        "",
        f"Judgments made: {len(result.judgments)}",
        f"Resolved: {resolved_count} (happened {result.count('happened')}, did not happen "
        f"{result.count('did not happen')}, withdrawn {result.count('withdrawn')})",
        f"Open: {result.count(None)}, of which came due without an outcome: {len(result.overdue)}",
    ]
    lines += [f"  due {j.by}: {j.text}" for j in result.overdue]
    scored = sum(band.scored for band in result.bands)
    if result.brier is None:
        lines.append("Brier score: none yet (no judgment has happened or failed to happen)")
    else:
        lines.append(f"Brier score: {result.brier:.3f} over {scored} scored judgment(s)")
    lines += ["", *_table(result.bands), "", *NOTES]
    return "\n".join(lines)


NOTES = (
    "Scored: happened = 1, did not happen = 0; withdrawn judgments are not scored.",
    "Probability = the midpoint of the likelihood's band (likely, 55–80%, counts as 67.5%),",
    "as the judgment stood in the edition before its outcome was recorded.",
    "Brier score = mean of (probability - outcome)²: 0 is perfect; 'roughly even chance'",
    "for everything scores 0.25. A hit came out the way its likelihood leaned (a 50% band",
    "leans neither way: '-').",
)


def _table(bands: Sequence[Band]) -> list[str]:
    """The calibration table: per band, how many scored, how many happened, how often."""
    head = f"{'Likelihood':<22}{'band':>8}{'said':>7}{'scored':>8}{'happened':>10}"
    rows = [f"{head}{'observed':>10}{'hits':>6}"]
    for band in bands:
        observed = "-" if band.observed is None else _percent(band.observed)
        hits = "-" if band.hits is None or not band.scored else str(band.hits)
        rows.append(
            f"{band.term:<22}{band.range:>8}{_percent(band.probability):>7}{band.scored:>8}"
            f"{band.happened:>10}{observed:>10}{hits:>6}"
        )
    return rows


def to_json(result: Record) -> str:
    """The record for machines: every judgment, every band, the Brier score."""
    document: dict[str, Any] = {
        "topic": result.topic,
        "editions": [str(day) for day in result.editions],
        "made": len(result.judgments),
        "resolved": {r: result.count(r) for r in ("happened", "did not happen", "withdrawn")},
        "open": result.count(None),
        "overdue": len(result.overdue),
        "brier": result.brier,
        "probability": "midpoint of the likelihood band; happened = 1, did not happen = 0",
        "bands": [{**asdict(band), "observed": band.observed} for band in result.bands],
        "judgments": [_json_judgment(j) for j in result.judgments],
    }
    return json.dumps(document, indent=2, ensure_ascii=False)


def _json_judgment(judgment: Tracked) -> dict[str, Any]:
    data = asdict(judgment)
    return {key: str(value) if isinstance(value, dt.date) else value for key, value in data.items()}

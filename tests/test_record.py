"""The track record: judgments followed across editions, scored by hand-computed numbers."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from briefgen.cli import main
from briefgen.judgments.record import due, midpoint, record
from briefgen.models import Edition, Judgment
from conftest import edit

WEEKS = {"2025-W03": "2025-01-19", "2025-W04": "2025-01-26", "2025-W05": "2025-02-02"}


def judgment(text: str, likelihood: str, **more: Any) -> dict[str, Any]:
    return {"text": text, "likelihood": likelihood, "confidence": "low", "cite": ["s"], **more}


def outcome(result: str) -> dict[str, Any]:
    return {"result": result, "cite": ["o"]}


def edition(week: str, outlook: list[dict[str, Any]]) -> Edition:
    return Edition.model_validate(
        {
            "title": "Test topic",
            "edition": WEEKS[week],
            "period": week,
            "key_judgments": [{"text": "A key judgment.", "cite": ["s"]}],
            "situation": [{"text": "Something happened.", "cite": ["s"]}],
            "outlook": outlook,
        }
    )


REASON = {"reason": {"text": "A second origin.", "cite": ["r"]}}


def topic() -> list[Edition]:
    """Seven judgments over three editions; six resolved in the third."""
    first = [
        judgment("A will happen.", "likely"),
        judgment("B will happen.", "unlikely"),
        judgment("C will happen.", "very likely"),
        judgment("D will happen.", "roughly even chance"),
        judgment("E will happen.", "likely"),
        judgment("F will happen.", "unlikely", by="2025-01-30"),
        judgment("G will happen.", "likely"),
    ]
    second = [*first[:6], judgment("G will happen.", "very likely", **REASON)]
    third = [
        {**first[0], "outcome": outcome("happened")},
        {**first[1], "outcome": outcome("did not happen")},
        {**first[2], "outcome": outcome("did not happen")},
        {**first[3], "outcome": outcome("happened")},
        {**first[4], "outcome": outcome("withdrawn")},
        first[5],
        # Re-graded as it resolves: the record scores the grade it had before (very likely).
        {**judgment("G will happen.", "almost certain", **REASON), "outcome": outcome("happened")},
    ]
    return [edition("2025-W03", first), edition("2025-W04", second), edition("2025-W05", third)]


def test_midpoints_are_band_midpoints() -> None:
    assert midpoint("likely") == pytest.approx(0.675)  # 55–80%
    assert midpoint("unlikely") == pytest.approx(0.325)  # 20–45%
    assert midpoint("roughly even chance") == pytest.approx(0.5)
    assert midpoint("almost no chance") == pytest.approx(0.03)  # 1–5%


def test_brier_and_counts_by_hand() -> None:
    result = record("t", topic())
    # A likely/happened (0.675-1)² = 0.105625; B unlikely/not 0.325² = 0.105625;
    # C very likely/not 0.875² = 0.765625; D even/happened 0.5² = 0.25;
    # G very likely (its grade before the outcome)/happened 0.125² = 0.015625; E withdrawn.
    assert result.brier == pytest.approx((0.105625 * 2 + 0.765625 + 0.25 + 0.015625) / 5)
    assert result.brier == pytest.approx(0.2485)
    assert len(result.judgments) == 7
    assert [result.count(r) for r in ("happened", "did not happen", "withdrawn", None)] == [
        3,
        2,
        1,
        1,
    ]
    (late,) = result.overdue  # F: by 30 Jan, no outcome by 2 Feb
    assert late.text == "F will happen." and late.by == dt.date(2025, 1, 30)
    (g,) = [j for j in result.judgments if j.text.startswith("G")]
    assert (g.likelihood, g.made, g.resolved_on) == (
        "very likely",
        dt.date(2025, 1, 19),
        dt.date(2025, 2, 2),
    )


def test_calibration_table_by_hand() -> None:
    bands = {band.term: band for band in record("t", topic()).bands}
    table = {
        term: (band.scored, band.happened, band.hits, band.observed) for term, band in bands.items()
    }
    assert table == {
        "almost no chance": (0, 0, 0, None),
        "very unlikely": (0, 0, 0, None),
        "unlikely": (1, 0, 1, 0.0),  # B did not happen: a hit
        "roughly even chance": (1, 1, None, 1.0),  # no lean, no hit or miss
        "likely": (1, 1, 1, 1.0),  # A (E withdrawn, not scored)
        "very likely": (2, 1, 1, 0.5),  # C missed, G hit
        "almost certain": (0, 0, 0, None),  # G's re-grade does not count
    }


def test_no_scored_judgment_no_brier() -> None:
    result = record("t", topic()[:2])
    assert result.brier is None
    assert result.count(None) == 7


def test_due_is_strictly_after_by() -> None:
    open_ = Judgment.model_validate(judgment("X.", "likely", by="2025-04-30"))
    assert not due(open_, dt.date(2025, 4, 30))  # the day itself is still in the frame
    assert due(open_, dt.date(2025, 5, 1))
    closed = Judgment.model_validate(
        {**judgment("X.", "likely", by="2025-04-30"), **{"outcome": outcome("happened")}}
    )
    assert not due(closed, dt.date(2025, 5, 1))
    assert not due(Judgment.model_validate(judgment("X.", "likely")), dt.date(2099, 1, 1))


OUTLOOK = """outlook:
  - text: North Korea will send more troops to Russia in the coming months.
    likelihood: likely
    confidence: moderate
    cite: [reaction-2025-01-13, desk-memo]"""


def test_record_command_text_and_json(workspace: Path, edition: Path) -> None:
    """Two editions of the test workspace: the judgment made in W03 happens in W04."""
    text = edition.read_text(encoding="utf-8")
    later = workspace / "sources" / "demo" / "2025-W04.yaml"
    later.write_text(text, encoding="utf-8")
    edit(later, "edition: 2025-01-19\nperiod: 2025-W03", "edition: 2025-01-26\nperiod: 2025-W04")
    resolved = OUTLOOK + "\n    outcome: {result: happened, cite: [desk-memo]}"
    edit(later, OUTLOOK, resolved)
    runner = CliRunner()
    result = runner.invoke(main, ["record", "demo"])
    assert result.exit_code == 0, result.output
    assert "Judgments made: 1" in result.stdout
    assert "Resolved: 1 (happened 1, did not happen 0, withdrawn 0)" in result.stdout
    assert "Brier score: 0.106 over 1 scored judgment(s)" in result.stdout  # (0.675-1)²
    assert "likely                  55–80%  67.5%       1         1      100%     1" in (
        result.stdout
    )
    document = json.loads(runner.invoke(main, ["record", "sources/demo", "--json"]).stdout)
    assert document["brier"] == pytest.approx(0.105625)
    assert document["resolved"] == {"happened": 1, "did not happen": 0, "withdrawn": 0}
    assert document["judgments"][0]["made"] == "2025-01-19"
    assert document["judgments"][0]["resolved_on"] == "2025-01-26"

    chart = workspace / "calibration.svg"
    assert runner.invoke(main, ["record", "demo", "--chart", str(chart)]).exit_code == 0
    root = ET.fromstring(chart.read_bytes())  # an SVG document, its text kept as text
    texts = " ".join("".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text"))
    assert "likely (1)" in texts and "Brier 0.106" in texts
    assert "very likely (" not in texts  # a band with no scored judgment has no point


def test_record_command_refuses_unknown_topic_and_invalid_notes(
    workspace: Path, edition: Path
) -> None:
    result = CliRunner().invoke(main, ["record", "nope"])
    assert result.exit_code == 1
    assert "no topic 'nope'" in result.stderr and "Traceback" not in result.output
    edit(edition, "likelihood: likely", "likelihood: perhaps")
    result = CliRunner().invoke(main, ["record", "demo"])
    assert result.exit_code == 1
    assert "sources/demo/2025-W03.yaml:" in result.stderr and "outlook[0].likelihood" in (
        result.stderr
    )


def test_a_phia_desk_is_scored_on_its_own_bands() -> None:
    """PHIA's `likely` is 55–75%, so it scores 0.65, and the table lists PHIA's terms."""
    from briefgen.judgments.scales import PHIA

    assert midpoint("likely", PHIA) == pytest.approx(0.65)
    assert midpoint("remote chance", PHIA) == pytest.approx(0.025)
    editions = []
    for week, result in (("2025-W03", None), ("2025-W04", "happened")):
        extra = {"outcome": outcome(result)} if result else {}
        data = judgment("A will happen.", "likely", **extra)
        editions.append(
            Edition.model_validate(
                {
                    "title": "Test topic",
                    "edition": WEEKS[week],
                    "period": week,
                    "key_judgments": [{"text": "A key judgment.", "cite": ["s"]}],
                    "situation": [{"text": "Something happened.", "cite": ["s"]}],
                    "outlook": [data],
                },
                context={"scale": PHIA},
            )
        )
    result = record("t", editions)
    assert [band.term for band in result.bands] == list(PHIA.terms)
    assert result.brier == pytest.approx((0.65 - 1) ** 2)

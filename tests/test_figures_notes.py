"""Figures in the notes, end to end: `check` refuses what cannot be read with certainty at
its line, and the built brief (HTML text and its SVG charts, read back) prints each
reading from exact decimals, in the workspace's declared number style."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest
import tinyhtml5
import yaml

from briefgen import pipeline
from briefgen.editions import new_edition
from briefgen.errors import InvalidNotes, Problem
from conftest import edit

FIRST = "estimate: about 300\n"
"""The demo edition's first estimate (North Korean troops killed, line 21)."""


def problems(edition: Path) -> list[Problem]:
    with pytest.raises(InvalidNotes) as info:
        pipeline.check([edition])
    return info.value.problems


def only(edition: Path) -> Problem:
    (problem,) = problems(edition)
    return problem


def built_text(workspace: Path, edition: Path) -> tuple[str, str]:
    """The built HTML brief's visible text (tables), and its charts' SVG text."""
    result = pipeline.build([edition], pipeline.BuildOptions(formats=["html"], force=True))
    (path,) = result.written
    html = (workspace / path).read_text(encoding="utf-8")
    document = tinyhtml5.parse(html)
    text = " ".join(" ".join(document.itertext()).split())
    charts = re.findall(r"data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)", html)
    return text, "".join(base64.b64decode(chart).decode() for chart in charts)


def set_estimates(edition: Path, *texts: str) -> None:
    """Give the demo's two killed estimates the texts; the third stays `about 11,000`."""
    edit(edition, "estimate: about 300", f"estimate: {texts[0]!r}")
    edit(edition, "estimate: up to 4,000", f"estimate: {texts[1]!r}")


def test_the_table_and_chart_print_exact_readings(workspace: Path, edition: Path) -> None:
    set_estimates(edition, "over 4.1 million", "4,000–10,000+")
    text, svg = built_text(workspace, edition)
    assert "> 4,100,000" in text
    assert "4,000–10,000+" in text
    assert "4,099,999" not in text + svg and "99999" not in (text + svg).replace(",", "")
    assert "&gt; 4,100,000" in svg  # the chart's label, kept as text in the SVG
    assert "4,000–10,000+" in svg


def test_a_high_end_figure_prints_as_one(workspace: Path, edition: Path) -> None:
    set_estimates(edition, "could reach 4,000", "15 to 30,000")
    text, _ = built_text(workspace, edition)
    assert "4,000 (high end)" in text
    assert "15,000–30,000" in text
    assert "≤ 4,000" not in text


def test_a_currency_from_the_text_shows_in_the_reading(workspace: Path, edition: Path) -> None:
    set_estimates(edition, "$7mn", "33.5 per cent")
    # a sum and a share are two quantities (issue 14: one group, one unit)
    edit(edition, "quantity: North Korean troops killed", "quantity: Pay to the troops")
    text, _ = built_text(workspace, edition)
    assert "$7,000,000" in text
    assert "33.5%" in text


@pytest.mark.parametrize(
    ("estimate", "words"),
    [
        ("5 hundred dead and 3 wounded", "more than one number"),
        ("about 12.000", "number_locale"),
        ("tens of thousands", "states no number"),
        ("up to 4,000+", "contradicts itself"),
        ("over 1e9", "scientific notation"),
    ],
)
def test_check_refuses_at_the_line(edition: Path, estimate: str, words: str) -> None:
    edit(edition, FIRST, f"estimate: {estimate!r}\n")
    problem = only(edition)
    assert (problem.line, problem.where) == (21, "estimates[0].estimate")
    assert words in problem.message
    assert "Traceback" not in problem.message


@pytest.mark.parametrize("value", ["yes", "no", "on", "true"])
def test_a_yaml_yes_no_is_not_a_bound(edition: Path, value: str) -> None:
    edit(edition, FIRST, f"low: {value}\n    {FIRST}")
    problem = only(edition)
    assert (problem.line, problem.where) == (21, "estimates[0].low")
    assert "yes/no" in problem.message and "write the number" in problem.message


@pytest.mark.parametrize("value", ["about 300", "'300+'", "-5", ".nan", "0.1e4", "'12,5'"])
def test_a_bound_is_a_plain_number(edition: Path, value: str) -> None:
    edit(edition, FIRST, f"low: {value}\n    {FIRST}")
    problem = only(edition)
    assert problem.where == "estimates[0].low"


def test_bounds_must_agree_with_the_text(edition: Path) -> None:
    edit(edition, FIRST, f"low: 3000\n    high: 5000\n    {FIRST}")
    problem = only(edition)
    assert problem.where == "estimates[0].estimate"
    assert "do not agree with 'about 300'" in problem.message
    assert "3,000–5,000" in problem.message and "bounds_note" in problem.message


def test_a_bounds_note_says_why_they_differ(workspace: Path, edition: Path) -> None:
    note = "bounds_note: the NIS revised its figure to 3,000-5,000 in a later briefing\n"
    edit(edition, FIRST, f"low: 3000\n    high: 5000\n    {note}    {FIRST}")
    (valid,) = pipeline.check([edition])
    assert valid.edition.estimates[0].parsed.low == 3000
    text, _ = built_text(workspace, edition)
    assert "3,000–5,000" in text


@pytest.mark.parametrize(
    ("bounds", "shown"),
    [
        ("low: 250\n    high: 350", "250–350"),
        ("low: '250'\n    high: '1,000'", "250–1,000"),
        ("low: 299.5\n    high: 300.1", "299.5–300.1"),
    ],
)
def test_bounds_that_agree_are_read_exactly(
    workspace: Path, edition: Path, bounds: str, shown: str
) -> None:
    edit(edition, FIRST, f"{bounds}\n    {FIRST}")
    text, _ = built_text(workspace, edition)
    assert shown in text


def test_new_carries_exact_bounds_over(workspace: Path, edition: Path) -> None:
    edit(edition, FIRST, f"low: 299.5\n    high: 300.1\n    {FIRST}")
    path = new_edition("demo")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    carried = next(e for e in data["estimates"] if e["estimate"] == "about 300")
    assert (carried["low"], carried["high"]) == (299.5, 300.1)


def test_a_declared_number_style_reads_the_notes_by_it(workspace: Path, edition: Path) -> None:
    set_estimates(edition, "etwa 12.000".replace("etwa", "about"), "1,2 Mio.")
    assert {p.where for p in problems(edition)} == {
        "estimates[0].estimate",
        "estimates[1].estimate",
    }
    (workspace / "briefgen.toml").write_text('[notes]\nnumber_locale = "de"\n', "utf-8")
    problem = only(edition)  # `about 11,000` could be eleven in German style: refused
    assert (problem.where, problem.line) == ("estimates[2].estimate", 31)
    assert "could be read two ways" in problem.message and "12.000" in problem.message
    edit(edition, "estimate: about 11,000", "estimate: about 11.000")
    text, _ = built_text(workspace, edition)
    assert "≈ 12,000" in text
    assert "1,200,000" in text


def test_an_unknown_number_style_is_a_config_error(workspace: Path, edition: Path) -> None:
    (workspace / "briefgen.toml").write_text('[notes]\nnumber_locale = "xx"\n', "utf-8")
    with pytest.raises(Exception) as info:
        pipeline.check([edition])
    assert "number_locale" in str(info.value)

"""Disagreement computed, not assumed (briefgen/estimates/verdicts.py), and the checks that keep
one group one quantity (briefgen/estimates/quantities.py): pure functions, real readings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import tinyhtml5
import yaml
from click.testing import CliRunner
from docx import Document
from hypothesis import given
from hypothesis import strategies as st

from briefgen import pipeline
from briefgen.cli import main
from briefgen.dates import When, parse_when
from briefgen.editions import new_edition
from briefgen.errors import InvalidNotes
from briefgen.estimates import Reading, parse_estimate
from briefgen.estimates.verdicts import (
    overlap,
    quantity_key,
    relation,
    same_figure,
    same_period,
    verdict,
)
from conftest import edit, pdf_text, sample_copy


@dataclass(frozen=True)
class E:
    """An estimate as a verdict sees it: who, what was read, as of when."""

    estimator: str
    estimate: str
    when: str

    @property
    def parsed(self) -> Reading:
        return parse_estimate(self.estimate)

    @property
    def as_of(self) -> When:
        return parse_when(self.when)


def kind(*entries: E) -> str:
    return verdict(entries).kind


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (E("NIS", "at least 100", "2025-01-13"), E("US", "about 300", "2025-01-14"), "consistent"),
        (E("UN", "100,000", "2025-01-13"), E("NGO", "70,000–150,000", "2025-01-13"), "consistent"),
        (E("UN", "more than 3,000", "2025-01-13"), E("US", "about 1,200", "2025-01-15"), "differ"),
        (E("A", "up to 1,000", "2025-01-13"), E("B", "at least 1,000", "2025-01-13"), "consistent"),
        (E("A", "up to 1,000", "2025-01-13"), E("B", "more than 1,500", "2025-01-13"), "differ"),
        (
            E("A", "could reach 4,000", "2025-01"),
            E("B", "close to 1,200", "2025-01-24"),
            "consistent",
        ),
        (E("A", "4,000–10,000+", "2025-01-13"), E("B", "about 50,000", "2025-01-13"), "consistent"),
        (E("A", "about 300", "2024-12-19"), E("B", "about 3,000", "2025-01-13"), "apart"),
        (E("NIS", "about 100", "2024-12-19"), E("NIS", "about 300", "2025-01-13"), "series"),
        (E("NIS", "about 100", "2025-01-13"), E("nis ", "about 300", "2025-01-14"), "series"),
    ],
)
def test_relation_of_two_estimates(a: E, b: E, expected: str) -> None:
    assert relation(a, b) == expected
    assert relation(b, a) == expected


def test_same_period_is_the_iso_week_for_days_and_overlap_for_months() -> None:
    day = parse_when
    assert same_period(day("2025-01-13"), day("2025-01-19"))  # Monday and Sunday of W03
    assert not same_period(day("2025-01-19"), day("2025-01-20"))  # W03 vs W04
    assert same_period(day("2025-01"), day("2025-01-24"))
    assert not same_period(day("2024-12"), day("2025-01-02"))
    assert same_period(day("..2025-01-24"), day("2025-01-24"))
    assert same_period(dt.date(2025, 1, 13), dt.date(2025, 1, 14))  # plain dates too
    span = day("2024-10-31/2024-11-07")
    assert same_period(span, day("2024-11-05")) and same_period(span, day("2024-11"))
    assert not same_period(span, day("2024-11-20"))
    assert not same_period(day("2024-Q3"), day("2024-10"))


def test_group_verdicts_and_the_band() -> None:
    differ = verdict(
        [
            E("Kyiv", "more than 3,000", "2025-01-24"),
            E("US", "close to 1,200", "2025-01-24"),
            E("Zelensky", "could reach 4,000", "2025-01"),
        ]
    )
    assert differ.kind == "differ" and differ.differ
    assert differ.label == "1,200–4,000 · 3 estimators · estimates differ"
    consistent = verdict([E("A", "about 300", "2025-01-13"), E("B", "at least 100", "2025-01-13")])
    assert consistent.label == "100–300 · 2 estimators · consistent"
    series = verdict([E("NIS", "about 100", "2024-12-19"), E("NIS", "about 300", "2025-01-13")])
    assert series.label == "100–300 · 1 estimator · series"
    assert "differ" not in series.label and not series.differ
    assert verdict([E("A", "$2,000", "2025-01-13")]).label == ""
    money = verdict([E("A", "$2,000", "2025-01-13"), E("B", "$2,500", "2025-01-14")])
    assert money.spread == "$2,000–2,500"


def test_one_differing_pair_flags_the_group_and_a_lone_dated_gap_does_not() -> None:
    entries = [
        E("A", "about 10,000", "2024-10-30"),
        E("B", "10,000 to 12,000", "2024-10"),
        E("C", "about 11,000", "2025-01-13"),
    ]
    assert kind(*entries) == "apart"  # 10,000 (Oct) and 11,000 (Jan) are different dates
    assert kind(*entries, E("D", "about 20,000", "2025-01-14")) == "differ"


def test_keys_ignore_case_and_spacing_and_same_figure_needs_all_three() -> None:
    assert quantity_key("RSF  Strength") == quantity_key("rsf strength ")
    a = E("Western intelligence", "about 11,000", "2025-01-13")
    assert same_figure(a, E("Western  Intelligence", "around 11,000", "2025-01-13"))
    assert not same_figure(a, E("Western intelligence", "about 11,000", "2025-01-14"))
    assert not same_figure(a, E("Ukraine", "about 11,000", "2025-01-13"))
    assert not same_figure(a, E("Western intelligence", "11,000", "2025-01-13"))


# --- through check, at the line -------------------------------------------------------

ROW = """  - quantity: {quantity}
    estimate: {estimate}
    estimator: {estimator}
    as_of: 2025-01-13
{extra}    cite: [{cite}]
"""


def add(edition: Path, **fields: str) -> None:
    cite = fields.pop("cite", "reaction-2025-01-13")
    extra = "".join(f"    {k}: {v}\n" for k, v in fields.items() if k not in _ROW_KEYS)
    row = ROW.format(extra=extra, cite=cite, **{k: fields[k] for k in _ROW_KEYS})
    edit(edition, "questions:\n", row + "questions:\n")


_ROW_KEYS = ("quantity", "estimate", "estimator")


def problems(edition: Path) -> list[str]:
    with pytest.raises(InvalidNotes) as caught:
        pipeline.check([edition])
    return [str(p) for p in caught.value.problems]


def test_mixed_units_in_one_group_are_an_error_at_the_line(edition: Path) -> None:
    add(edition, quantity="Pay", estimate="$2,000", estimator="A", unit="USD a month")
    add(edition, quantity="pay", estimate="about 33%", estimator="B")
    (problem,) = problems(edition)
    assert problem.startswith("sources/demo/2025-W03.yaml:")
    assert ": estimates[4].unit: unit '%' (from 'about 33%') differs from 'USD a month'" in problem
    assert "give them different quantity names, else make the unit the same" in problem
    line = int(problem.split(":")[1])
    assert edition.read_text().splitlines()[line - 1].strip() == "- quantity: pay"


def test_a_unit_that_contradicts_the_figure_is_an_error(edition: Path) -> None:
    add(edition, quantity="Pay", estimate="about 1,000", estimator="B")
    add(edition, quantity="Pay", estimate="$2,000", estimator="A", unit="containers")
    (problem,) = problems(edition)  # one error, not a second one against the group
    assert "estimates[4].unit: '$2,000' is in USD but unit: says 'containers'" in problem


def test_qualifiers_both_give_must_agree(edition: Path) -> None:
    add(edition, quantity="Deaths", estimate="about 300", estimator="A", place="Kursk region")
    add(edition, quantity="Deaths", estimate="about 400", estimator="B", place="Donetsk")
    add(edition, quantity="Deaths", estimate="about 500", estimator="C", cause="violent")
    (problem,) = problems(edition)
    assert ": estimates[4].place: place 'Donetsk' differs from 'Kursk region'" in problem
    line = int(problem.split(":")[1])
    assert edition.read_text().splitlines()[line - 1].strip() == "place: Donetsk"


def test_a_figure_entered_twice_is_one_row_and_a_warning(edition: Path) -> None:
    add(
        edition,
        quantity="north korean  troops deployed",
        estimate="around 11,000",
        estimator="western intelligence",
        cite="desk-memo",
    )
    runner = CliRunner()
    result = runner.invoke(main, ["check", str(edition)])
    assert result.exit_code == 0, result.output
    assert "warning: sources/demo/2025-W03.yaml:" in result.stderr
    assert (
        "estimates[3].estimate: repeats estimates[2] ('about 11,000' by Western intelligence"
        in result.stderr
    )
    (valid,) = pipeline.check([edition])
    brief = pipeline.brief_of(valid)
    deployed = brief.estimates[1]
    assert deployed.quantity == "North Korean troops deployed"  # the first spelling
    (row,) = deployed.rows
    assert row.numbers == [1, 2]  # both outlets, one row


# --- read back from the brief: HTML, PDF (pypdf), DOCX (python-docx) --------------------


def estimates_texts(edition: Path, out: Path) -> dict[str, str]:
    """The text of the estimates table in each format of the built brief, spacing flattened
    (the PDF's from the table head to the next section)."""
    options = pipeline.BuildOptions(output=out, formats=["html", "pdf", "docx"], force=True)
    written = {p.suffix: p for p in pipeline.build([edition], options).written}
    root = tinyhtml5.parse(written[".html"].read_text(encoding="utf-8"))
    section = next(el for el in root.iter() if el.get("id") == "estimates")
    pdf = pdf_text(written[".pdf"])
    document = Document(str(written[".docx"]))
    texts = {
        "html": "".join(section.itertext()),
        "pdf": pdf[pdf.index("ESTIMATE") : pdf.index("Open questions")],
        "docx": "\n".join(c.text for t in document.tables for r in t.rows for c in _cells(r)),
    }
    return {kind: " ".join(text.split()) for kind, text in texts.items()}


def _cells(row: Any) -> list[Any]:
    """A row's cells, a merged cell (the group's band) once, not once per column."""
    return list({id(cell._tc): cell for cell in row.cells}.values())


@pytest.mark.parametrize("week", ["2025-W04", "2025-W08"])
def test_the_sample_says_differ_nowhere_and_states_each_verdict(
    week: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sample's figures do not truly disagree: `at least 100` and `about 300` agree,
    the 11,000 is one row, and the scope-unknown toll and figure are their own quantity."""
    root = sample_copy(tmp_path, monkeypatch)
    texts = estimates_texts(root / "sources" / "nk-russia" / f"{week}.yaml", tmp_path / "out")
    for kind, text in texts.items():
        assert "estimates differ" not in text.casefold(), kind
        assert "10,000–12,000 · 3 estimators · no conflict, dates apart" in text, kind
        assert "100–300 · 2 estimators · consistent" in text, kind
        assert "1,200–4,000 · 2 estimators · consistent" in text, kind
        assert "counting killed, or killed and wounded (the report does not say)" in text, kind
        assert "$2,000 a month" in text and "USD a month" not in text, kind
        if kind != "docx":  # the DOCX's captions are paragraphs, not table cells
            caption = "North Korean losses, counting killed, or killed and wounded (the report"
            assert caption in text, kind
            finding = "at 1,200–4,000 as of Jan 2025 and by 24 Jan 2025; their figures are"
            assert finding in text, kind
    (valid,) = pipeline.check([root / "sources" / "nk-russia" / f"{week}.yaml"])
    deployed = pipeline.brief_of(valid).estimates[0]
    eleven = [row for row in deployed.rows if row.text == "about 11,000"]
    assert len(eleven) == 1 and len(eleven[0].numbers) == 2  # one row, both outlets


def test_a_real_disagreement_is_flagged_in_every_format(edition: Path, tmp_path: Path) -> None:
    add(edition, quantity="North Korean troops killed", estimate="more than 1,000",
        estimator="Ukrainian military", cite="desk-memo")  # fmt: skip
    texts = estimates_texts(edition, tmp_path / "out")
    for kind, text in texts.items():
        band = "300–4,000 · 3 estimators · estimates differ".casefold()
        said = text.casefold()
        assert band in said, kind  # the band (and the chart caption, where charts are)
        # Nowhere else: the band, and the disputed group's chart caption ("Estimates differ:
        # South Korea's NIS puts … at ≈ 300 (…); Ukrainian military at ≥ 1,000 (…).").
        captions = said.count("estimates differ: ")
        assert captions == (0 if kind == "docx" else 1), kind  # DOCX: the table's cells only
        assert said.count("estimates differ") == said.count(band) + captions, kind


def test_briefgen_new_carries_the_qualifiers_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sample_copy(tmp_path, monkeypatch)
    path = new_edition("nk-russia")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    losses = [e for e in data["estimates"] if e["quantity"] == "North Korean losses"]
    assert len(losses) == 2
    assert {e["cause"] for e in losses} == {
        "killed, or killed and wounded (the report does not say)"
    }
    pay = next(e for e in data["estimates"] if e["quantity"].startswith("Russian pay"))
    assert pay["method"] == "his calculation, for 10,000 soldiers at $2,000 a month"
    deployed = [e for e in data["estimates"] if e["estimate"] == "about 11,000"]
    assert len(deployed) == 1 and len(deployed[0]["cite"]) == 2


FORMS = ("about {}", "at least {}", "up to {}", "could reach {}", "{}", "{}+")


@st.composite
def entries(draw: st.DrawFn) -> E:
    low = draw(st.integers(1, 9_000))
    form = draw(st.sampled_from(FORMS))
    text = form.format(f"{low:,}")
    if draw(st.booleans()):
        text = f"{low:,} to {low + draw(st.integers(1, 9_000)):,}"
    day = dt.date(2025, 1, 1) + dt.timedelta(days=draw(st.integers(0, 40)))
    return E(draw(st.sampled_from("ABC")), text, day.isoformat())


@given(st.lists(entries(), min_size=1, max_size=6))
def test_differ_only_between_estimators_of_one_period_whose_figures_cannot_both_hold(
    group: list[E],
) -> None:
    """Whatever the figures: the flag is raised exactly when such a pair exists, every
    pair's relation is symmetric, and one estimator alone is never said to differ."""
    pairs = [(a, b) for i, a in enumerate(group) for b in group[i + 1 :]]
    for a, b in pairs:
        assert relation(a, b) == relation(b, a)
    real = any(
        a.estimator != b.estimator
        and same_period(a.as_of, b.as_of)
        and not (a.parsed.overlaps(*_interval(b)) and b.parsed.overlaps(*_interval(a)))
        for a, b in pairs
    )
    assert verdict(group).differ == real
    if len({e.estimator for e in group}) == 1:
        assert verdict(group).kind in ("single", "series")
    assert ("differ" in verdict(group).label) == real


def _interval(entry: E) -> tuple[Any, Any]:
    reading = entry.parsed
    return reading.floor, (reading.high if reading.kind == "high end" else reading.ceiling)


@pytest.mark.parametrize(
    ("a", "b", "both_hold"),
    [
        ("about 11,000", "about 11,500", True),  # 11,000 rounds from [10,500, 11,500)
        ("about 10,000", "about 11,000", False),  # [9,500, 10,500) and [10,500, 11,500)
        ("about 300", "about 400", False),  # at most 5% either side: 285–315, 380–420
        ("about 300", "310", True),
        ("about 30%", "33.5%", False),
        ("about 11,000", "10,000 to 12,000", True),
        ("300", "about 300", True),
        ("300", "301", False),  # exact figures are exact
    ],
)
def test_an_approximate_figure_allows_what_rounds_to_it(a: str, b: str, both_hold: bool) -> None:
    """`about` figures are compared as the range that rounds to them, so two estimators'
    `about 11,000` and `about 11,500` are not flagged as differing (issue 14, item 4)."""
    assert overlap(parse_estimate(a), parse_estimate(b)) is both_hold
    assert overlap(parse_estimate(b), parse_estimate(a)) is both_hold


def test_a_strict_bound_does_not_meet_its_own_figure() -> None:
    """`more than 3,000` cannot hold with exactly 3,000; `at least 3,000` can."""
    assert not overlap(parse_estimate("more than 3,000"), parse_estimate("3,000"))
    assert overlap(parse_estimate("at least 3,000"), parse_estimate("3,000"))
    assert not overlap(parse_estimate("fewer than 100"), parse_estimate("100"))


@dataclass(frozen=True)
class Noted(E):
    """What `duplicates` reads of a notes entry: an estimate and its quantity."""

    quantity: str = ""


def reference_duplicates(entries: list[Noted]) -> list[tuple[int, str]]:
    """Every earlier entry compared with each, as `duplicates` once did."""
    found = []
    for index, entry in enumerate(entries):
        for earlier in range(index):
            other = entries[earlier]
            if quantity_key(other.quantity) == quantity_key(entry.quantity) and same_figure(
                other, entry
            ):
                found.append((index, f"repeats estimates[{earlier}]"))
                break
    return found


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["Deaths", "deaths ", "Troops"]),
            st.sampled_from(["UN", "un", "HUR"]),
            st.sampled_from(["about 300", "300", "about 400"]),
            st.sampled_from(["2025-01-10", "2025-01-11"]),
        ),
        max_size=12,
    )
)
def test_duplicates_finds_what_comparing_every_pair_finds(rows: list[tuple[str, ...]]) -> None:
    from briefgen.estimates.quantities import duplicates

    entries = [Noted(e, f, d, quantity=q) for q, e, f, d in rows]
    found = [(f.index, f.message.split(" (", 1)[0]) for f in duplicates(entries)]
    assert found == reference_duplicates(entries)


def test_duplicates_compares_only_one_quantity_by_one_estimator(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A 100× brief's 1,300 estimates were compared in 850,000 pairs (1.8 s of `check`)."""
    from briefgen.estimates import quantities

    compared: list[int] = []

    def counted(a: Any, b: Any) -> bool:
        compared.append(1)
        return same_figure(a, b)

    monkeypatch.setattr(quantities, "same_figure", counted)
    entries = [Noted(f"E{i}", "about 300", "2025-01-10", f"Q{i % 10}") for i in range(1000)]
    assert not quantities.duplicates(entries)
    assert not compared
    entries += [Noted("E0", "about 300", "2025-01-10", "Q0")]
    (finding,) = quantities.duplicates(entries)
    assert finding.index == 1000 and len(compared) == 1

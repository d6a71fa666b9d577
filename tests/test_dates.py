"""Dates as precise as the source (briefgen/dates.py): what is read, what is refused and why,
how a reader sees it, how `check` compares it with the edition date, how a chart draws it,
and the sample brief printing the month its source gives."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from docx import Document
from test_charts import REFS

from briefgen import pipeline
from briefgen.assemble import EstimateGroup, EstimateRow
from briefgen.dates import When, parse_when, same_period
from briefgen.editions import new_edition
from briefgen.errors import InvalidNotes, Problem
from briefgen.load import LoadError, load_yaml
from briefgen.render import charts
from briefgen.render.charts.draw import figure
from briefgen.render.charts.style import DOCX_WIDTH
from briefgen.render.html import render_html
from briefgen.templating import environment
from conftest import REPO, edit, pdf_text, sample_copy, shown

D = dt.date

# (as written in YAML, start, end, precision, label)
READ = [
    ("2025-01-24", D(2025, 1, 24), D(2025, 1, 24), "day", "24 Jan 2025"),
    ("2024-02-29", D(2024, 2, 29), D(2024, 2, 29), "day", "29 Feb 2024"),
    ("2025-1-5", D(2025, 1, 5), D(2025, 1, 5), "day", "5 Jan 2025"),
    ("2024-10", D(2024, 10, 1), D(2024, 10, 31), "month", "Oct 2024"),
    ("2024-02", D(2024, 2, 1), D(2024, 2, 29), "month", "Feb 2024"),
    ("2023-02", D(2023, 2, 1), D(2023, 2, 28), "month", "Feb 2023"),
    ('"2025-01"', D(2025, 1, 1), D(2025, 1, 31), "month", "Jan 2025"),
    ("2024-Q4", D(2024, 10, 1), D(2024, 12, 31), "quarter", "Q4 2024"),
    ("2024-Q1", D(2024, 1, 1), D(2024, 3, 31), "quarter", "Q1 2024"),
    ("2024-q2", D(2024, 4, 1), D(2024, 6, 30), "quarter", "Q2 2024"),
    ("2024Q3", D(2024, 7, 1), D(2024, 9, 30), "quarter", "Q3 2024"),
    ("Q4 2024", D(2024, 10, 1), D(2024, 12, 31), "quarter", "Q4 2024"),
    ("2024", D(2024, 1, 1), D(2024, 12, 31), "year", "2024"),
    ('"2023"', D(2023, 1, 1), D(2023, 12, 31), "year", "2023"),
    ("spring 2024", D(2024, 3, 1), D(2024, 5, 31), "season", "spring 2024"),
    ("Summer 2024", D(2024, 6, 1), D(2024, 8, 31), "season", "summer 2024"),
    ("autumn 2024", D(2024, 9, 1), D(2024, 11, 30), "season", "autumn 2024"),
    ("fall 2024", D(2024, 9, 1), D(2024, 11, 30), "season", "fall 2024"),
    ("winter 2024/25", D(2024, 12, 1), D(2025, 2, 28), "season", "winter 2024/25"),
    ("winter 2023/2024", D(2023, 12, 1), D(2024, 2, 29), "season", "winter 2023/24"),
    ("2023-04/2024-06", D(2023, 4, 1), D(2024, 6, 30), "span", "Apr 2023 – Jun 2024"),
    ("2023-04-01/2024-06-30", D(2023, 4, 1), D(2024, 6, 30), "span", "1 Apr 2023 – 30 Jun 2024"),
    ("2024-10-31/2024-11-07", D(2024, 10, 31), D(2024, 11, 7), "span", "31 Oct 2024 – 7 Nov 2024"),
    ("2023-04/2023-06-15", D(2023, 4, 1), D(2023, 6, 15), "span", "Apr 2023 – 15 Jun 2023"),
    ("2023-04-10/2023-06", D(2023, 4, 10), D(2023, 6, 30), "span", "10 Apr 2023 – Jun 2023"),
    ("2024-Q1/2024-Q3", D(2024, 1, 1), D(2024, 9, 30), "span", "Q1 2024 – Q3 2024"),
    ("2022/2024", D(2022, 1, 1), D(2024, 12, 31), "span", "2022 – 2024"),
    ("2024-12/2025-01", D(2024, 12, 1), D(2025, 1, 31), "span", "Dec 2024 – Jan 2025"),
    ("2024-01-01/2024-01-02", D(2024, 1, 1), D(2024, 1, 2), "span", "1 Jan 2024 – 2 Jan 2024"),
    ('"2023-04 / 2024-06"', D(2023, 4, 1), D(2024, 6, 30), "span", "Apr 2023 – Jun 2024"),
    ("..2025-01-24", D(2025, 1, 24), D(2025, 1, 24), "by", "by 24 Jan 2025"),
    ("../2025-01-24", D(2025, 1, 24), D(2025, 1, 24), "by", "by 24 Jan 2025"),
    ("by 2025-01-24", D(2025, 1, 24), D(2025, 1, 24), "by", "by 24 Jan 2025"),
    ("By 2025-01-24", D(2025, 1, 24), D(2025, 1, 24), "by", "by 24 Jan 2025"),
    ("..2025-01", D(2025, 1, 31), D(2025, 1, 31), "by", "by Jan 2025"),
    ("2024-06  ", D(2024, 6, 1), D(2024, 6, 30), "month", "Jun 2024"),
]

# (as written in YAML, words the refusal must contain)
REFUSED = [
    ("2024-13", ["month 13", "01 to 12"]),
    ("2024-00", ["month 0"]),
    ("2025-02-30", ["not a day of the calendar", "28 days"]),  # read as text, not a timestamp
    ('"2025-02-30"', ["not a day of the calendar", "28 days"]),
    ('"2024-13-01"', ["month 13"]),
    ("2024-Q5", ["quarter 5", "Q1 to Q4"]),
    ("2024-Q0", ["quarter 0"]),
    ("2024-06/2023-04", ["ends before it starts"]),
    ("2024-10/2024-10", ["single month", "write just 2024-10"]),
    ("2023-04/06", ["in full"]),
    ("2023-04/2024-06/2025-01", ["more than one '/'"]),
    ("2023-04/", ["no end"]),
    ("2023-04/..", ["no end"]),
    ("/2024-06", ["..2024-06"]),
    ("2025-01-24..", ["open at its end"]),
    ("2023-04 to 2024-06", ["with a slash"]),
    ("2023-04 – 2024-06", ["with a slash"]),
    ("winter 2024", ["ambiguous", "winter 2024/25"]),
    ("winter 2024/26", ["runs into the next year"]),
    ("summer 2024/25", ["only winter"]),
    ("..2024-Q4", ["'by' takes a day or a month"]),
    ("Jan 2025", ["not a date", "write 2025-01"]),
    ("24 January 2025", ["write 2025-01-24"]),
    ("last October", ["not a date", "YYYY-MM"]),
    ("yesterday", ["not a date"]),
    ('""', ["empty date"]),
    ("yes", ["not a date (True)"]),
    ("1.5", ["not a date (1.5)"]),
    ("2025-01-24T10:00:00", ["timestamp"]),
    ("[2024, 2025]", ["not a date"]),
    ("24/01/2025", ["not a date"]),
    ("01/24/2025", ["not a date"]),
]


def loaded(tmp_path: Path, written: str) -> object:
    """The value as briefgen's loader gives it (a date for a full day, else a string)."""
    path = tmp_path / "n.yaml"
    path.write_text(f"as_of: {written}\n", encoding="utf-8")
    return load_yaml(path).data["as_of"]


@pytest.mark.parametrize(("written", "start", "end", "precision", "label"), READ)
def test_reads(tmp_path: Path, written: str, start: D, end: D, precision: str, label: str) -> None:
    when = parse_when(loaded(tmp_path, written))
    assert (when.start, when.end, when.precision, when.label()) == (start, end, precision, label)
    assert when.inferred is None
    assert parse_when(str(when)) == when  # the written form reads back the same


@pytest.mark.parametrize(("written", "words"), REFUSED)
def test_refuses_with_what_to_write(tmp_path: Path, written: str, words: list[str]) -> None:
    """Refused by the loader (a timestamp YAML cannot build) or by parse_when, saying why."""
    with pytest.raises((ValueError, LoadError)) as info:
        parse_when(loaded(tmp_path, written))
    for word in words:
        assert word in str(info.value)


def test_the_table_is_large_enough() -> None:
    assert len(READ) + len(REFUSED) >= 40


def test_inferred_is_marked_and_kept() -> None:
    when = parse_when("2024-10").with_inferred("undated in the feed")
    assert when.label() == "Oct 2024*"
    assert when.label(marked=False) == "Oct 2024"
    assert when.inferred == "undated in the feed"
    assert when == parse_when("2024-10")  # the same days; the mark is not a different date


def test_same_meaning_is_equal_however_written() -> None:
    assert parse_when("2024-Q4") == parse_when("Q4 2024")
    assert hash(parse_when("2024-Q4")) == hash(parse_when("Q4 2024"))
    assert parse_when("2024-10") != parse_when("2024-10-01/2024-10-31")  # a span is not a month


def test_sorting_by_start_then_precision() -> None:
    written = ["2024-11", "2024-10-05", "2024-Q4", "2024-10", "..2024-10-01", "2024-10-01", "2024"]
    ordered = [str(w) for w in sorted(parse_when(x) for x in written)]
    assert ordered == ["2024", "2024-10-01", "..2024-10-01", "2024-10", "2024-Q4", "2024-10-05",
                       "2024-11"]  # fmt: skip


def test_same_period() -> None:
    p = parse_when
    assert same_period(p("2025-01"), p(D(2025, 1, 13)))
    assert same_period(p("2024-Q4"), p("2024-11"))
    assert same_period(p("2023-04/2024-06"), p("2024-06-30"))
    assert not same_period(p("2024-10"), p("2024-11"))
    assert not same_period(p(D(2025, 1, 13)), p(D(2025, 1, 24)))  # ISO weeks 3 and 4
    assert same_period(p(D(2025, 1, 20)), p(D(2025, 1, 24)))  # both in week 4
    assert same_period(p("..2025-01-24"), p(D(2025, 1, 22)))  # "by" taken at its day
    assert not same_period(p("..2025-01-24"), p(D(2025, 1, 13)))
    assert not same_period(p("..2025-01-24"), p("2025-02"))
    assert same_period(p("..2025-01-24"), p("2025-01"))
    assert same_period(D(2025, 1, 24), p("2025-01"))  # a plain date works too


# --- checked against the edition date (tests/data/ws: edition 2025-01-19) ---------------


def problems(edition: Path) -> list[Problem]:
    with pytest.raises(InvalidNotes) as info:
        pipeline.check([edition])
    return info.value.problems


@pytest.mark.parametrize(
    "as_of", ["2025-01", "2025-Q1", "2025", "2025-01-01/2025-01-19", "..2025-01-19", "2024-12"]
)
def test_as_of_that_holds_by_the_edition_is_valid(edition: Path, as_of: str) -> None:
    """A month, quarter or year that holds the edition day was current ("this month")."""
    edit(edition, "as_of: 2025-01-10", f"as_of: {as_of}")
    (valid,) = pipeline.check([edition])
    assert as_of in [str(e.as_of) for e in valid.edition.estimates]


@pytest.mark.parametrize(
    ("as_of", "words"),
    [
        ("2025-02", "starts after the edition date 2025-01-19"),
        ("2025-Q2", "starts after the edition date"),
        ("2025-01-01/2025-01-31", "after the edition date 2025-01-19; end the span by the edition"),
        ("..2025-01-20", "after the edition date"),
        ("2025-01-20", "2025-01-20 is after the edition date 2025-01-19"),
    ],
)
def test_as_of_after_the_edition_is_refused_at_its_line(
    edition: Path, as_of: str, words: str
) -> None:
    edit(edition, "as_of: 2025-01-10", f"as_of: {as_of}")
    (problem,) = problems(edition)
    assert (problem.line, problem.where) == (28, "estimates[1].as_of")
    assert words in problem.message


def test_a_bad_date_is_refused_at_its_line(edition: Path) -> None:
    edit(edition, "as_of: 2025-01-10", "as_of: 2025-01/2024-12")
    (problem,) = problems(edition)
    assert (problem.line, problem.where) == (28, "estimates[1].as_of")
    assert "ends before it starts" in problem.message


def test_source_published_in_a_span_is_compared_by_its_start(edition: Path) -> None:
    registry = edition.parent / "sources.yaml"
    edit(registry, "published: 2025-01-10", "published: 2025-01-15/2025-01-25")
    pipeline.check([edition])  # it may have appeared before the edition: not refused
    edit(registry, "published: 2025-01-15/2025-01-25", "published: 2025-01-20/2025-01-25")
    found = problems(edition)
    assert found and all("published 2025-01-20/2025-01-25, after the edition" in p.message
                         for p in found)  # fmt: skip


def test_inferred_reason_marks_the_date(edition: Path) -> None:
    edit(
        edition,
        "as_of: 2025-01-10\n",
        "as_of: 2025-01\n"
        "    as_of_inferred: undated, placed by the items around it, of 9 and 11 Jan\n",
    )
    (valid,) = pipeline.check([edition])
    when = next(e.as_of for e in valid.edition.estimates if e.as_of.inferred)
    assert when.inferred == "undated, placed by the items around it, of 9 and 11 Jan"
    assert when.label() == "Jan 2025*"
    html = render_html(pipeline.brief_of(valid), environment())
    assert "Jan\xa02025*" in html and "* inferred: undated, placed by the items around it" in html
    assert "2025-01-10" not in re.sub(r"<[^>]+>", "", html.split('id="estimates"')[1])[:2000]


# --- charts --------------------------------------------------------------------------------


def span_and_day() -> EstimateGroup:
    """A group with one estimate over Oct–Dec 2024 and one on 24 Jan 2025."""
    row = EstimateRow(
        "about 2,000",
        REFS,
        estimator="Institute",
        as_of=parse_when("2024-10/2024-12"),
        reading="≈ 2,000",
    )
    day = EstimateRow("about 3,000", REFS, estimator="Ministry", as_of=parse_when(D(2025, 1, 24)))
    return EstimateGroup("Troops", (row, day))


def test_chart_draws_a_span_as_a_bar_along_time() -> None:
    """The span's bar runs from its first day to the end of its last; a day is a point."""
    svg = charts.chart_svg(span_and_day())
    root = ET.fromstring(svg)
    texts = [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "Oct 2024 – Dec 2024" in texts and "24 Jan 2025" in texts  # ticks as given
    assert not any(re.search(r"\d{4}-\d{2}", t) for t in texts)  # no invented day


def span_bar(png_group: EstimateGroup) -> tuple[float, float]:
    """The x range (in data units) of the widest horizontal line matplotlib drew."""
    from matplotlib.figure import Figure

    fig: Figure = figure(png_group, DOCX_WIDTH)  # as the DOCX draws it
    ax = fig.axes[0]
    widths = [
        (min(line.get_xdata()), max(line.get_xdata()))
        for line in ax.get_lines()
        if len(set(line.get_ydata())) == 1 and len(line.get_xdata()) == 2
    ]
    return max(widths, key=lambda w: w[1] - w[0])


def test_chart_span_covers_exactly_its_days() -> None:
    from matplotlib.dates import date2num

    x0, x1 = span_bar(span_and_day())
    assert (x0, x1) == (date2num(D(2024, 10, 1)), date2num(D(2025, 1, 1)))


# --- the sample ----------------------------------------------------------------------------


def test_sample_prints_the_month_its_source_gives(tmp_path: Path, monkeypatch) -> None:
    """Zelensky's "earlier comments in January" is Jan 2025 in every format, never 24 Jan."""
    root = sample_copy(tmp_path, monkeypatch)
    w04 = root / "sources" / "nk-russia" / "2025-W04.yaml"
    options = pipeline.BuildOptions(output=tmp_path / "out", formats=["pdf", "docx", "html"])
    written = pipeline.build([w04], options).written
    by_suffix = {p.suffix: p for p in written}
    pdf = " ".join(pdf_text(by_suffix[".pdf"]).split())
    html = " ".join(re.sub(r"<[^>]+>", " ", shown(by_suffix[".html"].read_text())).split())
    document = Document(str(by_suffix[".docx"]))
    cells = [" ".join(c.text.split()) for t in document.tables for r in t.rows for c in r.cells]
    for text in (pdf, html, " | ".join(cells)):
        assert "Jan 2025" in text and "by 24 Jan 2025" in text and "Oct 2024" in text
        assert "31 Oct 2024 – 7 Nov 2024*" in text
        assert "inferred: undated in the feed" in text
        assert "2025-01-24" not in text.replace("wire-seoul-2025-01-24", "")
    row = next(  # Zelensky's toll, not his count of the prisoners (13 Jan)
        r
        for t in document.tables
        for r in t.rows
        if "Zelensky" in r.cells[2].text and "4,000" in r.cells[1].text
    )
    assert row.cells[3].text.strip() == "Jan 2025"


def test_new_edition_carries_dates_as_written(tmp_path: Path, monkeypatch) -> None:
    sample_copy(tmp_path, monkeypatch)
    path = new_edition("nk-russia")
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    as_of = {e["estimator"]: e["as_of"] for e in data["estimates"]}
    assert as_of["US estimates, no agency named"] == "..2025-01-24"
    assert as_of["Ukrainian President Volodymyr Zelensky"] == "2025-01"
    assert as_of["Ukrainian government"] == D(2025, 1, 24)  # a day stays a YAML date
    pay = next(e for e in data["estimates"] if e["quantity"] == "Pay per soldier")
    assert pay["as_of"] == "2024-10-31/2024-11-07"
    assert pay["as_of_inferred"].startswith("undated in the feed")


def test_sample_dates_are_as_written() -> None:
    w04 = (REPO / "sources" / "nk-russia" / "2025-W04.yaml").read_text(encoding="utf-8")
    assert "    as_of: 2025-01\n" in w04  # Zelensky, "earlier comments in January"
    assert isinstance(parse_when("2025-01"), When)

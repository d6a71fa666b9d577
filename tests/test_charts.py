"""Estimate charts: valid SVG and PNG, deterministic, labelled by estimator, cheap to import."""

from __future__ import annotations

import dataclasses
import datetime as dt
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
import zlib
from pathlib import Path

import pytest

from briefgen import pipeline
from briefgen.assemble import EstimateGroup, EstimateRow, Ref
from briefgen.dates import parse_when
from briefgen.models import Source
from briefgen.render import charts
from conftest import REPO, pdf_text

SVG_NS = "{http://www.w3.org/2000/svg}"
SOURCE = Source.model_validate(
    {
        "id": "demo",
        "title": "A report",
        "publisher": "Wire",
        "published": dt.date(2025, 1, 24),
        "reliability": "B",
    }
)
REFS = (Ref(1, "src-1", SOURCE, None),)


def row(
    text: str, estimator: str, as_of: str, *, reading: str = "", unit: str | None = None
) -> EstimateRow:
    return EstimateRow(
        text,
        REFS,
        estimator=estimator,
        as_of=parse_when(dt.date.fromisoformat(as_of)),
        reading=reading,
        unit=unit,
    )


@pytest.fixture(scope="module")
def groups() -> dict[str, EstimateGroup]:
    """The W04 sample brief's estimate groups, by quantity."""
    (valid,) = pipeline.check([REPO / "sources" / "nk-russia" / "2025-W04.yaml"])
    return {group.quantity: group for group in pipeline.brief_of(valid).estimates}


@pytest.fixture(scope="module")
def casualties(groups: dict[str, EstimateGroup]) -> EstimateGroup:
    """Three estimates around one date: a point, a lower bound and a high end. The sample
    keeps the scope-unknown "toll" and "figure" apart from Kyiv's killed-and-wounded count
    (issue 14); drawn together here, as one chart of three marks."""
    killed_wounded = groups["North Korean casualties (killed and wounded)"]
    rows = killed_wounded.rows + groups["North Korean losses"].rows
    ordered = tuple(sorted(rows, key=lambda r: (r.as_of, r.estimator)))
    return EstimateGroup(killed_wounded.quantity, ordered)


@pytest.fixture(scope="module")
def deployed(groups: dict[str, EstimateGroup]) -> EstimateGroup:
    """Four estimates over three months, one of them a range."""
    return groups["North Korean troops deployed to Russia"]


def svg_texts(svg: str) -> list[str]:
    root = ET.fromstring(svg)
    return ["".join(node.itertext()) for node in root.iter(f"{SVG_NS}text")]


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from the IHDR chunk, after checking the chunk's CRC."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    length, kind = struct.unpack(">I4s", data[8:16])
    assert (length, kind) == (13, b"IHDR")
    body = data[16 : 16 + length]
    (crc,) = struct.unpack(">I", data[16 + length : 20 + length])
    assert crc == zlib.crc32(kind + body)
    width, height = struct.unpack(">II", body[:8])
    return width, height


def png_pixels(data: bytes) -> bytes:
    """The decompressed image data: proves the PNG's IDAT stream is whole."""
    offset, idat = 8, b""
    while offset < len(data):
        length, kind = struct.unpack(">I4s", data[offset : offset + 8])
        if kind == b"IDAT":
            idat += data[offset + 8 : offset + 8 + length]
        offset += 12 + length
    return zlib.decompress(idat)


def test_wants_chart_needs_two_estimates(groups: dict[str, EstimateGroup]) -> None:
    assert charts.wants_chart(groups["North Korean troops deployed to Russia"])
    assert charts.wants_chart(groups["North Korean troops killed"])
    assert not charts.wants_chart(groups["North Korean troops wounded"])  # one row
    assert not charts.wants_chart(groups["Pay per soldier"])


def test_wants_chart_counts_only_rows_it_can_plot() -> None:
    group = EstimateGroup(
        "Troops", (row("about 100", "A", "2025-01-01"), row("many", "B", "2025-01-02"))
    )
    assert not charts.wants_chart(group)


def test_svg_is_xml_with_estimators_as_text(casualties: EstimateGroup) -> None:
    svg = charts.chart_svg(casualties)
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG_NS}svg"
    texts = "\n".join(svg_texts(svg))
    for name in ("US estimates", "Ukrainian government", "Ukrainian President"):
        assert name in texts
    assert "> 3,000" in texts and "4,000 (high end)" in texts and "≈ 1,200" in texts
    assert "24 Jan 2025" in texts
    assert "4,000" in texts.split("\n")  # a y tick, with a thousands separator


def svg_cm(svg: str) -> tuple[float, float]:
    """The SVG's width and height in cm."""
    root = ET.fromstring(svg)
    width, height = (float(root.get(k, "").removesuffix("pt")) for k in ("width", "height"))
    return width / 72 * 2.54, height / 72 * 2.54


def test_svg_is_a_column_wide_and_a_third_of_a_page_high(deployed: EstimateGroup) -> None:
    """15 cm wide (the PDF's column, so it is placed unscaled); with its key, under 6.5 cm,
    so that with its caption it takes about a third of an A4 text column; a chart of two
    marks is lower than one of five."""
    width, height = svg_cm(charts.chart_svg(deployed))
    assert width == pytest.approx(15, abs=0.01)
    assert 4.5 <= height <= 6.5
    two = EstimateGroup("T", (row("100", "A", "2025-01-01"), row("200", "B", "2025-01-09")))
    five = EstimateGroup("T", tuple(row(f"{n}00", f"E{n}", f"2025-01-0{n}") for n in range(1, 6)))
    assert svg_cm(charts.chart_svg(two))[1] < svg_cm(charts.chart_svg(five))[1] <= 6.5


def test_svg_labels_every_date(deployed: EstimateGroup) -> None:
    """Two dates 11 days apart do not fit on one line of tick labels; both still show."""
    texts = svg_texts(charts.chart_svg(deployed))
    for date in ("30 Oct 2024", "Oct 2024", "13 Jan 2025"):
        assert date in texts


def test_long_estimators_are_shortened_and_wrapped(deployed: EstimateGroup) -> None:
    long = "US, South Korean and Ukrainian intelligence (implied)"
    rows = tuple(
        dataclasses.replace(r, estimator=long) if r.estimator.startswith("Not named") else r
        for r in deployed.rows
    )
    texts = "\n".join(svg_texts(charts.chart_svg(dataclasses.replace(deployed, rows=rows))))
    assert "US Defense Secretary Lloyd" in texts
    assert "Ukrainian intelligence" in texts and "(implied)" in texts  # wrapped, not cut
    assert "…" not in texts
    assert all(len(line) <= charts.LABEL_WIDTH for line in texts.split("\n"))


def test_png_decodes_at_the_requested_resolution(deployed: EstimateGroup) -> None:
    png = charts.chart_png(deployed)
    width, height = png_size(png)
    high = svg_cm(charts.chart_svg(deployed))[1] / 2.54
    assert (width, height) == (int(16 / 2.54 * 200), int(high * 200))  # 1259 × …
    assert len(png_pixels(png)) > width * height  # RGBA rows, each with a filter byte
    assert png_size(charts.chart_png(deployed, dpi=100)) == (629, int(high * 100))


def test_output_is_deterministic(casualties: EstimateGroup) -> None:
    assert charts.chart_svg(casualties) == charts.chart_svg(casualties)
    assert charts.chart_png(casualties) == charts.chart_png(casualties)
    assert "<dc:date>" not in charts.chart_svg(casualties)


def test_unit_labels_the_y_axis() -> None:
    group = EstimateGroup(
        "Pay",
        (
            row("at least $200 million", "Wi Sung-lac, member of a committee", "2024-11-07",
                unit="USD a year"),
            row("$150 million to $300 million", "Researchers", "2024-12-01", unit="USD a year"),
        ),
    )  # fmt: skip
    texts = svg_texts(charts.chart_svg(group))
    assert "USD a year" in texts
    assert "300,000,000" in texts
    assert "Wi Sung-lac" in "\n".join(texts)
    assert "member of a committee" not in "\n".join(texts)


def test_explicit_bounds_in_the_reading_win_over_the_text() -> None:
    """Rows keep explicit low/high only in `reading`; the chart must plot those."""
    group = EstimateGroup(
        "Casualties",
        (
            row("300 dead and 2,700 wounded", "NIS", "2025-01-13", reading="3,000"),
            row("about 11", "B", "2025-01-14", reading="10–12"),
        ),
    )
    assert charts.wants_chart(group)
    texts = "\n".join(svg_texts(charts.chart_svg(group)))
    assert "3,000\nNIS" in texts
    assert "10–12" in texts


def test_unparseable_rows_do_not_crash() -> None:
    group = EstimateGroup(
        "Troops", (row("many", "A", "2025-01-01"), row("a lot", "B", "2025-01-05"))
    )
    assert not charts.wants_chart(group)
    root = ET.fromstring(charts.chart_svg(group))
    assert root.tag == f"{SVG_NS}svg"
    assert png_size(charts.chart_png(group))[0] > 0
    assert charts.alt_text(group) == (
        "Chart of estimates of Troops: none of them could be plotted."
    )


def test_unparseable_rows_are_left_out() -> None:
    group = EstimateGroup(
        "Troops",
        (
            row("about 100", "Alpha", "2025-01-01"),
            row("many", "Beta", "2025-01-02"),
            row("up to 300", "Gamma", "2025-01-03"),
        ),
    )
    texts = "\n".join(svg_texts(charts.chart_svg(group)))
    assert "Alpha" in texts and "Gamma" in texts and "Beta" not in texts
    assert "Beta" not in charts.alt_text(group)


def test_alt_text(groups: dict[str, EstimateGroup], casualties: EstimateGroup) -> None:
    assert charts.alt_text(groups["North Korean troops killed"]) == (
        "Chart of 2 estimates of North Korean troops killed, 19 Dec 2024 to 13 Jan 2025: "
        "at least 100 (Unnamed South Korean lawmaker), "
        "about 300 (South Korea’s National Intelligence Service (NIS))."
    )
    text = charts.alt_text(casualties)
    assert text.startswith(
        "Chart of 3 estimates of North Korean casualties (killed and wounded), Jan 2025 to "
        "24 Jan 2025:"
    )
    assert "could reach 4,000 (Ukrainian President Volodymyr Zelensky)" in text
    assert text.endswith(".")
    assert "(USD a month)" in charts.alt_text(groups["Pay per soldier"])


def test_short_estimator_keeps_lists_whole() -> None:
    assert charts.short_estimator("Wi Sung-lac, member of the committee") == "Wi Sung-lac"
    assert charts.short_estimator("US, South Korean and Ukrainian intelligence") == (
        "US, South Korean and Ukrainian intelligence"
    )


def test_all_estimates_on_one_date_still_chart() -> None:
    names = [f"Estimator {letter} of the ministry" for letter in "ABCDE"]
    readings = ["about 11,000", "10,000 to 12,000", "more than 12,000", "up to 15,000", "11,500"]
    group = EstimateGroup(
        "Troops", tuple(row(r, n, "2025-01-24") for r, n in zip(readings, names, strict=True))
    )
    texts = svg_texts(charts.chart_svg(group))
    assert sum(t == "24 Jan 2025" for t in texts) == 1
    for name in names:
        assert name in "\n".join(texts)


def test_import_does_not_import_matplotlib() -> None:
    code = "import briefgen.render.charts, sys; assert 'matplotlib' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO)


def test_charts_do_not_use_pyplot() -> None:
    code = (
        "import sys; from pathlib import Path; from briefgen import pipeline; "
        "from briefgen.render import charts; "
        "(v,) = pipeline.check([Path('sources/nk-russia/2025-W04.yaml')]); "
        "g = pipeline.brief_of(v).estimates[0]; charts.chart_svg(g); charts.chart_png(g); "
        "assert 'matplotlib' in sys.modules and 'matplotlib.pyplot' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO)


def test_charts_restore_matplotlib_settings(casualties: EstimateGroup) -> None:
    import matplotlib

    before = dict(matplotlib.rcParams)
    charts.chart_svg(casualties)
    charts.chart_png(casualties, dpi=50)
    assert dict(matplotlib.rcParams) == before


def test_sample_charts_render(groups: dict[str, EstimateGroup], tmp_path: Path) -> None:
    for i, group in enumerate(g for g in groups.values() if charts.wants_chart(g)):
        (tmp_path / f"{i}.png").write_bytes(charts.chart_png(group, dpi=72))
        assert png_size((tmp_path / f"{i}.png").read_bytes())[0] == int(16 / 2.54 * 72)


# --- issue 14: the key, the body face, one unit, nothing cut --------------------------------


def svg_text_families(svg: str) -> list[str]:
    return [node.get("font-family", "") for node in ET.fromstring(svg).iter(f"{SVG_NS}text")]


def parsed_row(text: str, estimator: str, as_of: str, unit: str | None = None) -> EstimateRow:
    """A row as assemble makes it: with its exact reading."""
    from briefgen.estimates import parse_estimate, reading

    found = parse_estimate(text)
    when = parse_when(as_of if len(as_of) != 10 else dt.date.fromisoformat(as_of))
    return EstimateRow(text, REFS, estimator=estimator, as_of=when, reading=reading(found),
                       unit=unit, parsed=found)  # fmt: skip


KEY = {
    "estimate": ("100", "2025-01-06"),
    "approximate (≈)": ("about 200", "2025-01-07"),
    "range": ("150 to 250", "2025-01-08"),
    "open end (or more)": ("more than 120", "2025-01-09"),
    "upper bound (up to)": ("up to 400", "2025-01-10"),
    "high-end figure": ("could reach 500", "2025-01-11"),
    "as-of span": ("300", "2024-12"),
    "“by” date": ("250", "..2025-01-12"),
}
"""Each key entry and an estimate that needs it (and no other entry but `estimate`'s
date kinds: every as-of here is a day unless the entry is about dates)."""


@pytest.mark.parametrize("entry", list(KEY))
def test_the_key_shows_the_kinds_of_mark_drawn_and_no_other(entry: str) -> None:
    text, as_of = KEY[entry]
    base = parsed_row("210", "Base", "2025-01-05")
    group = EstimateGroup("Troops", (base, parsed_row(text, "Other", as_of)))
    texts = set(svg_texts(charts.chart_svg(group)))
    expected = {"estimate", entry}
    assert texts & set(KEY) == expected
    assert "inferred date" not in texts


def test_the_key_names_an_inferred_date_and_an_open_topped_range() -> None:
    inferred = parsed_row("4,000–10,000+", "HUR", "2025-01-10")
    inferred = dataclasses.replace(inferred, as_of=inferred.as_of.with_inferred("undated"))
    group = EstimateGroup("Troops", (inferred, parsed_row("about 5,000", "B", "2025-01-12")))
    texts = set(svg_texts(charts.chart_svg(group)))
    assert {"range", "open end (or more)", "approximate (≈)", "inferred date"} <= texts
    assert "4,000–10,000+" in "\n".join(svg_texts(charts.chart_svg(group)))
    assert "10 Jan 2025*" in texts


def test_every_chart_text_is_in_the_body_face(deployed: EstimateGroup) -> None:
    """brief.css sets the body in --serif; the chart lists the same Briefgen families in
    the same order, without spaces after the commas (WeasyPrint's SVG quirk)."""
    css = (REPO / "templates" / "brief.css").read_text(encoding="utf-8")
    serif = css.split("--serif:", 1)[1].split(";", 1)[0]
    families = [f.strip().strip('"') for f in serif.split(",") if "Briefgen" in f]
    expected = ",".join(f"'{f}'" for f in families)
    faces = svg_text_families(charts.chart_svg(deployed))
    assert faces and all(face == expected for face in faces)


def pair(quantity: str, a: tuple[str, str | None], b: tuple[str, str | None]) -> EstimateGroup:
    """Two estimates by different estimators a few days apart: (text, unit) each."""
    rows = (parsed_row(a[0], "A", "2025-01-05", a[1]), parsed_row(b[0], "B", "2025-01-09", b[1]))
    return EstimateGroup(quantity, rows)


def test_one_unit_labels_the_axis_and_mixed_units_get_no_chart() -> None:
    month = "USD a month"
    pay = pair("Pay", ("$2,000", month), ("$2,500", month))
    texts = svg_texts(charts.chart_svg(pay))
    assert texts.count("USD a month") == 1
    share = pair("Share", ("33.5 per cent", None), ("about 30%", None))
    assert svg_texts(charts.chart_svg(share)).count("per cent") == 1
    mixed = pair("Toll", ("3,000", None), ("4 per cent", None))
    assert not charts.wants_chart(mixed)
    named = pair("Toll", ("3,000", "deaths"), ("4,000", "people"))
    assert charts.wants_chart(pair("Toll", ("3,000", "deaths"), ("4,000", None)))
    assert not charts.wants_chart(named)
    assert charts.charts_for([mixed, named, pay], svg=True, png=False) != []
    assert [c.group for c in charts.charts_for([mixed, named], svg=True, png=False)] == []


LONG_NAME = (
    "The Joint Chiefs of Staff of the Republic of Korea and the National Intelligence "
    "Service, jointly"
)


def test_a_ninety_character_estimator_is_wrapped_whole() -> None:
    assert len(LONG_NAME) >= 90
    group = EstimateGroup(
        "Troops",
        (
            parsed_row("about 300", LONG_NAME, "2025-01-13"),
            parsed_row("at least 100", "Lawmaker", "2024-12-19"),
        ),
    )
    texts = "\n".join(svg_texts(charts.chart_svg(group)))
    assert "…" not in texts
    for word in charts.short_estimator(LONG_NAME).split():  # ", jointly" is a role clause
        assert word in texts
    crowded = EstimateGroup(
        "Troops",
        tuple(parsed_row(f"{n}00", f"{LONG_NAME} {n}", "2025-01-13") for n in range(1, 7)),
    )
    assert "…" not in "\n".join(svg_texts(charts.chart_svg(crowded)))


def test_mark_label_never_cuts() -> None:
    name = "Supercalifragilisticexpialidocious-and-more-words Ministry of Defence"
    label = charts.mark_label(name, 20)
    assert "…" not in label
    assert all(len(line) <= 20 for line in label.split("\n"))  # a long word broken, not cut
    assert label.split() == [
        "Supercalifragilistic",
        "expialidocious-and-m",
        "ore-words",
        "Ministry",
        "of",
        "Defence",
    ]


def test_svg_styles_as_attributes_draw_the_same_pdf(casualties: EstimateGroup) -> None:
    """chart_svg writes matplotlib's style attributes and its one stylesheet rule as
    presentation attributes (cheaper for WeasyPrint to read): rendered, the PDF is the
    same, byte for byte, as from matplotlib's own SVG."""
    import base64
    import io

    from briefgen.render.charts.draw import render
    from briefgen.render.charts.style import PDF_WIDTH
    from briefgen.render.pdf import VARIANT, warm_up
    from briefgen.render.weasy import fonttools_subsetting, load_weasyprint, source_date

    buffer = io.StringIO()
    render(casualties, buffer, PDF_WIDTH, format="svg", metadata={"Date": None})
    own = buffer.getvalue().replace("', '", "','")
    ours = charts.chart_svg(casualties)
    assert ' style="' in own and "<style" in own
    assert ' style="' not in ours and "<style" not in ours
    assert charts.presentation_attributes(ours) == ours

    warm_up()
    weasyprint = load_weasyprint()

    def pdf(svg: str) -> bytes:
        uri = "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
        html = f'<p style="font-family: Briefgen Serif">Chart</p><img src="{uri}">'
        with source_date("2025-01-24"), fonttools_subsetting():
            data = weasyprint.HTML(string=html).write_pdf(pdf_tags=True, pdf_variant=VARIANT)
        assert isinstance(data, bytes)
        return data

    assert pdf(ours) == pdf(own)
    assert "US estimates" in pdf_text(pdf(ours))


def test_a_style_with_a_property_svg_takes_only_as_css_stays() -> None:
    svg = '<svg x="1"><path style="fill: #fff; stroke: red"/><g style="filter: blur(2px)"/>'
    assert charts.presentation_attributes(svg) == (
        '<svg x="1"><path fill="#fff" stroke="red"/><g style="filter: blur(2px)"/>'
    )

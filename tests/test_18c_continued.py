"""Continued quantities in the estimates table (issue 18), read back from the PDF: every
page that holds estimate rows shows the column heads and the label of the quantity its
first row belongs to, with "(cont.)" where that quantity began on an earlier page. The
PDF is rendered as render/pdf.py does, with paginate.settle after the first layout."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_pagination import SIZES, Line, generated, page_lines, problems

from briefgen import pipeline
from briefgen.render import paginate, pdf
from briefgen.render.fetcher import fetcher_class
from conftest import REPO

CONT = " (cont.)"
ROOTS = [REPO / "templates"]


def render(html: str, out: Path) -> tuple[Path, bool]:
    """The PDF of `html` and whether a second layout was made."""
    import weasyprint

    document = weasyprint.HTML(
        string=html, base_url=ROOTS[0].as_uri() + "/", url_fetcher=fetcher_class()(ROOTS)
    )
    first = document.render(font_config=pdf._font_config(ROOTS), pdf_tags=True)
    laid_out = paginate.settle(html, document, first)
    out.write_bytes(laid_out.write_pdf(pdf_tags=True))
    return out, laid_out is not first


def html_of(edition: Path, out: Path) -> str:
    options = pipeline.BuildOptions(output=out, formats=["html"], force=True, charts=False)
    (written,) = pipeline.build([edition], options).written
    return written.read_text(encoding="utf-8")


def is_label(line: Line) -> bool:
    """A quantity's label: sans, at the table's 8.9 pt (its band is 8.4 pt, the column
    heads are in capitals, headings are 12 pt and up)."""
    size = max(c.size for c in line.chunks)
    return line.all_sans and 8.6 < size < 11 and not line.text.startswith("ESTIMATE")


def broken_promises(path: Path) -> list[str]:
    """Each page with estimate rows: the column heads and the label above its first row,
    "(cont.)" on a quantity seen on an earlier page."""
    found, seen = [], set()
    for number, lines in enumerate(page_lines(path), start=1):
        heads = label = False
        for line in lines:
            text = line.text
            heads |= text.startswith("ESTIMATE") and line.all_sans
            if is_label(line):
                label, quantity = True, text.replace(CONT, "")
                if (quantity in seen) != (CONT in text):
                    found.append(f"page {number}: {text!r} (seen before: {quantity in seen})")
                seen.add(quantity)
            elif line.columns >= 3 and not line.all_sans and not (heads and label):
                found.append(f"page {number}: a row without column heads and label: {text!r}")
                break
    return found


def test_generated_briefs_label_every_page_of_estimates(edition: Path, tmp_path: Path) -> None:
    relaid = 0
    for lines, groups, rows in [*SIZES, (10, 3, 17), (7, 2, 25)]:
        out = tmp_path / f"{lines}-{groups}-{rows}"
        html = html_of(generated(edition, lines, groups, rows), out)
        path, again = render(html, out / "brief.pdf")
        assert broken_promises(path) == [], (lines, groups, rows)
        assert problems(path) == [], (lines, groups, rows)
        relaid += again
    assert relaid  # some sizes needed the second pass (the 40-row quantity does)


@pytest.mark.parametrize("name", ["2025-W04", "2025-W08"])
def test_the_samples_show_the_column_heads_on_every_page_of_estimates(
    name: str, tmp_path: Path
) -> None:
    """Both samples have a later quantity at the top of a page: its table carries the
    column heads as every quantity's does, so no quantity splits and one layout does."""
    html = html_of(REPO / "sources" / "nk-russia" / f"{name}.yaml", tmp_path)
    path, again = render(html, tmp_path / "brief.pdf")
    assert broken_promises(path) == [] and problems(path) == []
    assert not again


def test_estimates_on_one_page_are_laid_out_once(edition: Path, tmp_path: Path) -> None:
    html = html_of(generated(edition, 6, 2, 2), tmp_path)
    path, again = render(html, tmp_path / "brief.pdf")
    assert not again and broken_promises(path) == []


def test_the_continuation_is_split_where_the_page_broke() -> None:
    html = (
        '<tr class="columns"><th>E</th></tr>'
        '<table class="estimates first" data-group="0"><colgroup></colgroup><thead>'
        '<tr class="quantity"><th colspan="5">Troops <span class="band">1</span></th></tr>'
        '</thead><tbody class="group"><tr data-row="0-0"></tr><tr data-row="0-1"></tr>'
        "</tbody></table>"
        '<table class="estimates" data-group="1"><thead><tr class="quantity"><th>B</th></tr>'
    )
    out = paginate.edited(html, paginate.Fixes(heads={1}, splits={(0, 1)}))
    assert '<table class="estimates top" data-group="1"><thead><tr class="columns">' in out
    assert (
        '</tbody></table><table class="estimates cont top" data-cont="0"><colgroup></colgroup>'
        '<thead><tr class="columns"><th>E</th></tr><tr class="quantity"><th colspan="5">Troops '
        '<span class="cont"> (cont.)</span><span class="band">1</span></th></tr></thead>'
        '<tbody class="group"><tr data-row="0-1">'
    ) in out

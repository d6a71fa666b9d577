"""Charts in the briefs: drawn when there is something to show, off on request, lazy."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn
from pypdf import PdfReader

from briefgen import pipeline
from conftest import REPO

W04 = REPO / "sources" / "nk-russia" / "2025-W04.yaml"


def build(tmp_path: Path, **options: object) -> dict[str, Path]:
    result = pipeline.build([W04], pipeline.BuildOptions(output=tmp_path, **options))
    return {path.suffix: path for path in result.written}


def vector_forms(pdf: Path) -> int:
    """Charts arrive as SVG, which WeasyPrint draws as vector content in Form XObjects."""
    count = 0
    for page in PdfReader(pdf).pages:
        for obj in page["/Resources"].get("/XObject", {}).values():
            count += obj.get_object().get("/Subtype") == "/Form"
    return count


def test_pdf_and_docx_carry_a_chart_per_disputed_quantity(tmp_path: Path) -> None:
    files = build(tmp_path, formats=["pdf", "docx", "html"])
    html = files[".html"].read_text(encoding="utf-8")
    assert html.count('<figure class="chart">') == 3  # W04: three quantities with 2+ estimates
    assert 'alt="Chart of 3 estimates of North Korean troops deployed to Russia' in html
    assert vector_forms(files[".pdf"]) >= 3
    text = " ".join(page.extract_text() for page in PdfReader(files[".pdf"]).pages)
    flat = " ".join(text.replace("fig‐\nures", "figures").split())
    assert "Figure 1. Three estimators put North Korean troops deployed to Russia at" in flat
    assert "Western intelligence" in text  # chart labels stay text, not outlines
    document = Document(str(files[".docx"]))
    pictures = list(document.element.body.iter(qn("wp:inline")))
    assert len(pictures) == 3
    alts = [p.find(qn("wp:docPr")).get("descr") for p in pictures]
    assert alts[0].startswith("Chart of 3 estimates of North Korean troops deployed to Russia")
    captions = [p.text for p in document.paragraphs if p.text.startswith("Figure ")]
    assert captions[0].startswith("Figure 1. Three estimators put North Korean troops deployed")
    assert all(c.endswith("]") or c.endswith("]†") for c in captions)


def test_no_charts_option(tmp_path: Path) -> None:
    files = build(tmp_path, formats=["docx", "html"], charts=False)
    assert "<figure" not in files[".html"].read_text(encoding="utf-8")
    assert not list(Document(str(files[".docx"])).element.body.iter(qn("wp:inline")))


def test_check_and_a_chartless_build_never_import_matplotlib(tmp_path: Path) -> None:
    out = str(tmp_path)
    script = (
        "import sys; from pathlib import Path; from briefgen import pipeline\n"
        f"pipeline.check([Path({str(W04)!r})])\n"
        f"options = pipeline.BuildOptions(output=Path({out!r}), formats=['html'], charts=False)\n"
        f"pipeline.build([Path({str(W04)!r})], options)\n"
        "assert 'matplotlib' not in sys.modules, 'matplotlib was imported'\n"
        "assert 'weasyprint' not in sys.modules and 'docxtpl' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True)


def test_check_diff_and_help_import_no_engine() -> None:
    """`check`, `diff` and `--help` stay fast: no WeasyPrint, docxtpl, matplotlib or Jinja,
    and no importlib.metadata, which pydantic's plugin loader imports (20 ms) to look
    for plugins that are off: the CLI's stand-in loads none, as pydantic's loader does."""
    script = (
        "import sys; from click.testing import CliRunner; from briefgen.cli import main\n"
        f"for args in (['--help'], ['check', {str(W04)!r}],"
        f" ['diff', {str(W04.parent)!r}]):\n"
        "    assert CliRunner().invoke(main, args).exit_code == 0, args\n"
        "heavy = {'weasyprint', 'docxtpl', 'matplotlib', 'jinja2', 'smtplib',\n"
        "         'importlib.metadata'} & set(sys.modules)\n"
        "assert not heavy, heavy\n"
        "from pydantic.plugin._loader import get_plugins\n"
        "assert tuple(get_plugins()) == ()\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True)


def chart_runs(pdf: Path) -> list[tuple[str, str, float]]:
    """(text, font, size) of every text run the PDF draws in a chart: its ticks, labels
    and key. WeasyPrint sets HTML text under a px-to-pt scale (0.75) and an SVG's text in
    the SVG's own units: the runs not under that scale are the charts'."""
    runs: list[tuple[str, str, float]] = []

    def visit(text: str, cm: list[float], tm: object, font: dict | None, size: float) -> None:
        if text.strip() and font and abs(abs(cm[0]) - 0.75) > 0.01:
            runs.append((text.strip(), str(font.get("/BaseFont")), size))

    for page in PdfReader(pdf).pages:
        page.extract_text(visitor_text=visit)
    return runs


def test_pdf_charts_are_in_the_body_face_with_a_key_and_nothing_cut(tmp_path: Path) -> None:
    """Read back from the PDF: the chart text is set in the body serif (the ≈ from the
    math face), the key names the marks drawn, and no label ends in an ellipsis."""
    runs = chart_runs(build(tmp_path, formats=["pdf"])[".pdf"])
    texts = " ".join(text for text, _, _ in runs)
    assert "Western intelligence" in texts and "open end (or more)" in texts
    assert "high-end figure" in texts and "“by” date" in texts and "as-of span" in texts
    assert "upper bound" not in texts  # W04 has no `up to` figure
    assert "…" not in texts
    fonts = {font.split("+")[-1] for text, font, _ in runs if text != "≈"}
    assert fonts <= {"Briefgen-Serif", "Briefgen-Math"} and "Briefgen-Serif" in fonts


def test_the_sample_captions_state_findings_and_differ_nowhere(tmp_path: Path) -> None:
    html = build(tmp_path, formats=["html"])[".html"].read_text(encoding="utf-8")
    captions = [part.split("</figcaption>")[0] for part in html.split("<figcaption>")[1:]]
    captions = [re.sub(r"<[^>]*>", "", c) for c in captions]  # the words, not the markup
    assert len(captions) == 3
    assert "their figures are consistent" in captions[1]
    assert "none contradicts another" in captions[0]  # W04's troop figures: dates apart
    assert all("estimates differ" not in c.casefold() for c in captions)

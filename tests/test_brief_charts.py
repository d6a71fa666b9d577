"""Charts in the briefs: drawn when there is something to show, off on request, lazy."""

from __future__ import annotations

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
    assert "Figure 1. North Korean troops deployed to Russia: every estimate" in text
    assert "Western intelligence" in text  # chart labels stay text, not outlines
    document = Document(str(files[".docx"]))
    pictures = list(document.element.body.iter(qn("wp:inline")))
    assert len(pictures) == 3
    alts = [p.find(qn("wp:docPr")).get("descr") for p in pictures]
    assert alts[0].startswith("Chart of 3 estimates of North Korean troops deployed to Russia")
    captions = [p.text for p in document.paragraphs if p.text.startswith("Figure ")]
    assert captions[0].startswith("Figure 1. North Korean troops deployed to Russia")
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
    """`check`, `diff` and `--help` stay fast: no WeasyPrint, docxtpl, matplotlib or Jinja."""
    script = (
        "import sys; from click.testing import CliRunner; from briefgen.cli import main\n"
        f"for args in (['--help'], ['check', {str(W04)!r}],"
        f" ['diff', {str(W04.parent)!r}]):\n"
        "    assert CliRunner().invoke(main, args).exit_code == 0, args\n"
        "heavy = {'weasyprint', 'docxtpl', 'matplotlib', 'jinja2', 'smtplib'} & set(sys.modules)\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True)

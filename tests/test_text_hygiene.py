"""Text hygiene: bidi controls must be balanced, every field is isolated in every format,
and fields, source texts and addresses have caps whose messages name their setting.

Each rendering test reads the real output back: pypdf for the PDF, python-docx for the
DOCX (run by run), the parsed HTML.
"""

from __future__ import annotations

import dataclasses
import io
import os
import re
import tracemalloc
from pathlib import Path

import pytest
import tinyhtml5
from docx import Document

from briefgen import pipeline
from briefgen.bidi import FSI, PDI, finalize, isolate, needs_isolation, unbalanced
from briefgen.errors import InvalidNotes
from briefgen.render.html import render_html
from briefgen.render.pdf import html_to_pdf
from briefgen.templating import environment
from conftest import edit, pdf_text

NS = "{http://www.w3.org/1999/xhtml}"
RLE, RLO, LRI, RLI, PDF_, PDI_ = "\u202b", "\u202e", "\u2066", "\u2067", "\u202c", "\u2069"
ARABIC = "كوريا الشمالية"
SITUATION = (
    "  - text: Zelensky said Ukraine is ready to exchange two captured North Korean soldiers\n"
    "      for Ukrainian prisoners held in Russia.\n"
    "    cite:\n"
    "      - source: reaction-2025-01-13\n"
    '        quote: "ready to exchange two captured North Korean soldiers"\n'
)
LINE = f"The minister said {RLE}{ARABIC}{PDF_} would send 12,000 troops."


def situation(edition: Path, text: str) -> None:
    """Make the situation's one line `text`, cited to both sources (markers `[1, 2]`)."""
    quoted = text.replace("\\", "\\\\").replace('"', '\\"')
    edit(edition, SITUATION, f'  - text: "{quoted}"\n    cite: [reaction-2025-01-13, desk-memo]\n')


def problems(edition: Path) -> list[str]:
    with pytest.raises(InvalidNotes) as info:
        pipeline.check([edition])
    return [str(p) for p in info.value.problems]


# --- balance ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "plain",
        f"a {RLE}b{PDF_} c",
        f"{RLO}gnp.exe{PDF_}",
        f"{LRI}a {RLE}b{PDF_}{PDI_}",
        "\u200fRLM and \u061c ALM are marks",
    ],
)
def test_balanced_controls_pass(text: str) -> None:
    assert unbalanced(text) is None


@pytest.mark.parametrize(
    ("text", "says"),
    [
        (f"12,000 {RLO}troops", "U+202E (RIGHT-TO-LEFT OVERRIDE) at character 8 that is never"),
        (f"a {PDF_} b", "closes nothing"),
        (f"{RLI}a{PDF_}{PDI_}", "close controls in the reverse order"),
        (f"{LRI}{RLE}a{PDI_}{PDF_}", "close controls in the reverse order"),
        (f"{RLI}isolate left open", "close it with U+2069"),
    ],
)
def test_unbalanced_controls_are_named(text: str, says: str) -> None:
    problem = unbalanced(text)
    assert problem is not None and says in problem


def test_an_unclosed_override_in_a_situation_line_is_refused(edition: Path) -> None:
    situation(edition, f"Sanctions {RLO}12,000 troops")
    (problem,) = problems(edition)
    assert problem.startswith("sources/demo/2025-W03.yaml:14: situation[0].text: has U+202E")
    assert "never closed" in problem


def test_isolation_only_where_text_could_reorder() -> None:
    assert not needs_isolation("Plain English, “quoted” – 12,000 €")
    assert isolate("English") == "English"
    assert isolate(ARABIC) == f"{FSI}{ARABIC}{PDI}"
    assert isolate(f"a {RLE}b{PDF_}") == f"{FSI}a {RLE}b{PDF_}{PDI}"
    assert isolate(isolate(ARABIC)) == isolate(ARABIC)
    assert finalize(12) == 12


# --- every format keeps the markers after the text, in order ---------------------------


def test_a_balanced_arabic_phrase_keeps_the_markers_after_it(
    edition: Path, workspace: Path
) -> None:
    situation(edition, LINE)
    options = pipeline.BuildOptions(output=workspace / "out", formats=["pdf", "docx", "html"])
    result = pipeline.build([edition], options)
    files = {path.suffix: path for path in result.written}

    text = " ".join(pdf_text(files[".pdf"]).split())
    assert re.search(r"The minister said .+ would send 12,000 troops\. \[1, 2\]", text), text
    assert ARABIC in text or ARABIC[::-1] in text

    html = tinyhtml5.parse(files[".html"].read_text(encoding="utf-8"))
    section = next(el for el in html.iter() if el.get("id") == "situation")
    (item,) = section.iter(f"{NS}li")
    assert " ".join("".join(item.itertext()).split()) == f"{FSI}{LINE}{PDI} [1, 2]"

    document = Document(io.BytesIO(files[".docx"].read_bytes()))
    (paragraph,) = [p for p in document.paragraphs if "The minister said" in p.text]
    runs = [run.text for run in paragraph.iter_inner_content() if hasattr(run, "text")]
    joined = "".join(runs)
    assert joined.startswith(f"{FSI}{LINE}{PDI}"), runs
    assert joined.endswith("[1, 2]"), runs
    assert runs.index("1") < runs.index("2")


def test_an_unclosed_override_cannot_move_the_markers_even_past_validation(
    edition: Path,
) -> None:
    """Isolation holds on its own: a field the checks somehow let through with an open
    U+202E still reorders only itself, in the PDF made from the HTML."""
    (valid,) = pipeline.check([edition])
    brief = pipeline.brief_of(valid)
    item = dataclasses.replace(brief.situation[0], text=f"Sanctions {RLO}12,000 troops")
    brief = dataclasses.replace(brief, situation=(item,))
    html = render_html(brief, environment())
    assert f"{FSI}Sanctions {RLO}12,000 troops{PDI}" in html
    rendered = html_to_pdf(html, base_url=edition.parent, roots=[edition.parent])
    text = " ".join(pdf_text(rendered.pdf).split())
    assert "Sanctions spoort 000,21 [1]" in text, text


# --- caps --------------------------------------------------------------------------------


def test_a_field_over_the_cap_names_the_setting(edition: Path, workspace: Path) -> None:
    situation(edition, "word " * 1_100)
    (problem,) = problems(edition)
    assert "situation[0].text: is 5,500 characters long; the cap is 5,000" in problem
    assert "[notes] max_field_chars in briefgen.toml raises it" in problem
    (workspace / "briefgen.toml").write_text("[notes]\nmax_field_chars = 6000\n")
    (valid,) = pipeline.check([edition])
    assert valid.edition.situation[0].text.startswith("word word")


def test_a_huge_source_text_is_refused_unread(edition: Path, workspace: Path) -> None:
    """100 MB (sparse: no disk used) is refused by its size, before a byte is read."""
    text = edition.parent / "texts" / "reaction.txt"
    with text.open("r+b") as file:
        file.truncate(100_000_000)
    tracemalloc.start()
    try:
        found = problems(edition)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20_000_000, f"{peak:,} bytes allocated: the text was read"
    assert any(
        "sources.yaml:9: [0].text: 'texts/reaction.txt' is 100.0 MB; the cap on a source "
        "text is 20 MB ([notes] max_text_mb in briefgen.toml raises it)" in p
        for p in found
    ), found


def test_a_source_text_can_be_raised_past_the_cap(edition: Path, workspace: Path) -> None:
    text = edition.parent / "texts" / "reaction.txt"
    text.write_text(text.read_text(encoding="utf-8") + " padding" * 300_000, encoding="utf-8")
    assert any("max_text_mb" in p for p in problems_with(workspace, edition, 2))
    (workspace / "briefgen.toml").write_text("[notes]\nmax_text_mb = 3\n")
    pipeline.check([edition])


def problems_with(workspace: Path, edition: Path, cap_mb: float) -> list[str]:
    (workspace / "briefgen.toml").write_text(f"[notes]\nmax_text_mb = {cap_mb}\n")
    return problems(edition)


def test_a_source_text_that_is_a_fifo_is_refused_without_blocking(edition: Path) -> None:
    pipe = edition.parent / "texts" / "pipe.txt"
    os.mkfifo(pipe)
    edit(edition.parent / "sources.yaml", "text: texts/reaction.txt", "text: texts/pipe.txt")
    (problem,) = problems(edition)
    assert "sources.yaml:9" in problem

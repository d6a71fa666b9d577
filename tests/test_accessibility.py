"""The PDF brief is accessible (issue 18): PDF/UA-1, checked on the sample briefs as built.

Two layers of checks, on the finished PDF (ledger attached):

1. The PDF/UA checker `pdfua` from PyPI (pikepdf-based; veraPDF cannot be had here): its
   12 checks of 16 machine-checkable PDF/UA-1 rules must report nothing: structure tree
   (01-005), MarkInfo (01-002), content tagged or artifact (01-003), language (06-001),
   figure alt text (13-004), table structure and header scope (15-003), link and
   annotation descriptions (18-005, 18-001), non-empty headings (14-001, which pdfua
   0.1.3 crashes on for WeasyPrint's heading arrays and skips: checked here instead),
   title (07-001), DisplayDocTitle (07-002), PDF/UA identification in XMP (28-004).
2. Our own checks, stricter than pdfua's where it stops short (read with pikepdf):
   every marked content reached from the structure tree or an artifact (pdfua's 01-003
   accepts an MCID the tree never reaches, which is how WeasyPrint leaves the running
   header and footer); the running header and footer as /Pagination artifacts; every
   /TH scoped; every /Figure with alt text; headings non-empty and never skipping a
   level; XMP with dc:title, pdfuaid:part 1 and PDF/A-3 level A side by side.

Not checked (no tool here): font embedding details (7.21: CIDSet, widths), colour
contrast, reading order against the visual order, natural-language changes inside text
(7.2 /Lang on spans), the meaning of the alt texts and of the link descriptions.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pikepdf
import pytest

from briefgen import pipeline
from briefgen.render.pdfua import tagged_content
from conftest import REPO

pdfua = pytest.importorskip("pdfua", reason="the PDF/UA checker (pip install pdfua)")

SAMPLES = sorted((REPO / "sources" / "nk-russia").glob("20*.yaml"))
PDFUA_BUG = {"UA-14-001"}
"""pdfua 0.1.3 raises on a heading whose /K is an array (WeasyPrint's); checked below."""


@pytest.fixture(scope="module")
def briefs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The first and last sample editions as PDFs, built once for the module."""
    out = tmp_path_factory.mktemp("pdf")
    chosen = [SAMPLES[0], SAMPLES[-1]]
    result = pipeline.build(chosen, pipeline.BuildOptions(output=out, formats=["pdf"]))
    return {path.stem: path for path in result.written}


def each(briefs: dict[str, Path]) -> list[Path]:
    assert len(briefs) == 2
    return list(briefs.values())


def test_the_pdfua_checker_finds_nothing(briefs: dict[str, Path]) -> None:
    for path in each(briefs):
        report = pdfua.validate(str(path))
        assert [(f.rule_id, f.message) for f in report.findings] == [], path.name
        ran = {outcome.rule_id for outcome in report.outcomes}
        skipped = {outcome.rule_id for outcome in report.skipped}
        assert skipped <= PDFUA_BUG, skipped
        assert len(ran - skipped) >= 11  # the checker really ran its checks


def structure(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    """Every structure element, in tree order."""
    found, stack, seen = [], [pdf.Root.StructTreeRoot], set()
    while stack:
        node = stack.pop(0)
        if not isinstance(node, pikepdf.Dictionary) or node.get("/Type") in ("/MCR", "/OBJR"):
            continue
        if node.is_indirect and node.objgen in seen:
            continue
        seen.add(node.objgen)
        if "/S" in node:
            found.append(node)
        kids = node.get("/K")
        stack[:0] = list(kids) if isinstance(kids, pikepdf.Array) else [kids] if kids else []
    return found


def marked_content(page: pikepdf.Page) -> list[tuple[str, pikepdf.Object, str]]:
    """(tag, properties, text shown inside) of each outermost marked-content sequence."""
    runs, depth, current = [], 0, None
    for operands, operator in pikepdf.parse_content_stream(page):
        op = str(operator)
        if op in ("BDC", "BMC"):
            if depth == 0:
                props = operands[1] if op == "BDC" else None
                current = [str(operands[0]), props, []]
            depth += 1
        elif op == "EMC":
            depth -= 1
            if depth == 0 and current is not None:
                runs.append((current[0], current[1], "".join(current[2])))
        elif op in ("Tj", "TJ") and current is not None:
            parts = operands[0] if op == "TJ" else [operands[0]]
            current[2].extend(bytes(p).hex() for p in parts if isinstance(p, pikepdf.String))
    return runs


def test_all_content_is_in_the_tree_or_an_artifact(briefs: dict[str, Path]) -> None:
    for path in each(briefs):
        with pikepdf.open(path) as pdf:
            tagged = tagged_content(pdf.Root.StructTreeRoot)
            for number, page in enumerate(pdf.pages, 1):
                runs = marked_content(page)
                for tag, props, _ in runs:
                    if tag == "/Artifact":
                        continue
                    assert isinstance(props, pikepdf.Dictionary) and "/MCID" in props
                    assert (page.obj.objgen, int(props.MCID)) in tagged, (path.name, number)
                pagination = [
                    r for r in runs if r[0] == "/Artifact" and r[1] is not None
                    and r[1].get("/Type") == "/Pagination"
                ]  # fmt: skip
                # the marking top and bottom, and page N of M, at the least
                assert len(pagination) >= 3, (path.name, number)


def split_text(path: Path) -> list[tuple[str, str]]:
    """(artifact text, tagged text) per page: what a screen reader skips and what it
    reads, told apart by the marked-content operators pypdf reports as it extracts."""
    from pypdf import PdfReader

    pages = []
    for page in PdfReader(path).pages:
        stack: list[bool] = []
        parts: dict[bool, list[str]] = {True: [], False: []}

        def operator(op: bytes, args: list, *_: object, stack: list[bool] = stack) -> None:
            if op in (b"BDC", b"BMC"):
                stack.append(bool(stack and stack[-1]) or str(args[0]) == "/Artifact")
            elif op == b"EMC" and stack:
                stack.pop()

        def text(chunk: str, *_: object, stack=stack, parts=parts) -> None:
            parts[bool(stack and stack[-1])].append(chunk)

        page.extract_text(visitor_operand_before=operator, visitor_text=text)
        pages.append(tuple(" ".join("".join(parts[k]).split()) for k in (True, False)))
    return pages


def test_the_running_header_and_footer_are_artifacts(briefs: dict[str, Path]) -> None:
    for path in each(briefs):
        pages = split_text(path)
        for number, (artifact, tagged) in enumerate(pages, 1):
            assert "UNCLASSIFIED" in artifact and f"Page {number} of {len(pages)}" in artifact
            assert f"Page {number} of" not in tagged, (path.name, number)
            if number > 1:  # the running title, from page 2
                assert "North Korean forces in Russia’s war" in artifact


def test_table_headers_have_scope_and_figures_alt_text(briefs: dict[str, Path]) -> None:
    for path in each(briefs):
        with pikepdf.open(path) as pdf:
            elements = structure(pdf)
            headers = [e for e in elements if e.S == "/TH"]
            assert headers, path.name
            for header in headers:
                assert header.A.get("/Scope") in ("/Column", "/Row", "/Both"), path.name
            assert {str(h.A.Scope) for h in headers} == {"/Column"}  # heads and bands
            figures = [e for e in elements if e.S == "/Figure"]
            for figure in figures:
                assert len(str(figure.get("/Alt", "")).strip()) > 20, path.name
        if path.stem.startswith("2025-02-23"):
            assert len(figures) >= 3  # the charts


def test_headings_are_not_empty_and_skip_no_level(briefs: dict[str, Path]) -> None:
    for path in each(briefs):
        with pikepdf.open(path) as pdf:
            elements = structure(pdf)
            levels = [
                int(str(e.S)[2:]) for e in elements if str(e.S) in {f"/H{n}" for n in range(1, 7)}
            ]
            assert levels and levels[0] == 1, levels
            for before, after in itertools.pairwise(levels):
                assert after <= before + 1, levels
            for element in elements:
                if str(element.S).startswith("/H") and str(element.S)[2:].isdigit():
                    assert element.get("/K") is not None, path.name


def test_metadata_declares_pdfua_and_pdfa_with_the_title(briefs: dict[str, Path]) -> None:
    for path in each(briefs):
        with pikepdf.open(path) as pdf:
            meta = pdf.open_metadata()
            assert meta.get("pdfuaid:part") == "1"
            assert meta.get("pdfaid:part") == "3" and meta.get("pdfaid:conformance") == "A"
            assert meta.get("dc:title", "").startswith("North Korean forces in Russia’s war")
            assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
            assert pdf.Root.MarkInfo.Marked is True
            assert str(pdf.Root.Lang) == "en"
            assert "/AF" in pdf.Root  # the ledger's associated files, which PDF/A-3 allows


def test_the_marking_is_read_once_on_page_1(briefs: dict[str, Path]) -> None:
    """The running head's marking is an artifact a screen reader skips; the title block
    prints it once as content, so the reader hears it once, first thing on page 1 (tagged
    content is in the structure tree: test_all_content_is_in_the_tree_or_an_artifact)."""
    for path in each(briefs):
        tagged = [text for _, text in split_text(path)]
        assert tagged[0].startswith("UNCLASSIFIED"), path.name
        assert sum(text.count("UNCLASSIFIED") for text in tagged) == 1, path.name

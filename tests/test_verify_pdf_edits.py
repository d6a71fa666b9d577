"""`briefgen verify` against a PDF edited the way a PDF editor edits it: in the page's
content stream, where WeasyPrint wrote the text as glyph ids that each font's /ToUnicode
CMap maps back to characters.

The helpers here find the text a reader sees (decoding each `Tj`/`TJ` with its font's
map), change it with glyphs the font subset already has (two digits swapped), drop a
line, or draw a line twice, and write the page back whole or as an incremental update
(pyHanko's writer, as an editor appends its changes). Each edit must be reported at its
place with exit 1; swapped link destinations must be told apart from their markers.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner

from briefgen.cli import main
from briefgen.verify import verify
from conftest import build_sample_w04

Instructions = list[pikepdf.ContentStreamInstruction]


@pytest.fixture(scope="module")
def sample_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sample_w04(tmp_path_factory.mktemp("pdf-edits"))["pdf"]


# --- reading the page as a PDF editor does ---------------------------------------------------


def to_unicode(font: pikepdf.Dictionary) -> dict[bytes, str]:
    """A font's /ToUnicode CMap: glyph code (bytes) → text (bfchar and bfrange entries)."""
    cmap = font.ToUnicode.read_bytes().decode("latin-1")
    mapping: dict[bytes, str] = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
        for code, text in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            mapping[bytes.fromhex(code)] = bytes.fromhex(text).decode("utf-16-be")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.S):
        for low, high, text in re.findall(r"<(\w+)>\s*<(\w+)>\s*<(\w+)>", block):
            first = int.from_bytes(bytes.fromhex(text), "big")
            for offset, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                mapping[code.to_bytes(len(low) // 2, "big")] = chr(first + offset)
    return mapping


@dataclass
class Run:
    """One text-showing instruction: where it is and the glyphs it shows."""

    page: int
    index: int
    font: str
    glyphs: list[tuple[bytes, str]]

    @property
    def text(self) -> str:
        return "".join(text for _, text in self.glyphs)


def strings(operands: list[object]) -> list[bytes]:
    """The strings a Tj or TJ shows (TJ's kerning numbers left out)."""
    items = operands[0] if isinstance(operands[0], pikepdf.Array) else operands
    return [bytes(item) for item in items if isinstance(item, pikepdf.String)]


def runs(pdf: pikepdf.Pdf, number: int) -> tuple[Instructions, list[Run]]:
    """The page's instructions and every text run on it, decoded (two-byte codes:
    WeasyPrint writes Identity-H fonts)."""
    page = pdf.pages[number]
    fonts = {name: to_unicode(font) for name, font in page.Resources.Font.items()}
    instructions = pikepdf.parse_content_stream(page)
    found, font = [], ""
    for index, (operands, operator) in enumerate(instructions):
        if str(operator) == "Tf":
            font = str(operands[0])
        if str(operator) in ("Tj", "TJ"):
            codes = [s[i : i + 2] for s in strings(list(operands)) for i in range(0, len(s), 2)]
            glyphs = [(code, fonts[font].get(code, "\ufffd")) for code in codes]
            found.append(Run(number, index, font, glyphs))
    return instructions, found


def find(pdf: pikepdf.Pdf, needle: str) -> tuple[Instructions, Run]:
    """The first run on any page whose text holds `needle`."""
    for number in range(len(pdf.pages)):
        instructions, found = runs(pdf, number)
        for run in found:
            if needle in run.text:
                return instructions, run
    raise AssertionError(f"{needle!r} is drawn nowhere in the PDF")


def encode(glyphs: list[tuple[bytes, str]], text: str) -> list[tuple[bytes, str]]:
    """`text` in glyphs the run already uses (the subset has no others for sure)."""
    known = {char: code for code, char in glyphs}
    missing = set(text) - set(known)
    assert not missing, f"the font subset of this run has no glyph for {missing}"
    return [(known[char], char) for char in text]


def replaced(run: Run, old: str, new: str) -> pikepdf.ContentStreamInstruction:
    """The run's instruction showing `new` where it showed `old` (kerning dropped, as
    editors rewrite a run they touch)."""
    start = run.text.index(old)
    before = len(run.text[:start])
    assert all(len(text) == 1 for _, text in run.glyphs), "a ligature inside the run"
    glyphs = run.glyphs[:before] + encode(run.glyphs, new) + run.glyphs[before + len(old) :]
    shown = pikepdf.String(b"".join(code for code, _ in glyphs))
    return pikepdf.ContentStreamInstruction([pikepdf.Array([shown])], pikepdf.Operator("TJ"))


# --- writing it back ------------------------------------------------------------------------


def saved_whole(data: bytes, number: int, instructions: Instructions) -> bytes:
    """The PDF with page `number` drawn by `instructions`, written whole."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[number]
        page.Contents = pdf.make_stream(pikepdf.unparse_content_stream(instructions))
        out = io.BytesIO()
        pdf.save(out)
    return out.getvalue()


def saved_incrementally(data: bytes, number: int, instructions: Instructions) -> bytes:
    """The PDF with a new content stream for page `number` appended as an incremental
    update: the original bytes stay a prefix, as a PDF editor's quick save leaves them."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    page_ref, _ = writer.find_page_for_modification(number)
    stream = generic.StreamObject(stream_data=pikepdf.unparse_content_stream(instructions))
    page = page_ref.get_object()
    page["/Contents"] = writer.add_object(stream)
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    assert out.getvalue().startswith(data)
    return out.getvalue()


Save = Callable[[bytes, int, Instructions], bytes]
SAVES = [pytest.param(saved_whole, id="whole"), pytest.param(saved_incrementally, id="update")]


def edited(sample: Path, tmp_path: Path, needle: str, change: Callable[[Instructions, Run], None],
           save: Save) -> Path:  # fmt: skip
    """A copy of the sample PDF whose run holding `needle` was changed by `change`."""
    data = sample.read_bytes()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        instructions, run = find(pdf, needle)
        change(instructions, run)
    target = tmp_path / sample.name
    target.write_bytes(save(data, run.page, instructions))
    return target


# --- the tests --------------------------------------------------------------------------------


def test_the_helpers_read_what_pypdf_reads(sample_pdf: Path) -> None:
    """The decoding agrees with the text verify reads (else the edits below prove nothing)."""
    from briefgen.verify.text import fold
    from conftest import pdf_text

    with pikepdf.open(sample_pdf) as pdf:
        drawn = [run.text for n in range(len(pdf.pages)) for run in runs(pdf, n)[1]]
    read = fold(pdf_text(sample_pdf))
    long_runs = [text for text in drawn if len(text) > 20]
    assert len(long_runs) > 50 and "about 11,000" in "".join(drawn)
    assert all(fold(text) in read for text in long_runs)


@pytest.mark.parametrize("save", SAVES)
def test_a_figure_edited_in_the_content_stream_is_reported_at_its_row(
    sample_pdf: Path, tmp_path: Path, save: Save
) -> None:
    """11,000 becomes 10,100 (the subset has both digits): the estimates row says so."""

    def swap_digits(instructions: Instructions, run: Run) -> None:
        instructions[run.index] = replaced(run, "11,000", "10,100")

    pdf = edited(sample_pdf, tmp_path, "about 11,000", swap_digits, save)
    report = verify(pdf)
    assert not report.ok
    (line,) = [d for d in report.differences if "10,100" in d]
    assert re.match(
        r"page \d, estimates, row \d+: estimate: “about 10,100( …)?” in the document", line
    )
    assert "“about 11,000” in the notes" in line
    result = CliRunner().invoke(main, ["verify", str(pdf)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "about 10,100" in result.output


@pytest.mark.parametrize("save", SAVES)
def test_a_dropped_line_is_reported_at_its_row(
    sample_pdf: Path, tmp_path: Path, save: Save
) -> None:
    """A whole line of a situation item (its Tj) removed: the item's text is missing."""

    def drop(instructions: Instructions, run: Run) -> None:
        del instructions[run.index]

    pdf = edited(sample_pdf, tmp_path, "nuclear power” and that he and Kim", drop, save)
    report = verify(pdf)
    assert not report.ok
    (line,) = [d for d in report.differences if "situation, row 1: text" in d]
    shown, _, notes = line.partition(" in the document, ")
    assert re.match(r"page 2, situation, row 1: text: “.*“a along”", shown), line
    assert "“a nuclear power” and that he and Kim Jong Un “got along”" in notes


@pytest.mark.parametrize("save", SAVES)
def test_a_duplicated_line_is_reported_at_its_row(
    sample_pdf: Path, tmp_path: Path, save: Save
) -> None:
    """A line drawn a second time just below itself, as a copy and paste in an editor."""

    def duplicate(instructions: Instructions, run: Run) -> None:
        below = pikepdf.ContentStreamInstruction([0, 14], pikepdf.Operator("Td"))
        instructions[run.index + 1 : run.index + 1] = [below, instructions[run.index]]

    pdf = edited(sample_pdf, tmp_path, "nuclear power” and that he and Kim", duplicate, save)
    report = verify(pdf)
    assert not report.ok
    line = next(d for d in report.differences if "situation, row 1: text" in d)
    shown, _, notes = line.partition(" in the document, ")
    assert "“got nuclear" in shown and "“got along”" in notes, line


def swap_links(data: bytes, first: int, second: int, key: str = "/Dest") -> bytes:
    """The PDF with the destinations of two citation links (by their order) swapped."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        links = [
            annotation
            for page in pdf.pages
            for annotation in page.get("/Annots", [])
            if annotation.get("/Subtype") == "/Link" and key in annotation
        ]
        a, b = links[first], links[second]
        assert str(a[key]) != str(b[key]), "the two links go to the same entry"
        a[key], b[key] = b[key], a[key]
        out = io.BytesIO()
        pdf.save(out)
    return out.getvalue()


def test_swapped_link_destinations_are_caught_at_their_markers(
    sample_pdf: Path, tmp_path: Path
) -> None:
    """`[1, 2]` whose 1 jumps to source 2's entry and 2 to source 1's: both markers read
    right, both links are wrong; each is named at its line."""
    assert verify(sample_pdf).ok
    target = tmp_path / "swapped.pdf"
    target.write_bytes(swap_links(sample_pdf.read_bytes(), 0, 1))
    report = verify(target)
    assert not report.ok
    wrong = [d for d in report.differences if "links to source" in d]
    assert len(wrong) == 2, report.differences
    assert re.match(r"page 1, key judgments, row 1: the citation marker \[\d+\] links", wrong[0])
    pairs = {re.findall(r"\[(\d+)\] links to source (\d+)", line)[0] for line in wrong}
    assert pairs == {("1", "2"), ("2", "1")}, wrong
    result = CliRunner().invoke(main, ["verify", str(target), "--json"])
    assert result.exit_code == 1 and '"ok": false' in result.output


def test_a_goto_action_is_read_like_a_destination(sample_pdf: Path, tmp_path: Path) -> None:
    """An editor may rewrite a link as a /GoTo action: swapped that way, it is caught too."""
    with pikepdf.open(sample_pdf) as pdf:
        for page in pdf.pages:
            for annotation in page.get("/Annots", []):
                if "/Dest" in annotation:
                    action = pikepdf.Dictionary(S=pikepdf.Name.GoTo, D=annotation.Dest)
                    annotation.A = action
                    del annotation["/Dest"]
        out = io.BytesIO()
        pdf.save(out)
    as_actions = out.getvalue()
    same = tmp_path / "actions.pdf"
    same.write_bytes(as_actions)
    assert verify(same).ok, verify(same).differences
    with pikepdf.open(io.BytesIO(as_actions)) as pdf:
        links = [a for page in pdf.pages for a in page.get("/Annots", []) if "/A" in a]
        links[0].A.D, links[1].A.D = links[1].A.D, links[0].A.D
        out = io.BytesIO()
        pdf.save(out)
    swapped = tmp_path / "swapped-actions.pdf"
    swapped.write_bytes(out.getvalue())
    assert sum("links to source" in d for d in verify(swapped).differences) == 2

"""`briefgen verify` on real briefs: every sample verifies; each tampering is caught."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner

from briefgen.cli import main
from briefgen.errors import BriefgenError
from briefgen.verify import verify
from conftest import build_sample_w04

REPO = Path(__file__).parent.parent


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict[str, Path]]]:
    root = tmp_path_factory.mktemp("verify")
    files = build_sample_w04(root)
    yield root, files


def copy_of(path: Path, tmp_path: Path, data: bytes | None = None) -> Path:
    target = tmp_path / path.name
    target.write_bytes(path.read_bytes() if data is None else data)
    return target


@pytest.mark.parametrize("kind", ["pdf", "docx", "html"])
def test_every_format_of_the_sample_verifies(
    built: tuple[Path, dict[str, Path]], kind: str
) -> None:
    report = verify(built[1][kind])
    assert report.ok, report.differences
    assert report.kind == kind


def test_the_cli_says_so_and_exits_0_or_1_with_json(
    built: tuple[Path, dict[str, Path]], tmp_path: Path
) -> None:
    html = built[1]["html"]
    ok = CliRunner().invoke(main, ["verify", str(html), "--json"])
    assert ok.exit_code == 0, ok.output
    assert '"ok": true' in ok.output
    text = html.read_text(encoding="utf-8").replace("about 11,000", "about 12,000", 1)
    bad = copy_of(html, tmp_path, text.encode())
    result = CliRunner().invoke(main, ["verify", str(bad)])
    assert result.exit_code == 1
    assert "estimates, row" in result.output and "about 11,000" in result.output


def test_an_edited_html_line_is_found_at_its_place(
    built: tuple[Path, dict[str, Path]], tmp_path: Path
) -> None:
    html = built[1]["html"]
    text = html.read_text(encoding="utf-8")
    edited = text.replace("Zelensky", "Putin", 1)
    report = verify(copy_of(html, tmp_path, edited.encode()))
    assert not report.ok
    assert any("text" in line and "Putin" in line for line in report.differences)


def test_a_changed_marker_is_caught(built: tuple[Path, dict[str, Path]], tmp_path: Path) -> None:
    html = built[1]["html"]
    text = html.read_text(encoding="utf-8")
    first = re.search(r'<a class="cite" href="#(src-\d+)"[^>]*>(\d+)</a>', text)
    assert first
    number = int(first.group(2))
    edited = text[: first.start(2)] + str(number + 1) + text[first.end(2) :]
    report = verify(copy_of(html, tmp_path, edited.encode()))
    assert not report.ok
    assert any("marker" in line for line in report.differences)
    assert any(
        re.match(rf"key judgments, row 1: the citation marker \[{number + 1}\] links", line)
        for line in report.differences
    ), report.differences


def test_a_number_edited_in_word_across_runs_is_caught(
    built: tuple[Path, dict[str, Path]], tmp_path: Path
) -> None:
    """Word saves an edited number split over runs: `<w:t>about 1</w:t>…<w:t>2,000</w:t>`."""
    data = built[1]["docx"].read_bytes()
    package = zipfile.ZipFile(io.BytesIO(data))
    body = package.read("word/document.xml").decode("utf-8")
    assert "about 11,000" in body
    run_break = '</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">'
    body = body.replace("about 11,000", f"about 1{run_break}2,000", 1)
    report = verify(copy_of(built[1]["docx"], tmp_path, rezip(data, {"word/document.xml": body})))
    assert not report.ok
    assert any("about 11,000" in line for line in report.differences), report.differences


def rezip(
    data: bytes, replace: dict[str, str | bytes], add: dict[str, bytes] | None = None
) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = replace.get(info.filename, source.read(info.filename))
            target.writestr(info, body.encode() if isinstance(body, str) else body)
        for name, body in (add or {}).items():
            target.writestr(name, body)
    return out.getvalue()


def test_a_removed_attachment_is_caught(
    built: tuple[Path, dict[str, Path]], tmp_path: Path
) -> None:
    with pikepdf.open(built[1]["pdf"]) as pdf:
        del pdf.attachments["notes/nk-russia/2025-W03.yaml"]
        out = io.BytesIO()
        pdf.save(out)
    report = verify(copy_of(built[1]["pdf"], tmp_path, out.getvalue()))
    assert any("2025-W03.yaml" in line and "missing" in line for line in report.differences)


def test_edited_notes_inside_the_ledger_are_caught(
    built: tuple[Path, dict[str, Path]], tmp_path: Path
) -> None:
    """Editing the embedded notes without updating the manifest's hash is found."""
    html = built[1]["html"]
    edited = html.read_text(encoding="utf-8").replace("marking: UNCLASSIFIED", "marking: SECRET", 1)
    report = verify(copy_of(html, tmp_path, edited.encode()))
    assert any("differs from the hash" in line for line in report.differences)


def test_workspace_rebuilds_the_pdf_byte_for_byte(built: tuple[Path, dict[str, Path]]) -> None:
    root, files = built
    report = verify(files["pdf"], desk=root)
    assert report.ok, report.differences
    assert any("the same" in line and "bytes" in line for line in report.notes)
    assert report.workspace == []


def test_workspace_names_the_sources_changed_since(
    built: tuple[Path, dict[str, Path]], tmp_path: Path
) -> None:
    desk = tmp_path / "desk"
    shutil.copytree(built[0] / "sources", desk / "sources")
    for text in sorted((desk / "sources" / "nk-russia" / "texts").iterdir()):
        text.write_text(text.read_text(encoding="utf-8") + "\nadded later\n", encoding="utf-8")
    report = verify(built[1]["html"], desk=desk)
    assert any("changed since the brief was built" in line for line in report.workspace)


def test_a_brief_without_a_ledger_is_told_apart(tmp_path: Path) -> None:
    plain = tmp_path / "plain.html"
    plain.write_text("<!DOCTYPE html><html><body><p>A brief</p></body></html>", encoding="utf-8")
    with pytest.raises(BriefgenError, match="not built by briefgen, or built before"):
        verify(plain)
    result = CliRunner().invoke(main, ["verify", str(plain)])
    assert result.exit_code == 1 and "Traceback" not in result.output


def test_a_ledger_that_does_not_parse(built: tuple[Path, dict[str, Path]], tmp_path: Path) -> None:
    html = built[1]["html"].read_text(encoding="utf-8")
    broken = re.sub(r'(id="briefgen-ledger">)\{', r"\1{{{", html, count=1)
    with pytest.raises(BriefgenError, match="does not parse"):
        verify(copy_of(built[1]["html"], tmp_path, broken.encode()))


def test_an_attachment_bomb_is_refused_unread(
    built: tuple[Path, dict[str, Path]], tmp_path: Path
) -> None:
    """200 MiB of zeros compressed to 200 KB, as the manifest: refused, not inflated."""
    import zlib

    with pikepdf.open(built[1]["pdf"]) as pdf:
        spec = next(s for s in pdf.Root.AF if str(s.F) == "briefgen-ledger.json")
        bomb = zlib.compressobj(9)
        raw = b"".join(bomb.compress(b"\0" * 2**20) for _ in range(200)) + bomb.flush()
        spec.EF.F.write(raw, filter=pikepdf.Name.FlateDecode)
        out = io.BytesIO()
        pdf.save(out)
    with pytest.raises(BriefgenError, match="inflates to more than"):
        verify(copy_of(built[1]["pdf"], tmp_path, out.getvalue()))


def test_a_deeply_nested_attachment_tree_is_refused(
    built: tuple[Path, dict[str, Path]], tmp_path: Path
) -> None:
    with pikepdf.open(built[1]["pdf"]) as pdf:
        node = pdf.Root.Names.EmbeddedFiles
        for _ in range(50):
            node = pikepdf.Dictionary(Kids=pikepdf.Array([pdf.make_indirect(node)]))
        pdf.Root.Names.EmbeddedFiles = pdf.make_indirect(node)
        out = io.BytesIO()
        pdf.save(out)
    with pytest.raises(BriefgenError, match="nests deeper"):
        verify(copy_of(built[1]["pdf"], tmp_path, out.getvalue()))


def test_a_docx_with_macros_or_external_relationships_is_refused(
    built: tuple[Path, dict[str, Path]], tmp_path: Path
) -> None:
    data = built[1]["docx"].read_bytes()
    macro = rezip(data, {}, {"word/vbaProject.bin": b"\0" * 64})
    with pytest.raises(BriefgenError, match="macros"):
        verify(copy_of(built[1]["docx"], tmp_path, macro))
    rels = zipfile.ZipFile(io.BytesIO(data)).read("word/_rels/document.xml.rels").decode()
    remote = (
        '<Relationship Id="rIdX" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/attachedTemplate" Target="http://example.org/t.dotm" TargetMode="External"/>'
    )
    linked = rezip(
        data,
        {
            "word/_rels/document.xml.rels": rels.replace(
                "</Relationships>", remote + "</Relationships>"
            )
        },
    )
    with pytest.raises(BriefgenError, match="external relationship"):
        verify(copy_of(built[1]["docx"], tmp_path, linked))

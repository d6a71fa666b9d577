"""The ledger inside every brief (issue 19): read back from the real PDF, DOCX and HTML."""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pikepdf
import pytest

from briefgen import pipeline
from briefgen.ledger import MANIFEST, NAMESPACE
from briefgen.ledger.read import from_docx, from_html, from_pdf
from conftest import build_sample_w04

REPO = Path(__file__).parent.parent


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    """The sample W04 edition built as PDF, DOCX and HTML in a copy of the sample workspace."""
    root = tmp_path_factory.mktemp("ledger")
    files = build_sample_w04(root)
    yield files


def notes(name: str) -> bytes:
    return (REPO / "sources" / "nk-russia" / name).read_bytes()


def test_the_pdf_carries_the_notes_as_pdf_a3_associated_files(built: dict[str, Path]) -> None:
    with pikepdf.open(built["pdf"]) as pdf:
        specs = {str(spec.F): spec for spec in pdf.Root.AF}
        assert set(specs) == {
            MANIFEST,
            "notes/nk-russia/2025-W04.yaml",
            "notes/nk-russia/2025-W03.yaml",
            "notes/nk-russia/sources.yaml",
        }
        assert specs[MANIFEST].AFRelationship == pikepdf.Name.Data
        assert specs["notes/nk-russia/sources.yaml"].AFRelationship == pikepdf.Name.Source
        xmp = pdf.Root.Metadata.read_bytes().decode()
        assert 'pdfaid:part="3"' in xmp and "<pdfuaid:part>1</pdfuaid:part>" in xmp
        assert f"<briefgen:ledger>{MANIFEST}</briefgen:ledger>" in xmp and NAMESPACE in xmp
        assert "/StructTreeRoot" in pdf.Root  # still tagged
        ledger, _ = from_pdf(pdf)
    assert ledger.files["notes/nk-russia/2025-W04.yaml"] == notes("2025-W04.yaml")
    assert ledger.files["notes/nk-russia/sources.yaml"] == notes("sources.yaml")


def test_the_manifest_holds_hashes_and_quote_checks(built: dict[str, Path]) -> None:
    with pikepdf.open(built["pdf"]) as pdf:
        manifest = from_pdf(pdf)[0].manifest
    sources = {entry["id"]: entry for entry in manifest["sources"]}
    reaction = sources["reaction-2025-01-13"]
    text = REPO / "sources" / "nk-russia" / reaction["text"]
    import hashlib

    assert reaction["sha256"] == hashlib.sha256(text.read_bytes()).hexdigest()
    assert {"url", "archive", "accessed"} <= set(reaction)
    statuses = {c["status"] for c in manifest["citations"]}
    assert "verified" in statuses
    assert manifest["briefgen"] and manifest["version"] == 1
    assert all(not Path(name).is_absolute() for name in manifest["files"])


def test_the_docx_carries_the_same_ledger_as_a_custom_xml_part(built: dict[str, Path]) -> None:
    data = built["docx"].read_bytes()
    package = zipfile.ZipFile(io.BytesIO(data))
    parts = [n for n in package.namelist() if NAMESPACE.encode() in package.read(n)[:200]]
    assert parts == ["customXml/briefgenLedger.xml"]
    assert "customXml" in package.read("word/_rels/document.xml.rels").decode()
    ledger = from_docx(data)
    assert ledger.files["notes/nk-russia/2025-W04.yaml"] == notes("2025-W04.yaml")
    import docx  # Word's own reader still opens it

    assert docx.Document(io.BytesIO(data)).paragraphs


def test_the_html_carries_it_as_a_json_script(built: dict[str, Path]) -> None:
    text = built["html"].read_text(encoding="utf-8")
    assert '<script type="application/json" id="briefgen-ledger">' in text
    script = text.split('id="briefgen-ledger">')[1].split("</script>")[0]
    assert "<" not in script  # no note can close the element early
    assert json.loads(script)["manifest"]["topic"] == "nk-russia"
    ledger = from_html(text)
    assert ledger.files["notes/nk-russia/sources.yaml"] == notes("sources.yaml")


def test_the_ledger_keeps_the_pdf_reproducible(
    built: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(REPO / "sources", tmp_path / "sources")
    monkeypatch.chdir(tmp_path)
    options = pipeline.BuildOptions(formats=("pdf", "docx"), charts=False)
    result = pipeline.build([Path("sources/nk-russia/2025-W04.yaml")], options)
    again = {path.suffix[1:]: (tmp_path / path).read_bytes() for path in result.written}
    assert again["pdf"] == built["pdf"].read_bytes()
    assert again["docx"] == built["docx"].read_bytes()

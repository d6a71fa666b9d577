"""A workspace in its own house style: one block overridden, a user CSS, a logo, sections
renamed and reordered in briefgen.toml. The PDF and DOCX show it; the rest stays default."""

from __future__ import annotations

import base64
import os
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from pypdf import PdfReader

from briefgen import customize, pipeline
from briefgen.cli import main
from briefgen.errors import BriefgenError
from conftest import edit

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
LETTERHEAD = """{% extends "default:brief.html.j2" %}
{% block letterhead %}
<div class="ministry"><img src="logo.png" alt="Ministry of Examples"> Ministry of Examples</div>
{{ super() }}
{% endblock %}
"""
TOML = """[brief]
author = "Analysis Unit"
marking = "OFFICIAL"
sections = ["key-judgments", "outlook", "situation", "estimates", "questions", "sources"]
[brief.titles]
key-judgments = "Bottom line"
outlook = "What we expect"
"""


@pytest.fixture
def house(workspace: Path, edition: Path) -> Path:
    templates = workspace / "templates"
    templates.mkdir()
    (templates / "brief.html.j2").write_text(LETTERHEAD, encoding="utf-8")
    (templates / "brief.css").write_text(".ministry { color: #7a0019; }\n", encoding="utf-8")
    (templates / "logo.png").write_bytes(PNG)
    (workspace / "briefgen.toml").write_text(TOML, encoding="utf-8")
    edit(edition, "marking: UNCLASSIFIED\nauthor: Korea Desk\n", "")  # the house defaults apply
    return workspace


def built(house: Path) -> dict[str, Path]:
    result = pipeline.build([], pipeline.BuildOptions(formats=["pdf", "docx", "html"]))
    return {path.suffix: path for path in result.written}


def test_pdf_shows_the_house_style_and_keeps_the_rest(house: Path) -> None:
    files = built(house)
    reader = PdfReader(files[".pdf"])
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Ministry of Examples" in text
    order = ["Bottom line", "What we expect", "Situation", "Estimates", "Open questions", "Sources"]
    assert [text.index(title) for title in order] == sorted(text.index(t) for t in order)
    assert "Key judgments" not in text
    assert "OFFICIAL" in text and "UNCLASSIFIED" not in text
    assert "From Analysis Unit" in text.replace("FROM", "From")
    images = [
        obj for page in reader.pages
        for obj in page["/Resources"].get("/XObject", {}).values()
        if obj.get_object().get("/Subtype") == "/Image"
    ]  # fmt: skip
    assert images, "the logo is in the PDF"
    html = files[".html"].read_text(encoding="utf-8")
    assert html.index("body { margin: 0; }") < html.index(".ministry { color: #7a0019; }")


def test_docx_shows_the_renamed_and_reordered_sections(house: Path) -> None:
    document = Document(str(built(house)[".docx"]))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == [
        "Bottom line", "What we expect", "Situation", "Estimates", "Open questions", "Sources"
    ]  # fmt: skip
    assert document.sections[0].header.paragraphs[0].text.split("\t")[1] == "OFFICIAL"
    assert document.core_properties.author == "Analysis Unit"


def test_flags_override_the_config_only_when_given(house: Path) -> None:
    (house / "briefgen.toml").write_text(
        TOML + '[build]\noutput = "briefs"\nformats = ["html"]\n', encoding="utf-8"
    )
    assert CliRunner().invoke(main, ["build"]).stdout == "briefs/2025-01-19-demo.html\n"
    result = CliRunner().invoke(main, ["build", "-f", "docx", "-o", "elsewhere"])
    assert result.stdout == "elsewhere/2025-01-19-demo.docx\n"


def test_an_undefined_variable_names_the_template_and_line(house: Path) -> None:
    (house / "templates" / "brief.html.j2").write_text(
        LETTERHEAD.replace("{{ super() }}", "{{ super() }}\n{{ brief.colour }}"), encoding="utf-8"
    )
    with pytest.raises(BriefgenError, match=r"templates/brief\.html\.j2:5: .*'colour'"):
        built(house)


def test_bad_config_is_reported_with_file_and_line(house: Path) -> None:
    (house / "briefgen.toml").write_text(TOML.replace('"sources"]', '"annex"]'), encoding="utf-8")
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 1
    assert result.stderr.startswith("briefgen.toml:4: brief.sections: unknown section 'annex'")


def test_templates_list_export_and_check(house: Path, tmp_path: Path) -> None:
    rows = {row.name: row for row in customize.in_use([house / "templates"])}
    assert rows["brief.css"].origin == "yours, applied after the default"
    assert rows["brief.html.j2"].origin == "yours, replacing the default"
    assert rows["brief.docx"].origin == "default"
    exported = customize.export(tmp_path / "copy")
    assert {p.name for p in exported} >= {"brief.html.j2", "brief.css", "brief.docx"}
    with pytest.raises(BriefgenError, match="already exist"):
        customize.export(tmp_path / "copy")
    result = CliRunner().invoke(main, ["templates", "check"])
    assert result.exit_code == 0, result.output


def test_templates_check_reports_a_broken_word_tag(house: Path) -> None:
    docx = house / "templates" / "brief.docx"
    customize.export(house / "templates" / "x")
    original = zipfile.ZipFile(house / "templates" / "x" / "brief.docx")
    with zipfile.ZipFile(docx, "w") as out:
        for name in original.namelist():
            data = original.read(name)
            if name == "word/document.xml":
                data = data.replace(b"{{ brief.source_summary }}", b"{{ brief.source_summary ) }}")
            out.writestr(name, data)
    result = CliRunner().invoke(main, ["templates", "check"])
    assert result.exit_code == 1
    assert "templates/brief.docx:1: document: Jinja syntax error" in result.stderr


def test_the_notes_size_cap_comes_from_the_config(house: Path, edition: Path) -> None:
    (house / "briefgen.toml").write_text(TOML + "[notes]\nmax_file_mb = 0.001\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 1
    assert "over the 1,000-byte limit for notes" in result.stderr


def test_a_toml_syntax_error_names_its_line(house: Path) -> None:
    (house / "briefgen.toml").write_text(TOML + "[build]\nformats = [pdf]\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 1
    assert result.stderr.startswith("briefgen.toml:9: TOML syntax error: Invalid value"), (
        result.stderr
    )


def test_export_never_writes_through_a_symlink(tmp_path: Path) -> None:
    """A link planted where the export writes (an entry, or the folder itself) would make
    it create or overwrite a file elsewhere: refused, with --force too, and nothing outside
    is touched."""
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n", encoding="utf-8")
    target = tmp_path / "templates"
    target.mkdir()
    (target / "brief.css").symlink_to(victim)
    (target / "brief.html.j2").symlink_to(tmp_path / "created-elsewhere.j2")
    for force in (False, True):
        with pytest.raises(BriefgenError, match="a symbolic link; briefgen never writes"):
            customize.export(target, force=force)
    assert victim.read_text(encoding="utf-8") == "keep me\n"
    assert not (tmp_path / "created-elsewhere.j2").exists()
    assert sorted(p.name for p in target.iterdir()) == ["brief.css", "brief.html.j2"]

    (tmp_path / "real").mkdir()
    (tmp_path / "linked").symlink_to(tmp_path / "real")
    result = CliRunner().invoke(main, ["templates", "export", str(tmp_path / "linked"), "--force"])
    assert result.exit_code == 1 and "a symbolic link" in result.stderr
    assert list((tmp_path / "real").iterdir()) == []


def test_export_with_force_overwrites_a_regular_file_only(tmp_path: Path) -> None:
    target = tmp_path / "templates"
    target.mkdir()
    (target / "brief.css").write_text("old\n", encoding="utf-8")
    os.mkfifo(target / "brief.html.j2")
    with pytest.raises(BriefgenError, match=r"brief\.html\.j2: not a regular file"):
        customize.export(target, force=True)
    assert (target / "brief.css").read_text(encoding="utf-8") == "old\n"  # nothing written
    (target / "brief.html.j2").unlink()
    written = customize.export(target, force=True)
    default = customize.defaults()
    assert [p.name for p in written] == [p.name for p in default]
    for path, source in zip(written, default, strict=True):
        assert path.read_bytes() == source.read_bytes()

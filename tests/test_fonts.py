"""The fonts briefgen brings (templates/fonts/): every script a desk writes renders on a
machine with no font of its own, and the same notes give the same bytes everywhere."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream

from briefgen import pipeline
from briefgen.render import fonts
from briefgen.workspace import default_templates
from conftest import edit, pdf_text

LINES = {
    "Hangul": "김정은 위원장은 파병을 승인했다",
    "Cyrillic": "Зеленський заявив про обмін полоненими",
    "Arabic": "القوات الكورية الشمالية في روسيا",
    "Hebrew": "כוחות צפון קוריאה ברוסיה",
    "Greek": "Ελληνικά στοιχεία",
    "Latin": "English, café, naïve",
    "Symbols": "≈ ≤ ≥ → † ▲ ▼",
}
KEY_JUDGMENT = "North Korea is taking heavy losses & <b>hiding</b> them."

NO_SYSTEM_FONTS = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig><cachedir>{cache}</cachedir></fontconfig>
"""


def many_scripts(edition: Path) -> None:
    edit(edition, KEY_JUDGMENT, " / ".join(LINES.values()))


def build_in_child(workspace: Path, *args: str, env: dict[str, str] | None = None) -> str:
    """`briefgen build` in a fresh process (fontconfig reads its configuration once)."""
    done = subprocess.run(
        [str(Path(sys.executable).parent / "briefgen"), "build", *args],
        cwd=workspace,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return done.stderr


def used_glyphs(pdf: Path) -> dict[str, set[int]]:
    """For each font of the PDF (by base name, subset tag dropped), the glyph ids its text
    shows. WeasyPrint writes Identity-H fonts whose two-byte codes are glyph ids."""
    used: dict[str, set[int]] = {}
    for page in PdfReader(pdf).pages:
        fonts = page["/Resources"]["/Font"]
        current = ""
        for operands, operator in ContentStream(page.get_contents(), page.pdf).operations:
            if operator == b"Tf":
                base = str(fonts[operands[0]].get_object()["/BaseFont"])
                current = base.split("+", 1)[-1]
            elif operator in (b"Tj", b"TJ"):
                items = operands[0] if operator == b"TJ" else [operands[0]]
                for item in items:
                    if isinstance(item, bytes | str) and not isinstance(item, int | float):
                        data = item if isinstance(item, bytes) else item.original_bytes  # type: ignore[attr-defined]
                        ids = {
                            int.from_bytes(data[i : i + 2], "big") for i in range(0, len(data), 2)
                        }
                        used.setdefault(current, set()).update(ids)
    return used


def test_every_script_renders_with_no_font_on_the_machine(
    workspace: Path, edition: Path, tmp_path: Path
) -> None:
    many_scripts(edition)
    config = tmp_path / "fonts.conf"
    config.write_text(NO_SYSTEM_FONTS.format(cache=tmp_path / "fc-cache"))
    stderr = build_in_child(
        workspace, "-f", "pdf", "--no-charts", env={"FONTCONFIG_FILE": str(config)}
    )
    assert "no font of the brief has" not in stderr
    pdf = workspace / "output" / "2025-01-19-demo.pdf"
    glyphs = used_glyphs(pdf)
    assert {"Briefgen-Hangul", "Briefgen-Arabic", "Briefgen-Hebrew", "Briefgen-Math"} <= set(glyphs)
    assert all(name.startswith("Briefgen-") for name in glyphs), glyphs
    for name, ids in glyphs.items():
        assert 0 not in ids, f"{name} shows .notdef"
    text = " ".join(pdf_text(pdf).split())
    for script in ("Cyrillic", "Greek", "Latin", "Hebrew"):
        for word in LINES[script].split():
            assert word.strip(",") in text, (script, word)
    for symbol in "≈≤≥†":
        assert symbol in text


def test_a_character_no_bundled_font_has_is_named(workspace: Path, edition: Path) -> None:
    edit(edition, KEY_JUDGMENT, "Launch 🚀 and 漢字 today.")
    result = pipeline.build([edition], pipeline.BuildOptions(formats=["pdf"], charts=False))
    if all("no font of the brief has" not in w for w in result.warnings):
        pytest.skip("a font on this machine has 🚀 and 漢字 (fontconfig fell back to it)")
    (warning,) = [w for w in result.warnings if "no font of the brief has" in w]
    assert "🚀 (U+1F680)" in warning
    assert "templates/brief.css" in warning


def test_charts_use_the_bundled_faces(sample_copy_path: Path) -> None:
    build_in_child(sample_copy_path, "sources/nk-russia/2025-W04.yaml", "-f", "pdf", "-f", "html")
    pdf = sample_copy_path / "output" / "2025-01-26-nk-russia.pdf"
    names = set(used_glyphs(pdf))
    assert names and all(name.startswith("Briefgen-") for name in names), sorted(names)
    html = (sample_copy_path / "output" / "2025-01-26-nk-russia.html").read_text()
    assert str(default_templates()) not in html  # the HTML copy carries no path of ours


@pytest.fixture
def sample_copy_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    from conftest import sample_copy

    return sample_copy(tmp_path, monkeypatch)


def test_fonts_are_subset_by_fonttools_even_where_harfbuzz_could(
    workspace: Path, edition: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """HarfBuzz's subsetter (libharfbuzz-subset0, where installed) writes other bytes than
    the locked fontTools: briefgen never calls it, so every machine writes the same PDF."""
    import weasyprint.pdf.fonts

    class Untouchable:
        def __getattr__(self, name: str) -> None:
            raise AssertionError(f"HarfBuzz's subsetter was called ({name})")

    monkeypatch.setattr(weasyprint.pdf.fonts, "harfbuzz_subset", Untouchable())
    (pdf,) = pipeline.build([edition], pipeline.BuildOptions(formats=["pdf"])).written
    assert pdf_text(pdf)
    assert isinstance(weasyprint.pdf.fonts.harfbuzz_subset, Untouchable)  # put back


def test_same_bytes_when_fonttools_subsets_the_fonts(
    workspace: Path, edition: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without HarfBuzz's subsetter (a stock Debian image) fontTools subsets the fonts and
    would stamp them with the time of the build; two builds a second apart must agree."""
    import weasyprint.pdf.fonts

    monkeypatch.setattr(weasyprint.pdf.fonts, "harfbuzz_subset", None)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    many_scripts(edition)
    outputs = []
    for name in ("one", "two"):
        options = pipeline.BuildOptions(
            output=Path(name), formats=["pdf", "docx", "html"], force=True
        )
        outputs.append(pipeline.build([edition], options).written)
        time.sleep(1.1)
    for first, second in zip(*outputs, strict=True):
        assert first.name == second.name
        assert first.read_bytes() == second.read_bytes(), first.name
    assert "SOURCE_DATE_EPOCH" not in os.environ


def test_every_shipped_face_is_registered_and_licensed() -> None:
    folder = default_templates() / "fonts"
    assert {path.name for _, path in fonts.faces()} == {p.name for p in folder.glob("*.ttf")}
    assert "SIL Open Font License" in (folder / "OFL.txt").read_text()


@pytest.mark.parametrize("own_font", [False, True])
def test_a_build_leaves_no_font_files_behind(
    workspace: Path, tmp_path: Path, own_font: bool
) -> None:
    """briefgen's faces are read where they lie; a template's own @font-face font, which
    WeasyPrint copies into a temporary folder, is removed after the render."""
    if own_font:
        (workspace / "templates" / "fonts").mkdir(parents=True)
        face = fonts.folder() / "NotoSerif-Italic.ttf"
        (workspace / "templates" / "fonts" / "House.ttf").write_bytes(face.read_bytes())
        (workspace / "templates" / "brief.css").write_text(
            '@font-face { font-family: "House"; src: url("fonts/House.ttf"); }\n'
            'h1 { font-family: "House", var(--serif); }\n'
        )
    temp = tmp_path / "tmp"
    temp.mkdir()
    build_in_child(workspace, "-f", "pdf", env={"TMPDIR": str(temp)})
    assert list(temp.iterdir()) == []
    used = used_glyphs(workspace / "output" / "2025-01-19-demo.pdf")
    assert any(name.startswith("House") for name in used) is own_font


def test_the_docx_names_a_word_font_for_every_script(workspace: Path, edition: Path) -> None:
    """Word picks a font per kind of script (Latin, East Asian, complex): the styles name
    one for each, from the fonts every Word installation has, and no theme font that
    would win over them."""
    from docx import Document
    from docx.oxml.ns import qn

    many_scripts(edition)
    (docx,) = pipeline.build([edition], pipeline.BuildOptions(formats=["docx"])).written
    document = Document(str(docx))
    for name in ("Normal", "Title", "Heading 1"):
        fonts = document.styles[name].element.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
        assert fonts is not None, name
        named = {slot: fonts.get(qn(f"w:{slot}")) for slot in ("ascii", "eastAsia", "cs")}
        assert named["ascii"] in ("Cambria", "Calibri"), named
        assert named["eastAsia"] == "Malgun Gothic", named
        assert named["cs"] in ("Times New Roman", "Arial"), named
        assert fonts.get(qn("w:eastAsiaTheme")) is None
    text = "\n".join(p.text for p in document.paragraphs)
    for line in LINES.values():
        assert line in text

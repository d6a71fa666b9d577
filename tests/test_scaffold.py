"""`briefgen init`: from nothing to a first brief."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefgen import config, pipeline
from briefgen.cli import main
from briefgen.errors import BriefgenError
from briefgen.scaffold import init_workspace

DAY = dt.date(2025, 1, 22)


def test_starter_workspace_validates_and_builds(tmp_path: Path) -> None:
    written = init_workspace(tmp_path, "border-watch", DAY)
    topic = tmp_path / "sources" / "border-watch"
    assert written == [
        topic / "sources.yaml",
        topic / "texts" / "example-report.txt",
        topic / "2025-W04.yaml",
        tmp_path / "output" / ".gitkeep",
        tmp_path / ".gitignore",
        tmp_path / "briefgen.toml",
    ]
    (valid,) = pipeline.check([tmp_path])
    assert valid.edition.period.label == "2025-W04"
    assert valid.edition.edition == DAY
    assert len(valid.edition.estimates) == 2
    result = pipeline.build([tmp_path], pipeline.BuildOptions(output=tmp_path / "out",
                                                              formats=["html"]))  # fmt: skip
    assert result.written == [tmp_path / "out" / "2025-01-22-border-watch.html"]


def test_every_key_of_the_notes_is_shown_with_a_comment(tmp_path: Path) -> None:
    init_workspace(tmp_path, "t", DAY)
    edition = (tmp_path / "sources" / "t" / "2025-W04.yaml").read_text(encoding="utf-8")
    for key in (
        "title:",
        "edition:",
        "period:",
        "marking:",
        "key_judgments:",
        "situation:",
        "estimates:",
        "questions:",
        "outlook:",
        "likelihood:",
        "confidence:",
        "quote:",
    ):
        assert key in edition  # fmt: skip
    assert edition.count("#") >= 10


def test_init_refuses_to_overwrite_and_keeps_an_existing_gitignore(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("mine\n", encoding="utf-8")
    init_workspace(tmp_path, "t", DAY)
    assert (tmp_path / ".gitignore").read_text(encoding="utf-8") == "mine\n"
    with pytest.raises(BriefgenError, match="already exists"):
        init_workspace(tmp_path, "t", DAY)
    init_workspace(tmp_path, "second-topic", DAY)  # a second topic in the same workspace
    assert len(pipeline.check([tmp_path])) == 2


def test_init_from_the_command_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["init", "ws", "--topic", "Bad Name"])
    assert result.exit_code == 1
    assert "use lowercase letters, digits and hyphens" in result.stderr
    result = CliRunner().invoke(main, ["init", "ws"])
    assert result.exit_code == 0
    assert "ws/sources/my-topic/sources.yaml" in result.stdout
    assert "Next: cd ws && briefgen build" in result.stderr


@pytest.mark.parametrize(
    ("blocker", "message"),
    [
        ("sources", "sources: a file is in the way"),
        ("output", "output: a file is in the way"),
        ("sources/border-watch", "sources/border-watch already exists"),
    ],
)
def test_init_where_a_file_is_in_the_way_says_so_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, blocker: str, message: str
) -> None:
    (tmp_path / blocker).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / blocker).write_text("not a folder\n")
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["init", ".", "--topic", "border-watch"])
    assert result.exit_code == 1, result.output
    assert message in result.output
    assert "internal error" not in result.output
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before


# --- init --week, and the briefgen.toml it writes --------------------------------------


def test_init_week_creates_that_weeks_edition(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["init", "ws", "--topic", "border", "--week", "2024-W50"])
    assert result.exit_code == 0, result.output
    assert "ws/sources/border/2024-W50.yaml" in result.stdout
    edition = tmp_path / "ws" / "sources" / "border" / "2024-W50.yaml"
    (valid,) = pipeline.check([edition])
    assert valid.edition.period.label == "2024-W50"
    assert valid.edition.edition == dt.date(2024, 12, 15)  # the week's Sunday
    registry = (edition.parent / "sources.yaml").read_text(encoding="utf-8")
    assert "published: 2024-12-15" in registry  # no source from after the brief
    result = CliRunner().invoke(main, ["build", "ws", "-f", "html", "-o", "out"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "2024-12-15-border.html").is_file()


def test_init_week_of_today_keeps_todays_date(tmp_path: Path) -> None:
    init_workspace(tmp_path, "t", DAY, week="2025-W04")
    (valid,) = pipeline.check([tmp_path])
    assert valid.edition.edition == DAY


@pytest.mark.parametrize(
    ("week", "message"),
    [
        ("2025-W60", "Error: --week 2025-W60: 2025-W60 is not an ISO week; 2025 has weeks 01"),
        ("2025-01", "Error: --week 2025-01: not a period ('2025-01'); write an ISO week like"),
        ("2025-01-01 to 2025-01-31", "Error: --week 2025-01-01 to 2025-01-31: give an ISO week"),
        ("last week", "Error: --week last week: "),
    ],
)
def test_init_refuses_a_malformed_week_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, week: str, message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["init", "ws", "--week", week])
    assert result.exit_code == 1
    assert result.stderr.startswith(message), result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "ws").exists()


def test_init_writes_a_commented_config_that_is_valid_and_fills_in(tmp_path: Path) -> None:
    init_workspace(tmp_path, "t", DAY)
    path = tmp_path / "briefgen.toml"
    toml = path.read_text(encoding="utf-8")
    assert all(not line or line.startswith("#") for line in toml.splitlines())
    assert config.load(tmp_path) == config.Config(root=tmp_path)  # valid as written
    # every setting it shows is a real one: uncommented, the file loads with them
    setting = re.compile(r"# (\[[a-z.]+\]|[a-z_]+ = .*)")
    assert sum(setting.fullmatch(line) is not None for line in toml.splitlines()) >= 12
    lines = [line[2:] if setting.fullmatch(line) else line for line in toml.splitlines()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    filled = config.load(tmp_path)
    assert filled.mail.sender == "Your Desk <desk@example.org>"
    assert filled.mail.lists == {"readers": ["Ann <ann@example.org>", "bob@example.org"]}
    assert (filled.smtp.host, filled.smtp.port, filled.smtp.security) == (
        "smtp.example.org", 587, "starttls"
    )  # fmt: skip
    assert filled.brief.author == "Your Desk"
    assert "--list readers" in toml  # the command that uses the list, shown beside it


def test_init_keeps_an_existing_config(tmp_path: Path) -> None:
    (tmp_path / "briefgen.toml").write_text('[brief]\nauthor = "Mine"\n', encoding="utf-8")
    written = init_workspace(tmp_path, "t", DAY)
    assert tmp_path / "briefgen.toml" not in written
    assert config.load(tmp_path).brief.author == "Mine"

"""The command line: exit codes, messages on stderr, and nothing lost on failure."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from briefgen.cli import main
from conftest import edit, sample_copy


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def test_check_valid_workspace_exits_0(workspace: Path) -> None:
    result = run("check")
    assert result.exit_code == 0
    assert result.stdout == "1 edition valid.\n"


def test_check_reports_every_problem_and_exits_1(workspace: Path, edition: Path) -> None:
    edit(edition, "likelihood: likely", "likelihood: maybe")
    edit(edition, "    estimator: South Korea NIS\n", "")
    result = run("check")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "sources/demo/2025-W03.yaml:20: estimates[0].estimator: required; add 'estimator:'",
        "sources/demo/2025-W03.yaml:39: outlook[0].likelihood: 'maybe' is not an ICD 203 "
        "likelihood term; use one of: almost no chance (or remote), very unlikely (or highly "
        "improbable), unlikely (or improbable), roughly even chance (or roughly even odds), "
        "likely (or probable), very likely (or highly probable), almost certain (or nearly "
        "certain)",
        "2 problems in 1 file.",
    ]


def test_build_writes_pdf_and_docx_by_default_and_prints_their_paths(workspace: Path) -> None:
    result = run("build")
    assert result.exit_code == 0, result.output
    assert result.stdout == "output/2025-01-19-demo.pdf\noutput/2025-01-19-demo.docx\n"
    assert (workspace / "output" / "2025-01-19-demo.pdf").read_bytes().startswith(b"%PDF-")
    assert (workspace / "output" / "2025-01-19-demo.docx").read_bytes().startswith(b"PK")


def test_build_html_into_another_folder(workspace: Path) -> None:
    result = run("build", "sources/demo", "-f", "html", "-o", "elsewhere")
    assert result.exit_code == 0, result.output
    assert result.stdout == "elsewhere/2025-01-19-demo.html\n"
    assert not (workspace / "output" / "2025-01-19-demo.pdf").exists()


def test_failed_build_leaves_the_previous_brief_untouched(workspace: Path, edition: Path) -> None:
    assert run("build", "-f", "pdf", "-f", "docx", "-f", "html").exit_code == 0
    outputs = sorted(p for p in (workspace / "output").rglob("*") if p.is_file())
    before = {path: path.read_bytes() for path in outputs}
    edit(edition, "cite: [desk-memo]", "cite: []")
    result = run("build", "-f", "pdf", "-f", "docx", "-f", "html")
    assert result.exit_code == 1
    assert "estimates[1].cite: no citation" in result.stderr
    assert "Traceback" not in result.output
    after = sorted(p for p in (workspace / "output").rglob("*") if p.is_file())
    assert {path: path.read_bytes() for path in after} == before


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("build", "nowhere"), 1, "nowhere: no such file or folder"),
        (("build", "sources/demo/sources.yaml"), 1, "not an edition file"),
        (("build", "-f", "odt"), 2, "Invalid value for '-f'"),
        (("frobnicate",), 2, "No such command"),
    ],
)
def test_bad_usage(workspace: Path, args: tuple[str, ...], code: int, message: str) -> None:
    result = run(*args)
    assert result.exit_code == code
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_yaml_syntax_error_is_one_line_with_file_and_line(workspace: Path, edition: Path) -> None:
    edit(edition, "title: North", "title: [North")
    result = run("check")
    assert result.exit_code == 1
    assert result.stderr.startswith("sources/demo/2025-W03.yaml:")
    assert "YAML syntax error" in result.stderr


def test_css_mistakes_in_a_user_stylesheet_are_warnings_on_stderr(workspace: Path) -> None:
    (workspace / "templates").mkdir()
    (workspace / "templates" / "brief.css").write_text("body { colr: red; }\n", encoding="utf-8")
    result = run("build", "-f", "pdf")
    assert result.exit_code == 0
    assert result.stdout == "output/2025-01-19-demo.pdf\n"
    assert result.stderr == (
        "warning: 2025-01-19-demo.pdf: Ignored `colr: red` at 2:8, unknown property.\n"
    )


def test_outputs_get_ordinary_permissions_not_a_temp_file_s(workspace: Path) -> None:
    assert run("build").exit_code == 0
    mode = (workspace / "output" / "2025-01-19-demo.pdf").stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    assert mode == 0o666 & ~umask


def test_building_the_same_edition_twice_gives_the_same_bytes(workspace: Path) -> None:
    assert run("build", "-o", "one").exit_code == 0
    assert run("build", "-o", "two").exit_code == 0
    for name in ("2025-01-19-demo.pdf", "2025-01-19-demo.docx"):
        assert (workspace / "one" / name).read_bytes() == (workspace / "two" / name).read_bytes()


def test_build_latest_and_week_select_editions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sample_copy(tmp_path, monkeypatch)
    assert run("build", "--latest", "-f", "html").stdout == "output/2025-02-23-nk-russia.html\n"
    assert run("build", "--week", "2025-W04", "-f", "html").stdout == (
        "output/2025-01-26-nk-russia.html\n"
    )
    result = run("build", "--week", "2025-W05", "-f", "html")
    assert result.exit_code == 1
    assert "no edition covers 2025-W05" in result.stderr


def test_week_matches_an_edition_named_by_date_range_by_its_period(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = sample_copy(tmp_path, monkeypatch)
    topic = root / "sources" / "nk-russia"
    (topic / "2025-W04.yaml").rename(topic / "2025-01-late.yaml")
    edit(topic / "2025-01-late.yaml", "period: 2025-W04", "period: 2025-01-20 to 2025-01-26")
    assert run("build", "--week", "2025-W04", "-f", "html").stdout == (
        "output/2025-01-26-nk-russia.html\n"
    )


def test_diff_of_a_topic_compares_its_last_two_editions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sample_copy(tmp_path, monkeypatch)
    result = run("diff", "sources/nk-russia")
    assert result.exit_code == 0
    assert result.stdout.startswith("Changes from 2025-W04 (2025-01-26) to 2025-W08 (2025-02-23)\n")
    result = run("diff", "sources/nk-russia/2025-W03.yaml", "sources/nk-russia/2025-W08.yaml",
                 "--json")  # fmt: skip
    data = json.loads(result.stdout)
    assert (data["old"], data["new"]) == ("2025-W03 (2025-01-19)", "2025-W08 (2025-02-23)")
    moved = [c for c in data["changes"] if c["kind"] == "judgment-moved"]
    assert moved[0]["likelihood_old"] == "unlikely"
    assert moved[0]["likelihood_new"] == "roughly even chance"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("diff", "sources/nk-russia/2025-W03.yaml"), "give two edition files (OLD NEW)"),
        (("diff", "nowhere", "sources/nk-russia/2025-W03.yaml"), "nowhere: no such file"),
    ],
)
def test_diff_bad_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...], message: str
) -> None:
    sample_copy(tmp_path, monkeypatch)
    result = run(*args)
    assert result.exit_code == 1
    assert message in result.stderr


def test_an_unchanged_rebuild_skips_rendering_and_any_change_rebuilds(workspace: Path) -> None:
    assert run("build").stdout == "output/2025-01-19-demo.pdf\noutput/2025-01-19-demo.docx\n"
    again = run("build")
    assert again.exit_code == 0
    assert again.stdout == (
        "output/2025-01-19-demo.docx (up to date)\noutput/2025-01-19-demo.pdf (up to date)\n"
    )
    (workspace / "sources" / "demo" / "texts" / "reaction.txt").write_text(
        "changed", encoding="utf-8"
    )
    changed = run("build")
    assert changed.exit_code == 1  # the quotes no longer occur in the changed text
    assert "quote not found" in changed.stderr
    assert run("build", "--force", "-f", "html").exit_code == 1


def test_a_touched_or_deleted_output_is_rebuilt(workspace: Path) -> None:
    run("build")
    pdf = workspace / "output" / "2025-01-19-demo.pdf"
    pdf.write_bytes(b"edited by hand")
    assert run("build").stdout.startswith("output/2025-01-19-demo.pdf\n")
    assert pdf.read_bytes().startswith(b"%PDF")
    (workspace / "briefgen.toml").write_text("[brief]\nauthor = 'X'\n", encoding="utf-8")
    assert "(up to date)" not in run("build").stdout  # config is an input too


def test_parallel_builds_write_the_same_files_as_one_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sample_copy(tmp_path, monkeypatch)
    one = run("build", "-j", "1", "-o", "one", "-f", "pdf", "-f", "docx", "--no-charts")
    two = run("build", "-j", "2", "-o", "two", "-f", "pdf", "-f", "docx", "--no-charts")
    assert one.exit_code == two.exit_code == 0
    assert one.stdout.replace("one/", "") == two.stdout.replace("two/", "")
    for path in sorted(p for p in (tmp_path / "one").glob("*.*") if p.is_file()):
        assert path.read_bytes() == (tmp_path / "two" / path.name).read_bytes(), path.name
    assert "editions" not in two.stderr  # no progress bar when stderr is not a terminal

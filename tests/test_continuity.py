"""Across editions: `check` refuses a moved judgment without a reason and a judgment come
due without an outcome, at the line; the brief says what moved and why, and how a
judgment came out, once."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner, Result

from briefgen.cli import main
from conftest import edit, shown

REASON = """
    reason:
      text: The desk memo reports a second contingent in training.
      cite: [desk-memo]"""


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def next_edition(edition: Path) -> Path:
    """W04 of the test topic: W03's notes, a week later."""
    later = edition.with_name("2025-W04.yaml")
    later.write_text(edition.read_text(encoding="utf-8"), encoding="utf-8")
    edit(later, "edition: 2025-01-19\nperiod: 2025-W03", "edition: 2025-01-26\nperiod: 2025-W04")
    return later


def line_of(path: Path, text: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if text in line)


def test_move_without_reason_refused_at_its_line(workspace: Path, edition: Path) -> None:
    later = next_edition(edition)
    edit(later, "likelihood: likely", "likelihood: very likely")
    result = run("check", str(later))
    assert result.exit_code == 1
    line = line_of(later, "likelihood: very likely")
    assert (
        f"sources/demo/2025-W04.yaml:{line}: outlook[0].likelihood: likelihood moved likely → "
        "very likely since 2025-01-19; add reason: with a text and cite"
    ) in result.stderr
    assert "Traceback" not in result.output
    # both moved: one problem that names both
    edit(later, "confidence: moderate", "confidence: high")
    result = run("check", str(later))
    assert "likelihood moved likely → very likely and confidence moved moderate → high" in (
        result.stderr
    )


def test_confidence_move_alone_points_at_confidence(workspace: Path, edition: Path) -> None:
    later = next_edition(edition)
    edit(later, "confidence: moderate", "confidence: low")
    result = run("check", str(later))
    line = line_of(later, "confidence: low")
    assert f"2025-W04.yaml:{line}: outlook[0].confidence: confidence moved moderate → low" in (
        result.stderr
    )


def test_move_with_reason_is_valid_and_the_brief_says_why(
    workspace: Path, edition: Path, tmp_path: Path
) -> None:
    later = next_edition(edition)
    edit(later, "likelihood: likely", "likelihood: very likely" + REASON)
    assert run("check").exit_code == 0, run("check").output
    result = run("build", str(later), "-f", "html", "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    html = (tmp_path / "out" / "2025-01-26-demo.html").read_text(encoding="utf-8")
    section = html[html.index('id="changes"') : html.index('id="situation"')]
    text = re.sub(r"<[^>]+>", "", section)
    assert "▲ likely → very likely: North Korea will send more troops to Russia in the coming" in (
        text
    )
    assert "Reason: The desk memo reports a second contingent in training." in text


def test_reason_carried_from_last_move_is_not_a_reason(workspace: Path, edition: Path) -> None:
    edit(edition, "likelihood: likely", "likelihood: likely" + REASON)  # W03 gives one
    later = next_edition(edition)
    edit(later, "likelihood: likely", "likelihood: unlikely")
    result = run("check", str(later))
    line = line_of(later, "reason:")
    assert (
        f"2025-W04.yaml:{line}: outlook[0].reason: likelihood moved likely → unlikely since "
        "2025-01-19, but reason: is the one 2025-01-19's edition gave; say why it moved this time"
    ) in result.stderr


def test_judgment_come_due_asks_for_an_outcome(workspace: Path, edition: Path) -> None:
    edit(edition, "confidence: moderate", "confidence: moderate\n    by: 2025-01-19")
    assert run("check", str(edition)).exit_code == 0  # the day itself is still in the frame
    later = next_edition(edition)
    result = run("check", str(later))
    assert result.exit_code == 1
    line = line_of(later, "by: 2025-01-19")
    assert (
        f"2025-W04.yaml:{line}: outlook[0].by: came due on 2025-01-19; add outcome: happened / "
        "did not happen / withdrawn, with cite"
    ) in result.stderr


def test_outcome_reported_once_and_leaves_the_outlook(
    workspace: Path, edition: Path, tmp_path: Path
) -> None:
    edit(edition, "confidence: moderate", "confidence: moderate\n    by: 2025-01-19")
    later = next_edition(edition)
    outcome = "\n    outcome: {result: did not happen, text: None arrived., cite: [desk-memo]}"
    notes = later.read_text(encoding="utf-8")  # the outlook judgment is the file's last item
    later.write_text(notes.rstrip("\n") + outcome + "\n", encoding="utf-8")
    assert run("check").exit_code == 0, run("check").output
    assert run("build", str(later), "-f", "html", "-o", str(tmp_path / "out")).exit_code == 0
    html = shown((tmp_path / "out" / "2025-01-26-demo.html").read_text(encoding="utf-8"))
    text = re.sub(r"<[^>]+>", "", html[html.index('id="changes"') :])
    assert (
        "Did not happen: North Korea will send more troops to Russia in the coming months "
        "(judged likely, moderate confidence). None arrived."
    ) in text
    # not an open forecast any more: the outlook (empty now) does not list it
    assert text.count("will send more troops") == 1


def test_first_edition_has_nothing_to_explain(workspace: Path, edition: Path) -> None:
    edit(edition, "likelihood: likely", "likelihood: very likely")
    assert run("check").exit_code == 0

"""`briefgen new`: the next edition, carried over from the last one."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from briefgen import pipeline
from briefgen.cli import main
from briefgen.editions import new_edition
from briefgen.errors import BriefgenError, InvalidNotes
from briefgen.models import smart_quotes
from conftest import sample_copy


@pytest.fixture
def sample(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the sample workspace, as the working directory."""
    return sample_copy(tmp_path, monkeypatch) / "sources" / "nk-russia"


def test_new_starts_the_week_after_the_latest_with_what_carries_over(sample: Path) -> None:
    path = new_edition("nk-russia")
    assert path == Path("sources/nk-russia/2025-W09.yaml")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    last = yaml.safe_load((sample / "2025-W08.yaml").read_text(encoding="utf-8"))
    assert data["period"] == "2025-W09"
    assert str(data["edition"]) == "2025-03-02"
    assert (data["title"], data["marking"], data["author"]) == (
        "North Korean forces in Russia’s war", "UNCLASSIFIED", "Korea Desk"
    )  # fmt: skip
    assert data["key_judgments"] == data["situation"] == []
    assert [q["text"] for q in data["questions"]] == [
        smart_quotes(" ".join(q["text"].split())) for q in last["questions"] if "answer" not in q
    ]
    assert len(data["questions"]) == len(last["questions"]) - 1  # W08 answers one
    assert [q["id"] for q in data["questions"]][:2] == ["pow-fate", "more-troops"]
    assert [(j["likelihood"], j["confidence"]) for j in data["outlook"]] == [
        (j["likelihood"], j["confidence"]) for j in last["outlook"]
    ]
    assert len(data["estimates"]) == len(last["estimates"])  # one per quantity and estimator
    text = path.read_text(encoding="utf-8")
    assert "# Two to five lines: the bottom line of this edition, each cited." in text
    assert "# What happened in the period, one cited line each." in text


def test_the_new_file_fails_check_only_where_the_analyst_must_write(sample: Path) -> None:
    path = new_edition("nk-russia")
    with pytest.raises(InvalidNotes) as info:
        pipeline.check([path])
    assert [(p.line, p.where) for p in info.value.problems] == [
        (13, "key_judgments"),
        (16, "situation"),
    ]


def test_filling_two_lines_gives_a_valid_edition_that_builds(sample: Path) -> None:
    path = new_edition("nk-russia")
    line = "  - text: Nothing new was reported.\n    cite: [joongang-2025-02-19]\n"
    text = path.read_text(encoding="utf-8")
    text = text.replace("key_judgments: []\n", "key_judgments:\n" + line)
    text = text.replace("situation: []\n", "situation:\n" + line)
    path.write_text(text, encoding="utf-8")
    (valid,) = pipeline.check([path])
    assert valid.edition.period.label == "2025-W09"
    result = pipeline.build([path], pipeline.BuildOptions(formats=["html"]))
    assert result.written == [Path("output/2025-03-02-nk-russia.html")]


def test_answered_questions_do_not_carry_over(sample: Path) -> None:
    latest = sample / "2025-W08.yaml"
    before = yaml.safe_load(latest.read_text(encoding="utf-8"))
    assert sum("answer" in q for q in before["questions"]) == 1
    text = latest.read_text(encoding="utf-8")
    cite = text.index("    cite:", text.index("id: pow-fate"))
    latest.write_text(text[:cite] + "    answer: Yes.\n" + text[cite:], encoding="utf-8")
    data = yaml.safe_load(new_edition("nk-russia").read_text(encoding="utf-8"))
    assert "pow-fate" not in [q["id"] for q in data["questions"]]
    assert len(data["questions"]) == len(before["questions"]) - 2


def test_new_refuses_to_overwrite_and_explains(sample: Path) -> None:
    with pytest.raises(BriefgenError, match=r"2025-W08\.yaml already exists"):
        new_edition("nk-russia", "2025-W08")
    new_edition("nk-russia")
    before = (sample / "2025-W09.yaml").read_bytes()
    result = CliRunner().invoke(main, ["new", "nk-russia", "--week", "2025-W09"])
    assert result.exit_code == 1
    assert "already exists" in result.stderr
    assert (sample / "2025-W09.yaml").read_bytes() == before


def test_new_from_an_incomplete_edition_says_which_one(sample: Path) -> None:
    new_edition("nk-russia")
    result = CliRunner().invoke(main, ["new", "nk-russia"])
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "The edition to start from, 2025-W09.yaml, must be valid first:\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["new", "nowhere"], "no topic 'nowhere'"),
        (["new", "nk-russia", "--week", "2025-W60"], "2025 has weeks 01 to 52"),
        (["new", "nk-russia", "--week", "2025-01-01 to 2025-01-31"], "give an ISO week"),
    ],
)
def test_new_bad_input(sample: Path, args: list[str], message: str) -> None:
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    assert message in result.stderr


def test_a_week_in_the_past_starts_from_the_edition_before_it(sample: Path) -> None:
    path = new_edition("nk-russia", "2025-W05")
    assert path.read_text(encoding="utf-8").startswith(
        "# 2025-W05: started from 2025-W04.yaml by `briefgen new`."
    )

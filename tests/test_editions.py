"""`briefgen new`: the next edition, carried over from the last one."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from briefgen import pipeline
from briefgen.cli import main
from briefgen.editions import new_edition
from briefgen.errors import BriefgenError, InvalidNotes
from briefgen.scaffold import init_workspace
from conftest import sample_copy


@pytest.fixture
def sample(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the sample workspace, as the working directory."""
    return sample_copy(tmp_path, monkeypatch) / "sources" / "nk-russia"


def test_new_starts_the_week_after_the_latest_with_what_carries_over(sample: Path) -> None:
    path = new_edition("nk-russia")
    assert path == Path("sources/nk-russia/2025-W09.yaml")
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    last = yaml.safe_load((sample / "2025-W08.yaml").read_text(encoding="utf-8"))
    assert data["period"] == "2025-W09"
    assert str(data["edition"]) == "2025-03-02"
    assert (data["title"], data["marking"], data["author"]) == (
        "North Korean forces in Russia's war", "UNCLASSIFIED", "Korea Desk"
    )  # fmt: skip
    assert data["key_judgments"] == data["situation"] == []
    assert not any("answer" in q for q in last["questions"])  # W08 answers none: all carry
    assert data["questions"] == last["questions"]
    assert [q["id"] for q in data["questions"]][:2] == ["pow-fate", "more-troops"]
    assert not any("outcome" in j for j in last["outlook"])
    assert any("reason" in j for j in last["outlook"])  # W08 explains one move
    assert data["outlook"] == [
        {k: v for k, v in j.items() if k != "reason"} for j in last["outlook"]
    ]
    assert data["estimates"] == last["estimates"]  # one per quantity and estimator already
    assert "# Two to five lines: the bottom line of this edition, each cited." in text
    assert "# What happened in the period, one cited line each." in text


def test_new_keeps_every_comment_of_what_carries_over_as_written(sample: Path) -> None:
    w08 = without_reasons((sample / "2025-W08.yaml").read_text(encoding="utf-8"))
    text = new_edition("nk-russia").read_text(encoding="utf-8")
    # everything from the estimates on carries over byte for byte but the `reason:` of
    # last week's move: comments, quoting ("2" stays a quoted string), the line breaks
    tail = w08[w08.index("# Estimates: W04's") :]
    assert text.endswith(tail)
    assert '    estimate: "2"\n' in text
    # the header keeps its comment block; only the date and the period change
    head = w08[: w08.index("key_judgments:")]
    head = head.replace("edition: 2025-02-23", "edition: 2025-03-02")
    assert head.replace("period: 2025-W08", "period: 2025-W09") in text
    # the comments that go are exactly those inside the key judgments and situation
    kept = set(comments(text))
    dropped = [c for c in comments(w08) if c not in kept]
    body = w08[w08.index("key_judgments:") : w08.index("# Estimates: W04's")]
    assert dropped and dropped == comments(body)


def without_reasons(text: str) -> str:
    """The notes without the `reason:` blocks of their outlook judgments."""
    kept, inside = [], False
    for line in text.splitlines(keepends=True):
        if line.startswith("    reason:"):
            inside = True
            continue
        if inside and (line.startswith("      ") or not line.strip()):
            continue
        inside = False
        kept.append(line)
    return "".join(kept)


def test_new_drops_the_reason_of_last_week_s_move_and_numbers_the_edition(sample: Path) -> None:
    w08 = sample / "2025-W08.yaml"
    text = w08.read_text(encoding="utf-8")
    head = "number: 7\norganisation: Korea Desk, Analysis Unit\ncontact: desk@example.org\n"
    w08.write_text(text.replace("key_judgments:", head + "key_judgments:", 1), encoding="utf-8")
    data = yaml.safe_load(new_edition("nk-russia").read_text(encoding="utf-8"))
    assert (data["number"], data["organisation"], data["contact"]) == (
        8, "Korea Desk, Analysis Unit", "desk@example.org"
    )  # fmt: skip
    assert not any("reason" in judgment for judgment in data["outlook"])
    assert any(j["text"].startswith("At least one of the two captured") for j in data["outlook"])


def comments(text: str) -> list[str]:
    """The comment lines of a notes file, and its end-of-line comments, stripped."""
    found = []
    for line in text.splitlines():
        if line.lstrip().startswith("#"):
            found.append(line.strip())
        elif " # " in line:
            found.append(line[line.index(" # ") :].strip())
    return found


def test_the_new_file_fails_check_only_where_the_analyst_must_write(sample: Path) -> None:
    path = new_edition("nk-russia")
    lines = path.read_text(encoding="utf-8").splitlines()
    with pytest.raises(InvalidNotes) as info:
        pipeline.check([path])
    assert [(p.line, p.where) for p in info.value.problems] == [
        (lines.index("key_judgments: []") + 1, "key_judgments"),
        (lines.index("situation: []") + 1, "situation"),
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
    assert sum("answer" in q for q in before["questions"]) == 0
    text = latest.read_text(encoding="utf-8")
    cite = text.index("    cite:", text.index("id: pow-fate"))
    latest.write_text(text[:cite] + "    answer: Yes.\n" + text[cite:], encoding="utf-8")
    new = new_edition("nk-russia").read_text(encoding="utf-8")
    data = yaml.safe_load(new)
    assert "pow-fate" not in [q["id"] for q in data["questions"]]
    assert data["questions"] == before["questions"][1:]
    # the answered question's lines are gone, and nothing else of the section moved
    section = text[text.index("questions:\n") : text.index("\noutlook:")]
    first, second = section.index("  - id: pow-fate"), section.index("  - id: more-troops")
    assert section[:first] + section[second:] in new


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


# --- a file full of comments ------------------------------------------------------------

COMMENTED = """\
# Desk notes for week 4: the file's own header comment.

# The title stays.
title: Border watch   # an end-of-line comment
edition: "2025-01-26"  # quoted, and stays quoted
period: '2025-W04'
marking: UNCLASSIFIED
summary: >
  This week's summary only: it does not carry over.
key_judgments:
  # inside the key judgments: goes with them
  - text: Troops are massing at the border.  # goes with its line
    cite: [example-report]
situation:
  - text: The ministry said so.
    cite: [example-report]

# Estimates: the comment above the key stays.
estimates:
  # above the older ministry figure: goes with it
  - quantity: Troops at the border
    estimate: about 1,000
    estimator: Example Ministry
    as_of: 2025-01-10
    cite: [example-report]
  - quantity: Troops at the border
    estimate: 'about 2,000'   # single-quoted, stays so
    estimator: Example Ministry
    as_of: 2025-01-22
    cite: [example-report]
    # after the item, indented under it: stays with it

  # a group of its own, above its first item
  - quantity: Troops at the border
    estimate: more than 3,000
    estimator: Independent monitoring group
    as_of: 2025-01-22
    note: |
      A literal block keeps its lines.
      # Not a comment: a line of the note.
    cite: [
      example-report,  # inside a flow list
    ]

questions:
  - id: answered
    # why it is settled: goes with it
    text: Did the ministry confirm the figure?
    answer: Yes, on Monday.
    cite: [example-report]
  # between two questions: goes with the next one
  - id: open
    text: Will more units follow, and from
      where? Nobody says yet.   # after a wrapped text
    cite: [example-report]

outlook:
  - id: resolved
    text: The border will close within a week.
    likelihood: unlikely
    confidence: low
    by: 2025-01-25
    outcome:
      result: did not happen
      cite: [example-report]
    cite: [example-report]
  - id: due
    text: More troops will arrive before February.
    likelihood: likely
    confidence: moderate
    by: 2025-01-31
    cite: [example-report]
  - text: The talks will resume within three months.
    likelihood: roughly even chance   # ICD 203
    confidence: low
    cite:
      - example-report  # a comment in a block list
"""

CARRIED = """\
# 2025-W05: started from 2025-W04.yaml by `briefgen new`.
# Carried over: open questions, outlook and the latest estimates. Review each one:
# revise what moved, give a question an `answer:` when it is settled, and cite
# this week's sources.

# Desk notes for week 4: the file's own header comment.

# The title stays.
title: Border watch   # an end-of-line comment
edition: "2025-02-02"  # quoted, and stays quoted
period: '2025-W05'
marking: UNCLASSIFIED
# Two to five lines: the bottom line of this edition, each cited.
key_judgments: []
# What happened in the period, one cited line each.
situation: []

# Estimates: the comment above the key stays.
estimates:
  - quantity: Troops at the border
    estimate: 'about 2,000'   # single-quoted, stays so
    estimator: Example Ministry
    as_of: 2025-01-22
    cite: [example-report]
    # after the item, indented under it: stays with it

  # a group of its own, above its first item
  - quantity: Troops at the border
    estimate: more than 3,000
    estimator: Independent monitoring group
    as_of: 2025-01-22
    note: |
      A literal block keeps its lines.
      # Not a comment: a line of the note.
    cite: [
      example-report,  # inside a flow list
    ]

questions:
  # between two questions: goes with the next one
  - id: open
    text: Will more units follow, and from
      where? Nobody says yet.   # after a wrapped text
    cite: [example-report]

outlook:
  # Came due on 2025-01-31: give it an `outcome:` (happened / did not happen / withdrawn, \
cited), or a later `by:` with a `reason:`.
  - id: due
    text: More troops will arrive before February.
    likelihood: likely
    confidence: moderate
    by: 2025-01-31
    cite: [example-report]
  - text: The talks will resume within three months.
    likelihood: roughly even chance   # ICD 203
    confidence: low
    cite:
      - example-report  # a comment in a block list
"""


@pytest.fixture
def commented(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A workspace whose one edition has comments everywhere YAML allows them."""
    init_workspace(tmp_path, "desk", dt.date(2025, 1, 22))
    monkeypatch.chdir(tmp_path)
    edition = tmp_path / "sources" / "desk" / "2025-W04.yaml"
    edition.write_text(COMMENTED, encoding="utf-8")
    pipeline.check([edition])  # the file to start from is valid
    return edition


def test_a_file_full_of_comments_comes_out_with_every_comment_in_place(commented: Path) -> None:
    result = CliRunner().invoke(main, ["new", "desk"])
    assert result.exit_code == 0, result.output
    text = (commented.parent / "2025-W05.yaml").read_text(encoding="utf-8")
    assert text == CARRIED
    # compared as comment lines: what goes is what belonged to the dropped parts
    gone = [c for c in comments(COMMENTED) if c not in comments(text)]
    assert gone == [
        "# inside the key judgments: goes with them",
        "# goes with its line",
        "# above the older ministry figure: goes with it",
        "# why it is settled: goes with it",
    ]


def test_the_commented_file_carried_over_asks_only_for_the_analysts_work(
    commented: Path,
) -> None:
    path = new_edition("desk")
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    with pytest.raises(InvalidNotes) as info:
        pipeline.check([path])
    assert [(p.line, p.where) for p in info.value.problems] == [
        (lines.index("key_judgments: []") + 1, "key_judgments"),
        (lines.index("situation: []") + 1, "situation"),
    ]
    line = "\n  - text: Nothing new.\n    cite: [example-report]\n"
    text = text.replace("key_judgments: []\n", "key_judgments:" + line)
    text = text.replace("situation: []\n", "situation:" + line)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidNotes) as info:  # then the judgment that came due, as the
        pipeline.check([path])  # comment above it says
    lines = text.splitlines()
    assert [(p.line, p.where) for p in info.value.problems] == [
        (lines.index("    by: 2025-01-31") + 1, "outlook[0].by")
    ]
    outcome = "    outcome:\n      result: happened\n      cite: [example-report]\n"
    text = text.replace("    by: 2025-01-31\n", "    by: 2025-01-31\n" + outcome)
    path.write_text(text, encoding="utf-8")
    (valid,) = pipeline.check([path])
    assert valid.edition.edition == dt.date(2025, 2, 2)
    assert [j.id for j in valid.edition.outlook] == ["due", None]
    assert [q.id for q in valid.edition.questions] == ["open"]
    # and the week after, the judgment with its outcome stays behind
    third = yaml.safe_load(new_edition("desk").read_text(encoding="utf-8"))
    assert [j.get("id") for j in third["outlook"]] == [None]


def test_a_banner_from_an_earlier_new_is_replaced_not_stacked(sample: Path) -> None:
    first = new_edition("nk-russia")
    text = first.read_text(encoding="utf-8")
    line = "\n  - text: Nothing new.\n    cite: [joongang-2025-02-19]\n"
    text = text.replace("key_judgments: []\n", "key_judgments:" + line)
    first.write_text(text.replace("situation: []\n", "situation:" + line), encoding="utf-8")
    second = new_edition("nk-russia").read_text(encoding="utf-8")
    assert second.count("by `briefgen new`") == 1
    assert second.startswith("# 2025-W10: started from 2025-W09.yaml by `briefgen new`.\n")
    assert second.count("# Two to five lines") == second.count("# What happened") == 1
    assert "\n\n\n" not in second
    assert second.endswith(text[text.index("# Estimates: W04's") :])


def test_a_judgment_given_a_later_by_gets_one_reminder_at_most(commented: Path) -> None:
    text = commented.read_text(encoding="utf-8")
    commented.write_text(text.replace("by: 2025-01-31", "by: 2025-02-10"), encoding="utf-8")
    path = new_edition("desk", "2025-W08")  # 2025-02-23: past the new time frame too
    text = path.read_text(encoding="utf-8")
    assert text.count("# Came due on 2025-02-10") == 1
    line = "\n  - text: Nothing new.\n    cite: [example-report]\n"
    text = text.replace("key_judgments: []\n", "key_judgments:" + line)
    text = text.replace("situation: []\n", "situation:" + line)
    reason = "    reason:\n      text: Talks slowed the move.\n      cite: [example-report]\n"
    text = text.replace("    by: 2025-02-10\n", "    by: 2025-03-10\n" + reason)
    path.write_text(text, encoding="utf-8")
    later = new_edition("desk", "2025-W12").read_text(encoding="utf-8")  # 2025-03-23
    assert "# Came due on 2025-02-10" not in later
    assert later.count("# Came due on 2025-03-10") == 1

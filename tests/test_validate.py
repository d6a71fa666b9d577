"""Checking notes: every problem, in every file, as `path:line: where: message`."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from briefgen.errors import BriefgenError, InvalidNotes, Problem
from briefgen.pipeline import check
from briefgen.validate import ValidEdition
from briefgen.workspace import resolve
from conftest import edit


def problems(*paths: Path) -> list[Problem]:
    with pytest.raises(InvalidNotes) as info:
        check(list(paths))
    return info.value.problems


def only(edition: Path) -> Problem:
    found = problems(edition)
    assert len(found) == 1, "\n".join(map(str, found))
    return found[0]


def registry(edition: Path) -> Path:
    return edition.parent / "sources.yaml"


def assert_problem(problem: Problem, path: Path, line: int, where: str, message: str) -> None:
    assert problem.path.resolve() == path.resolve()
    assert (problem.line, problem.where) == (line, where)
    assert message in problem.message


# --- a valid workspace ------------------------------------------------------------------


def test_valid_edition(edition: Path) -> None:
    (valid,) = check([edition])
    assert isinstance(valid, ValidEdition)
    assert valid.file.path == edition.resolve()
    assert valid.file.topic == "demo"
    assert valid.edition.edition == dt.date(2025, 1, 19)
    assert valid.edition.period.iso_week == "2025-W03"
    assert len(valid.edition.estimates) == 3
    assert "desk-memo" in valid.registry
    assert "reaction-2025-01-13" in valid.registry


def test_no_path_checks_every_edition_under_sources(workspace: Path) -> None:
    (valid,) = check([])
    assert valid.file.path == (workspace / "sources/demo/2025-W03.yaml").resolve()


# --- YAML and shape ---------------------------------------------------------------------


def test_yaml_syntax_error(edition: Path) -> None:
    edit(edition, "  - text: North Korea is taking", "  - text: Note: North Korea is taking")
    problem = only(edition)
    assert_problem(problem, edition, 7, "", "YAML syntax error: a colon followed by a space")
    assert str(problem).startswith(
        "sources/demo/2025-W03.yaml:7: YAML syntax error: a colon followed by a space (': ') "
        "inside unquoted text starts a new key in YAML; put the whole text in double quotes"
    )


def test_edition_that_is_not_a_mapping(edition: Path) -> None:
    edition.write_text("- just\n- a list\n", encoding="utf-8")
    assert_problem(only(edition), edition, 1, "", "expected a mapping of keys")


def test_unknown_key_suggests_the_nearest(edition: Path) -> None:
    edit(edition, "  - text: Ukraine holds", "  - txt: Ukraine holds")
    found = {p.where: p for p in problems(edition)}
    assert_problem(
        found["key_judgments[1].txt"],
        edition,
        9,
        "key_judgments[1].txt",
        "unknown key 'txt'; did you mean 'text'?",
    )
    assert_problem(found["key_judgments[1].text"], edition, 9, "key_judgments[1].text", "required")


def test_unknown_top_level_key(edition: Path) -> None:
    edit(edition, "author: Korea Desk", "authr: Korea Desk")
    assert_problem(
        only(edition), edition, 5, "authr", "unknown key 'authr'; did you mean 'author'?"
    )


def test_unknown_key_with_no_near_match_lists_the_allowed(edition: Path) -> None:
    edit(edition, "    likelihood: likely", "    likelihood: likely\n    zzz: 1")
    assert_problem(
        only(edition),
        edition,
        41,
        "outlook[0].zzz",
        "unknown key 'zzz'; allowed here: id, text, likelihood, confidence, by, reason, "
        "outcome, caveat, cite",
    )


def test_missing_required_field_is_reported_at_the_item(edition: Path) -> None:
    edit(edition, "    estimator: Ukrainian president\n", "")
    problem = only(edition)
    assert_problem(problem, edition, 25, "estimates[1].estimator", "required; add 'estimator:'")
    assert str(problem) == (
        "sources/demo/2025-W03.yaml:25: estimates[1].estimator: required; add 'estimator:'"
    )


def test_too_many_key_judgments(edition: Path) -> None:
    edit(edition, "situation:", "  - {text: more, cite: [desk-memo]}\n" * 4 + "situation:")
    assert_problem(only(edition), edition, 6, "key_judgments", "has 6 items; keep it to 5")


# --- citations --------------------------------------------------------------------------


def test_empty_cite(edition: Path) -> None:
    edit(edition, "    cite: [reaction-2025-01-13]\nquestions", "    cite: []\nquestions")
    assert_problem(
        only(edition),
        edition,
        34,
        "estimates[2].cite",
        "no citation; every line must cite at least one source",
    )


def test_no_cite_key(edition: Path) -> None:
    edit(edition, "    cite: [reaction-2025-01-13]\nquestions", "questions")
    assert_problem(
        only(edition), edition, 30, "estimates[2].cite", "no citation; every line must cite"
    )


def test_uncited_key_judgment(edition: Path) -> None:
    edit(
        edition,
        "    cite: [reaction-2025-01-13, desk-memo]\n  - text: Ukraine",
        "  - text: Ukraine",
    )
    assert_problem(
        only(edition), edition, 7, "key_judgments[0].cite", "no citation; every line must cite"
    )


def test_unknown_source_id_suggests_the_nearest(edition: Path) -> None:
    edit(edition, "    cite: [desk-memo]\n  - quantity", "    cite: [desk-mem]\n  - quantity")
    assert_problem(
        only(edition),
        edition,
        29,
        "estimates[1].cite[0].source",
        "unknown source id 'desk-mem' (not in sources.yaml); did you mean 'desk-memo'?",
    )


def test_unknown_source_id_far_from_any_lists_the_known(edition: Path) -> None:
    edit(edition, "    cite: [desk-memo]\n  - quantity", "    cite: [zzzz]\n  - quantity")
    assert_problem(
        only(edition),
        edition,
        29,
        "estimates[1].cite[0].source",
        "known ids: desk-memo, reaction-2025-01-13",
    )


def test_quote_not_in_the_source(edition: Path) -> None:
    edit(edition, '"ready to exchange two', '"ready to swap two')
    assert_problem(
        only(edition),
        edition,
        18,
        "situation[0].cite[0].quote",
        "quote not found in reaction-2025-01-13 (texts/reaction.txt); closest: 'ready to "
        "exchange two captured North Korean soldiers' at texts/reaction.txt:1",
    )


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("Pyongyang’s soldiers", "Pyongyang's soldiers"),  # curly → straight apostrophe
        ("around 300 of Pyongyang’s", "AROUND  300 OF PYONGYANG’S"),  # case and spacing
    ],
)
def test_quote_differing_in_marks_case_or_spacing_is_accepted(
    edition: Path, old: str, new: str
) -> None:
    edit(edition, old, new)
    assert check([edition])


@pytest.mark.parametrize(
    "quote",
    [
        "'it was \"just a training exercise\"'",  # straight quotes; the source has curly ones
        '"Pyongyang’s military — and shed further light"',  # em dash; the source has " - "
        '"ready to exchange two captured\n          North Korean soldiers"',  # a line break
    ],
)
def test_quote_differing_in_quotes_dashes_or_line_breaks_is_accepted(
    edition: Path, quote: str
) -> None:
    edit(edition, '"ready to exchange two captured North Korean soldiers"', quote)
    assert check([edition])


# --- values ------------------------------------------------------------------------------


def test_likelihood_not_on_the_icd_203_scale(edition: Path) -> None:
    edit(edition, "likelihood: likely", "likelihood: likley")
    assert_problem(
        only(edition),
        edition,
        40,
        "outlook[0].likelihood",
        "'likley' is not an ICD 203 likelihood term; did you mean 'likely'? use one of: "
        "almost no chance (or remote), very unlikely (or highly improbable), unlikely (or "
        "improbable), roughly even chance (or roughly even odds), likely (or probable), very "
        "likely (or highly probable), almost certain (or nearly certain)",
    )


def test_likelihood_case_and_spacing_do_not_matter(edition: Path) -> None:
    edit(edition, "likelihood: likely", "likelihood: Very  Likely")
    (valid,) = check([edition])
    assert valid.edition.outlook[0].likelihood == "very likely"


def test_confidence_not_on_the_scale(edition: Path) -> None:
    edit(edition, "confidence: moderate", "confidence: medium")
    assert_problem(only(edition), edition, 41, "outlook[0].confidence", "'medium' is not allowed")


def test_invalid_date(edition: Path) -> None:
    edit(edition, "as_of: 2025-01-10", "as_of: Jan 2025")
    assert_problem(
        only(edition),
        edition,
        28,
        "estimates[1].as_of",
        "not a date ('Jan 2025'); write YYYY-MM-DD",
    )


def test_impossible_date_in_quotes(edition: Path) -> None:
    edit(edition, "as_of: 2025-01-10", 'as_of: "2025-02-30"')
    assert_problem(
        only(edition),
        edition,
        28,
        "estimates[1].as_of",
        "'2025-02-30' is not a day of the calendar",
    )


@pytest.mark.parametrize(
    ("old", "new", "line"),
    [
        ("as_of: 2025-01-10", "as_of: 2025-02-30", 28),
        ("edition: 2025-01-19", "edition: 2025-02-30", 2),
    ],
)
def test_impossible_date(edition: Path, old: str, new: str, line: int) -> None:
    edit(edition, old, new)
    (problem,) = problems(edition)
    assert problem.line == line
    assert "2025-02-30" in problem.message


def test_timestamp_is_not_a_date(edition: Path) -> None:
    edit(edition, "as_of: 2025-01-10", "as_of: 2025-01-10 12:00:00")
    assert_problem(
        only(edition), edition, 28, "estimates[1].as_of", "is a timestamp; write a date as"
    )


def test_as_of_after_the_edition_date(edition: Path) -> None:
    edit(edition, "as_of: 2025-01-10", "as_of: 2025-01-20")
    assert_problem(
        only(edition),
        edition,
        28,
        "estimates[1].as_of",
        "2025-01-20 is after the edition date 2025-01-19",
    )


def test_as_of_on_the_edition_date_is_fine(edition: Path) -> None:
    edit(edition, "as_of: 2025-01-10", "as_of: 2025-01-19")
    assert check([edition])


def test_period_that_does_not_contain_the_edition_date(edition: Path) -> None:
    edit(edition, "period: 2025-W03", "period: 2025-W04")
    assert_problem(
        only(edition),
        edition,
        3,
        "period",
        "2025-W04 (2025-01-20 to 2025-01-26) does not contain the edition date 2025-01-19",
    )


def test_period_week_the_year_lacks(edition: Path) -> None:
    edit(edition, "period: 2025-W03", "period: 2025-W53")
    assert_problem(
        only(edition), edition, 3, "period", "2025-W53 is not an ISO week; 2025 has weeks 01 to 52"
    )


def test_period_as_a_date_range(edition: Path) -> None:
    edit(edition, "period: 2025-W03", "period: 2025-01-13 to 2025-01-19")
    (valid,) = check([edition])
    assert valid.edition.period.iso_week == "2025-W03"


def test_marking_no_is_a_yaml_boolean(edition: Path) -> None:
    edit(edition, "marking: UNCLASSIFIED", "marking: no")
    assert_problem(
        only(edition),
        edition,
        4,
        "marking",
        "YAML read 'no' as bool False, not as text; put it in quotes: \"no\"",
    )


def test_number_where_text_is_expected(edition: Path) -> None:
    edit(edition, "author: Korea Desk", "author: 1e3")
    edit(edition, "title: North Korean forces in Russia's war", "title: 2025")
    found = problems(edition)
    assert [(p.line, p.where) for p in found] == [(1, "title")]
    assert (
        found[0].message == "YAML read '2025' as int 2025, not as text; put it in quotes: \"2025\""
    )


def test_a_yaml_time_is_quoted_as_written(edition: Path) -> None:
    edit(edition, "author: Korea Desk", "author: 12:30")
    (problem,) = problems(edition)
    assert (
        problem.message == "YAML read '12:30' as int 750, not as text; put it in quotes: \"12:30\""
    )


def test_unparseable_estimate(edition: Path) -> None:
    edit(edition, "estimate: up to 4,000", "estimate: many")
    assert_problem(
        only(edition),
        edition,
        26,
        "estimates[1].estimate",
        "cannot read a number from 'many'; write it as e.g. 'about 11,000'",
    )


def test_unparseable_estimate_with_explicit_bounds_is_fine(edition: Path) -> None:
    edit(edition, "estimate: up to 4,000", "estimate: many\n    low: 100\n    high: 4000")
    (valid,) = check([edition])
    assert valid.edition.estimates[1].parsed.high == 4000


def test_low_above_high(edition: Path) -> None:
    edit(edition, "estimate: up to 4,000", "estimate: many\n    low: 5\n    high: 3")
    assert_problem(
        only(edition), edition, 28, "estimates[1].high", "low (5) is greater than high (3)"
    )


def test_backwards_range_estimate(edition: Path) -> None:
    edit(edition, "estimate: about 11,000", "estimate: 12,000 to 10,000")
    assert_problem(only(edition), edition, 31, "estimates[2].estimate", "runs backwards")


# --- many problems at once ---------------------------------------------------------------


def test_every_problem_in_every_file_is_reported_at_once(edition: Path) -> None:
    edit(edition, "marking: UNCLASSIFIED", "marking: no")
    edit(edition, "likelihood: likely", "likelihood: maybe")
    edit(edition, "author: Korea Desk", "authr: Korea Desk")
    edit(registry(edition), "text: texts/reaction.txt", "text: texts/missing.txt")
    with pytest.raises(InvalidNotes) as info:
        check([edition])
    found = info.value.problems
    assert [(p.path.name, p.line, p.where) for p in found] == [
        ("2025-W03.yaml", 4, "marking"),
        ("2025-W03.yaml", 5, "authr"),
        ("2025-W03.yaml", 40, "outlook[0].likelihood"),
        ("sources.yaml", 9, "[0].text"),
    ]
    lines = str(info.value).splitlines()
    assert lines[:-1] == [str(p) for p in found]
    assert lines[0].startswith(
        "sources/demo/2025-W03.yaml:4: marking: YAML read 'no' as bool False"
    )
    assert lines[3].startswith("sources/demo/sources.yaml:9: [0].text: no file 'texts/missing.txt'")
    assert lines[-1] == "4 problems in 2 files."


def test_problems_in_two_editions_of_two_topics(workspace: Path, edition: Path) -> None:
    other = workspace / "sources" / "other"
    shutil.copytree(edition.parent, other)
    edit(edition, "confidence: moderate", "confidence: medium")
    edit(other / "2025-W03.yaml", "as_of: 2025-01-10", "as_of: Jan 2025")
    with pytest.raises(InvalidNotes) as info:
        check([workspace])
    assert [(p.path.parent.name, p.line) for p in info.value.problems] == [
        ("demo", 41),
        ("other", 28),
    ]
    assert str(info.value).splitlines()[-1] == "2 problems in 2 files."


def test_summary_for_one_problem(edition: Path) -> None:
    edit(edition, "confidence: moderate", "confidence: medium")
    with pytest.raises(InvalidNotes) as info:
        check([edition])
    assert str(info.value).splitlines()[-1] == "1 problem in 1 file."


# --- the source registry ----------------------------------------------------------------


def registry_problems(edition: Path) -> list[Problem]:
    return [p for p in problems(edition) if p.path.name == "sources.yaml"]


def test_duplicate_source_id(edition: Path) -> None:
    edit(registry(edition), "- id: desk-memo", "- id: reaction-2025-01-13")
    (problem,) = registry_problems(edition)
    assert_problem(
        problem,
        registry(edition),
        10,
        "[1].id",
        "duplicate source id 'reaction-2025-01-13' (first on line 2)",
    )


def test_missing_text_file(edition: Path) -> None:
    edit(registry(edition), "text: texts/reaction.txt", "text: texts/nothere.txt")
    assert_problem(
        only(edition), registry(edition), 9, "[0].text", "no file 'texts/nothere.txt' in"
    )


@pytest.mark.parametrize("text", ["../../../etc/passwd", "/etc/passwd", "texts/../../demo2/x.txt"])
def test_text_outside_the_topic_folder(edition: Path, text: str) -> None:
    edit(registry(edition), "text: texts/reaction.txt", f"text: {text}")
    assert_problem(
        only(edition),
        registry(edition),
        9,
        "[0].text",
        f"{text!r} is outside the topic folder; keep source texts in it",
    )


def test_bad_url(edition: Path) -> None:
    edit(registry(edition), "url: https://reaction.life/example", "url: reaction.life/example")
    (problem,) = registry_problems(edition)
    assert_problem(
        problem,
        registry(edition),
        7,
        "[0].url",
        "'reaction.life/example' is not a web address; write it as https://host/path",
    )


def test_reliability_not_a_grade(edition: Path) -> None:
    edit(registry(edition), "reliability: B", "reliability: G")
    (problem,) = registry_problems(edition)
    assert_problem(
        problem,
        registry(edition),
        14,
        "[1].reliability",
        "'G' is not allowed; use one of: 'A', 'B', 'C', 'D', 'E' or 'F'",
    )


def test_an_invalid_source_is_reported_once(edition: Path) -> None:
    edit(registry(edition), "reliability: B", "reliability: G")
    assert len(problems(edition)) == 1


def test_registry_that_is_not_a_list(edition: Path) -> None:
    registry(edition).write_text("id: desk-memo\n", encoding="utf-8")
    found = registry_problems(edition)
    assert [(p.line, p.message) for p in found] == [
        (1, "expected a list of sources (each item starting with '- id:')")
    ]


def test_registry_syntax_error(edition: Path) -> None:
    edit(registry(edition), "publisher: Desk memo", "publisher: Desk: memo")
    (problem,) = registry_problems(edition)
    assert_problem(problem, registry(edition), 12, "", "YAML syntax error")


# --- workspace.resolve --------------------------------------------------------------------


def add_edition(edition: Path, name: str) -> Path:
    new = edition.parent / name
    shutil.copy(edition, new)
    return new


def test_resolve_an_edition_file(workspace: Path, edition: Path) -> None:
    add_edition(edition, "2025-W04.yaml")
    (found,) = resolve([edition])
    assert found.path == edition.resolve()
    assert found.topic == "demo"
    assert found.workspace == workspace.resolve()


def test_resolve_a_topic_folder_gives_its_latest_edition(edition: Path) -> None:
    latest = add_edition(edition, "2025-W04.yaml")
    add_edition(edition, "2024-W52.yml")
    assert [f.path for f in resolve([edition.parent])] == [latest.resolve()]


def test_resolve_a_workspace_gives_every_edition(workspace: Path, edition: Path) -> None:
    w04 = add_edition(edition, "2025-W04.yaml")
    shutil.copytree(edition.parent, workspace / "sources" / "other")
    expected = [
        edition.resolve(),
        w04.resolve(),
        (workspace / "sources/other/2025-W03.yaml").resolve(),
        (workspace / "sources/other/2025-W04.yaml").resolve(),
    ]
    assert [f.path for f in resolve([workspace])] == expected
    assert [f.path for f in resolve([workspace / "sources"])] == expected
    assert [f.path for f in resolve([])] == expected  # no PATH: ./sources


def test_resolve_removes_duplicates(edition: Path) -> None:
    assert len(resolve([edition, edition.parent, edition])) == 1


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("sources/nope", "sources/nope: no such file or folder"),
        ("sources/demo/sources.yaml", "not an edition file"),
        ("sources/demo/texts/reaction.txt", "not an edition file"),
        ("sources/demo/texts", "no topics found"),
    ],
)
def test_resolve_errors(workspace: Path, path: str, message: str) -> None:
    with pytest.raises(BriefgenError) as info:
        resolve([Path(path)])
    assert message in info.value.message


def test_missing_path_fails_through_check(workspace: Path) -> None:
    with pytest.raises(BriefgenError, match="no such file or folder"):
        check([Path("sources/missing")])


def test_edition_without_a_registry_beside_it(tmp_path: Path) -> None:
    stray = tmp_path / "2025-W03.yaml"
    stray.write_text("title: x\n", encoding="utf-8")
    with pytest.raises(BriefgenError, match=r"no sources\.yaml beside it"):
        resolve([stray])


def test_topic_without_editions(edition: Path) -> None:
    edition.unlink()
    with pytest.raises(BriefgenError, match="the topic has no edition yet"):
        resolve([edition.parent])


def test_folder_without_topics(tmp_path: Path) -> None:
    with pytest.raises(BriefgenError, match="no topics found"):
        resolve([tmp_path])


def test_citing_a_source_published_after_the_edition_date(edition: Path) -> None:
    registry = edition.parent / "sources.yaml"
    edit(registry, "published: 2025-01-10", "published: 2025-01-20")
    found = problems(edition)
    assert [(p.line, p.where) for p in found] == [
        (8, "key_judgments[0].cite[1].source"),
        (29, "estimates[1].cite[0].source"),
        (42, "outlook[0].cite[1].source"),
    ]
    assert found[0].message == (
        "source 'desk-memo' was published 2025-01-20, after the edition date 2025-01-19; "
        "a brief cannot rest on what was not yet published"
    )

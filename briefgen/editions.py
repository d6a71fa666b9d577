"""Start the next edition from the last one: what an analyst keeps, carried over.

Title, marking, author, open questions, outlook judgments and the latest estimate of
each quantity by each estimator carry over; key judgments and situation start empty,
with a comment saying what goes there, so that `briefgen check` names exactly the lines
still to write.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

from briefgen import output, validate
from briefgen.errors import BriefgenError, InvalidNotes
from briefgen.models import Citation, Edition, Estimate, Judgment, Question
from briefgen.periods import Period, week_period
from briefgen.workspace import EditionFile, editions_of, is_topic, week_option


def topic_folder(topic: str, workspace: Path = Path()) -> Path:
    """A topic given by name (under ./sources) or as a path to its folder."""
    for candidate in (Path(topic), workspace / "sources" / topic):
        if is_topic(candidate):
            return candidate
    raise BriefgenError(
        f"no topic {topic!r}: expected a folder with a sources.yaml, such as sources/{topic}/"
    )


def new_edition(topic: str, week: str | None = None) -> Path:
    """Write the next edition's file and return its path; never overwrite one."""
    folder = topic_folder(topic)
    existing = editions_of(folder)
    if not existing:
        raise BriefgenError(f"{folder}: the topic has no edition to start from yet")
    wanted = week_option(week) if week else None
    if wanted is not None:
        _refuse_existing(folder / f"{wanted.label}.yaml")
        earlier = [p for p in existing if p.stem < wanted.label]
        source = (earlier or existing)[-1]
    else:
        source = existing[-1]
    last = _valid(source)
    period = wanted or _week_after(last.period)
    target = folder / f"{period.label}.yaml"
    _refuse_existing(target)
    text = edition_text(last, period, source.name)
    # whole or not at all, and never over a file that appeared meanwhile
    output.write_all({target: text.encode("utf-8")}, keep_existing=True)
    return target


def _refuse_existing(target: Path) -> None:
    if target.exists():
        raise BriefgenError(f"{target} already exists; edit it, or give another --week")


def _valid(path: Path) -> Edition:
    try:
        (valid,) = validate.check([EditionFile(path)])
    except InvalidNotes as error:
        preface = f"The edition to start from, {path.name}, must be valid first:"
        raise InvalidNotes(error.problems, preface) from None
    return valid.edition


def _week_after(last: Period) -> Period:
    year, number, _ = (last.end + dt.timedelta(days=1)).isocalendar()
    return week_period(year, number)


def edition_text(last: Edition, period: Period, last_name: str) -> str:
    """The new edition's YAML, with comments where the analyst has work to do."""
    header: dict[str, Any] = {
        "title": last.title,
        "edition": period.end,
        "period": period.label,
    }
    if last.marking:
        header["marking"] = last.marking
    if last.author:
        header["author"] = last.author
    if last.language != "en":
        header["language"] = last.language
    estimates = [_estimate(e) for e in latest_estimates(last.estimates)]
    questions = [_question(q) for q in last.questions if q.answer is None]
    outlook = [_judgment(j) for j in last.outlook]
    return "\n".join(
        [
            f"# {period.label}: started from {last_name} by `briefgen new`.",
            "# Carried over: open questions, outlook and the latest estimates. Review each one:",
            "# revise what moved, give a question an `answer:` when it is settled, and cite",
            "# this week's sources.",
            "",
            _dump(header),
            "# Two to five lines: the bottom line of this edition, each cited.",
            "key_judgments: []",
            "",
            "# What happened in the period, one cited line each.",
            "situation: []",
            "",
            _section("estimates", estimates),
            _section("questions", questions),
            _section("outlook", outlook),
        ]
    )


def latest_estimates(estimates: list[Estimate]) -> list[Estimate]:
    """The latest estimate of each quantity by each estimator, in their original order."""
    latest: dict[tuple[str, str], Estimate] = {}
    for estimate in estimates:
        key = (estimate.quantity.casefold(), estimate.estimator.casefold())
        if key not in latest or estimate.as_of >= latest[key].as_of:
            latest[key] = estimate
    keep = {id(e) for e in latest.values()}
    return [e for e in estimates if id(e) in keep]


def _cite(cites: list[Citation]) -> list[Any]:
    return [
        {"source": c.source, "quote": c.quote} if c.quote else {"source": c.source} for c in cites
    ]


def _estimate(estimate: Estimate) -> dict[str, Any]:
    data = estimate.model_dump(exclude_none=True, exclude={"cite"})
    return {**data, "cite": _cite(estimate.cite)}


def _question(question: Question) -> dict[str, Any]:
    data = question.model_dump(exclude_none=True, exclude={"cite"})
    return {**data, "cite": _cite(question.cite)}


def _judgment(judgment: Judgment) -> dict[str, Any]:
    data = judgment.model_dump(exclude_none=True, exclude={"cite"})
    return {**data, "cite": _cite(judgment.cite)}


def _section(key: str, items: list[dict[str, Any]]) -> str:
    if not items:
        return f"{key}: []\n"
    return _dump({key: items})


class _Dumper(yaml.SafeDumper):
    """Indents list items under their key, as the notes are written by hand."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _dump(data: dict[str, Any]) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=92, indent=2)

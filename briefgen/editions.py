"""Start the next edition from the last one: what an analyst keeps, carried over.

Title block, marking, open questions, outlook judgments (without the `reason:` that
explained the last edition's move) and the latest estimate of each quantity by each
estimator carry over, and `number:` goes up by one; key judgments and situation start
empty, with a comment saying what goes there, so that `briefgen check` names exactly the
lines still to write. A question with an `answer:` and a judgment with an `outcome:` are
settled and stay behind; a judgment whose `by:` has passed is carried with a comment
asking for its outcome.

The new file is the last one's text edited in place (briefgen/yamledit.py), not a
re-dump: the analyst's comments, quoting and line breaks in what carries over are theirs.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from briefgen import load, output, validate
from briefgen.errors import BriefgenError, InvalidNotes
from briefgen.models import Edition, Estimate
from briefgen.periods import Period, week_period
from briefgen.workspace import EditionFile, editions_of, is_topic, week_option
from briefgen.yamledit import Editor


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
    text = edition_text(load.read_text(source), last, period, source.name)
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


BANNER = [
    "# {label}: started from {name} by `briefgen new`.",
    "# Carried over: open questions, outlook and the latest estimates. Review each one:",
    "# revise what moved, give a question an `answer:` when it is settled, and cite",
    "# this week's sources.",
]
HINTS = {
    "key_judgments": "Two to five lines: the bottom line of this edition, each cited.",
    "situation": "What happened in the period, one cited line each.",
}
CARRIED = {"title", "edition", "period", "marking", "author", "language", *HINTS}
CARRIED |= {"organisation", "product_line", "number", "contact", "distribution"}  # title block
CARRIED |= {"estimates", "questions", "outlook"}
"""The top-level keys a new edition keeps; the rest (`summary:`) is the last edition's."""


def edition_text(text: str, last: Edition, period: Period, last_name: str) -> str:
    """The new edition: the last one's text with what does not carry over taken out, in
    place, so that every comment, quote and line break of what stays is the analyst's."""
    editor = Editor(text)
    editor.drop_lines(0, _banner_lines(editor.lines))
    editor.replace_scalar("edition", period.end.isoformat())
    editor.replace_scalar("period", period.label)
    for key, hint in HINTS.items():
        editor.empty(key, hint)
    for key, _ in editor.root.value:
        if key.value not in CARRIED:
            editor.drop_key(key.value)
    kept = {id(e) for e in latest_estimates(last.estimates)}
    editor.drop_items("estimates", {i for i, e in enumerate(last.estimates) if id(e) not in kept})
    editor.drop_items("questions", {i for i, q in enumerate(last.questions) if q.answer})
    editor.drop_items("outlook", {i for i, j in enumerate(last.outlook) if j.outcome})
    for index, judgment in enumerate(last.outlook):
        if not judgment.outcome:
            due = judgment.by is not None and judgment.by < period.end
            editor.comment_above_item("outlook", index, _due(judgment.by) if due else None, DUE)
            if judgment.reason is not None:  # it explained last edition's move, not this one's
                editor.drop_item_key("outlook", index, "reason")
    if last.number is not None:
        editor.replace_scalar("number", str(last.number + 1))
    banner = [line.format(label=period.label, name=last_name) for line in BANNER]
    return editor.newline.join([*banner, "", editor.text()])


def _banner_lines(lines: list[str]) -> int:
    """How many lines at the top are the banner an earlier `new` wrote (and its blank
    line): it names the edition before, so it goes, rather than pile up week on week."""
    first = lines[0].rstrip() if lines else ""
    if not re.fullmatch(r"# \S+: started from \S+ by `briefgen new`\.", first):
        return 0
    count = len(BANNER)
    if [line.rstrip() for line in lines[1:count]] != BANNER[1:]:
        return 1
    return count + (len(lines) > count and not lines[count].strip())


DUE = "Came due on "


def _due(by: dt.date | None) -> str:
    """The reminder above a judgment whose time frame passed (one at most: an earlier
    one, for an earlier `by:`, goes)."""
    return (
        f"{DUE}{by}: give it an `outcome:` (happened / did not happen / withdrawn, cited), "
        "or a later `by:` with a `reason:`."
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

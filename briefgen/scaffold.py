"""`briefgen init`: a new workspace whose starter notes validate and build.

The starter files teach by example: every key is shown once with a comment, and the
one source has a text so that quote checking is on from the first day.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

from briefgen import output
from briefgen.errors import BriefgenError
from briefgen.periods import week_period
from briefgen.workspace import week_option

REGISTRY = """\
# The source registry of the topic: every source an edition may cite, reused week to week.
# Add an entry for each report you read; cite it from an edition by its id.
- id: example-report                # what editions cite; letters, digits, . _ -
  title: Example Ministry reports more troops at the border
  publisher: Example News           # the outlet
  author: A. Reporter               # optional
  published: {today}                # YYYY-MM-DD; a brief cannot cite a later source
  # url: https://example.org/report # optional; the Sources entry links to it
  reliability: C                    # Admiralty grade: A completely reliable ... F cannot be judged
  text: texts/example-report.txt    # optional; the source's text, so quotes are checked
"""

TEXT = """\
The Example Ministry said on Monday that about 2,000 troops had been moved to the border \
region over the past week. An independent monitoring group put the number at more than \
3,000. Officials did not say whether more units would follow.
"""

EDITION = """\
# One edition of the brief: `briefgen build` turns it into a PDF and a DOCX.
# Every line cites at least one source from sources.yaml; a quote must occur in its text.
# Next week, `briefgen new {topic}` starts the next edition from this one.
title: {title}
edition: {today}                    # the "as of" date
period: {week}                      # an ISO week, or a range: 2025-01-20 to 2025-01-26
marking: UNCLASSIFIED               # printed at the top and bottom of every page
author: Your Desk                   # optional

key_judgments:                      # two to five lines: the bottom line
  - text: Troop numbers at the border are rising, but estimates differ by half.
    cite: [example-report]

situation:                          # what happened in the period, one cited line each
  - text: The Example Ministry said about 2,000 troops had moved to the border region.
    cite:
      - source: example-report
        quote: about 2,000 troops had been moved to the border

estimates:                          # one row per estimate; same quantity rows sit together
  - quantity: Troops moved to the border
    estimate: about 2,000           # as given: about / 10 to 12 / more than / up to
    estimator: Example Ministry     # who made the estimate, not the outlet
    as_of: {today}
    cite: [example-report]
  - quantity: Troops moved to the border
    estimate: more than 3,000
    estimator: Independent monitoring group
    as_of: {today}
    cite:
      - source: example-report
        quote: put the number at more than 3,000

questions:                          # what you cannot answer yet; `answer:` closes one
  - id: more-units                  # optional stable name, so editions can be compared
    text: Will more units follow?
    cite: [example-report]

outlook:                            # likelihood: ICD 203 term; confidence: low | moderate | high
  - text: More troops will be moved to the border within a month.
    likelihood: roughly even chance
    confidence: low
    cite: [example-report]
"""


IGNORE = "output/*\n!output/.gitkeep\n"

CONFIG = """\
# briefgen.toml: the workspace's defaults. Everything here is optional, and commented
# out, so the file is valid as it is: remove the "# " before a line to use it.

# [brief]
# author = "Your Desk"              # an edition's own author: wins
# marking = "UNCLASSIFIED"          # printed at the top and bottom of every page

# [build]
# formats = ["pdf", "docx"]         # also "html"

# The mail around the brief: `briefgen mail sources/{topic} --list readers --eml brief.eml`
# [mail]
# from = "Your Desk <desk@example.org>"
# [mail.lists]
# readers = ["Ann <ann@example.org>", "bob@example.org"]

# The server for `briefgen mail --send`; the password never goes here: set
# BRIEFGEN_SMTP_PASSWORD, or name a file that holds only the password.
# [smtp]
# host = "smtp.example.org"
# port = 587
# security = "starttls"             # or "ssl" (port 465)
# user = "desk@example.org"
# password_file = "~/.config/briefgen/smtp-password"
"""


def init_workspace(
    target: Path, topic: str, today: dt.date | None = None, week: str | None = None
) -> list[Path]:
    """Create a workspace with one topic; return the files written. Refuses to overwrite.

    The starter edition is this week's, or that of `week` (`2025-W04`) for a desk that
    starts from an earlier week: dated its Sunday, unless today falls in it."""
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", topic):
        raise BriefgenError(f"topic {topic!r}: use lowercase letters, digits and hyphens")
    period = week_option(week) if week else None
    today = today or dt.date.today()
    if period is None:
        year, number, _ = today.isocalendar()
        period = week_period(year, number)
    elif not period.start <= today <= period.end:
        today = period.end
    folder = target / "sources" / topic
    if folder.exists():
        raise BriefgenError(f"{folder} already exists; choose another topic or folder")
    label = period.label
    values = {"today": today.isoformat(), "week": label, "topic": topic, "title": _title(topic)}
    files = {
        folder / "sources.yaml": REGISTRY.format(**values),
        folder / "texts" / "example-report.txt": TEXT,
        folder / f"{label}.yaml": EDITION.format(**values),
    }
    extras = {
        target / "output" / ".gitkeep": "",
        target / ".gitignore": IGNORE,
        target / "briefgen.toml": CONFIG.format(topic=topic),
    }
    files.update((path, text) for path, text in extras.items() if not path.exists())
    _refuse_blocked(target, files)
    # all files or none (a failure halfway leaves no half workspace), none over another
    output.write_all({path: text.encode("utf-8") for path, text in files.items()},
                     keep_existing=True)  # fmt: skip
    return list(files)


def _refuse_blocked(target: Path, files: dict[Path, str]) -> None:
    """Refuse, before writing anything, a workspace whose folders are taken by something
    else (a file called `sources`): else init would stop halfway, with half a workspace."""
    folders = {parent for path in files for parent in path.parents}
    for folder in sorted(f for f in folders if f.is_relative_to(target)):
        if os.path.lexists(folder) and not folder.is_dir():
            raise BriefgenError(
                f"{folder}: a file is in the way of the workspace's folder of that name; "
                "move it, or choose another folder for the workspace"
            )


def _title(topic: str) -> str:
    return topic.replace("-", " ").capitalize()

"""Benchmark briefgen against its floor, a bare WeasyPrint render (issue 8's targets).

    make bench                                      # or: .venv/bin/python scripts/bench.py
    .venv/bin/python scripts/bench.py --quick       # 3 runs, and no 100× workspace
    .venv/bin/python scripts/bench.py --runs 10 --big-runs 3

A benchmark, not a test: it prints a table of medians and each target's ratio with
"met" or "not met", and exits 0 whatever the numbers (a command that fails is reported
as failed in the table; if the 100× PDF + DOCX build fails, the 100× targets are taken
from PDF-only builds and say so). Everything is measured whole process (a fresh
interpreter per command, wall time; peak RSS of the 100× runs with /usr/bin/time), the
sides of each comparison run in alternation (A B A B …) so that machine noise hits both,
each command `--runs` times (default 5) and the long builds (10×, 100×, 20 editions)
`--big-runs` times (default 1). Everything runs in a temporary folder built from the
sample notes in sources/nk-russia:

- sample: a copy of the sample workspace (editions 2025-W03, W04, W08);
- 1×: the W04 edition alone; 10×, 100×: one edition whose situation lines, estimates,
  questions and outlook judgments are W04's repeated 10 or 100 times, each copy's texts
  (and quantities, and ids) varied so that nothing is merged, with the key judgments as
  they are (an edition has at most five); the 100× registry has 300 sources, W04's cited
  sources and clones of them under new ids, each copy citing its own clones;
- 20 editions: 20 consecutive ISO weeks of one topic, each W04's notes moved to its week
  with a few lines changed, so that every brief has a "what changed" section.
"""

from __future__ import annotations

import argparse
import copy
import ctypes.util
import datetime as dt
import importlib.metadata
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sources" / "nk-russia"
TOPIC = "nk-russia"
BASE = "2025-W04"
BIG_REGISTRY = 300
WEEKS = 20
FIRST_WEEK = (2025, 9)
"""The 20-edition workspace runs from 2025-W09, after every as_of date in the sample."""
FORMATS = ["-f", "pdf", "-f", "docx"]

_WITH_FONTS = (
    "import sys, weasyprint; from weasyprint.text.fonts import FontConfiguration; "
    "from briefgen.render import fonts; fc = FontConfiguration(); fonts.register(fc); "
    "weasyprint.HTML(filename=sys.argv[1]).write_pdf(sys.argv[2], font_config=fc{tags})"
)
BARE = _WITH_FONTS.format(tags=", pdf_tags=True")
"""The floor: WeasyPrint making the PDF briefgen makes, tagged for screen readers, with
briefgen's bundled fonts registered as briefgen does (the brief's stylesheet names them)."""
UNTAGGED = _WITH_FONTS.format(tags="")
"""The same without tags: as fast, but at 100× a third less memory (shown for comparison)."""
IMPORT_ONLY = "import weasyprint"
PEAK_WRAPPER = (
    "import resource, subprocess, sys; code = subprocess.run(sys.argv[1:]).returncode; "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); "
    "sys.exit(code)"
)
"""Peak RSS (KiB) of a command's process tree when /usr/bin/time is missing: a fresh
wrapper process has no other children, so its RUSAGE_CHILDREN maximum is the command's."""
GNU_TIME = Path("/usr/bin/time")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- workspaces -------------------------------------------------------------------------


def load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def write_workspace(
    root: Path, editions: dict[str, dict[str, Any]], registry: list[dict[str, Any]] | None = None
) -> Path:
    """A workspace at `root` with one topic: the sample's texts, its registry (or
    `registry`), and `editions` by file stem."""
    topic = root / "sources" / TOPIC
    topic.mkdir(parents=True)
    shutil.copytree(SAMPLE / "texts", topic / "texts")
    if registry is None:
        shutil.copy(SAMPLE / "sources.yaml", topic / "sources.yaml")
    else:
        dump(registry, topic / "sources.yaml")
    for stem, data in editions.items():
        dump(data, topic / f"{stem}.yaml")
    return root


class _Dumper(yaml.SafeDumper):
    """Writes a value met twice (a date, say) twice: notes may not use anchors."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def dump(data: object, path: Path) -> None:
    text = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    path.write_text(text, encoding="utf-8")


def cited_ids(edition: dict[str, Any]) -> list[str]:
    """Every source id the edition cites, in order of first citation."""
    ids: dict[str, None] = {}
    for section in ("key_judgments", "situation", "estimates", "questions", "outlook"):
        for item in edition.get(section) or []:
            for cite in item["cite"]:
                ids[cite if isinstance(cite, str) else cite["source"]] = None
    return list(ids)


def cloned_registry(
    registry: list[dict[str, Any]], cited: list[str], size: int
) -> tuple[list[dict[str, Any]], dict[str, list[str]]]:
    """`size` sources: the cited ones, then clones of them under new ids (same text, so
    quotes still check), round robin; and each cited id's variants, itself first."""
    by_id = {source["id"]: source for source in registry}
    entries = [by_id[source_id] for source_id in cited]
    variants = {source_id: [source_id] for source_id in cited}
    turn = 0
    while len(entries) < size:
        source_id = cited[turn % len(cited)]
        number = len(variants[source_id])
        clone = {
            **by_id[source_id],
            "id": f"{source_id}-v{number}",
            "title": f"{by_id[source_id]['title']} (copy {number})",
        }
        entries.append(clone)
        variants[source_id].append(clone["id"])
        turn += 1
    return entries, variants


def scaled(
    base: dict[str, Any], times: int, variants: dict[str, list[str]] | None = None
) -> dict[str, Any]:
    """`base` with its situation, estimates, questions and outlook repeated `times` times.

    Copy n > 1 has " (copy n)" after each text and quantity and "-n" after each id, so
    nothing is merged or deduplicated; with `variants`, copy n cites the n-th variant of
    each source (round robin). Copy 1 is `base` itself: scaled(base, 1) == base.
    """
    edition = copy.deepcopy(base)
    for section in ("situation", "estimates", "questions", "outlook"):
        edition[section] = [
            _copy_of(item, number, variants)
            for number in range(times)
            for item in base.get(section) or []
        ]
    return edition


def _copy_of(item: dict[str, Any], number: int, variants: dict[str, list[str]] | None) -> Any:
    item = copy.deepcopy(item)
    if number:
        tag = f" (copy {number + 1})"
        for key in ("text", "quantity"):
            if key in item:
                item[key] += tag
        if "id" in item:
            item["id"] = f"{item['id']}-{number + 1}"
    if variants:
        item["cite"] = [_recite(cite, number, variants) for cite in item["cite"]]
    return item


def _recite(cite: str | dict[str, Any], number: int, variants: dict[str, list[str]]) -> Any:
    source_id = cite if isinstance(cite, str) else cite["source"]
    choices = variants[source_id]
    new_id = choices[number % len(choices)]
    return new_id if isinstance(cite, str) else {**cite, "source": new_id}


def weekly(base: dict[str, Any], count: int) -> dict[str, dict[str, Any]]:
    """`count` editions of consecutive ISO weeks, each `base` moved to its week: its
    situation lines say which week, one estimate is revised and one judgment's
    likelihood moves, so that each brief has something in "what changed"."""
    year, week = FIRST_WEEK
    monday = dt.date.fromisocalendar(year, week, 1)
    editions = {}
    for number in range(count):
        start = monday + dt.timedelta(weeks=number)
        iso = start.isocalendar()
        label = f"{iso.year}-W{iso.week:02d}"
        edition = copy.deepcopy(base)
        edition["edition"] = start + dt.timedelta(days=6)
        edition["period"] = label
        moved = edition["edition"] - base["edition"]
        for judgment in edition["outlook"]:  # still open: due as far ahead as in W04
            if isinstance(judgment.get("by"), dt.date):
                judgment["by"] += moved
        for line in edition["situation"]:
            line["text"] += f" (Reported again in {label}.)"
        for estimate in edition["estimates"]:
            if estimate["quantity"] == "North Korean troops killed":
                estimate["estimate"] = f"about {300 + 50 * number}"
        if edition["outlook"]:
            judgment = edition["outlook"][0]
            judgment["likelihood"] = "very likely" if number % 2 else "likely"
            if number:  # a move needs its reason, cited (issue 17)
                judgment["reason"] = {
                    "text": f"The week's reporting ({label}) moves it.",
                    "cite": judgment["cite"],
                }
        editions[label] = edition
    return editions


@dataclass
class Workspaces:
    sample: Path
    x1: Path
    x10: Path
    x100: Path | None
    weeks: Path
    sizes: dict[str, str]
    """What each scaled workspace holds, for the table's notes."""
    markdown: dict[str, Path]
    """The pandoc input of comparable content, by scale."""


def make_workspaces(tmp: Path, big: bool) -> Workspaces:
    base = load(SAMPLE / f"{BASE}.yaml")
    registry = load(SAMPLE / "sources.yaml")
    sample = tmp / "sample"
    shutil.copytree(ROOT / "sources", sample / "sources")
    sizes: dict[str, str] = {}
    markdown: dict[str, Path] = {}
    made: dict[int, Path] = {}
    for times in (1, 10, 100) if big else (1, 10):
        if times == 100:
            reg, variants = cloned_registry(registry, cited_ids(base), BIG_REGISTRY)
        else:
            reg, variants = registry, None
        edition = scaled(base, times, variants)
        made[times] = write_workspace(
            tmp / f"x{times}", {BASE: edition}, reg if times == 100 else None
        )
        if times == 1:  # the sample's own file, comments and all
            shutil.copy(SAMPLE / f"{BASE}.yaml", made[1] / "sources" / TOPIC / f"{BASE}.yaml")
        sizes[f"{times}×"] = describe(edition, reg)
        markdown[f"{times}×"] = tmp / f"x{times}.md"
        markdown[f"{times}×"].write_text(to_markdown(edition, reg), encoding="utf-8")
    weeks = write_workspace(tmp / "weeks", weekly(base, WEEKS))
    return Workspaces(sample, made[1], made[10], made.get(100), weeks, sizes, markdown)


def describe(edition: dict[str, Any], registry: list[dict[str, Any]]) -> str:
    lines = sum(len(edition[s]) for s in ("key_judgments", "situation", "questions", "outlook"))
    cited = len(cited_ids(edition))
    return (
        f"{lines} cited lines, {len(edition['estimates'])} estimates, "
        f"{cited} of {len(registry)} sources cited"
    )


def to_markdown(edition: dict[str, Any], registry: list[dict[str, Any]]) -> str:
    """The edition as pandoc Markdown of comparable content: the same sections, each line
    with its source numbers, the estimates as a table, and the numbered sources."""
    numbers: dict[str, int] = {}

    def cites(item: dict[str, Any]) -> str:
        ids = [c if isinstance(c, str) else c["source"] for c in item["cite"]]
        marks = [str(numbers.setdefault(i, len(numbers) + 1)) for i in dict.fromkeys(ids)]
        return f" [{', '.join(marks)}]"

    def cell(text: object) -> str:
        return str(text).replace("|", "\\|").replace("\n", " ")

    out = [f"% {edition['title']}", f"% {edition.get('author', '')}", f"% {edition['edition']}"]
    out += ["", f"**{edition.get('marking', 'UNCLASSIFIED')}**", "", "# Key judgments", ""]
    out += [f"1. {line['text']}{cites(line)}" for line in edition["key_judgments"]]
    out += ["", "# Situation", ""]
    out += [f"- {line['text']}{cites(line)}" for line in edition["situation"]]
    out += ["", "# Estimates", "", "| Quantity | Estimate | Estimator | As of | Sources |"]
    out += ["|---|---|---|---|---|"]
    out += [
        f"| {cell(e['quantity'])} | {cell(e['estimate'])} | {cell(e['estimator'])} "
        f"| {e['as_of']} | {cell(cites(e).strip())} |"
        for e in edition["estimates"]
    ]
    out += ["", "# Open questions", ""]
    out += [f"- {q['text']}{cites(q)}" for q in edition["questions"]]
    out += ["", "# Outlook", ""]
    out += [
        f"- {j['text']} (*{j['likelihood']}*, {j['confidence']} confidence){cites(j)}"
        for j in edition["outlook"]
    ]
    by_id = {source["id"]: source for source in registry}
    out += ["", "# Sources", ""]
    for source_id in numbers:
        source = by_id[source_id]
        url = f" <{source['url']}>" if source.get("url") else ""
        out.append(
            f"{numbers[source_id]}. {source['publisher']}, *{cell(source['title'])}*, "
            f"{source['published']}.{url}"
        )
    return "\n".join(out) + "\n"


# --- running ----------------------------------------------------------------------------


@dataclass
class Case:
    """One command, run whole process; its wall times (s) and peak RSS (KiB)."""

    label: str
    argv: list[str]
    cwd: Path
    memory: bool = False
    fresh_charts: bool = False
    """Delete what earlier builds kept (charts and font subsets, under `-o`'s
    .briefgen/charts) before each run, so that every chart is drawn and every font cut: a
    first build, not the edit-and-rebuild loop."""
    times: list[float] = field(default_factory=list)
    peaks: list[int] = field(default_factory=list)
    error: str | None = None

    @property
    def median(self) -> float | None:
        return statistics.median(self.times) if self.times else None

    @property
    def peak(self) -> int | None:
        return int(statistics.median(self.peaks)) if self.peaks else None


def run(case: Case) -> None:
    if case.error:
        return
    argv, peak_file = case.argv, None
    if case.fresh_charts:
        out = case.argv[case.argv.index("-o") + 1]
        shutil.rmtree(case.cwd / out / ".briefgen" / "charts", ignore_errors=True)
    if case.memory:
        if GNU_TIME.exists():
            peak_file = case.cwd / f".peak-{os.getpid()}"
            argv = [str(GNU_TIME), "-f", "%M", "-o", str(peak_file), *argv]
        else:
            argv = [sys.executable, "-c", PEAK_WRAPPER, *argv]
    start = time.perf_counter()
    done = subprocess.run(
        argv, cwd=case.cwd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE, text=True, check=False,
    )  # fmt: skip
    elapsed = time.perf_counter() - start
    if done.returncode:
        if peak_file:
            peak_file.unlink(missing_ok=True)
        tail = "\n    ".join(done.stderr.strip().splitlines()[-6:])
        case.error = f"exit {done.returncode} after {elapsed:.0f} s: {tail}"
        log(f"  FAILED: {case.label}\n    {tail}")
        return
    case.times.append(elapsed)
    if case.memory:
        if peak_file:
            report = peak_file.read_text().split()
            peak_file.unlink()
        else:
            report = done.stderr.split()
        case.peaks.append(int(report[-1]))


def alternate(title: str, cases: list[Case], runs: int, warm: list[Case] | None = None) -> None:
    """Run the cases in turn, A B C A B C …, `runs` rounds, after one untimed run of each
    case in `warm` (default: none)."""
    log(f"{title}: {len(cases)} command(s) × {runs} run(s)")
    for case in warm or []:
        run(case)
        case.times.clear()
        case.peaks.clear()
    for number in range(runs):
        log(f"  round {number + 1}/{runs}")
        for case in cases:
            run(case)


def briefgen_command() -> list[str]:
    """The briefgen beside this interpreter (the venv's), else on PATH."""
    beside = Path(sys.executable).parent / "briefgen"
    if beside.exists():
        return [str(beside)]
    found = shutil.which("briefgen")
    if found:
        return [found]
    return [sys.executable, "-c", "from briefgen.cli import main; main()"]


def html_of(briefgen: list[str], workspace: Path, edition: str, out: str) -> Path:
    """Write the brief's HTML with briefgen, once, for the bare WeasyPrint renders (if
    that fails, the bare render of the missing file fails and the table says so)."""
    argv = [*briefgen, "build", edition, "-f", "html", "--force", "-o", out]
    done = subprocess.run(argv, cwd=workspace, capture_output=True, text=True, check=False)
    if done.returncode:
        log(f"  FAILED: briefgen build -f html in {workspace}: {done.stderr.strip()[-300:]}")
    found = sorted((workspace / out).glob("*.html"))
    return found[0].resolve() if found else workspace / out / "missing.html"


def has_jobs(briefgen: list[str]) -> bool:
    done = subprocess.run([*briefgen, "build", "--help"], capture_output=True, text=True)
    return "--jobs" in done.stdout


# --- the benchmark ----------------------------------------------------------------------


@dataclass
class Results:
    rows: list[tuple[str, Case | str]] = field(default_factory=list)
    """Table rows: a heading (str) or a measured case."""
    targets: list[Target] = field(default_factory=list)


@dataclass
class Target:
    """One of issue 8's targets: `value` (a ratio, ×, or seconds, s) ≤ `bound`."""

    number: str
    what: str
    value: float | None
    bound: float
    unit: str
    note: str = ""


def bench(args: argparse.Namespace, tmp: Path, results: Results) -> None:
    py = sys.executable
    bg = briefgen_command()
    runs, big_runs = args.runs, args.big_runs
    log(f"generating workspaces in {tmp}")
    ws = make_workspaces(tmp, big=not args.quick)
    edition = f"sources/{TOPIC}/{BASE}.yaml"
    jobs = has_jobs(bg)
    rows = results.rows

    def build(*extra: str, out: str = "out") -> list[str]:
        return [*bg, "build", *extra, *FORMATS, "-o", out]

    # (a), (b): one edition, briefgen against a bare WeasyPrint render of the same HTML.
    html = html_of(bg, ws.sample, edition, "html")
    bare_argv = [py, "-c", BARE, str(html), str(tmp / "bare.pdf")]
    bare = Case("bare WeasyPrint render of the same HTML (tagged PDF)", bare_argv, tmp)
    untagged = Case(
        "  the same, untagged", [py, "-c", UNTAGGED, str(html), str(tmp / "plain.pdf")], tmp
    )
    single = Case("briefgen build W04 -f pdf -f docx --force", build(edition, "--force"), ws.sample)
    first = Case(
        "  the same, a first build (no chart or font subset kept)",
        build(edition, "--force", out="first"),
        ws.sample,
        fresh_charts=True,
    )
    no_charts = Case(
        "  the same, --no-charts", build(edition, "--force", "--no-charts", out="nc"), ws.sample
    )
    pdf_only = Case(
        "  the same, -f pdf only",
        [*bg, "build", edition, "-f", "pdf", "--force", "-o", "pdf"],
        ws.sample,
    )
    importing = Case('python -c "import weasyprint"', [py, "-c", IMPORT_ONLY], tmp)
    group = [bare, untagged, single, first, no_charts, pdf_only, importing]
    alternate("(a, b) one edition", group, runs, warm=[bare, single])
    rows += [("One edition (sample W04, with W03 before it: 'what changed' shown)", "")]
    rows += [("", case) for case in group]

    # (c), (d): the commands that must not render, and an unchanged rebuild.
    check = Case("briefgen check (sample workspace: 3 editions)", [*bg, "check"], ws.sample)
    helps = Case("briefgen --help", [*bg, "--help"], ws.sample)
    diffs = Case(f"briefgen diff sources/{TOPIC}", [*bg, "diff", f"sources/{TOPIC}"], ws.sample)
    rebuild = Case(
        "briefgen build W04 -f pdf -f docx, unchanged inputs (no --force)",
        build(edition, out="out"),  # the folder (b) built into, so its stamps are there
        ws.sample,
    )
    group = [check, helps, diffs, rebuild]
    # A fifth of a second each: three times the runs, so that a burst of load on a shared
    # machine moves the median less (their bounds are in seconds, not ratios).
    title = "(c, d) commands that should not render, unchanged rebuild"
    alternate(title, group, 3 * runs, group)
    rows += [("Commands that should not render", ""), *[("", case) for case in group]]

    # (e): 20 editions in one call.
    whole = [*bg, "build", "--force", *FORMATS, "-o", "out"]
    many = Case(
        f"briefgen build of {WEEKS} editions" + (" (--jobs default)" if jobs else ""),
        whole,
        ws.weeks,
    )
    again = Case("  the one-edition build again, alternating with them", single.argv, ws.sample)
    group = [again, many]
    if jobs:
        label = f"briefgen build of {WEEKS} editions --jobs 1"
        group.append(Case(label, [*whole, "--jobs", "1"], ws.weeks))
    # One untimed build first, so that both sides run with the charts an earlier build kept.
    alternate(f"(e) {WEEKS} editions", group, big_runs, warm=[many])
    available = "--jobs: " + ("yes" if jobs else "not available in this briefgen")
    rows += [(f"{WEEKS} weekly editions of one topic in one call ({available})", "")]
    rows += [("", case) for case in [*group[1:], again]]

    # (f): scale, each edition alone in its workspace.
    scales = {"1×": ws.x1, "10×": ws.x10, "100×": ws.x100}
    scales = {scale: where for scale, where in scales.items() if where is not None}
    checks = {s: Case(f"{s}: briefgen check", [*bg, "check"], w) for s, w in scales.items()}
    alternate("(f) validation at 1×, 10×, 100×", list(checks.values()), runs, warm=[])
    builds: dict[str, Case] = {}
    bares: dict[str, Case] = {}
    extra: dict[str, Case] = {}
    for scale, where in scales.items():
        big = scale == "100×"
        builds[scale] = Case(
            f"{scale}: briefgen build -f pdf -f docx --force, nothing kept",
            build(edition, "--force"),
            where,
            memory=big,
            fresh_charts=True,
        )
        group = [builds[scale]]
        if scale != "1×":
            group.insert(0, builds["1×"])  # alternate with 1×, for the 100×/1× ratio
            html = html_of(bg, where, edition, "html")
            bare_argv = [py, "-c", BARE, str(html), str(where / "bare.pdf")]
            bares[scale] = Case(f"{scale}: bare WeasyPrint render of its HTML", bare_argv, where)
            bares[scale].memory = big
            group.append(bares[scale])
            if big:
                plain = [py, "-c", UNTAGGED, str(html), str(where / "plain.pdf")]
                extra["100× untagged"] = Case(
                    f"{scale}: the same, untagged", plain, where, memory=True
                )
                group.append(extra["100× untagged"])
        if scale == "10×":  # how much of the growth is charts (a 100× one would take minutes)
            extra[scale] = Case(
                f"{scale}: the same, --no-charts",
                build(edition, "--force", "--no-charts", out="nc"),
                where,
            )
            group.append(extra[scale])
        title = f"(f) {scale}: {ws.sizes[scale]}"
        alternate(title, group, runs if scale == "1×" else big_runs, warm=[])
    if "100×" in builds and builds["100×"].error:
        # The PDF + DOCX build failed: measure what can be measured, PDF only at 1× and 100×.
        pdf_argv = [*bg, "build", edition, "-f", "pdf", "--force", "-o", "pdf"]
        for scale, why in (("1×", "for the 100× ratio"), ("100×", "PDF + DOCX failed")):
            label = f"{scale}: briefgen build -f pdf --force ({why})"
            extra[f"{scale} pdf"] = Case(label, pdf_argv, scales[scale], memory=scale == "100×")
        alternate("(f) 1×, PDF only", [extra["1× pdf"]], runs, warm=[])
        fallback = [extra["1× pdf"], extra["100× pdf"]]
        alternate("(f) 100×, PDF only", fallback, big_runs, warm=[])
    rows += [("Scale (one edition alone in its workspace: no 'what changed')", "")]
    for scale in scales:
        rows += [("", f"{scale} = {ws.sizes[scale]}")]
        shown = (
            checks[scale],
            builds[scale],
            extra.get(scale),
            extra.get(f"{scale} pdf"),
            bares.get(scale),
            extra.get(f"{scale} untagged"),
        )
        rows += [("", case) for case in shown if case]

    # (g) pandoc, when installed.
    pandoc = shutil.which("pandoc")
    if pandoc:
        cases = [
            Case(
                f"pandoc Markdown → DOCX, {scale} content",
                [pandoc, str(md), "-o", str(md.with_suffix(".docx"))],
                tmp,
            )
            for scale, md in ws.markdown.items()
        ]
        alternate("(g) pandoc", cases[:1], runs, warm=cases[:1])
        alternate("(g) pandoc", cases[1:], big_runs, warm=[])
        rows += [("pandoc Markdown → DOCX of comparable content", "")]
        rows += [("", case) for case in cases]
    else:
        rows += [("pandoc Markdown → DOCX: not installed", "")]

    # The targets.
    big_build, big_bare, one = builds.get("100×"), bares.get("100×"), builds["1×"]
    scale_note = ""
    if big_build and big_build.error and "100× pdf" in extra:
        big_build, one = extra["100× pdf"], extra["1× pdf"]
        scale_note = "PDF only, the PDF + DOCX build failed; "
    per_edition = many.median / WEEKS if many.median is not None else None
    one_edition = statistics.median(pooled) if (pooled := single.times + again.times) else None
    skipped = "skipped (--quick)" if args.quick else ""
    results.targets += [
        Target("1", "build (PDF + DOCX) / bare WeasyPrint, one edition", ratio(single, bare),
               1.1, "×", seconds(single, bare)),
        Target("1", "  the same, a first build (nothing kept)", ratio(first, bare),
               1.1, "×", seconds(first, bare)),
        Target("2", "briefgen check", check.median, 0.25, "s"),
        Target("2", "briefgen --help", helps.median, 0.25, "s"),
        Target("2", "briefgen diff", diffs.median, 0.25, "s"),
        Target("3", "unchanged rebuild", rebuild.median, 0.3, "s"),
        Target("4", f"per-edition cost of the {WEEKS}-edition build / one-edition build",
               ratio_of(per_edition, one_edition), 0.35, "×",
               f"{per_edition:.2f} s / {one_edition:.2f} s, all its runs"
               if per_edition and one_edition else ""),
        Target("5", "100× build time / 1× build time", ratio(big_build, one), 100, "×",
               scale_note + seconds(big_build, one) or skipped),
        Target("5", "100× validation (briefgen check)", median(checks.get("100×")), 1, "s",
               skipped),
        Target("5", "100× peak memory: build / bare WeasyPrint render",
               ratio_of(big_build.peak, big_bare.peak) if big_build and big_bare else None,
               1.2, "×", scale_note + mib(big_build, big_bare) or skipped),
        Target("5", "  the same, against an untagged bare render",
               ratio_of(big_build.peak, plain.peak)
               if big_build and (plain := extra.get("100× untagged")) else None,
               1.2, "×", mib(big_build, extra.get("100× untagged")) or skipped),
    ]  # fmt: skip


def seconds(a: Case | None, b: Case | None) -> str:
    if a is None or b is None or a.median is None or b.median is None:
        return ""
    return f"{a.median:.2f} s / {b.median:.2f} s"


def mib(a: Case | None, b: Case | None) -> str:
    if a is None or b is None or a.peak is None or b.peak is None:
        return ""
    return f"{a.peak / 1024:.0f} MiB / {b.peak / 1024:.0f} MiB"


def median(case: Case | None) -> float | None:
    return case.median if case else None


def ratio(a: Case | None, b: Case | None) -> float | None:
    return ratio_of(median(a), median(b))


def ratio_of(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


# --- the report -------------------------------------------------------------------------


def machine() -> list[str]:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    versions = []
    for name in ("weasyprint", "pydyf", "docxtpl", "matplotlib", "briefgen"):
        try:
            versions.append(f"{name} {importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            versions.append(f"{name} not installed")
    subset = ctypes.util.find_library("harfbuzz-subset")
    mem = ""
    try:
        total = int(Path("/proc/meminfo").read_text().split()[1]) // 1024
        mem = f", {total / 1024:.1f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return [
        f"date:     {dt.datetime.now().astimezone().isoformat(timespec='minutes')}",
        f"machine:  {os.cpu_count()} CPUs ({usable} usable), {cpu}{mem}",
        f"system:   {platform.platform()}",
        f"python:   {platform.python_version()} ({sys.executable})",
        f"packages: {', '.join(versions)}",
        f"briefgen: {revision()}",
        f"harfbuzz-subset: {subset or 'not found (WeasyPrint subsets fonts with fontTools)'}",
        f"pandoc:   {shutil.which('pandoc') or 'not installed'}",
    ]


def revision() -> str:
    """The checkout's commit, and whether briefgen/ has uncommitted changes."""
    try:
        head = subprocess.run(
            ["git", "log", "-1", "--format=%h %s"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "briefgen", "templates"],
            cwd=ROOT, capture_output=True, text=True,
        ).stdout.strip()  # fmt: skip
    except OSError:
        return "not a git checkout"
    if not head:
        return "not a git checkout"
    return f"{head[:90]}" + (" (+ uncommitted changes)" if dirty else "")


def table(results: Results) -> list[str]:
    width = 68
    out = [f"{'command (whole process)':<{width}} {'median':>9} {'min':>8} {'peak RSS':>10}  runs"]
    out.append("-" * (width + 38))
    for heading, item in results.rows:
        if isinstance(item, str):
            out.append(heading if heading else f"  {item}")
            continue
        label = f"  {item.label}"
        if item.error:
            out.append(f"{label:<{width}} FAILED, {item.error.splitlines()[0][:90]}")
            continue
        if not item.times:
            continue
        peak = f"{item.peak / 1024:.0f} MiB" if item.peak else ""
        out.append(
            f"{label:<{width}} {item.median:>8.3f}s {min(item.times):>7.3f}s {peak:>10}"
            f"  {len(item.times)}"
        )
    out += ["", f"{'target':<{width}} {'measured':>9} {'bound':>8}  verdict", "-" * (width + 38)]
    for target in results.targets:
        label = f"{target.number}. {target.what}"
        bound = fmt(target.bound, target.unit)
        if target.value is None:
            out.append(f"{label:<{width}} {'—':>9} {bound:>8}  not measured  {target.note}")
            continue
        verdict = "met" if target.value <= target.bound else "not met"
        value = fmt(target.value, target.unit)
        note = f"  ({target.note})" if target.note else ""
        out.append(f"{label:<{width}} {value:>9} {bound:>8}  {verdict}{note}".rstrip())
    return out


def load_average() -> float:
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")


def fmt(value: float, unit: str) -> str:
    return f"{value:.2f}{unit}" if unit == "×" else f"{value:.3f}s"


def compile_bytecode() -> str:
    """Compile briefgen's modules to bytecode first, as installing a wheel does: the
    editable install reads the source tree, and where PYTHONDONTWRITEBYTECODE is set (as
    in some containers) every command would compile its modules again, 60 ms of each
    `check` that no installed briefgen pays."""
    done = subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(ROOT / "briefgen")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode:
        return f"compileall failed ({done.stderr.strip()[-200:]}); modules compiled per run"
    return "briefgen's modules compiled to __pycache__ first, as a wheel install has them"


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, help="runs of each command (default 5; 3 --quick)")
    parser.add_argument(
        "--big-runs",
        type=int,
        default=None,
        help="runs of the 10×, 100× and 20-edition builds (default 1: each takes 10 s to minutes)",
    )
    parser.add_argument("--quick", action="store_true", help="3 runs, and no 100× workspace")
    parser.add_argument("--keep", action="store_true", help="keep the temporary workspaces")
    args = parser.parse_args(list(argv) if argv is not None else None)
    args.runs = args.runs or (3 if args.quick else 5)
    args.big_runs = args.big_runs or 1
    started = time.perf_counter()
    load_before = f"{load_average():.2f}"
    compiled = compile_bytecode()
    tmp = Path(tempfile.mkdtemp(prefix="briefgen-bench-"))
    results = Results()
    try:
        bench(args, tmp, results)
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    lines = [
        "briefgen benchmark (issue 8): medians, whole process, wall time",
        *machine(),
        f"command:  {' '.join(['scripts/bench.py', *sys.argv[1:]])}: {args.runs} run(s) of "
        f"each command, {args.big_runs} of the 10×, 100× and 20-edition builds; "
        f"took {time.perf_counter() - started:.0f} s",
        f"load:     1-minute load average {load_before} before, {load_average():.2f} after "
        "(other work on the machine adds noise)",
        f"bytecode: {compiled}",
        "",
        *table(results),
        "",
        "A benchmark, not a test: a target not met is reported, never failed.",
    ]
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Hostile and broken notes and templates, each through a whole build (tests/hostile/).

Every case is a folder `tests/hostile/cases/<name>/`: `case.toml` says what to do to a
fresh copy of the test workspace and what must come of it, and `files/`, if present, is
copied over the workspace. Each build runs in its own process (tests/hostile/driver.py)
under an audit hook, with a timeout, so that a build that hangs cannot freeze the suite
and the hook does not leak into pytest. For every case, whatever its outcome:

- the build was refused with the tool's own error (exit 1, naming file and line where the
  case says), or it rendered, as the case expects: never another exception, never a hang,
  and never an "internal error" (an unexpected exception the tool wrapped: a bug);
- no file outside the workspace, the package and its templates, Python and the system
  libraries was opened, and nothing outside output/ was written;
- no socket was opened or used, and no process was started except the system's library
  lookup (ctypes.util runs ldconfig, gcc and ld);
- no PDF written has an embedded or attached file, and no output holds the text of
  /etc/passwd or of the secret file planted beside the workspace;
- the earlier outputs in output/ are byte-identical after a failed build, the other
  outputs of the folder are untouched after a successful one, and no temporary file is
  left in output/.

case.toml keys (all optional except about and expect):

    about = "what the case tries"          category = "fetch-template" (for the report)
    expect = "refused" | "rendered" | "either"   # either: rendered, or refused cleanly
    formats = ["pdf", "docx", "html"]      timeout = 60 (seconds)
    charts = true                          # draw charts (off by default: a second a build)
    error = ["regex", ...]                 # each must match the error message
    error_absent = ["regex", ...]          # none may match it
    where = ["sources/demo/2025-W03.yaml:4", ...]   # file:line the message must name
    invalid_notes = true                   # the error is InvalidNotes (a notes problem)
    text = ["raw note text", ...]          # must reach the HTML and DOCX as text
    no_file = ["pwned"]                    # workspace paths that must not exist afterwards
    set = {"briefgen.bounded.SECONDS" = 3} # module attributes the driver overrides
    xfail = "bug: ..."                     # a known bug: the test asserts the right thing
    [[edit]] file/old/new                  # replace text in a workspace file
    [[write]] file/text (+ repeat/times/tail) # write a file: text + repeat*times + tail
    [[symlink]] file/to                    [[fifo]] file          [[move]] file/to
    [[sparse]] file/size                   # a file of `size` bytes that takes no disk
    [[docx]] file/paragraphs               # a Word template whose paragraphs are these
    export = {target = "templates", force = true}  # run `templates export`, not a build
    verify = {from = "pdf", tamper = "no-ledger", file = "input/brief.pdf"}
        # run `verify` on a brief built from the workspace as `from`, tampered with as
        # tests/hostile/verify_tamper.py names it, and put at `file` (not a build)

In every string, @WS@ and @OUTSIDE@ stand for the workspace and for the folder beside
it that holds the planted secrets, and @WS_URI@ and @OUTSIDE_URI@ for their file:// URLs.

A case that shows a bug asserts the right behaviour and carries `xfail = "bug: ..."`
(strict: when the bug is fixed the case passes, and pytest says to drop the mark).

The selected cases run in parallel, once, in the module-scoped `outcomes` fixture. At the
end of the file: tests of the audit itself, and builds of the sample notes killed midway.
"""

from __future__ import annotations

import base64
import concurrent.futures
import contextlib
import io
import json
import os
import re
import shutil
import site
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import tinyhtml5
from pypdf import PdfReader

import briefgen
from briefgen.models import smart_quotes
from briefgen.templating import default_templates
from conftest import DATA

HOSTILE = Path(__file__).parent / "hostile"
CASES = HOSTILE / "cases"
DRIVER = HOSTILE / "driver.py"
NS = "{http://www.w3.org/1999/xhtml}"

CANARY = "CANARY-7f3a9c-outside-the-workspace"
PASSWD = "root:x:0:0"
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
STEM = "2025-01-19-demo"
"""The file name (without suffix) the test workspace's edition is built to."""
EARLIER = {
    f"{STEM}.pdf": b"%PDF-1.7 last week's PDF, which a failed build must leave alone\n",
    f"{STEM}.docx": b"last week's DOCX\n",
    f"{STEM}.html": b"<p>last week's HTML</p>\n",
    "2025-01-12-demo.pdf": b"%PDF-1.7 an older edition no build of this week touches\n",
}


# --- the cases ---------------------------------------------------------------------------


@dataclass
class Case:
    name: str
    about: str
    expect: str
    category: str = ""
    formats: list[str] = field(default_factory=lambda: ["pdf", "docx", "html"])
    charts: bool = False
    timeout: float = 60
    error: list[str] = field(default_factory=list)
    error_absent: list[str] = field(default_factory=list)
    where: list[str] = field(default_factory=list)
    invalid_notes: bool | None = None
    text: list[str] = field(default_factory=list)
    no_file: list[str] = field(default_factory=list)
    set: dict[str, Any] = field(default_factory=dict)
    xfail: str = ""
    edit: list[dict[str, str]] = field(default_factory=list)
    write: list[dict[str, Any]] = field(default_factory=list)
    symlink: list[dict[str, str]] = field(default_factory=list)
    fifo: list[dict[str, str]] = field(default_factory=list)
    sparse: list[dict[str, Any]] = field(default_factory=list)
    move: list[dict[str, str]] = field(default_factory=list)
    docx: list[dict[str, Any]] = field(default_factory=list)
    export: dict[str, Any] = field(default_factory=dict)
    verify: dict[str, str] = field(default_factory=dict)

    @property
    def folder(self) -> Path:
        return CASES / self.name


def load_cases() -> list[Case]:
    cases = []
    for path in sorted(CASES.glob("*/case.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        case = Case(name=path.parent.name, **data)
        assert case.expect in ("refused", "rendered", "either"), path
        cases.append(case)
    return cases


ALL_CASES = load_cases()


def case_params() -> list[Any]:
    return [
        pytest.param(
            case,
            id=case.name,
            marks=[pytest.mark.xfail(reason=case.xfail, strict=True)] if case.xfail else [],
        )
        for case in ALL_CASES
    ]


# --- setting a case up ----------------------------------------------------------------------


@dataclass
class Setup:
    """A case's workspace, the folder of secrets beside it, and what was there before."""

    root: Path
    ws: Path
    outside: Path
    before: dict[str, bytes]
    """Every file of the workspace (relative path → bytes), output/ included."""


def substitute(text: str, ws: Path, outside: Path) -> str:
    return (
        text.replace("@WS_URI@", ws.as_uri())
        .replace("@OUTSIDE_URI@", outside.as_uri())
        .replace("@WS@", str(ws))
        .replace("@OUTSIDE@", str(outside))
    )


def plant_secrets(outside: Path) -> None:
    """Files outside the workspace that no case may get into a brief."""
    outside.mkdir()
    (outside / "secret.txt").write_text(f"{CANARY}\n", encoding="utf-8")
    (outside / "secret.png").write_bytes(PNG)
    (outside / "font.ttf").write_bytes(b"not really a font " + CANARY.encode())
    (outside / "evil.css").write_text(
        f'h1::after {{ content: "{CANARY}"; }}\n@import url("file:///etc/passwd");\n',
        encoding="utf-8",
    )
    (outside / "evil.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="20">'
        f'<g id="x"><text y="15">{CANARY}</text></g></svg>\n',
        encoding="utf-8",
    )
    (outside / "evil.j2").write_text(f"<p>{CANARY}</p>\n", encoding="utf-8")
    notes = (DATA / "ws" / "sources" / "demo" / "2025-W03.yaml").read_text(encoding="utf-8")
    (outside / "notes.yaml").write_text(
        notes.replace("North Korean forces in Russia's war", CANARY), encoding="utf-8"
    )
    topic = outside / "topic"
    topic.mkdir()
    shutil.copytree(DATA / "ws" / "sources" / "demo", topic, dirs_exist_ok=True)
    (topic / "2025-W03.yaml").write_text(
        notes.replace("North Korean forces in Russia's war", CANARY), encoding="utf-8"
    )


def snapshot(ws: Path) -> dict[str, bytes]:
    files = {}
    for path in sorted(ws.rglob("*")):
        if path.is_symlink() or not path.is_file():
            continue
        files[path.relative_to(ws).as_posix()] = path.read_bytes()
    return files


def make_docx(path: Path, paragraphs: list[str]) -> None:
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    document.save(str(path))


def set_up(case: Case, root: Path) -> Setup:
    ws, outside = root / "ws", root / "outside"
    shutil.copytree(DATA / "ws", ws)
    for path in ws.rglob("*"):  # the data is read-only in git checkouts of some setups
        path.chmod(path.stat().st_mode | 0o200)
    plant_secrets(outside)

    def sub(text: str) -> str:
        return substitute(text, ws, outside)

    files = case.folder / "files"
    if files.is_dir():
        for source in sorted(files.rglob("*")):
            target = ws / source.relative_to(files)
            if source.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            data = source.read_bytes()
            with contextlib.suppress(UnicodeDecodeError):  # broken bytes are copied as they are
                data = sub(data.decode("utf-8")).encode("utf-8")
            target.write_bytes(data)
    for edit in case.edit:
        path = ws / edit["file"]
        text = path.read_text(encoding="utf-8")
        assert edit["old"] in text, f"{case.name}: {edit['old']!r} not in {edit['file']}"
        path.write_text(text.replace(edit["old"], sub(edit["new"]), 1), encoding="utf-8")
    for spec in case.write:
        path = ws / spec["file"]
        path.parent.mkdir(parents=True, exist_ok=True)
        text = sub(spec.get("text", "")) + spec.get("repeat", "") * spec.get("times", 0)
        path.write_text(text + spec.get("tail", ""), encoding="utf-8")
    for spec in case.symlink:
        path = ws / spec["file"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)
        path.symlink_to(sub(spec["to"]))
    for spec in case.fifo:
        path = ws / spec["file"]
        path.parent.mkdir(parents=True, exist_ok=True)
        os.mkfifo(path)
    for spec in case.sparse:
        path = ws / spec["file"]
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("ab") as file:
            file.truncate(spec["size"])
    for spec in case.move:
        (ws / spec["file"]).rename(ws / spec["to"])
    for spec in case.docx:
        path = ws / spec["file"]
        path.parent.mkdir(parents=True, exist_ok=True)
        make_docx(path, [sub(p) for p in spec["paragraphs"]])
    if case.verify:
        from hostile.verify_tamper import prepare

        prepare(ws, root / "verify-build", case.verify)
    output = ws / "output"
    output.mkdir(exist_ok=True)
    for name, data in EARLIER.items():
        (output / name).write_bytes(data)
    return Setup(root, ws, outside, snapshot(ws))


# --- running a case ----------------------------------------------------------------------


@dataclass
class Outcome:
    setup: Setup
    returncode: int | None
    """None when the build had to be killed at the case's timeout."""
    stderr: str
    report: dict[str, Any]
    events: list[list[Any]]
    seconds: float


def run_case(case: Case, root: Path) -> Outcome:
    return execute(case, set_up(case, root))


def execute(case: Case, setup: Setup) -> Outcome:
    """Build the case's workspace in the driver, killing it at the case's timeout."""
    import time

    root = setup.root
    report = root / "report.json"
    settings = {"formats": case.formats, "charts": case.charts, "set": case.set}
    settings["export"] = case.export
    settings["verify"] = case.verify.get("file", "")
    start = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, str(DRIVER), str(setup.ws), str(report), json.dumps(settings)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "XDG_CONFIG_HOME": str(root / "user-config")},  # the user's own
        start_new_session=True,  # so that a timeout kills the build and any child it forked
    )
    try:
        _, stderr = process.communicate(timeout=case.timeout)
        returncode: int | None = process.returncode
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, 9)
        _, stderr = process.communicate()
        returncode = None
    seconds = time.monotonic() - start
    data = json.loads(report.read_text(encoding="utf-8")) if report.is_file() else {}
    events_file = root / "report.json.events"
    events = []
    if events_file.is_file():
        for line in events_file.read_text(encoding="utf-8").splitlines():
            try:
                events.append(json.loads(line))
            except json.JSONDecodeError:
                events.append(["?", "unreadable event line", line])  # a torn write
    return Outcome(setup, returncode, stderr, data, events, seconds)


@pytest.fixture(scope="module")
def outcomes(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Outcome]:
    """Every selected case, built in parallel (a build is a second or three of one core)."""
    selected = {
        item.callspec.params["case"].name
        for item in request.session.items
        if item.module is sys.modules[__name__] and hasattr(item, "callspec")
        if "case" in item.callspec.params
    }
    cases = [case for case in ALL_CASES if case.name in selected]
    workers = max(2, min(8, os.cpu_count() or 2))
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        futures = {
            case.name: pool.submit(run_case, case, tmp_path_factory.mktemp(case.name))
            for case in cases
        }
    return {name: future.result() for name, future in futures.items()}


# --- what every case must satisfy ------------------------------------------------------------


def caches() -> list[Path]:
    """Font and chart caches, which the libraries may read and write."""
    import matplotlib

    folders = [
        Path("/var/cache/fontconfig"),
        Path.home() / ".cache" / "fontconfig",
        Path(matplotlib.get_cachedir()),
        Path(matplotlib.get_configdir()),
    ]
    return [folder.resolve() for folder in folders]


def allowed_roots(setup: Setup) -> list[Path]:
    """Where a build may read: the workspace, the package, Python, the system libraries."""
    roots = [
        setup.ws,
        Path(briefgen.__file__).parent,
        HOSTILE,  # the driver: Python reads it to print a traceback
        default_templates(),
        Path(sys.prefix),
        Path(sys.base_prefix),
        Path(sys.exec_prefix),
        *map(Path, site.getsitepackages()),
        Path("/usr"),
        Path("/etc/fonts"),
    ]
    return [root.resolve() for root in roots] + caches()


ALLOWED_FILES = {
    "/dev/null",
    "/dev/urandom",
    "/etc/mime.types",  # mimetypes, which WeasyPrint imports
    "/etc/localtime",
}
PROC_SELF = re.compile(r"^/proc/(self|\d+)/(statm|stat|status|limits)$")
"""What a process reads about itself (the render bound reads statm); not /proc/self/root/..."""
LIBRARY_LOOKUP = re.compile(r"^\('(/sbin/ldconfig|/usr/bin/gcc|ld|gcc|cc|objdump)'")
"""ctypes.util.find_library, which WeasyPrint's cffi bindings use to find Pango."""


def is_inside(path: Path, roots: list[Path]) -> bool:
    return any(path.is_relative_to(root) for root in roots)


def creates_new_file(flags: int) -> bool:
    """O_CREAT|O_EXCL or O_TMPFILE: a file made anew, which cannot be reading anything."""
    tmpfile = getattr(os, "O_TMPFILE", 0)
    return bool(flags & os.O_CREAT and flags & os.O_EXCL) or bool(
        tmpfile and flags & tmpfile == tmpfile
    )


def writes(mode: str | None, flags: int) -> bool:
    return bool(flags & (os.O_WRONLY | os.O_RDWR)) or any(c in (mode or "") for c in "wax+")


def is_engine_font_scratch(real: Path, temp: Path) -> bool:
    """WeasyPrint writes each @font-face font of a template to a folder it makes with
    mkdtemp(prefix="weasyprint-") and hands to fontconfig: its own scratch, holding only
    fonts the fetcher served, removed after the render (test_fonts.py checks that)."""
    folder = real if real.parent == temp else real.parent
    return folder.parent == temp and folder.name.startswith("weasyprint-")


def check_audit(case: Case, outcome: Outcome) -> None:
    setup = outcome.setup
    roots = allowed_roots(setup)
    pids = {str(outcome.report.get("pid"))} | {str(event[0]) for event in outcome.events}
    temp = Path(tempfile.gettempdir()).resolve()
    writable = [(setup.ws / "output").resolve(), *caches()]
    outside_reads, outside_writes, other = [], [], []
    for event in outcome.events:
        kind = event[1]
        if kind != "open":
            if kind == "subprocess.Popen" and LIBRARY_LOOKUP.match(event[2]):
                continue
            if kind == "urllib.Request" and event[2].startswith("('data:"):
                continue  # WeasyPrint reads data: URLs (the charts) through urllib: no I/O
            other.append(event)
            continue
        path, mode, flags = event[2], event[3], event[4]
        real = Path(os.path.realpath(path))
        proc_self = bool(PROC_SELF.match(path)) and path.split("/")[2] in ("self", *pids)
        # the temp folder itself can only be opened to make an unnamed file (O_TMPFILE)
        fresh_temp = real == temp or (creates_new_file(flags) and real.parent == temp)
        fresh_temp = fresh_temp or is_engine_font_scratch(real, temp)
        if writes(mode, flags) and not (
            is_inside(real, writable) or fresh_temp or path == "/dev/null"
        ):
            outside_writes.append(event)
        if not (is_inside(real, roots) or path in ALLOWED_FILES or proc_self or fresh_temp):
            outside_reads.append(event)
    assert not outside_reads, f"opened outside the allowed folders: {outside_reads}"
    assert not outside_writes, f"wrote outside output/: {outside_writes}"
    assert not other, f"network or process activity: {other}"
    opened = {event[2] for event in outcome.events if event[1] == "open"}
    assert not {p for p in opened if p.startswith(str(setup.outside))}
    assert "/etc/passwd" not in opened


def pdf_problems(data: bytes) -> list[str]:
    """Embedded or attached files, and the secrets, in a PDF (briefgen's own ledger, the
    notes it was built from, checked and set aside: tests/hostile/ledger_strip.py)."""
    from hostile.ledger_strip import strip_ledger

    data, found, attached = strip_ledger(data)
    found += [f"an attachment holds {s!r}" for s in (CANARY, PASSWD) if s.encode() in attached]
    reader = PdfReader(io.BytesIO(data))
    if reader.attachments:
        found.append(f"embedded files: {list(reader.attachments)}")
    for number, page in enumerate(reader.pages, start=1):
        for annotation in page.get("/Annots") or []:
            if annotation.get_object().get("/Subtype") == "/FileAttachment":
                found.append(f"a file attachment annotation on page {number}")
    text = "\n".join(page.extract_text() for page in reader.pages)
    found += [f"the text {secret!r}" for secret in (CANARY, PASSWD) if secret in text]
    if b"/EmbeddedFile" in data:
        found.append("an /EmbeddedFile object")
    return found + embedded_objects(reader)


def embedded_objects(reader: PdfReader) -> list[str]:
    """Every object of the PDF, compressed object streams included (where a search of the
    raw bytes for /EmbeddedFile sees nothing), that is or points to an embedded file."""
    numbers = {n for table in reader.xref.values() for n in table} | set(reader.xref_objStm)
    found = []
    root = reader.trailer["/Root"].get_object()
    if "/AF" in root:
        found.append("associated files (/AF) in the catalog")
    for number in sorted(numbers):
        try:
            obj = reader.get_object(number)
        except Exception:  # a free or broken entry: nothing to find there
            continue
        if not hasattr(obj, "get"):
            continue
        if obj.get("/Type") in ("/EmbeddedFile", "/Filespec") or "/EF" in obj:
            found.append(f"object {number}: an embedded file or file specification")
        if obj.get("/Subtype") == "/FileAttachment" or "/EmbeddedFiles" in obj:
            found.append(f"object {number}: a file attachment or embedded-files tree")
    return found


def docx_text(data: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for section in document.sections:
        parts += [p.text for p in section.header.paragraphs + section.footer.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def html_text(data: bytes) -> str:
    root = tinyhtml5.parse(data.decode("utf-8"))
    body = root.find(f"{NS}body")
    assert body is not None
    return " ".join("".join(body.itertext()).split())


def outside_links(name: str, data: bytes) -> list[str]:
    """Every link out of a brief: PDF /URI actions, DOCX external relationships, HTML
    hrefs (in-document `#` links left out)."""
    if name.endswith(".pdf"):
        reader = PdfReader(io.BytesIO(data))
        annotations = [a.get_object() for page in reader.pages for a in page.get("/Annots") or []]
        links = [str(a["/A"].get("/URI")) for a in annotations if "/URI" in a.get("/A", {})]
    elif name.endswith(".docx"):
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            rels = package.read("word/_rels/document.xml.rels").decode("utf-8")
        links = re.findall(r'Target="([^"]*)"[^>]*TargetMode="External"', rels)
    else:
        root = tinyhtml5.parse(data.decode("utf-8"))
        links = [el.get("href", "") for el in root.iter(f"{NS}a")]
    return [link for link in links if not link.startswith("#")]


def check_links(name: str, data: bytes) -> None:
    """The default templates link only the sources' addresses: each must pass the URL
    policy and be printed in its safe form (http(s), a host, no userinfo, no invisible
    characters, punycode)."""
    from briefgen.urls import UnsafeUrl, check_url

    for link in outside_links(name, data):
        try:
            assert check_url(link).url == link, f"{name}: {link!r} is not in its printed form"
        except UnsafeUrl as error:
            raise AssertionError(f"{name}: a dangerous link {link[:200]!r}: {error}") from None


STAMPS = "output/.briefgen/"
"""The build cache's stamps: the build may write them, beside the outputs."""


def check_outputs(case: Case, outcome: Outcome) -> None:
    setup = outcome.setup
    output = setup.ws / "output"
    temporary = [str(p.relative_to(output)) for p in output.rglob("*") if p.name.endswith(".part")]
    assert not temporary, f"temporary files left in output/: {temporary}"
    after = snapshot(setup.ws)
    written = {f"output/{Path(p).name}" for p in outcome.report.get("written", [])}
    for name, data in setup.before.items():
        if name in written:
            continue
        assert after.get(name) == data, f"{name} changed (or vanished)"
    new = {name for name in set(after) - set(setup.before) if not name.startswith(STAMPS)}
    assert new <= written, f"files written that the build does not report: {new - written}"
    for name in written:
        data = after[name]
        for secret in (CANARY, PASSWD):
            assert secret.encode() not in data, f"{name} holds {secret!r}"
        if name.endswith(".pdf"):
            assert not pdf_problems(data), f"{name}: {pdf_problems(data)}"
        if not (case.folder / "files" / "templates").exists():
            check_links(name, data)
        if name.endswith(".docx"):
            with zipfile.ZipFile(io.BytesIO(data)) as package:
                for member in package.namelist():
                    content = package.read(member)
                    assert CANARY.encode() not in content and PASSWD.encode() not in content
                    assert not member.startswith("word/embeddings"), member


FORBIDDEN = {"script", "iframe", "object", "embed", "link", "base", "svg", "image", "frame"}
"""Elements the default template never writes: if one is in the HTML, the notes put it there."""


def check_no_markup_from_notes(data: bytes) -> None:
    """The default template's HTML, with nothing that notes could have smuggled in (but
    briefgen's own ledger script, written after the template, whose JSON holds no `<`)."""
    ledger = rb'<script type="application/json" id="briefgen-ledger">[^<]*</script>\n'
    data = re.sub(ledger, b"", data, count=1)
    root = tinyhtml5.parse(data.decode("utf-8"))
    tags = {element.tag.removeprefix(NS) for element in root.iter()}
    assert not tags & FORBIDDEN, f"the HTML has {tags & FORBIDDEN} elements"
    for element in root.iter():
        tag = element.tag.removeprefix(NS)
        if tag == "img":
            assert element.get("src", "").startswith("data:"), element.attrib  # charts only
        if tag == "style":
            assert "@import" not in (element.text or ""), "an @import in a <style>"
        for name, value in element.attrib.items():
            assert not name.startswith("on"), f"an event handler {name}={value!r}"


def check_expected(case: Case, outcome: Outcome) -> None:
    report, message = outcome.report, outcome.report.get("error", "")
    assert outcome.returncode is not None, (
        f"the build did not end within {case.timeout:g} s and was killed"
    )
    assert outcome.returncode in (0, 1), (
        f"exit {outcome.returncode}, not the tool's own error:\n{outcome.stderr[-3000:]}"
    )
    assert "Traceback" not in outcome.stderr, outcome.stderr[-3000:]
    if case.expect == "refused":
        assert outcome.returncode == 1, f"built, but should have been refused: {report}"
    if case.expect == "rendered":
        assert outcome.returncode == 0, f"refused, but should have been built:\n{message}"
    if outcome.returncode == 1:
        assert message.strip(), "refused without a message"
        assert "internal error" not in message, f"an unexpected exception, wrapped:\n{message}"
        assert report.get("error_type") in ("BriefgenError", "InvalidNotes") or report.get(
            "invalid_notes"
        )
        if case.invalid_notes is not None:
            assert report.get("invalid_notes") == case.invalid_notes, message
        for pattern in case.error:
            assert re.search(pattern, message), f"{pattern!r} not in:\n{message}"
        for pattern in case.error_absent:
            assert not re.search(pattern, message), f"{pattern!r} in:\n{message}"
        for place in case.where:  # relative, or the end of an absolute path
            assert re.search(rf"(^|[\s/]){re.escape(place)}(:|\s|$)", message, re.M), (
                f"the message does not name {place}:\n{message}"
            )
        written = outcome.report.get("written")
        assert not written
        return
    names = {Path(p).suffix: Path(p).name for p in report["written"]}
    assert set(names) == {f".{f}" for f in case.formats}, names
    out = outcome.setup.ws / "output"
    wanted = [smart_quotes(" ".join(text.split())) for text in case.text]
    if ".html" in names:
        data = (out / names[".html"]).read_bytes()
        text = html_text(data)
        for piece in wanted:
            assert piece in text, f"{piece!r} not in the HTML text"
        if not (case.folder / "files" / "templates").exists():
            check_no_markup_from_notes(data)
    if ".docx" in names:
        text = " ".join(docx_text((out / names[".docx"]).read_bytes()).split())
        for piece in wanted:
            assert piece in text, f"{piece!r} not in the DOCX text"
    for name in case.no_file:
        assert not (outcome.setup.ws / name).exists(), name


# --- the tests --------------------------------------------------------------------------------


def test_the_corpus_has_forty_cases_or_more() -> None:
    assert len(ALL_CASES) >= 40
    for case in ALL_CASES:
        assert case.about and case.category, case.name


def test_the_audit_sees_a_file_read_outside_the_workspace(tmp_path: Path) -> None:
    """The harness itself: a build told (by the user's own config) to take its templates
    from a folder outside the workspace reads there, and the audit must say so."""
    case = Case(name="audit", about="self-test", expect="rendered", formats=["html"])
    setup = set_up(case, tmp_path)
    (setup.outside / "brief.css").write_text("h1 { color: #800; }\n", encoding="utf-8")
    user_config = tmp_path / "user-config" / "briefgen"  # a workspace may not name it
    user_config.mkdir(parents=True)
    (user_config / "briefgen.toml").write_text(
        f'[build]\ntemplates = "{setup.outside}"\n', encoding="utf-8"
    )
    outcome = execute(case, setup)
    check_expected(case, outcome)
    with pytest.raises(AssertionError, match="opened outside the allowed folders"):
        check_audit(case, outcome)


@pytest.mark.parametrize(
    "event",
    [
        [1, "socket.connect", "(<socket.socket fd=5>, ('127.0.0.1', 9))"],
        [1, "socket.getaddrinfo", "('example.invalid', 443, 0, 1, 0, 0)"],
        [1, "subprocess.Popen", "('/bin/sh', ['/bin/sh', '-c', 'id'], None, None)"],
        [1, "open", "/etc/passwd", "r", os.O_RDONLY],
        [1, "open", "/proc/self/root/etc/passwd", "r", os.O_RDONLY],
        [1, "open", "/proc/self/environ", "r", os.O_RDONLY],
        [1, "open", "/etc/cron.d/x", "w", os.O_WRONLY | os.O_CREAT],
    ],
    ids=["connect", "dns", "process", "read", "proc-root", "proc-environ", "write"],
)
def test_the_audit_flags_network_processes_and_outside_files(
    tmp_path: Path, event: list[Any]
) -> None:
    case = Case(name="audit", about="self-test", expect="rendered")
    setup = Setup(tmp_path, tmp_path / "ws", tmp_path / "outside", {})
    outcome = Outcome(setup, 0, "", {"pid": 1}, [event], 0.0)
    with pytest.raises(AssertionError):
        check_audit(case, outcome)


def test_the_pdf_check_sees_an_attachment_in_a_compressed_object_stream() -> None:
    """The harness itself: WeasyPrint compresses objects into object streams, where the
    bytes /EmbeddedFile cannot be seen; the check reads every object instead."""
    import weasyprint

    html = weasyprint.HTML(string='<p>Brief</p><a rel="attachment" href="data:,x">annex</a>')
    data = html.write_pdf(pdf_tags=True)
    reader = PdfReader(io.BytesIO(data))
    assert embedded_objects(reader)
    assert "a file attachment annotation on page 1" in pdf_problems(data)
    assert not pdf_problems(weasyprint.HTML(string="<p>Brief</p>").write_pdf(pdf_tags=True))


@pytest.mark.parametrize("case", case_params())
def test_hostile_case(case: Case, outcomes: dict[str, Outcome]) -> None:
    outcome = outcomes[case.name]
    failures = []
    for check in (check_expected, check_audit, check_outputs):
        try:
            check(case, outcome)
        except AssertionError as error:
            failures.append(f"{check.__name__}: {str(error)[:3000]}")
    assert not failures, f"{case.about}\n" + "\n".join(failures)


# --- a build killed midway ------------------------------------------------------------------

KILLED_BUILD = """
import os, signal, sys
from briefgen import pipeline

when, formats, parts, renames = sys.argv[1], sys.argv[2:] or ["pdf", "docx", "html"], [], []


def hook(event, args):
    # "part": as the second temporary file is created (the first one is written); "replace":
    # as the second finished file is about to be renamed into place (the first one is)
    if when == "part" and event == "open" and str(args[0]).endswith(".part"):
        parts.append(args[0])
        if len(parts) == 2:
            os.kill(os.getpid(), signal.SIGKILL)
    if when == "replace" and event == "os.rename" and str(args[0]).endswith(".part"):
        renames.append(args[0])
        if len(renames) == 2:
            os.kill(os.getpid(), signal.SIGKILL)


if when in ("part", "replace"):
    sys.addaudithook(hook)
pipeline.build([], pipeline.BuildOptions(formats=formats, charts=False))
"""


@pytest.fixture
def sample_workspace(tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    """A copy of the sample notes, with last week's outputs under the names this build writes."""
    from briefgen.pipeline import check
    from conftest import REPO

    ws = tmp_path / "ws"
    shutil.copytree(REPO / "sources", ws / "sources")
    (ws / "output").mkdir()
    cwd = Path.cwd()
    os.chdir(ws)
    try:
        stems = [f"{v.edition.edition.isoformat()}-{v.file.topic}" for v in check([])]
    finally:
        os.chdir(cwd)
    assert len(stems) >= 2
    earlier = {
        f"{stem}.{suffix}": f"last week's {stem}.{suffix}\n".encode()
        for stem in stems
        for suffix in ("pdf", "docx", "html")
    }
    earlier["2024-12-29-nk-russia.pdf"] = b"an older brief no build of these notes touches\n"
    for name, data in earlier.items():
        (ws / "output" / name).write_bytes(data)
    return ws, earlier


def start_build(ws: Path, when: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-c", KILLED_BUILD, when],
        cwd=ws,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own group, so that the test can end any worker left
    )


def end_group(process: subprocess.Popen[bytes]) -> None:
    """Kill what is left of the build (its workers die with it, but not at the same instant)."""
    import signal

    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)


def outputs(ws: Path) -> dict[str, bytes]:
    """The briefs in output/ (not the temporary files, not the build cache's stamps)."""
    folder = ws / "output"
    return {
        p.name: p.read_bytes() for p in folder.iterdir() if p.is_file() and ".part" not in p.name
    }


def temporary_files(ws: Path) -> list[str]:
    return sorted(
        str(p.relative_to(ws / "output"))
        for p in (ws / "output").rglob("*")
        if p.is_file() and ".part" in p.name
    )


def is_complete(name: str, data: bytes) -> bool:
    """A whole PDF, DOCX or HTML file, as a reader would take it."""
    try:
        if name.endswith(".pdf"):
            return len(PdfReader(io.BytesIO(data)).pages) > 0
        if name.endswith(".docx"):
            return bool(docx_text(data))
        return data.rstrip().endswith(b"</html>")
    except Exception:
        return False


@pytest.mark.parametrize("delay", [0.6, 1.0])
def test_a_build_killed_while_rendering_leaves_earlier_outputs_and_no_temporary_files(
    sample_workspace: tuple[Path, dict[str, bytes]], delay: float
) -> None:
    import signal
    import time

    ws, earlier = sample_workspace
    process = start_build(ws, "timer")
    try:
        time.sleep(delay)
        assert process.poll() is None, "the build ended before it could be killed midway"
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        time.sleep(1.0)  # a worker that outlived its parent must not write either
        assert process.returncode == -signal.SIGKILL
        assert outputs(ws) == earlier
        assert temporary_files(ws) == []
    finally:
        end_group(process)


@pytest.mark.parametrize("when", ["part", "replace"])
def test_a_build_killed_while_writing_leaves_whole_files_and_the_next_build_cleans_up(
    sample_workspace: tuple[Path, dict[str, bytes]], when: str
) -> None:
    """Killed as it creates its second temporary file, or between two renames: every brief in
    output/ is either last week's or a whole new one, and the next build removes the
    killed build's temporary files."""
    import signal

    ws, earlier = sample_workspace
    process = start_build(ws, when)
    try:
        process.wait(timeout=120)
        assert process.returncode == -signal.SIGKILL, process.stderr.read().decode()[-2000:]
    finally:
        end_group(process)
    after = outputs(ws)
    for name, data in earlier.items():
        assert after[name] == data or is_complete(name, after[name]), f"{name} is broken"
    if when == "part":
        assert after == earlier
    else:
        assert sum(after[name] != data for name, data in earlier.items()) == 1
    assert temporary_files(ws), "the kill came after the temporary files were gone"

    # the next build (HTML only, to be quick) removes what the killed one left
    cleanup = subprocess.run(
        [sys.executable, "-c", KILLED_BUILD, "none", "html"],
        cwd=ws,
        capture_output=True,
        timeout=120,
    )
    assert cleanup.returncode == 0, cleanup.stderr.decode()[-2000:]
    assert temporary_files(ws) == []
    final = outputs(ws)
    for name in earlier:
        if name.endswith(".html") and not name.startswith("2024-12-29"):
            assert is_complete(name, final[name]), name
        else:
            assert final[name] == after[name], name

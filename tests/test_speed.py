"""What makes a build fast must not change what it makes (issue 8).

The PDF engine loads in a child before the brief is ready; charts are drawn once and
kept under the output folder; the console script skips interpreter teardown. Each is
checked against the slow way's output, read back, and for leftovers.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefgen import bounded, cache, config, pipeline
from briefgen.errors import BriefgenError
from briefgen.render import charts, engine
from conftest import REPO, edit, pdf_text, sample_copy

W04 = REPO / "sources" / "nk-russia" / "2025-W04.yaml"
HTML = '<body style="font-family: DejaVu Sans"><h1>Engine</h1><p>Rendered in the child.</p>'
SCRIPT = Path(sys.executable).parent / "briefgen"
GOLDEN = REPO / "tests" / "golden"


def gone(pid: int) -> bool:
    """True when no process (not even a zombie) has this pid."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return True
    return state in ("Z", "X") and not _is_child(pid)


def _is_child(pid: int) -> bool:
    try:
        return os.waitpid(pid, os.WNOHANG) == (0, 0)
    except ChildProcessError:
        return False


def live_processes() -> list[tuple[int, int, int]]:
    """(pid, parent pid, session id) of every process that is not a zombie, from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # it ended while we looked
            if fields[0] not in ("Z", "X"):
                found.append((int(entry.name), int(fields[1]), int(fields[3])))
    return found


def no_children_left() -> bool:
    """True when this process has no live child (a zombie another test left is not ours
    to judge)."""
    return not any(parent == os.getpid() for _, parent, _ in live_processes())


# --- the engine child --------------------------------------------------------------------


def test_the_engine_child_makes_the_pdf_this_process_would(tmp_path: Path) -> None:
    here = engine.render(HTML, tmp_path, [tmp_path], "x.yaml")
    child = engine.start()
    child.send(HTML, tmp_path, [tmp_path], "x.yaml")
    there = child.result()
    assert there.pdf == here.pdf
    assert "Rendered in the child" in pdf_text(there.pdf)
    assert gone(child.pid)


def test_a_cancelled_engine_leaves_no_process() -> None:
    child = engine.start()
    child.cancel()
    child.cancel()  # twice is harmless
    assert gone(child.pid)


def test_the_engine_keeps_the_render_bounds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bounded, "SECONDS", 0.5)
    child = bounded.prepare(lambda: None, lambda: time.sleep(30), what="brief.pdf")
    child.send()
    with pytest.raises(BriefgenError, match=r"brief\.pdf: rendering took longer than 0\.5 s"):
        child.result()
    assert gone(child.pid)


def test_the_engine_s_bounds_grow_with_the_html_it_is_sent() -> None:
    small, big = engine.bounds("<p>x</p>"), engine.bounds("x" * 5_000_000)
    assert small == pytest.approx((bounded.SECONDS, bounded.MEGABYTES), abs=0.01)
    assert big[0] > small[0] + 200 and big[1] > small[1] + 1000  # a 100× brief fits
    child = bounded.prepare(lambda: None, lambda: len(bytearray(2 * 10**9)), what="brief.pdf")
    child.send(megabytes=256)
    with pytest.raises(BriefgenError, match=r"brief\.pdf: rendering needed more than 256 MB"):
        child.result()
    assert gone(child.pid)


def test_an_engine_that_cannot_load_says_so_when_asked() -> None:
    def broken() -> None:
        raise ImportError("no module named weasyprint")

    child = bounded.prepare(broken, lambda: b"never", what="brief.pdf")
    child.send()
    with pytest.raises(BriefgenError, match=r"internal error.*ImportError: no module named"):
        child.result()


def test_an_engine_whose_parent_dies_goes_too() -> None:
    script = (
        "import os, sys; from briefgen.render import engine\n"
        "child = engine.start(); print(child.pid, flush=True); os._exit(0)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    pid = int(done.stdout)
    deadline = time.monotonic() + 10
    while not gone(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert gone(pid)


def test_a_build_that_fails_validation_stops_the_engine(workspace: Path, edition: Path) -> None:
    from click.testing import CliRunner

    from briefgen.cli import main

    edit(edition, "cite: [reaction-2025-01-13,", "cite: [nowhere,")
    assert CliRunner().invoke(main, ["build"]).exit_code == 1
    assert no_children_left()
    assert not (workspace / "output").exists()


def test_builds_with_and_without_an_engine_write_the_same_files(tmp_path: Path) -> None:
    with_engine = pipeline.build([W04], pipeline.BuildOptions(output=tmp_path / "a"))
    options = pipeline.BuildOptions(output=tmp_path / "b", jobs=1)
    valid = pipeline.check([W04])
    warnings: list[str] = []
    # the in-process path, as a worker of a several-edition build takes it
    files = pipeline._render(valid[0], options.settled(config.load(Path())), warnings)
    for path in with_engine.written:
        assert path.read_bytes() == files[tmp_path / "b" / path.name], path.name


# --- charts kept by content --------------------------------------------------------------


def chart_files(output: Path) -> list[Path]:
    return sorted((output / cache.STAMPS / cache.BLOBS).glob("*"))


def test_charts_are_drawn_once_then_reused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = pipeline.build([W04], pipeline.BuildOptions(output=tmp_path))
    kept = chart_files(tmp_path)
    assert [p.suffix for p in kept].count(".svg") == 3  # W04: three quantities with 2+
    assert [p.suffix for p in kept].count(".png") == 3
    before = {p: p.read_bytes() for p in first.written}

    def no_drawing(group: object) -> None:
        raise AssertionError("a kept chart was drawn again")

    monkeypatch.setattr(charts, "chart_svg", no_drawing)
    monkeypatch.setattr(charts, "chart_png", no_drawing)
    again = pipeline.build([W04], pipeline.BuildOptions(output=tmp_path, force=True))
    assert {p: p.read_bytes() for p in again.written} == before
    assert chart_files(tmp_path) == kept
    assert all(cache.STAMPS not in p.parts for p in again.written)  # not listed to the user


def sample(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """W04 in a copy of the sample workspace."""
    return sample_copy(tmp_path, monkeypatch) / W04.relative_to(REPO)


def test_a_changed_estimate_redraws_only_its_chart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    notes = sample(tmp_path, monkeypatch)
    pipeline.build([notes], pipeline.BuildOptions(formats=["html"]))
    old = chart_files(tmp_path / "output")
    html = (tmp_path / "output" / "2025-01-26-nk-russia.html").read_text(encoding="utf-8")
    edit(notes, "estimate: about 300\n", "estimate: about 350\n")
    pipeline.build([notes], pipeline.BuildOptions(formats=["html"]))
    new = chart_files(tmp_path / "output")
    assert set(old) < set(new) and len(new) == len(old) + 1
    changed = (tmp_path / "output" / "2025-01-26-nk-russia.html").read_text(encoding="utf-8")
    assert changed != html and "about 350" in changed


def test_a_failed_build_keeps_no_charts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    notes = sample(tmp_path, monkeypatch)
    edit(notes, "title:", "titel:")
    with pytest.raises(BriefgenError):
        pipeline.build([notes], pipeline.BuildOptions(formats=["html"]))
    assert not (tmp_path / "output").exists()


def test_a_planted_or_linked_chart_file_is_not_trusted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    notes = sample(tmp_path, monkeypatch)
    pipeline.build([notes], pipeline.BuildOptions(formats=["html"]))
    html = tmp_path / "output" / "2025-01-26-nk-russia.html"
    clean = html.read_bytes()
    secret = tmp_path / "secret.svg"
    secret.write_text('<svg xmlns="http://www.w3.org/2000/svg"><text>CANARY</text></svg>')
    for kept in chart_files(tmp_path / "output"):
        kept.unlink()
        kept.symlink_to(secret)
    pipeline.build([notes], pipeline.BuildOptions(formats=["html"], force=True))
    assert html.read_bytes() == clean  # redrawn, not read through the links


def test_charts_unused_for_60_days_are_pruned(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    notes = sample(tmp_path, monkeypatch)
    pipeline.build([notes], pipeline.BuildOptions(formats=["html"]))
    kept = chart_files(tmp_path / "output")
    stale = kept[0].with_name("0" * 64 + ".svg")
    stale.write_text("<svg/>")
    long_ago = time.time() - 61 * 86400
    for path in [*kept, stale]:
        os.utime(path, (long_ago, long_ago))
    pipeline.build([notes], pipeline.BuildOptions(formats=["html"], force=True))
    assert chart_files(tmp_path / "output") == kept  # in use again: touched, kept


# --- font subsets kept by content ----------------------------------------------------------


def font_files(output: Path) -> list[Path]:
    return sorted((output / cache.STAMPS / cache.BLOBS).glob("*.font"))


def no_cutting(monkeypatch: pytest.MonkeyPatch) -> None:
    """From here on, fontTools may not subset a font: only kept subsets can be used."""
    from fontTools import subset

    def refuse(self: object, font: object) -> None:
        raise AssertionError("a kept font subset was cut again")

    monkeypatch.setattr(subset.Subsetter, "subset", refuse)


def test_font_subsets_are_cut_once_and_give_the_same_pdf(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    options = pipeline.BuildOptions(output=tmp_path, formats=["pdf"], charts=False)
    first = pipeline.build([W04], options).written[0].read_bytes()
    kept = font_files(tmp_path)
    assert len(kept) >= 4  # serif, its bold and italic, the sans of the tables, …
    no_cutting(monkeypatch)  # and no engine child, whose warm-up cuts a word's subset:
    settled = replace(options, force=True).settled(config.load(Path()))
    files = pipeline._render(pipeline.check([W04])[0], settled, [])
    assert files[tmp_path / "2025-01-26-nk-russia.pdf"] == first  # no subset cut
    assert not [path for path in files if path.suffix == ".font"]  # nothing new to keep


def test_a_subset_kept_for_one_brief_never_stands_in_for_another_s(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """fontTools stamps the brief's date into each subset (SOURCE_DATE_EPOCH): W04 built
    where W08's subsets are kept is the W04 built from nothing, byte for byte."""
    sample(tmp_path, monkeypatch)
    options = pipeline.BuildOptions(formats=["pdf"], charts=False)
    w08, w04 = (REPO / "sources" / "nk-russia" / f"2025-W0{n}.yaml" for n in (8, 4))
    pipeline.build([w08], options)
    kept = pipeline.build([w04], options).written[0].read_bytes()
    fresh = pipeline.build([w04], replace(options, output=tmp_path / "fresh")).written[0]
    assert fresh.read_bytes() == kept


def test_a_new_glyph_cuts_its_face_again_and_matches_a_build_without_the_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    notes = sample(tmp_path, monkeypatch)
    options = pipeline.BuildOptions(formats=["pdf"], charts=False)
    pipeline.build([notes], options)
    before = font_files(tmp_path / "output")
    edit(notes, "title:", "title: Ærø Ǆ")  # glyphs no face of the brief used yet
    stored = pipeline.build([notes], replace(options, force=True)).written[0].read_bytes()
    assert "Ærø" in pdf_text(stored)
    assert len(font_files(tmp_path / "output")) > len(before)  # its face was cut anew
    fresh = pipeline.build([notes], replace(options, output=tmp_path / "fresh"))
    assert fresh.written[0].read_bytes() == stored


# --- WeasyPrint loaded without the library search ---------------------------------------

LOADED = """
import ctypes.util, hashlib, sys
find = ctypes.util.find_library
if sys.argv[1] == "briefgen":
    from briefgen.render.weasy import load_weasyprint
    weasyprint = load_weasyprint()
else:
    import weasyprint
from weasyprint.text import ffi
from briefgen.render.weasy import fonttools_subsetting
assert ctypes.util.find_library is find  # put back
libraries = [name for name in ("pango", "harfbuzz", "harfbuzz_subset", "fontconfig", "pangoft2")
             if getattr(ffi, name) is not None]
with fonttools_subsetting():
    pdf = weasyprint.HTML(string="<p>Same engine, same bytes.</p>").write_pdf()
print(libraries, hashlib.sha256(pdf).hexdigest())
"""


def test_weasyprint_loaded_without_the_search_opens_the_same_libraries_and_makes_the_same_pdf(
    tmp_path: Path,
) -> None:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "0"}
    runs = {
        how: subprocess.run(
            [sys.executable, "-c", LOADED, how],
            capture_output=True,
            text=True,
            check=True,
            env=env,
            cwd=tmp_path,
        )
        for how in ("briefgen", "plain")
    }
    assert runs["briefgen"].stdout == runs["plain"].stdout
    assert "pango" in runs["briefgen"].stdout
    assert runs["briefgen"].stderr == ""  # no note about a library it could not load


# --- the console script ------------------------------------------------------------------


@pytest.mark.skipif(not SCRIPT.exists(), reason="the briefgen script is not installed here")
@pytest.mark.parametrize(
    ("args", "code", "stream", "text"),
    [
        (["--version"], 0, "stdout", "briefgen, version"),
        (["check"], 0, "stdout", "1 edition valid."),
        (["check", "nowhere.yaml"], 1, "stderr", "nowhere.yaml"),
        (["build", "--jobs", "x"], 2, "stderr", "Invalid value for '-j' / '--jobs'"),
    ],
)
def test_the_console_script_keeps_exit_codes_and_output(
    workspace: Path, args: list[str], code: int, stream: str, text: str
) -> None:
    done = subprocess.run([str(SCRIPT), *args], capture_output=True, text=True)
    assert done.returncode == code, done.stderr
    assert text in getattr(done, stream)


@pytest.mark.skipif(not SCRIPT.exists(), reason="the briefgen script is not installed here")
def test_the_console_script_writes_whole_briefs(workspace: Path) -> None:
    done = subprocess.run([str(SCRIPT), "build"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "output/2025-01-19-demo.pdf\noutput/2025-01-19-demo.docx\n"
    pdf = PdfReader(workspace / "output" / "2025-01-19-demo.pdf")
    assert len(pdf.pages) >= 1 and "Sources" in pdf.pages[-1].extract_text()


# --- what a build may skip -----------------------------------------------------------------


def test_a_build_of_fewer_formats_finds_them_up_to_date(workspace: Path, edition: Path) -> None:
    everything = pipeline.build([], pipeline.BuildOptions(formats=["pdf", "docx", "html"]))
    assert len(everything.written) == 3
    fewer = pipeline.build([], pipeline.BuildOptions(formats=["pdf", "docx"]))
    assert not fewer.written and sorted(p.suffix for p in fewer.up_to_date) == [".docx", ".pdf"]
    edit(edition, "title:", "# a comment\ntitle:")
    pdf_only = pipeline.build([], pipeline.BuildOptions(formats=["pdf"]))
    assert [p.suffix for p in pdf_only.written] == [".pdf"]
    docx = pipeline.build([], pipeline.BuildOptions(formats=["docx"]))
    assert [p.suffix for p in docx.written] == [".docx"]  # built before the change: stale


def test_a_moved_workspace_is_still_up_to_date(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pipeline.build([], pipeline.BuildOptions())
    moved = workspace.with_name("moved")
    workspace.rename(moved)
    monkeypatch.chdir(moved)
    assert not pipeline.outdated([])
    again = pipeline.build([], pipeline.BuildOptions())
    assert not again.written and len(again.up_to_date) == 2


def test_one_build_reads_each_shared_input_once_and_keys_each_edition_as_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The editions of a topic share its sources and the templates: a build hashes each
    once (`cache.Seen`), and every edition's key is the one it would have alone."""
    sample_copy(tmp_path, monkeypatch)
    options = pipeline.BuildOptions().settled(config.load(Path()))
    files = pipeline.select([], options)
    assert len(files) == 3
    alone = [pipeline._plan([file], options)[2][file.path] for file in files]
    reads: list[Path] = []
    real = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: reads.append(self) or real(self))
    together = pipeline._plan(files, options)[2]
    assert [together[file.path] for file in files] == alone
    assert reads and len(reads) == len(set(reads))  # nothing read twice
    source = next(p for p in reads if p.suffix == ".txt")
    source.write_text(source.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    changed = pipeline._plan(files, options)[2]  # a new build sees the change
    assert all(changed[file.path] != together[file.path] for file in files)


def test_an_up_to_date_rebuild_builds_no_notes_models_and_no_jinja(workspace: Path) -> None:
    pipeline.build([], pipeline.BuildOptions())
    script = (
        "import sys; from briefgen import pipeline\n"
        "result = pipeline.build([], pipeline.BuildOptions())\n"
        "assert not result.written and len(result.up_to_date) == 2, result\n"
        "heavy = {'briefgen.models', 'jinja2', 'weasyprint', 'docxtpl'} & set(sys.modules)\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True, cwd=workspace)


def embedded_fonts(pdf: bytes) -> list[bytes]:
    """The font programs embedded in a PDF (WeasyPrint names each by its CSS family)."""
    programs = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            cid = font.get_object()["/DescendantFonts"][0].get_object()
            programs.append(cid["/FontDescriptor"].get_object()["/FontFile2"].get_data())
    return programs


MONO = "Mono".encode("utf-16-be")
"""How the subset's name table spells the family of DejaVu Sans Mono."""


@pytest.mark.parametrize("order", [("sans", "mono"), ("mono", "sans")])
def test_a_reused_font_configuration_keeps_each_workspace_s_own_fonts(
    tmp_path: Path, order: tuple[str, str]
) -> None:
    """One process renders many PDFs with one font configuration per template set: a
    family one workspace defines with @font-face never stands in for another's."""
    from briefgen.render.pdf import html_to_pdf

    fonts = {"sans": "DejaVuSans.ttf", "mono": "DejaVuSansMono.ttf"}
    source = Path("/usr/share/fonts/truetype/dejavu")
    if not all((source / name).is_file() for name in fonts.values()):
        pytest.skip("needs the DejaVu fonts")
    found = {}
    for which in order:
        root = tmp_path / which
        root.mkdir()
        shutil.copy(source / fonts[which], root / "house.ttf")
        html = (
            "<style>@font-face { font-family: House; src: url(house.ttf) }"
            "body { font-family: House }</style><p>Same family, other font</p>"
        )
        found[which] = embedded_fonts(html_to_pdf(html, base_url=root, roots=[root]).pdf)
    assert any(MONO in program for program in found["mono"])
    assert not any(MONO in program for program in found["sans"])


def session_processes(sid: int) -> list[int]:
    """Live (not zombie) processes of a session."""
    return [pid for pid, _, session in live_processes() if session == sid]


@pytest.mark.skipif(not SCRIPT.exists(), reason="the briefgen script is not installed here")
@pytest.mark.parametrize("after", [0.3, 1.5])
def test_ctrl_c_during_a_build_stops_every_process_quietly(workspace: Path, after: float) -> None:
    """While the engine loads (0.3 s) or renders (1.5 s): the build stops, says so without
    a traceback, and leaves no process and no partial file behind."""
    build = subprocess.Popen(
        [str(SCRIPT), "build", "--force"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )  # fmt: skip
    time.sleep(after)
    os.killpg(build.pid, signal.SIGINT)  # what the terminal sends to the whole group
    _, err = build.communicate(timeout=60)
    deadline = time.monotonic() + 10
    while session_processes(build.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not session_processes(build.pid)
    assert "Traceback" not in err, err
    output = workspace / "output"
    assert not list(output.glob(".*.part"))  # (an empty list when there is no folder)
    for pdf in output.glob("*.pdf"):  # only if the signal came after the files were written
        assert len(PdfReader(pdf).pages) >= 1


def test_without_fork_the_engine_and_the_bounds_run_in_process(workspace: Path) -> None:
    """Where there is no fork (Windows), the same build runs in one process, unbounded."""
    script = (
        "import os; del os.fork\n"
        "from briefgen import pipeline\n"
        "from briefgen.render import engine\n"
        "child = engine.start(); child.cancel()  # nothing to stop: must not signal pid 0\n"
        "result = pipeline.build([], pipeline.BuildOptions(), engine.start())\n"
        "print(' '.join(sorted(p.suffix for p in result.written)))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [".docx", ".pdf"]
    assert "Sources" in pdf_text(workspace / "output" / "2025-01-19-demo.pdf")


def test_a_user_who_names_the_plugins_to_turn_off_gets_pydantics_own_loader() -> None:
    script = (
        "import sys, briefgen.cli\n"
        "from pydantic import BaseModel\n"
        "class M(BaseModel):\n    x: int\n"
        "assert M(x=1).x == 1\n"
        "assert 'importlib.metadata' in sys.modules, 'the real loader was not used'\n"
    )
    env = {**os.environ, "PYDANTIC_DISABLE_PLUGINS": "some_plugin"}
    subprocess.run([sys.executable, "-c", script], check=True, env=env)


def test_pydantic_asks_its_plugin_loader_for_get_plugins_only() -> None:
    """The stand-in (briefgen/cli) has `get_plugins` only: should a pydantic upgrade
    import anything else from its loader, this fails before any user does."""
    import pydantic

    root = Path(pydantic.__file__).parent
    imports = {
        line.strip()
        for path in root.rglob("*.py")
        for line in path.read_text(encoding="utf-8").splitlines()
        if "_loader import" in line or "plugin._loader" in line
    }
    assert imports == {"from ._loader import get_plugins"}, imports


def test_a_pdf_written_with_each_stream_compressed_once_is_the_same_file(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """pydyf deflates a stream each time its bytes are asked for, twice for a PDF/A;
    `compressed_once` deflates each once and writes the same bytes."""
    import zlib

    import pydyf

    from briefgen.render import pdf, weasy

    weasyprint = weasy.load_weasyprint()
    html = "<h1>Once</h1><p>Every stream deflated a single time.</p>" * 20
    document = weasyprint.HTML(string=html).render(pdf_tags=True, pdf_variant=pdf.VARIANT)
    calls: list[int] = []
    deflate = zlib.compressobj

    def counted(*args: object, **kwargs: object) -> object:
        calls.append(1)
        return deflate(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pydyf.zlib, "compressobj", counted)
    with weasy.source_date("1970-01-01"):
        plain = document.write_pdf(pdf_tags=True, pdf_variant=pdf.VARIANT)
        twice, calls[:] = len(calls), []
        with weasy.compressed_once():
            once = document.write_pdf(pdf_tags=True, pdf_variant=pdf.VARIANT)
    assert once == plain
    assert 0 < len(calls) < twice, (len(calls), twice)
    # and pydyf is as it was afterwards
    assert pydyf.PDF.write.__qualname__ == "PDF.write"
    assert pydyf.Stream.data.fget.__qualname__ == "Stream.data"


def test_the_html_parser_finds_the_patterns_it_keeps() -> None:
    """tinyhtml5 filed each pattern under itself and rebuilt it for every run of text;
    mended, it builds each once, and the brief parses to the same tree."""
    import xml.etree.ElementTree as ET

    import tinyhtml5
    from tinyhtml5 import inputstream

    from briefgen.render import weasy

    texts = [path.read_text(encoding="utf-8") for path in sorted(GOLDEN.glob("*.html"))]
    assert texts
    plain = inputstream.characters_until_regex
    try:
        inputstream.characters_until_regex = {}
        before = [ET.tostring(tinyhtml5.parse(text)) for text in texts]
        assert all(isinstance(key[0], re.Pattern) for key in inputstream.characters_until_regex)
        weasy.mend_parser_cache()
        after = [ET.tostring(tinyhtml5.parse(text)) for text in texts]
        kept = inputstream.characters_until_regex
        assert after == before
        assert kept and not any(isinstance(key[0], re.Pattern) for key in kept), kept
        assert len(kept) < 20
    finally:
        inputstream.characters_until_regex = plain


def test_a_child_leaves_what_it_inherited_out_of_garbage_collection() -> None:
    """A collection writes to every object it examines, copying the parent's pages into
    the child: a bounded child freezes what it inherits, its parent stays as it was."""
    import gc

    before = gc.get_freeze_count()
    frozen = bounded.bounded(gc.get_freeze_count, what="freeze")
    assert frozen > max(before, 1000)
    assert gc.get_freeze_count() == before


def test_the_pdf_render_collects_garbage_less_often_and_puts_the_setting_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import gc

    from briefgen.render import paginate, pdf, weasy

    seen: list[tuple[int, int, int]] = []
    settle = paginate.settle

    def watched(*args: object) -> object:
        seen.append(gc.get_threshold())
        return settle(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(paginate, "settle", watched)
    before = gc.get_threshold()
    rendered = pdf.html_to_pdf(HTML, base_url=REPO, roots=[])
    assert rendered.pdf.startswith(b"%PDF") and pdf_text(rendered.pdf).count("Engine") == 1
    assert seen == [(weasy.YOUNG, 20, 20)]
    assert gc.get_threshold() == before

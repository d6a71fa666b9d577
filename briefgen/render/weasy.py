"""What briefgen changes in how WeasyPrint runs, and why.

Each change leaves the PDF what WeasyPrint would make, byte for byte, or what the same
notes make on every machine: WeasyPrint imported without a library search, its HTML
parser's pattern cache mended, fonts subset by the locked fontTools with the brief's
own date stamped in, each stream compressed once, and the garbage collector run less
often while it lays out. render/pdf.py renders with them. One change is made to the
PDF on purpose, apart (render/svgtext.py): chart labels drawn as runs of text.
"""

from __future__ import annotations

import calendar
import contextlib
import datetime as dt
import gc
import os
import re
from collections.abc import Iterator
from typing import Any


def load_weasyprint() -> Any:
    """WeasyPrint, imported once: 0.3 s on Linux instead of 0.55–0.65 s.

    Its import opens Pango, HarfBuzz, fontconfig and friends by trying several names each
    through cffi, which runs `ctypes.util.find_library` (spawning `ldconfig` and a
    compiler) on every name that does not open as given, and twice more for the optional
    HarfBuzz subsetter and vector libraries a stock Debian lacks. Every list ends with
    the library's soname (`libpango-1.0.so.0`), which the dynamic loader opens directly,
    so on Linux the search is skipped while WeasyPrint loads. The libraries it finds are
    the same; should one not open by its soname, the import is made again the usual way.
    """
    import sys

    if "weasyprint" in sys.modules or not sys.platform.startswith("linux"):
        import weasyprint

        _mend()
        return weasyprint
    try:
        with _no_library_search():
            import weasyprint
    except OSError:  # a library only the search finds: WeasyPrint's own way, messages and all
        for name in [m for m in sys.modules if m.partition(".")[0] == "weasyprint"]:
            del sys.modules[name]
        import weasyprint
    _mend()
    return weasyprint


def _mend() -> None:
    from briefgen.render import svgtext

    mend_parser_cache()
    svgtext.mend()  # chart labels as runs of text, not letter by letter


def mend_parser_cache() -> None:
    """Have WeasyPrint's HTML parser find the patterns it keeps.

    tinyhtml5 (2.1.0) keeps the pattern for each set of characters it scans text up to,
    but files it under the pattern instead of the characters (`characters = cache[key]
    = regex` assigns the name first), so it never finds one and builds the pattern again
    for every run of text: some 10,000 times a brief, 15–20 ms of its parse. In its
    place, a cache that makes each pattern as tinyhtml5 does, under the key it looks up.
    """
    try:
        from tinyhtml5 import inputstream
    except ImportError:  # another parser: nothing to mend
        return
    if not isinstance(getattr(inputstream, "characters_until_regex", None), dict):
        return
    if not isinstance(inputstream.characters_until_regex, _Patterns):
        inputstream.characters_until_regex = _Patterns()


class _Patterns(dict[tuple[Any, bool], "re.Pattern[str]"]):
    """tinyhtml5's `chars_until` patterns, made on first use: one or more characters
    not in the set (or, `opposite`, in it), each written as a hexadecimal escape."""

    def __missing__(self, key: tuple[Any, bool]) -> re.Pattern[str]:
        characters, opposite = key
        escaped = "".join(f"\\x{ord(character):02x}" for character in characters)
        pattern = self[key] = re.compile(f"[{'' if opposite else '^'}{escaped}]+")
        return pattern


@contextlib.contextmanager
def _no_library_search() -> Iterator[None]:
    """`ctypes.util.find_library` finding nothing (at once), and WeasyPrint's note about
    a library it could not load kept off the terminal, while inside."""
    import ctypes.util
    import io

    find = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            yield
    finally:
        ctypes.util.find_library = find


@contextlib.contextmanager
def fonttools_subsetting() -> Iterator[None]:
    """Subset the fonts with fontTools, which requirements.lock pins, even where the system
    has HarfBuzz's subsetter (libharfbuzz-subset0): the two write different bytes, and
    the same notes must give the same PDF on every machine. fontTools costs about 0.05 s
    a face (docs/performance.md)."""
    from weasyprint.pdf import fonts as pdf_fonts

    subsetter = pdf_fonts.harfbuzz_subset
    pdf_fonts.harfbuzz_subset = None
    try:
        yield
    finally:
        pdf_fonts.harfbuzz_subset = subsetter


@contextlib.contextmanager
def compressed_once() -> Iterator[None]:
    """Compress each of the PDF's streams once while pydyf writes it.

    pydyf deflates a stream (at level 9) every time its bytes are asked for, and writing
    a PDF/A asks twice: once to write each object, once more to hash them all for the
    file identifier. That second pass is 30 ms of every brief. While pydyf writes (the
    document is complete by then), each stream's bytes are made once and given again;
    the file is the same, byte for byte."""
    import pydyf

    write, data = pydyf.PDF.write, pydyf.Stream.data

    def write_once(pdf: Any, *args: Any, **kwargs: Any) -> Any:
        made: dict[int, tuple[Any, bytes]] = {}

        def once(stream: Any) -> bytes:
            kept = made.get(id(stream))
            if kept is None or kept[0] is not stream:
                kept = made[id(stream)] = (stream, data.fget(stream))
            return kept[1]

        pydyf.Stream.data = property(once)
        try:
            return write(pdf, *args, **kwargs)
        finally:
            pydyf.Stream.data = data

    pydyf.PDF.write = write_once
    try:
        yield
    finally:
        pydyf.PDF.write = write


@contextlib.contextmanager
def source_date(created: str | None) -> Iterator[None]:
    """Run with SOURCE_DATE_EPOCH at the brief's own date (its `dcterms.created`), which
    fontTools stamps into every font it subsets when HarfBuzz's subsetter is missing: the
    same notes then give the same bytes on any machine, on any day. A date the caller
    already set is kept."""
    if "SOURCE_DATE_EPOCH" in os.environ:
        yield
        return
    try:
        day = dt.date.fromisoformat((created or "")[:10])
    except ValueError:
        day = dt.date(1970, 1, 1)
    os.environ["SOURCE_DATE_EPOCH"] = str(calendar.timegm(day.timetuple()))
    try:
        yield
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]


YOUNG = 50_000
"""How many new objects the collector lets a render make before it looks for garbage."""


@contextlib.contextmanager
def fewer_collections() -> Iterator[None]:
    """Look for garbage less often while WeasyPrint renders.

    Laying out a brief allocates a few hundred thousand objects, nearly all of which
    live until the PDF is written; at Python's default (a young collection every 700),
    the collector examined them over and over: 10 % of a render (75 ms of 780). Young
    collections every YOUNG objects, older ones proportionally, still reclaim every
    cycle WeasyPrint leaves; the settings are put back afterwards."""
    before = gc.get_threshold()
    gc.set_threshold(YOUNG, 20, 20)
    try:
        yield
    finally:
        gc.set_threshold(*before)

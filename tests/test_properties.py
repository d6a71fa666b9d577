"""Any text in any text field: the brief carries it, or the tool says why not.

Hypothesis puts arbitrary Unicode — astral planes, combining marks, right-to-left text and
bidi controls, emoji sequences, NUL and other control characters, lone surrogates as far as
YAML can carry them (as `\\uD800` escapes, which YAML itself refuses) — into one text field
of the test workspace's notes, written with yaml.safe_dump so that the file is valid YAML.
The build then either succeeds, and the HTML parser and python-docx read the text back
(after the tool's whitespace folding and typographic quotes, `briefgen.models._clean`), or
it fails with the tool's own error naming the file: never another exception.
"""

from __future__ import annotations

import contextlib
import io
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import tinyhtml5
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from briefgen import pipeline
from briefgen.errors import BriefgenError
from briefgen.models import _clean
from conftest import DATA

NS = "{http://www.w3.org/1999/xhtml}"
EDITION = Path("sources/demo/2025-W03.yaml")
SOURCES = Path("sources/demo/sources.yaml")

FIELDS: dict[str, tuple[Path, tuple[str | int, ...]]] = {
    "title": (EDITION, ("title",)),
    "key judgment": (EDITION, ("key_judgments", 0, "text")),
    "situation line": (EDITION, ("situation", 0, "text")),
    "estimator": (EDITION, ("estimates", 0, "estimator")),
    "estimate note": (EDITION, ("estimates", 1, "note")),
    "question": (EDITION, ("questions", 0, "text")),
    "outlook line": (EDITION, ("outlook", 0, "text")),
    "source title": (SOURCES, (1, "title")),
    "source publisher": (SOURCES, (0, "publisher")),
}
"""Each text field the brief prints: the file it lives in and its place in that file."""

PIECES = [
    "\u202e",  # right-to-left override
    "\u2066",  # left-to-right isolate
    "\u2069",  # pop directional isolate
    "\u200f",  # right-to-left mark
    "\u200d",  # zero width joiner
    "\ufeff",  # byte order mark
    "\u0301\u0308",  # combining marks
    "e\u0301",
    "\u00a0",
    "\u2028",
    "\x85",
    "\t",
    "\n",
    "\r\n",
    "\x00",
    "\x07",
    "\x1b",
    "\x7f",
    "\x9b",
    "\ud800",  # lone surrogates
    "\udfff",
    "\ufffe",
    "\U0010ffff",
    '"',
    "'",
    "<b>",
    "&amp;",
    "{{ x }}",
    "{%p if %}",
    "]]>",
    "</w:t>",
    "$\\frac{1}{2}$",
    "북한군",
    "Северная Корея",
    "كوريا الشمالية",
    "צפון קוריאה",
    "𠀋𡈽",
    "👩🏽\u200d💻",
    "🇺🇦",
]
"""Characters and strings that have broken text pipelines before, mixed into the draws."""

TEXT = st.lists(
    st.one_of(st.characters(codec=None), st.sampled_from(PIECES)), min_size=0, max_size=24
).map("".join)

SETTINGS = settings(
    max_examples=8,
    deadline=None,
    database=None,  # the examples are cheap to find again; no .hypothesis/ in the checkout
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,  # the same examples every run: CI is not flaky; explore with more runs
)


@contextlib.contextmanager
def workspace() -> Iterator[Path]:
    """A fresh copy of the test workspace, made the working directory."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "ws"
        shutil.copytree(DATA / "ws", root)
        with contextlib.chdir(root):
            yield root


def put(root: Path, field: str, value: str) -> Any:
    """Write `value` into `field` with yaml.safe_dump; return what YAML reads back, or
    None if YAML cannot carry it (a lone surrogate, which it writes as an escape it refuses)."""
    file, loc = FIELDS[field]
    path = root / file
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    target = data
    for part in loc[:-1]:
        target = target[part]
    target[loc[-1]] = value
    try:
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
        encoded = text.encode("utf-8")
    except UnicodeEncodeError:
        text = yaml.safe_dump(data, allow_unicode=False, sort_keys=False)
        encoded = text.encode("utf-8")
    path.write_bytes(encoded)
    try:
        back = yaml.safe_load(text)
    except yaml.YAMLError:
        return None
    for part in loc:
        back = back[part]
    return back


def expected_text(loaded: Any) -> str | None:
    """The text as the brief must print it, or None if the tool must refuse it."""
    if not isinstance(loaded, str):
        return None
    try:
        return _clean(loaded)
    except ValueError:
        return None


def folded(text: str) -> str:
    return " ".join(text.split())


def html_text(path: Path) -> str:
    root = tinyhtml5.parse(path.read_text(encoding="utf-8"))
    body = root.find(f"{NS}body")
    assert body is not None
    return folded("".join(body.itertext()))


def docx_text(path: Path) -> str:
    import docx

    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    for section in document.sections:
        parts += [p.text for p in section.header.paragraphs + section.footer.paragraphs]
    return folded("\n".join(parts))


def build(formats: list[str]) -> dict[str, Path] | BriefgenError:
    """The files built by suffix, or the tool's own error; any other exception propagates."""
    try:
        result = pipeline.build([], pipeline.BuildOptions(formats=formats))
    except BriefgenError as error:
        return error
    return {path.suffix: path for path in result.written}


@pytest.mark.filterwarnings("ignore:Glyph .* missing from font")  # charts of odd estimators
@pytest.mark.parametrize("field", list(FIELDS))
@SETTINGS
@given(value=TEXT)
def test_any_text_reaches_the_html_and_the_docx_or_is_refused(field: str, value: str) -> None:
    with workspace() as root:
        loaded = put(root, field, value)
        want = expected_text(loaded)
        outcome = build(["html", "docx"])
        event("refused" if isinstance(outcome, BriefgenError) else "built")
        if isinstance(outcome, BriefgenError):
            assert want is None, f"refused text the brief can hold:\n{outcome.message}"
            assert str(FIELDS[field][0]) in outcome.message, outcome.message
            return
        assert want is not None, f"built a brief from text it should refuse: {loaded!r}"
        assert folded(want) in html_text(outcome[".html"])
        assert folded(want) in docx_text(outcome[".docx"])


PRINTABLE = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0x20, max_codepoint=0x7E),
        st.characters(min_codepoint=0x410, max_codepoint=0x44F),  # Cyrillic
        st.characters(min_codepoint=0x391, max_codepoint=0x3A9),  # Greek capitals
        st.characters(min_codepoint=0xC0, max_codepoint=0xFF),
    ),
    min_size=1,
    max_size=20,
)
"""Text the default fonts cover and pypdf reads back as it was written, in a short line."""


@settings(max_examples=3, deadline=None, database=None, derandomize=True)
@given(value=PRINTABLE)
def test_text_reaches_the_pdf_or_is_refused(value: str) -> None:
    with workspace() as root:
        want = expected_text(put(root, "key judgment", value))
        outcome = build(["pdf"])
        if isinstance(outcome, BriefgenError):
            assert want is None, outcome.message
            return
        assert want is not None
        reader = PdfReader(io.BytesIO(outcome[".pdf"].read_bytes()))
        text = "".join("".join(page.extract_text() for page in reader.pages).split())
        assert "".join(want.split()) in text

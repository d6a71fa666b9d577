"""Bidirectional text: what a note may hold, and how each field is kept to itself.

Arabic and Hebrew sources are quoted in English briefs, so right-to-left text and the
Unicode bidi controls that steer it are legitimate. What is not: a control left open,
which reorders everything after it on the line — an unclosed U+202E turned "12,000
troops [1] [2]" into "]2[ ]1[ spoort 000,21" in the PDF and moved the citation markers in
the DOCX. So a note's controls must be balanced within its field (checked here, refused
by the notes models), and every field that holds right-to-left text or a control is
printed between FSI and PDI (first-strong isolate … pop directional isolate): whatever
it holds then orders itself and nothing around it, in the PDF (WeasyPrint/Pango honour
isolates), the DOCX (Word, LibreOffice) and the HTML (browsers), and in any template.
"""

from __future__ import annotations

import unicodedata

FSI, PDI = "\u2068", "\u2069"

EMBEDDINGS = {"\u202a": "LRE", "\u202b": "RLE", "\u202d": "LRO", "\u202e": "RLO"}
"""Opened by these, closed by U+202C POP DIRECTIONAL FORMATTING (PDF)."""
ISOLATES = {"\u2066": "LRI", "\u2067": "RLI", "\u2068": "FSI"}
"""Opened by these, closed by U+2069 POP DIRECTIONAL ISOLATE (PDI)."""
POP_EMBEDDING, POP_ISOLATE = "\u202c", "\u2069"
MARKS = frozenset("\u200e\u200f\u061c")
"""LRM, RLM, ALM: marks, which open nothing (they stay inside the field's isolate)."""
CONTROLS = frozenset([*EMBEDDINGS, *ISOLATES, POP_EMBEDDING, POP_ISOLATE, *MARKS])
"""Every bidi control character (U+202A–202E, U+2066–2069, U+200E/200F, U+061C)."""

_RIGHT_TO_LEFT = frozenset({"R", "AL", "AN"})


def unbalanced(text: str) -> str | None:
    """What is wrong with the bidi controls of one field, or None when every embedding,
    override and isolate it opens is closed, in order, within it."""
    if CONTROLS.isdisjoint(text):  # nearly every field: a set scan, not a Python loop
        return None
    opened: list[tuple[int, str]] = []
    for index, char in enumerate(text):
        if char in EMBEDDINGS or char in ISOLATES:
            opened.append((index, char))
        elif char in (POP_EMBEDDING, POP_ISOLATE):
            expected = EMBEDDINGS if char == POP_EMBEDDING else ISOLATES
            if not opened or opened[-1][1] not in expected:
                return _stray(char, index, opened)
            opened.pop()
    if opened:
        index, char = opened[-1]
        closer = "U+202C" if char in EMBEDDINGS else "U+2069"
        return (
            f"has {describe(char)} at character {index + 1} that is never closed: it would "
            "reorder the rest of the line, citation markers included; close it with "
            f"{closer} before the end of the text, or remove it"
        )
    return None


def _stray(char: str, index: int, opened: list[tuple[int, str]]) -> str:
    if opened:
        inner = describe(opened[-1][1])
        return (
            f"has {describe(char)} at character {index + 1}, but the control open there is "
            f"{inner}; close controls in the reverse order they were opened"
        )
    return f"has {describe(char)} at character {index + 1}, which closes nothing; remove it"


def describe(char: str) -> str:
    """`U+202E (RIGHT-TO-LEFT OVERRIDE)`."""
    return f"U+{ord(char):04X} ({unicodedata.name(char, 'unnamed')})"


def needs_isolation(text: str) -> bool:
    """True when the text holds a bidi control or a right-to-left character: only then
    can it reorder what is printed around it (left-to-right text cannot). Most of what
    a brief prints is ASCII, which is answered without looking at each character."""
    if text.isascii():
        return False
    return any(
        char in CONTROLS or unicodedata.bidirectional(char) in _RIGHT_TO_LEFT
        for char in text
        if not char.isascii()
    )


def isolate(text: str) -> str:
    """The text between FSI and PDI when it could reorder its neighbours, else as it is,
    so that left-to-right briefs keep exactly their text."""
    if not text or not needs_isolation(text) or (text[0] == FSI and text[-1] == PDI):
        return text
    return f"{FSI}{text}{PDI}"


def finalize(value: object) -> object:
    """Jinja's `finalize` for the brief templates: every plain string a template prints
    (note text, titles, names) is isolated when it needs it. Markup (the citation links
    the renderers write themselves), numbers and dates pass as they are."""
    return isolate(value) if type(value) is str else value

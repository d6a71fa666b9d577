"""YAML syntax errors in the words of the mistake a new user made, with the fix.

PyYAML says "mapping values are not allowed here" for a colon inside a sentence, and
libyaml "found character that cannot start any token" for a tab, without naming it. The
notes are mostly prose, so nearly every syntax error is prose YAML read as syntax: a
`: ` or ` #` inside unquoted text, a text that begins with a quote mark, `@` or a
backtick, a tab, a quote never closed. Each gets the line it is on and what to write
instead; anything else keeps the parser's own words, with the same advice.
"""

from __future__ import annotations

import re

import yaml

QUOTE_IT = 'put the whole text in double quotes (a " inside it is written \\")'
_KEY_LINE = re.compile(r"^(\s*(?:- +)?[A-Za-z_][\w-]*:[ \t]+)(.*?)\s*$")


def explain(error: yaml.MarkedYAMLError, text: str, line: int) -> tuple[int, str]:
    """The line to report and the message, for a syntax error the parser raised at
    `line` (1-based, as load.py chose it)."""
    lines = text.splitlines()
    what = " ".join(filter(None, [error.context, error.problem]))
    mark = error.problem_mark
    row = mark.line if mark is not None else line - 1
    column = mark.column if mark is not None else 0
    at = _char(lines, row, column)
    if "mapping values are not allowed" in what:
        return row + 1, _colon(lines, row)
    if "tab" in what or at == "\t":
        return row + 1, (
            "a tab character; YAML indents with spaces only: replace the tab with spaces "
            "(inside quoted text a tab is fine)"
        )
    if "cannot start any token" in what or "scanning an alias" in what:
        return row + 1, _bad_start(lines, row, _char(lines, *_start_of(error)))
    if "scanning a quoted scalar" in what:
        return line, _unclosed(lines, error)
    if "expected key" in what or "expected <block end>, but found '<scalar>'" in what:
        return _left_over(lines, row, column)
    if "'-' indicator" in what or "<block mapping start>" in what or "<block end>" in what:
        return row + 1, _MISPLACED
    return line, f"{what}; if the line holds text, {QUOTE_IT}"


def _char(lines: list[str], row: int, column: int) -> str:
    return lines[row][column : column + 1] if 0 <= row < len(lines) else ""


def _start_of(error: yaml.MarkedYAMLError) -> tuple[int, int]:
    """Where the offending token starts: the alias's `*`, or the character itself."""
    mark = error.context_mark if "alias" in (error.context or "") else error.problem_mark
    return (mark.line, mark.column) if mark is not None else (-1, 0)


def quoted(lines: list[str], row: int) -> str:
    """`key: "the text"` for a one-line `key: the text`, else ''."""
    found = _KEY_LINE.match(lines[row]) if 0 <= row < len(lines) else None
    if not found or not found.group(2) or found.group(2)[0] in "\"'|>[{":
        return ""
    value = found.group(2).replace("\\", "\\\\").replace('"', '\\"')
    return f': {found.group(1).strip()} "{value}"'


def _colon(lines: list[str], row: int) -> str:
    return (
        "a colon followed by a space (': ') inside unquoted text starts a new key in YAML; "
        f"{QUOTE_IT}{quoted(lines, row)}"
    )


def _bad_start(lines: list[str], row: int, char: str) -> str:
    shown = repr(char) if char else "this character"
    return (
        f"YAML does not let a value begin with {shown} (it is syntax there); "
        f"{QUOTE_IT}{quoted(lines, row)}"
    )


def _unclosed(lines: list[str], error: yaml.MarkedYAMLError) -> str:
    mark = error.context_mark
    quote = _char(lines, mark.line, mark.column) if mark is not None else '"'
    inner = 'written \\"' if quote == '"' else "written twice ('')"
    return (
        f"the quote {quote} that opens this text is never closed; end the text with {quote} "
        f"(a {quote} inside the text is {inner})"
    )


def _left_over(lines: list[str], row: int, column: int) -> tuple[int, str]:
    """A line, or the end of one, that YAML cannot place: left over after a comment cut
    a text short, or after a closing quote mark."""
    before = lines[row][:column].rstrip() if 0 <= row < len(lines) else ""
    if before.endswith(('"', "'")) and before[:-1].rstrip().endswith(":"):
        opened = _unclosed_above(lines, row, before[-1])
        if opened is not None:  # the quote meant to open this text closed one above
            return opened + 1, (
                f"the quote {before[-1]} that opens this text is never closed, so YAML reads "
                f"on to the next {before[-1]} (line {row + 1}); end the text with {before[-1]}"
            )
    if before.endswith(('"', "'")) and _KEY_LINE.match(before):
        return row + 1, (
            "the text begins with a quote mark, so YAML ends it at the closing one and the "
            f"rest of the line is left over; {QUOTE_IT}, or in single quotes"
            f"{_single(lines[row])}"
        )
    above = row - 1
    if above >= 0 and lines[above].lstrip().startswith("#"):
        return above + 1, (
            "a line of text that begins with '#' is read as a comment, and ends the text "
            f"above it; {QUOTE_IT}"
        )
    return row + 1, _MISPLACED


_MISPLACED = (
    "YAML cannot place this line: is it indented like the other keys of its item (with "
    "spaces)? A text that runs over several lines is indented under its key; if the text "
    f"holds ' #' or ': ', {QUOTE_IT}"
)


def _unclosed_above(lines: list[str], row: int, quote: str) -> int | None:
    """The nearest line above `row` that opens a `quote` it does not close."""
    for above in range(row - 1, -1, -1):
        text = lines[above].replace(f"\\{quote}", "").replace(quote * 2, "")
        if ": " + quote in text and text.count(quote) % 2:
            return above
    return None


def _single(line: str) -> str:
    """`key: '"Ready" he said'` for a line whose text begins with a double quote."""
    found = _KEY_LINE.match(line)
    if not found or not found.group(2).startswith('"'):
        return ""
    value = found.group(2).replace("'", "''")
    return f": {found.group(1).strip()} '{value}'"

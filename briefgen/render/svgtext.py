"""Chart labels laid out as runs of text in the PDF, not letter by letter.

WeasyPrint (70) draws an SVG `<text>` one character at a time: each is laid out alone
and placed where the one before it ended. Latin text loses its kerning ("AVATAR" is set
A, V, A, T, A, R), and right-to-left text is printed backwards with its letters
unjoined: an estimator named "צה״ל" or "وزارة الدفاع" came out reversed in the chart, a
mark on the page that says something else than the notes. It is also a third of the
text layout of a brief with charts (40 ms).

A `<text>` or `<tspan>` that places its text at one point (at most one x and one y, no
dx, dy, rotate, textLength or letter-spacing: every label matplotlib writes) is laid
out and drawn as one run, as the body text is: Pango shapes it, orders right-to-left
text and kerns it. Anything else goes letter by letter as before, since there each
letter may have a place of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

PER_LETTER = ("dx", "dy", "rotate", "textLength", "letter-spacing")
"""Attributes that can move a letter on its own: with any of them, letter by letter."""


class _Run(str):
    """A text node's string that WeasyPrint's SVG `text` takes as one letter: it lays
    out and draws each item it iterates over; iterated, this yields itself whole."""

    __slots__ = ()

    def __iter__(self) -> Iterator[str]:
        yield str(self)


def mend() -> None:
    """Have WeasyPrint draw one-point SVG text as runs (once per process)."""
    from weasyprint import svg

    letter_by_letter = svg.TAGS["text"]
    if getattr(letter_by_letter, "briefgen_runs", False):
        return
    runs = _as_runs(letter_by_letter)
    for tag, draw in list(svg.TAGS.items()):
        if draw is letter_by_letter:  # <text>, <tspan>, <textPath>
            svg.TAGS[tag] = runs
    svg.text = runs  # draw_node tells text nodes by `TAGS.get(node.tag) == text`


def _as_runs(letter_by_letter: Callable[..., Any]) -> Callable[..., Any]:
    def text(drawer: Any, node: Any, font_size: float) -> Any:
        if node.tag != "textPath" and one_point(node):
            node._etree_node.text = _Run(node._etree_node.text)
        return letter_by_letter(drawer, node, font_size)

    text.briefgen_runs = True  # type: ignore[attr-defined]
    return text


def one_point(node: Any) -> bool:
    """True when the node's text has one place, given by at most one x and one y."""
    text = node.text
    if not isinstance(text, str) or len(text) < 2:
        return False
    if any(node.get(name) for name in PER_LETTER):
        return False
    return all(len(str(node.get(axis, "")).replace(",", " ").split()) <= 1 for axis in "xy")

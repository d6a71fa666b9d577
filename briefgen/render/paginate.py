"""A second layout pass for the estimates table, only when a page break needs it.

Each quantity is a table of its own, kept whole on a page where it fits, and the default
template gives each its column heads, which WeasyPrint repeats on a page the table runs
onto (brief.css). What CSS cannot say: a quantity too long for a page repeats its label
there as WeasyPrint repeats a `<thead>`, as it is, without "(cont.)". So after the first
layout `settle` reads where the pages break (the laid-out pages' boxes: which row of
which quantity is the first on each page) and, only if a quantity continues, edits the
HTML and lays it out again: the quantity is split into two tables at the page break, the
second headed by the column heads and its label with "(cont.)", pinned to the top of its
page. A template whose later tables carry no column heads (one exported from an earlier
briefgen) also gets them on a table that starts a page. A brief whose breaks fall
between quantities pays one walk over the boxes (milliseconds), no second layout.

The tables and rows are found by the `data-group` and `data-row` attributes the default
template writes; a template without them gets the single pass, unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Set
from dataclasses import dataclass, field
from typing import Any

PASSES = 4
"""At most this many layouts: each pass pins what it fixed to the top of its page, so
only the content after it moves, and a later table that now starts a page is fixed next."""

_ROW = re.compile(r"(\d+)-(\d+)")


@dataclass
class Fixes:
    """What the HTML needs: tables (by group) that start a page and need the column
    heads, and the rows (group, row) at which a quantity continues on a new page."""

    heads: set[int] = field(default_factory=set)
    splits: set[tuple[int, int]] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.heads or self.splits)


def settle(html: str, document: Any, laid_out: Any) -> Any:
    """`laid_out` (the WeasyPrint rendering of `document`, made from `html`), or a new
    layout with the column heads and "(cont.)" labels the page breaks call for. The new
    layout uses `document`'s base URL and fetcher and `laid_out`'s fonts, and drops any
    attachment the HTML asks for, as the first did (render/fetcher.py)."""
    fixes, has_heads = Fixes(), headed(html)
    for _ in range(PASSES):
        found = needed(laid_out, fixes, has_heads)
        if not found:
            return laid_out
        fixes.heads |= found.heads
        fixes.splits |= found.splits
        laid_out = _layout(edited(html, fixes), document, laid_out)
    return laid_out


def headed(html: str) -> set[int]:
    """The groups whose table carries the column heads already (the default template
    gives every one of them its own, repeated by WeasyPrint on a page it runs onto)."""
    tables = re.finditer(
        r'<table class="estimates[^"]*"[^>]*data-group="(\d+)">(.*?)</thead>', html, re.S
    )
    return {int(found[1]) for found in tables if '<tr class="columns">' in found[2]}


def _layout(html: str, document: Any, laid_out: Any) -> Any:
    import weasyprint

    from briefgen.render.fetcher import drop_attachments
    from briefgen.render.pdf import VARIANT

    again = weasyprint.HTML(
        string=html, base_url=document.base_url, url_fetcher=document.url_fetcher
    )
    drop_attachments(again)  # refused already, with the same URLs, in the first pass
    return again.render(font_config=laid_out.font_config, pdf_tags=True, pdf_variant=VARIANT)


def first_rows(laid_out: Any) -> Iterator[tuple[int, int]]:
    """(group, row) of the first estimate row on each page that has one."""
    for page in laid_out.pages:
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            if type(box).__name__ == "TableRowBox" and element is not None:
                found = _ROW.fullmatch(element.get("data-row") or "")
                if found:
                    yield int(found[1]), int(found[2])
                    break


def needed(laid_out: Any, done: Fixes, has_heads: Set[int] = frozenset()) -> Fixes:
    """What the layout still lacks, beyond `done`: for each page's first estimate row,
    the column heads if its table starts there without them (not in `has_heads`), a
    split if its quantity continues there in a table whose head has no "(cont.)"."""
    fixes = Fixes()
    for group, row in first_rows(laid_out):
        start = max([0] + [r for g, r in done.splits if g == group and r <= row])
        if row > start and start == 0:
            fixes.splits.add((group, row))  # the label would repeat without "(cont.)"
        elif row == start == 0 and group > 0 and group not in done.heads | has_heads:
            fixes.heads.add(group)  # a later quantity starts the page: no column heads
    return fixes


def edited(html: str, fixes: Fixes) -> str:
    """`html` with the fixes made: column heads for the tables in `fixes.heads`, and each
    quantity in `fixes.splits` split there into a second table headed "… (cont.)". Both
    are pinned to the top of a page (the place the first layout found for them)."""
    columns = re.search(r'<tr class="columns">.*?</tr>', html, re.S)
    if columns is None:
        return html
    for group in sorted(fixes.heads):
        html = re.sub(
            rf'(<table class="estimates[^"]*)("[^>]*data-group="{group}">.*?<thead>)',
            lambda m: m[1] + " top" + m[2] + columns[0],
            html,
            count=1,
            flags=re.S,
        )
    for group, row in sorted(fixes.splits):
        html = _split(html, group, row, columns[0])
    return html


def _split(html: str, group: int, row: int, columns: str) -> str:
    """Close group's table before its row `row` and open a copy of its head there, with
    the column heads and "(cont.)" after the quantity's name."""
    table = re.search(
        rf'<table class="estimates[^"]*"[^>]*data-group="{group}">(.*?)<thead>(.*?)</thead>',
        html,
        re.S,
    )
    at = html.find(f'<tr data-row="{group}-{row}"')
    if table is None or at < 0:
        return html
    label = re.search(r'<tr class="quantity">.*?</tr>', table[2], re.S)
    if label is None:
        return html
    mark = r'\1\2<span class="cont"> (cont.)</span>'
    cont = re.sub(r"(<th[^>]*>)([^<]*)", mark, label[0], count=1)
    head = (
        f'</tbody></table><table class="estimates cont top" data-cont="{group}">{table[1]}'
        f'<thead>{columns}{cont}</thead><tbody class="group">'
    )
    return html[:at] + head + html[at:]

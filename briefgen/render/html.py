"""Brief → HTML, through the user's templates first and then the defaults."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

import jinja2
from markupsafe import Markup

from briefgen import __version__
from briefgen.assemble import Brief, Cited, Item, Marker
from briefgen.bidi import finalize, isolate, needs_isolation
from briefgen.periods import Period
from briefgen.render.charts import Chart
from briefgen.templating import render

TEMPLATE = "brief.html.j2"


def render_html(brief: Brief, env: jinja2.Environment, charts: Sequence[Chart] = ()) -> str:
    """The brief as one self-contained HTML document (stylesheet and charts inlined).

    Every field is printed isolated (bidi.finalize), so that no note can reorder another
    or the citation markers, in this HTML and in the PDF made from it."""
    env.globals["cites"] = cites
    env.globals["line"] = line
    env.globals["mark_key"] = mark_key
    env.filters.update(day=day, period=period_text, keep=keep_together)
    env.finalize = finalize
    return render(env, TEMPLATE, **template_context(brief), charts=charts)


def cites(item: Cited, caveat: bool = True) -> Markup:
    """`[1 B2, 2‡]†`: the item's source numbers, each a link to its entry under Sources,
    with its Admiralty code when the citation grades its credibility, ‡ when a quote from
    it could not be checked, and † when the line rests on a single independent origin;
    then the line's caveat. Shared by the default and user templates; DOCX and email
    print the same marks (assemble.Marker)."""
    links = [_marker(marker) for marker in item.markers]
    marks = Markup('<span class="cites">[{}]</span>').format(Markup(", ").join(links))
    if item.single_source:
        marks += Markup('<span class="single" title="rests on a single origin">†</span>')
    # One unbreakable run: a line never starts with a † cut off from its markers.
    marks = Markup('<span class="marks">{}</span>').format(marks)
    if caveat and isinstance(item, Item) and item.caveat:
        marks += Markup(' <span class="caveat">Caveat: {}</span>').format(isolate(item.caveat))
    return marks


def line(item: Cited, text: str | None = None) -> Markup:
    """A cited line: its text, then its markers kept on one line with the text's last
    word, so that no line of the page starts with a marker (`cites` alone allows that).

    One unbreakable span holds the word and the markers: WeasyPrint mis-breaks a line
    ending in a no-break space before an unbreakable box (it strands single words)."""
    text = text if text is not None else getattr(item, "text", "")
    head, _, last = text.rpartition(" ")
    marks = cites(item, caveat=False)
    if not last or needs_isolation(text):
        shown = Markup("{}\u00a0{}").format(isolate(text), marks)
    else:
        tail = Markup('<span class="tail">{}\u00a0{}</span>').format(_unbroken(last), marks)
        shown = Markup("{} {}").format(_unbroken(head), tail) if head else tail
    if isinstance(item, Item) and item.caveat:
        shown += Markup(' <span class="caveat">Caveat: {}</span>').format(isolate(item.caveat))
    return shown


UNBROKEN = re.compile(r"\b(?:\d{4}-\d{2}(?:-\d{2})?|[A-Z][\w’']*(?:-[\w’']+)+)")
"""A hyphenated name (`Mar-a-Lago`, `Kim Jong-un`'s `Jong-un`) or an ISO date: a line may
break at a hyphen, which would split them."""


def _unbroken(text: str) -> Markup:
    """The text escaped, its hyphenated names and dates each in an unbreakable span."""
    parts, start = [], 0
    for match in UNBROKEN.finditer(text):
        parts.append(Markup.escape(text[start : match.start()]))
        parts.append(Markup('<span class="nobr">{}</span>').format(match.group()))
        start = match.end()
    parts.append(Markup.escape(text[start:]))
    return Markup("").join(parts)


UNVERIFIED = (
    '<span class="unverified" title="quote not checked: no text of the source on file">‡</span>'
)


def _marker(marker: Marker) -> Markup:
    title = [isolate(marker.source.publisher)]
    title += [f"said by {isolate(marker.said_by)}"] if marker.said_by else []
    title += [f"“{isolate(marker.quote)}”"] if marker.quote else []
    link = Markup('<a class="cite" href="#{}" title="{}">{}</a>').format(
        marker.anchor, ": ".join(title), marker.number
    )
    if marker.code:
        link += Markup(' <span class="code" title="Admiralty code">{}</span>').format(marker.code)
    if marker.unverified:
        link += Markup(UNVERIFIED)
    return link


def template_context(brief: Brief) -> dict[str, object]:
    """The variables every brief template sees, HTML and Word alike."""
    return {"brief": brief, "titles": brief.section_titles, "version": __version__}


NBSP = "\u00a0"


def day(value: dt.date) -> str:
    """`24 Jan 2025`, unbreakable: the one date style a reader meets in the brief (ISO
    dates stay in `<time datetime>` and metadata, where machines read them)."""
    return f"{value.day}{NBSP}{value:%b}{NBSP}{value.year}"


def period_text(value: Period) -> str:
    """`17–23 Feb 2025 (week 8)`, in the brief's one date style; the months and years
    named only where they change."""
    start, end = value.start, value.end
    if (start.year, start.month) == (end.year, end.month):
        first = str(start.day)
    elif start.year == end.year:
        first = f"{start.day}{NBSP}{start:%b}"
    else:
        first = day(start)
    text = first if start == end else f"{first}–{day(end)}"
    week = value.iso_week
    return f"{text} (week{NBSP}{int(week[6:])})" if week else text


def keep_together(text: str) -> str:
    """A date label (`by 24 Jan 2025`) with unbreakable spaces, so that a line never
    ends inside a date; a range (`31 Oct 2024 – 7 Nov 2024`) may break at its dash."""
    return " – ".join(part.replace(" ", NBSP) for part in text.split(" – "))


def mark_key(brief: Brief) -> list[str]:
    """A one-line key on page 1 to the marks this brief uses; the full wording is the
    legend under Sources (`brief.legend`), of which this keeps the mark and its gist."""
    key = [f"[n]{NBSP}numbered source, listed at the end"]
    gist = {
        "†": f"†{NBSP}single origin",
        "‡": f"‡{NBSP}quote not checked",
        "B2": f"B2{NBSP}Admiralty code: reliability A–F, credibility 1–6",
    }
    key += [gist[mark.split(" ")[0]] for mark in brief.legend if mark.split(" ")[0] in gist]
    if brief.outlook:
        key.append(f"likelihood terms of the {brief.scale.name} scale")
    return key

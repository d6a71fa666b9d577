"""Brief → HTML, through the user's templates first and then the defaults."""

from __future__ import annotations

from collections.abc import Sequence

import jinja2
from markupsafe import Markup

from briefgen import __version__
from briefgen.assemble import Brief, Cited, Item, Marker
from briefgen.bidi import finalize, isolate
from briefgen.render.charts import Chart
from briefgen.templating import render

TEMPLATE = "brief.html.j2"


def render_html(brief: Brief, env: jinja2.Environment, charts: Sequence[Chart] = ()) -> str:
    """The brief as one self-contained HTML document (stylesheet and charts inlined).

    Every field is printed isolated (bidi.finalize), so that no note can reorder another
    or the citation markers, in this HTML and in the PDF made from it."""
    env.globals["cites"] = cites
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
    if caveat and isinstance(item, Item) and item.caveat:
        marks += Markup(' <span class="caveat">Caveat: {}</span>').format(isolate(item.caveat))
    return marks


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

"""Brief → HTML, through the user's templates first and then the defaults."""

from __future__ import annotations

from collections.abc import Sequence

import jinja2
from markupsafe import Markup

from briefgen import __version__
from briefgen.assemble import Brief, Cited, source_anchor
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


def cites(item: Cited) -> Markup:
    """`[1, 2]†`: the item's source numbers, each a link to its entry under Sources, and a
    dagger when the line rests on a single source. Shared by the default and user templates."""
    quotes: dict[int, list[str]] = {}
    for ref in item.refs:
        quotes.setdefault(ref.number, [])
        if ref.quote:
            quotes[ref.number].append(f"“{isolate(ref.quote)}”")
    publisher = {ref.number: isolate(ref.source.publisher) for ref in item.refs}
    links = [
        Markup('<a class="cite" href="#{}" title="{}">{}</a>').format(
            source_anchor(n), ": ".join([publisher[n], *quotes[n][:1]]), n
        )
        for n in item.numbers
    ]
    marker = Markup('<span class="cites">[{}]</span>').format(Markup(", ").join(links))
    if item.single_source:
        marker += Markup('<span class="single" title="rests on a single source">†</span>')
    return marker


def template_context(brief: Brief) -> dict[str, object]:
    """The variables every brief template sees, HTML and Word alike."""
    return {"brief": brief, "titles": brief.section_titles, "version": __version__}

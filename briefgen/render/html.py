"""Brief → HTML, through the user's templates first and then the defaults."""

from __future__ import annotations

from collections.abc import Sequence

import jinja2

from briefgen import __version__
from briefgen.assemble import Brief
from briefgen.render.charts import Chart
from briefgen.templating import render

TEMPLATE = "brief.html.j2"


def render_html(brief: Brief, env: jinja2.Environment, charts: Sequence[Chart] = ()) -> str:
    """The brief as one self-contained HTML document (stylesheet and charts inlined)."""
    return render(env, TEMPLATE, **template_context(brief), charts=charts)


def template_context(brief: Brief) -> dict[str, object]:
    """The variables every brief template sees, HTML and Word alike."""
    return {"brief": brief, "titles": brief.section_titles, "version": __version__}

"""Brief → DOCX, by filling the Word template with docxtpl through our Jinja environment.

Text goes through Jinja's autoescaping, so `&` and `<` in notes reach Word as text.
Links are WordprocessingML that docxtpl cannot express as plain text: the filters
below write it, from numbers, anchors and URLs only (never from note text), and a
template places it with docxtpl's run tag, e.g. `{{r item|cites }}`.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

import jinja2
from docx.oxml.ns import qn
from markupsafe import Markup, escape

from briefgen.assemble import Brief, Cited, EstimateGroup, Item
from briefgen.bidi import finalize
from briefgen.errors import BriefgenError
from briefgen.render.charts import Chart
from briefgen.render.charts.style import DOCX_WIDTH
from briefgen.render.html import day, keep_together, mark_key, period_text
from briefgen.sourcing.summary import NumberedSource
from briefgen.templating import environment
from briefgen.workspace import search_path

TEMPLATE = "brief.docx"


def find_template(user_dirs: Sequence[Path]) -> Path:
    """The first `brief.docx` on the template search path."""
    for folder in search_path(user_dirs):
        if (folder / TEMPLATE).is_file():
            return folder / TEMPLATE
    raise BriefgenError(f"no {TEMPLATE} found in {', '.join(map(str, search_path(user_dirs)))}")


def render_docx(brief: Brief, user_dirs: Sequence[Path], context: dict[str, Any]) -> bytes:
    """The brief as a Word document, in memory."""
    from docxtpl import DocxTemplate  # imported here: `check` never needs it

    path = find_template(user_dirs)
    template = DocxTemplate(str(path))
    env = environment(user_dirs)
    env.finalize = word_finalize
    env.filters.update(day=day, period=period_text, keep=keep_together, mark_key=mark_key)
    env.filters.update(_link_filters(template))
    charts: Sequence[Chart] = context.get("charts", ())
    pictures = [_Picture(chart.group, _inline(template, chart)) for chart in charts]
    try:
        template.render({**context, "charts": pictures}, jinja_env=env, autoescape=True)
    except jinja2.TemplateError as error:
        raise BriefgenError(f"{path}: {error.message or error}") from None
    _set_alt_texts(template.docx, charts)
    _set_properties(template.docx, brief)
    buffer = io.BytesIO()
    template.save(buffer)
    return _stamped(buffer.getvalue(), brief.edition)


BREAKABLE_HYPHEN = re.compile(r"(?<=\w)-(?=\d)|(?<=\d)-(?=\w)")
NB_HYPHEN = "\u2011"


def unbreakable(text: str) -> str:
    """A hyphen between digits, or joining a number to a word (`2025-01-24`, `W-04`,
    `T-90`, `1-2 km`), made non-breaking (U+2011): Word breaks a line at a hyphen and
    would print `2025-01-` at one line's end and `24` at the next."""
    return BREAKABLE_HYPHEN.sub(NB_HYPHEN, text)


def word_finalize(value: object) -> object:
    """Each field isolated (FSI…PDI) so that no note reorders another, as the HTML
    brief does (bidi.finalize), with dates and figures held together at their hyphens."""
    value = finalize(value)
    return unbreakable(value) if type(value) is str else value


def _zip_date(day: dt.date) -> tuple[int, int, int, int, int, int]:
    """The edition date as a zip entry date, which can only hold years 1980 to 2107."""
    day = min(max(day, dt.date(1980, 1, 1)), dt.date(2107, 12, 31))
    return (day.year, day.month, day.day, 0, 0, 0)


def _stamped(docx: bytes, day: dt.date) -> bytes:
    """Rewrite the package with every entry dated to the edition: the same notes then
    give the same bytes, instead of differing by the zip's clock times."""
    source = zipfile.ZipFile(io.BytesIO(docx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            stamped = zipfile.ZipInfo(info.filename, date_time=_zip_date(day))
            stamped.compress_type = zipfile.ZIP_DEFLATED
            stamped.external_attr = 0o644 << 16
            target.writestr(stamped, source.read(info.filename))
    return out.getvalue()


@dataclass(frozen=True)
class _Picture:
    """What the Word template sees of a chart: the picture and the group it shows."""

    group: EstimateGroup
    image: Any


def _inline(template: Any, chart: Chart) -> Any:
    """The chart's PNG placed at the width it was drawn for, so its labels print at the
    sizes the chart style gives (briefgen/render/charts/style.py)."""
    from docx.shared import Emu
    from docxtpl import InlineImage

    assert chart.png is not None
    width = Emu(round(DOCX_WIDTH * 914400))  # inches to EMU
    return InlineImage(template, io.BytesIO(chart.png), width=width)


def _set_alt_texts(document: Any, charts: Sequence[Chart]) -> None:
    """Give each chart picture its alt text, found by its image bytes (docxtpl sets none)."""
    alt_by_png = {chart.png: chart.alt for chart in charts}
    for inline in document.element.body.iter(qn("wp:inline")):
        blip = next(inline.iter(qn("a:blip")), None)
        if blip is None:
            continue
        part = document.part.related_parts.get(blip.get(qn("r:embed")))
        alt = alt_by_png.get(getattr(part, "blob", None))
        if alt:
            inline.find(qn("wp:docPr")).set("descr", alt)


FILTERS = ("cites", "bookmark_start", "bookmark_end", "url_link", "archive_link")
"""The filters a Word template may use to write links; each stands alone in a `{{r }}` run."""
TEXT_FILTERS = ("day", "period", "keep", "mark_key")
"""The filters that print text as the PDF does: `24 Jan 2025`, `17–23 Feb 2025 (week 8)`,
a date kept on one line, and the one-line key to the marks (`brief|mark_key`)."""


def _link_filters(template: Any) -> dict[str, Any]:
    def link(url: str | None, target: str | None = None) -> Markup:
        """`url` shown, `target` (url with its text fragment) opened, then `. `."""
        if not url:
            return Markup("")
        rel_id = template.build_url_id(target or url)
        return Markup(
            f'<w:hyperlink r:id={quoteattr(rel_id)} w:history="1">'
            f"{_run(url, 'Hyperlink')}</w:hyperlink>{_run('. ')}"
        )

    return {
        "cites": cites,
        "bookmark_start": bookmark_start,
        "bookmark_end": bookmark_end,
        "url_link": lambda entry: link(entry.source.url, entry.link),
        "archive_link": lambda entry: link(entry.source.archive),
    }


def cites(item: Cited, caveat: bool = True) -> Markup:
    """`[1 B2, 2‡]†` with each number an internal link to its entry under Sources, then the
    line's caveat: the same marks as the HTML brief (assemble.Marker)."""
    parts = [_run("[", "Citation")]
    for index, marker in enumerate(item.markers):
        if index:
            parts.append(_run(", ", "Citation"))
        number = _run(str(marker.number), "Citation", link=True)
        parts.append(
            f'<w:hyperlink w:anchor={quoteattr(marker.anchor)} w:history="1">{number}</w:hyperlink>'
        )
        if marker.code:
            parts.append(_run(f" {marker.code}", "Citation"))
        if marker.unverified:
            parts.append(_run("‡", "Single Source"))
    parts.append(_run("]", "Citation"))
    if item.single_source:
        parts.append(_run("†", "Single Source"))
    if caveat and isinstance(item, Item) and item.caveat:
        parts.append(_run(f" Caveat: {item.caveat}", "Citation"))
    return Markup("".join(parts))


def bookmark_start(entry: NumberedSource) -> Markup:
    """Where a citation marker's link lands: a bookmark named like the HTML anchor."""
    return Markup(f'<w:bookmarkStart w:id="{entry.number}" w:name={quoteattr(entry.anchor)}/>')


def bookmark_end(entry: NumberedSource) -> Markup:
    return Markup(f'<w:bookmarkEnd w:id="{entry.number}"/>')


def _run(text: str, style: str | None = None, link: bool = False) -> str:
    props = f'<w:rStyle w:val="{style}"/>' if style else ""
    if link:
        props += '<w:color w:val="1A5FB4"/>'
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def _set_properties(document: Any, brief: Brief) -> None:
    """Title, author, subject (the topic), dates = the edition date, language."""
    created = dt.datetime.combine(brief.edition, dt.time(), tzinfo=dt.UTC)
    properties = document.core_properties
    properties.title = f"{brief.title} — {brief.edition.isoformat()}"
    properties.author = brief.author or ""
    properties.last_modified_by = brief.author or ""
    properties.subject = brief.topic
    properties.keywords = f"{brief.topic}, {brief.period.label}, {brief.marking}"
    properties.category = brief.marking
    properties.comments = f"{brief.marking}. Built by briefgen."
    properties.language = brief.language
    properties.created = properties.modified = created
    properties.revision = 1

"""One edition's files: its HTML, PDF and DOCX, rendered in memory (nothing written).

The HTML comes first, so that the PDF can start (in the engine child if one is
waiting); the DOCX is drawn in a bounded child, on the second core. The build
(pipeline.py) calls `render` for each edition, here or in a worker, and writes what all
of them return only when every one has succeeded.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from briefgen import cache, workspace
from briefgen.errors import BriefgenError
from briefgen.pipeline import brief_of, user_template_dirs

if TYPE_CHECKING:
    from collections.abc import Callable

    from briefgen.assemble import Brief
    from briefgen.bounded import Engine, Running
    from briefgen.pipeline import BuildOptions
    from briefgen.render.charts import Chart
    from briefgen.render.pdf import Rendered
    from briefgen.validate import ValidEdition

    PdfArguments = tuple[str, Path, list[Path], str, Path | None]
    """render/engine.render's: the HTML, where its URLs point, the folders it may fetch
    from, the notes file's name, where font subsets are kept."""


def render(
    valid: ValidEdition,
    options: BuildOptions,
    warnings: list[str],
    engine: Engine | None = None,
    meanwhile: Callable[[], object] | None = None,
) -> dict[Path, bytes]:
    """One edition's files, and the charts drawn for them (to keep under the output).

    The HTML comes first; then the DOCX (with its PNG charts) starts in a bounded child,
    before the HTML goes to `engine`, which may still be loading: handing it over waits
    for that, and the DOCX is drawn meanwhile instead of competing with the PDF's render
    later. Without an engine the PDF is rendered here, under the same bounds.
    `meanwhile` is the caller's own work, done while the engine renders (the ledger's
    preparation).
    """
    brief = brief_of(valid, warnings)
    user_dirs = user_template_dirs(options.templates, valid.file.workspace)
    stem = (options.output or Path("output")) / brief.file_stem
    formats = set(options.formats or ())
    store = cache.blobs(options.output or Path("output"))
    files: dict[Path, bytes] = {}
    docx = None
    try:
        html = _html(brief, options, user_dirs, store) if {"html", "pdf"} & formats else ""
        if "html" in formats:
            files[stem.with_suffix(".html")] = html.encode("utf-8")
        if "docx" in formats:
            docx = _start_docx(brief, options, user_dirs, store)
        pdf_args = (html, *pdf_places(valid, user_dirs), valid.file.path.name, store.folder)
        if "pdf" in formats:
            pdf = _start_pdf(engine, html, pdf_args)
            if meanwhile is not None:
                meanwhile()
            rendered = pdf.result()
            refuse_fetches(rendered, user_dirs)
            warnings.extend(f"{brief.file_stem}.pdf: {note}" for note in rendered.warnings)
            files[stem.with_suffix(".pdf")] = rendered.pdf
            store.new.update(rendered.kept)
    except BaseException:
        if docx is not None:
            docx.cancel()
        raise
    if docx is not None:
        files[stem.with_suffix(".docx")], drawn = docx.result()
        store.new.update(drawn)
    return {**files, **store.new}


def _html(brief: Brief, options: BuildOptions, user_dirs: list[Path], store: cache.Blobs) -> str:
    """The brief as HTML, its charts as SVG: the web page, and what the PDF is made from."""
    from briefgen.render.html import render_html
    from briefgen.templating import environment

    charts = charts_of(brief, options.charts, store, svg=True, png=False)
    return render_html(brief, environment(user_dirs), charts)


def _start_docx(
    brief: Brief, options: BuildOptions, user_dirs: list[Path], store: cache.Blobs
) -> Running:
    """The DOCX, with its charts as PNG, drawn in a bounded child (docxtpl is imported there)."""
    from briefgen.bounded import start
    from briefgen.render.html import template_context

    def word() -> tuple[bytes, dict[Path, bytes]]:
        from briefgen.render.docx import render_docx

        charts = charts_of(brief, options.charts, store, svg=False, png=True)
        context = {**template_context(brief), "charts": charts}
        return render_docx(brief, user_dirs, context), store.new

    return start(word, what="brief.docx")


def _start_pdf(engine: Engine | None, html: str, pdf_args: PdfArguments) -> Running:
    """The PDF under the engine's bounds, which grow with the HTML: handed to the engine
    child if there is one, else rendered in this process (a render worker, or a later
    edition with --jobs 1), which keeps WeasyPrint's fonts and caches for the next
    edition (a child for each PDF lost them: 0.2 s an edition)."""
    from briefgen.bounded import start
    from briefgen.render.engine import bounds, render

    seconds, megabytes = bounds(html)
    if engine is not None:
        engine.send(*pdf_args, seconds=seconds, megabytes=megabytes)
        return engine
    return start(lambda: render(*pdf_args), "brief.pdf", seconds, megabytes, here=True)


def pdf_places(valid: ValidEdition, user_dirs: list[Path]) -> tuple[Path, list[Path]]:
    """Where the PDF's relative URLs point (the first template folder), and the folders
    it may fetch from: the template folders only, never the rest of the workspace."""
    folders = workspace.search_path(user_dirs)
    return folders[0], folders


def refuse_fetches(rendered: Rendered, user_dirs: list[Path]) -> None:
    """A refused fetch fails the build, naming the template line that asked for it."""
    from briefgen.templating import locate

    if not rendered.refused:
        return
    lines = [
        f"{where}: refused to fetch {url}: {reason}"
        for url, reason in rendered.refused
        for where in locate(url, user_dirs)
    ]
    raise BriefgenError(
        "\n".join(
            [
                *lines,
                "Templates may use only stylesheets, images and fonts inside the "
                "template folders, attach no file, and use nothing from the network; "
                "nothing was written.",
            ]
        )
    )


def charts_of(brief: Brief, wanted: bool | None, store: cache.Blobs, **forms: bool) -> list[Chart]:
    """The brief's charts in the forms asked for (`svg=`, `png=`), drawn or found in
    `store`; nothing (and no matplotlib) when charts are off."""
    from briefgen.render.charts import charts_for

    return charts_for(brief.estimates, store=store, **forms) if wanted else []

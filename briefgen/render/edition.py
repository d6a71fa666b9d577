"""One edition's files: its HTML, PDF and DOCX, rendered in memory (nothing written).

The HTML comes first, so that the PDF can start (in the engine child if one is
waiting); the DOCX is drawn meanwhile in a bounded child, on the second core. The build
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
    from briefgen.assemble import Brief
    from briefgen.bounded import Engine
    from briefgen.pipeline import BuildOptions
    from briefgen.render.charts import Chart
    from briefgen.render.pdf import Rendered
    from briefgen.validate import ValidEdition


def render(
    valid: ValidEdition, options: BuildOptions, warnings: list[str], engine: Engine | None = None
) -> dict[Path, bytes]:
    """One edition's files, and the charts drawn for them (to keep under the output).

    The HTML comes first, so that the PDF can start: in `engine` if one is waiting,
    else here. The DOCX (with its PNG charts) is drawn meanwhile in a bounded child, on
    the second core.
    """
    from briefgen.bounded import start
    from briefgen.render.engine import bounds as pdf_bounds
    from briefgen.render.engine import render as render_pdf
    from briefgen.render.html import render_html, template_context
    from briefgen.templating import environment

    brief = brief_of(valid, warnings)
    user_dirs = user_template_dirs(options.templates, valid.file.workspace)
    stem = (options.output or Path("output")) / brief.file_stem
    formats = set(options.formats or ())
    store = cache.blobs(options.output or Path("output"))
    files: dict[Path, bytes] = {}
    docx = None
    try:
        html = ""
        if {"html", "pdf"} & formats:
            charts = charts_of(brief, options.charts, store, svg=True, png=False)
            html = render_html(brief, environment(user_dirs), charts)
            if "html" in formats:
                files[stem.with_suffix(".html")] = html.encode("utf-8")
        pdf_args = (html, *pdf_places(valid, user_dirs), valid.file.path.name)
        if engine is not None and "pdf" in formats:
            seconds, megabytes = pdf_bounds(html)
            engine.send(*pdf_args, seconds=seconds, megabytes=megabytes)
        if "docx" in formats:

            def word() -> tuple[bytes, dict[Path, bytes]]:  # in the child: docxtpl too
                from briefgen.render.docx import render_docx

                charts = charts_of(brief, options.charts, store, svg=False, png=True)
                context = {**template_context(brief), "charts": charts}
                return render_docx(brief, user_dirs, context), store.new

            docx = start(word, what="brief.docx")
        if "pdf" in formats:
            rendered = engine.result() if engine is not None else render_pdf(*pdf_args)
            refuse_fetches(rendered, user_dirs)
            warnings.extend(f"{brief.file_stem}.pdf: {note}" for note in rendered.warnings)
            files[stem.with_suffix(".pdf")] = rendered.pdf
    except BaseException:
        if docx is not None:
            docx.cancel()
        raise
    if docx is not None:
        files[stem.with_suffix(".docx")], drawn = docx.result()
        store.new.update(drawn)
    return {**files, **store.new}


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

"""The commands about the notes: check, new, init, schema, diff, record, source, quote, export."""

from __future__ import annotations

from pathlib import Path

import click

from briefgen.cli import PATHS, _say, main
from briefgen.errors import display_path


@main.command()
@PATHS
@click.option(
    "--strict",
    is_flag=True,
    default=None,
    help="Refuse what is otherwise a warning: unverified quotes, thin key judgments "
    "(default: briefgen.toml's [check] strict).",
)
def check(paths: tuple[Path, ...], strict: bool | None) -> None:
    """Validate notes: exit 0 if valid, 1 listing every problem. A topic folder means
    every edition in it (build takes its latest)."""
    from briefgen import pipeline, workspace

    files = workspace.every_edition(paths)
    editions = pipeline.check(files, pipeline.BuildOptions(strict=strict))
    for warning in (w for edition in editions for w in edition.warnings):
        click.echo(f"warning: {warning}", err=True)
    verdict = f"{len(editions)} edition{'s' * (len(editions) != 1)} valid"
    _say([f"{verdict}."], verdict)


@main.command()
@click.argument("topic")
@click.option("--week", metavar="YYYY-Www", help="The edition's ISO week (default: the next).")
def new(topic: str, week: str | None) -> None:
    """Start the next edition of TOPIC (a name under ./sources, or a folder)."""
    from briefgen import editions

    path = editions.new_edition(topic, week)
    _say([display_path(path)], f"wrote {display_path(path)}")
    click.echo(
        f"Carried over the questions, outlook and latest estimates. Write the key judgments "
        f"and situation, then `briefgen check {display_path(path)}` lists what is left.",
        err=True,
    )


@main.command("schema")
@click.option("--sources", is_flag=True, help="The source registry's schema, not an edition's.")
def schema_command(sources: bool) -> None:
    """Print the JSON Schema of an edition file (or of sources.yaml), for editors."""
    import json

    from briefgen import schema

    document = schema.sources_schema() if sources else schema.edition_schema()
    _say([json.dumps(document, indent=2, ensure_ascii=False)], "nothing was written")


@main.command()
@click.argument("folder", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("--topic", default="my-topic", show_default=True, help="The first topic's name.")
@click.option("--week", metavar="YYYY-Www", help="The starter edition's ISO week (default: this).")
def init(folder: Path, topic: str, week: str | None) -> None:
    """Create a workspace in FOLDER with a starter topic that builds as it is."""
    from briefgen import scaffold

    written = [display_path(p) for p in scaffold.init_workspace(folder, topic, week=week)]
    _say(written, f"created the workspace in {display_path(folder)}")
    where = "" if folder == Path() else f"cd {display_path(folder)} && "
    click.echo(f"Next: {where}briefgen build   (then edit sources/{topic}/)", err=True)


@main.command("diff")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def diff_command(paths: tuple[Path, ...], as_json: bool) -> None:
    """What changed between editions OLD and NEW (or a topic folder's last two)."""
    from briefgen import diff, pipeline

    changes, old, new = pipeline.compare(list(paths))
    text = (diff.to_json if as_json else diff.format_text)(changes, old, new)
    _say([text], "nothing was written")


@main.command("record")
@click.argument("topic")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option(
    "--chart",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the calibration chart (SVG) to this file.",
)
def record_command(topic: str, as_json: bool, chart: Path | None) -> None:
    """The desk's track record on TOPIC: judgments made and resolved, Brier score."""
    from briefgen.judgments import record

    result = record.load(topic)
    if chart is not None:
        record.write_chart(result, chart)
    _say([(record.to_json if as_json else record.format_text)(result)], "nothing was written")


@main.group("source")
def source_group() -> None:
    """The topic's source registry: register a document with its text."""


@source_group.command("add")
@click.argument("topic")
@click.argument("what", nargs=-1, required=True)
@click.option("--title", help="The title, instead of the one found.")
@click.option("--publisher", help="The outlet or issuing body, instead of the one found.")
@click.option("--author", help="The author, instead of the one found.")
@click.option("--published", metavar="DATE", help="The publication date (YYYY-MM-DD, ...).")
@click.option("--url", help="The address to cite, instead of the one found.")
@click.option("--update", metavar="ID", help="Record a new version of the text of source ID.")
def source_add(
    topic: str, what: tuple[str, ...], update: str | None, **overrides: str | None
) -> None:
    """Register each WHAT (a saved .html, .pdf, .docx, .eml or .txt, or an http(s):// URL)
    in TOPIC: its text under texts/, an entry in sources.yaml. Only a URL opens a
    connection. Flags and --update apply to one WHAT at a time."""
    from briefgen.editions import topic_folder
    from briefgen.intake.add import AddRequest, add_each

    given = {name: value for name, value in overrides.items() if value is not None}
    if len(what) > 1 and (given or update):
        raise click.UsageError("metadata flags and --update apply to one document; give one")
    folder = topic_folder(topic)
    requests = [AddRequest(folder, one, given, update) for one in what]
    add_each(requests, _say, lambda line: click.echo(line, err=True))


@main.command("quote")
@click.argument("topic")
@click.argument("words")
@click.option("--limit", default=5, show_default=True, help="How many passages to show.")
def quote_command(topic: str, words: str, limit: int) -> None:
    """Find WORDS as you remember them in TOPIC's stored texts: the source's exact words,
    where they are, ready to paste as `quote:`."""
    from briefgen.editions import topic_folder
    from briefgen.intake import quote

    _say(quote.report(quote.find(topic_folder(topic), words, limit)), "nothing was written")


@main.command("export")
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option(
    "--json", "as_json", is_flag=True, help="JSON (the default, and for now the only format)."
)
@click.option("--schema", is_flag=True, help="Print the JSON Schema of the export instead.")
def export_command(path: Path | None, as_json: bool, schema: bool) -> None:
    """The brief of the edition PATH (an edition file or a topic folder) for machines."""
    from briefgen import export

    if schema == (path is not None):
        raise click.UsageError("give one edition file or topic folder, or --schema alone")
    warnings: list[str] = []
    text = export.schema_json() if path is None else export.export_json([path], warnings)
    for warning in warnings:
        click.echo(f"warning: {warning}", err=True)
    _say([text.removesuffix("\n")], "nothing was written")

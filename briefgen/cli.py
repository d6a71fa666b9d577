"""The command line: flags in, one library call out. No rendering code lives here."""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import click

from briefgen import FORMATS, __version__
from briefgen.errors import BriefgenError, InvalidNotes, display_path

PATHS = click.argument("paths", nargs=-1, type=click.Path(path_type=Path))

# The command line loads no pydantic plugin; without this, building the first notes model
# reads the entry points of every installed package to look for one (10-20 ms a command).
# A value the user set stands (pydantic's documented switch).
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")


class _Group(click.Group):
    """Turns an unexpected exception into one paragraph, unless --debug asks for the traceback."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except KeyboardInterrupt:
            raise (Terminated() if signal.SIGTERM in _stopped_by else Stopped()) from None
        except Exception as error:
            if ctx.params.get("debug"):
                raise
            raise BriefgenError(
                f"internal error: {type(error).__name__}: {error}. This is a bug in briefgen, "
                "not in your notes; nothing was written. Run the same command with --debug "
                "and send the traceback to the briefgen maintainers."
            ) from None


class Stopped(BriefgenError):
    """Ctrl-C or SIGTERM: one line, the shell's exit code for the signal, no traceback.
    Every write goes through output.write_all, so whatever the moment, each brief is
    whole (the new one or the one before) and its temp files are gone."""

    exit_code = 128 + signal.SIGINT

    def __init__(self, signum: int = signal.SIGINT) -> None:
        name = "Ctrl-C (SIGINT)" if signum == signal.SIGINT else signal.Signals(signum).name
        super().__init__(
            f"stopped by {name}; every brief is whole (the new one or the one before) "
            "and no temporary file is left"
        )


class Terminated(Stopped):
    """SIGTERM (`kill`, a service manager, a CI timeout)."""

    exit_code = 128 + signal.SIGTERM

    def __init__(self) -> None:
        super().__init__(signal.SIGTERM)


_stopped_by: list[int] = []


def _stop(signum: int, frame: object) -> None:
    """The first Ctrl-C or SIGTERM interrupts the command (its cleanup runs); a second
    one while it cleans up is ignored, so that cleanup is not cut short."""
    if not _stopped_by:
        _stopped_by.append(signum)
        raise KeyboardInterrupt


def _stop_again(unraisable: sys.UnraisableHookArgs) -> None:
    """sys.unraisablehook: a KeyboardInterrupt that `_stop` raised while Python ran a
    callback it cannot propagate from (a weakref callback inside an import, a __del__)
    would be printed as "Exception ignored ... Traceback" and the stop lost. Deliver the
    signal again a moment later instead, once the callback has returned."""
    if isinstance(unraisable.exc_value, KeyboardInterrupt) and _stopped_by:
        import threading

        signum = _stopped_by.pop()
        timer = threading.Timer(0.01, signal.raise_signal, (signum,))
        timer.daemon = True
        timer.start()
        return
    sys.__unraisablehook__(unraisable)


def _say(lines: Sequence[str], done: str) -> None:
    """Print a command's report on stdout. When stdout cannot take it (a full disk, a
    closed pipe), say on stderr what was done all the same: never "nothing was written"
    after writing."""
    try:
        for line in lines:
            click.echo(line)
        sys.stdout.flush()
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise BriefgenError(f"{done}, but the report could not be printed: {reason}") from None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="briefgen")
@click.option("--debug", is_flag=True, help="Show a traceback for internal errors.")
def main(debug: bool) -> None:
    """Turn structured source notes into a dated policy brief, every line linked to its source.

    PATH is an edition file, a topic folder (its latest edition) or a workspace (every
    edition); with no PATH, every edition under ./sources.
    """


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
@PATHS
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write into (default: ./output).",
)
@click.option(
    "-f",
    "--format",
    "formats",
    multiple=True,
    type=click.Choice(FORMATS),
    help="Output format; repeat for several (default: pdf and docx, or briefgen.toml's).",
)
@click.option("--week", metavar="YYYY-Www", help="Only the editions covering this ISO week.")
@click.option("--force", is_flag=True, help="Rebuild even if nothing changed.")
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    help="Editions rendered at once (default: the number of cores).",
)
@click.option("--latest", is_flag=True, help="Only the latest edition of each topic.")
@click.option("--charts/--no-charts", default=None, help="Draw charts of estimates (default: yes).")
@click.option(
    "--templates",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Folder of templates that override the workspace's and the defaults.",
)
@click.option(
    "--sign",
    is_flag=True,
    help="Sign each PDF (PAdES) with the key briefgen.toml's [sign] names; the password "
    "from BRIEFGEN_SIGN_PASSWORD or [sign] password_file.",
)
def build(
    paths: tuple[Path, ...],
    output: Path | None,
    formats: tuple[str, ...],
    week: str | None,
    force: bool,
    jobs: int | None,
    latest: bool,
    charts: bool | None,
    templates: Path | None,
    sign: bool,
) -> None:
    """Build the briefs PATHs stand for and print the files written."""
    from briefgen.render import engine

    # The PDF engine loads on the second core while the notes are read and checked;
    # the build stops it if it turns out to need none (up to date, several editions).
    pdf_engine = engine.start() if not formats or "pdf" in formats else None
    from briefgen import pipeline

    options = pipeline.BuildOptions(
        output=output,
        formats=formats or None,
        templates=templates,
        week=week,
        latest=latest,
        charts=charts,
        force=force,
        jobs=jobs,
        sign=sign,
        progress=_progress_bar() if sys.stderr.isatty() else None,
    )
    result = pipeline.build(list(paths), options, pdf_engine)
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    lines = [display_path(path) for path in result.written]
    lines += [f"{display_path(path)} (up to date)" for path in result.up_to_date]
    count = len(result.written)
    done = f"the build wrote {count} file{'s' * (count != 1)}" if count else "nothing to build"
    if count:
        done += f" ({', '.join(display_path(p) for p in result.written[:4])}"
        done += ", ...)" if count > 4 else ")"
    _say(lines, done)


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--workspace",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="The desk's workspace: say what changed there since, and rebuild from the ledger.",
)
@click.option(
    "--trust",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A CA certificate (PEM or DER) a signature must lead to.",
)
@click.option("--json", "as_json", is_flag=True, help="The report as JSON on stdout.")
def verify(file: Path, workspace: Path | None, trust: tuple[Path, ...], as_json: bool) -> None:
    """Check a PDF, DOCX or HTML brief against the notes it carries; exit 1 on a difference."""
    import json

    from briefgen.verify import verify as check_brief

    report = check_brief(file, workspace, [path.read_bytes() for path in trust])
    if as_json:
        click.echo(json.dumps(report.as_json(), indent=2, ensure_ascii=False, sort_keys=True))
    else:
        click.echo("\n".join(report.lines()))
    if not report.ok:
        raise SystemExit(1)


def _progress_bar() -> Callable[[int, int], None]:
    """A one-line bar on the terminal, drawn only when several editions are rendered."""

    def draw(done: int, total: int) -> None:
        if total < 2:
            return
        filled = round(30 * done / total)
        click.echo(f"\r[{'#' * filled}{'.' * (30 - filled)}] {done}/{total} editions",
                   err=True, nl=done == total)  # fmt: skip

    return draw


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


@main.group()
def templates() -> None:
    """Customise the brief: export the defaults, see which files are used, check yours."""


TEMPLATES_DIR = click.option(
    "--templates",
    "folder",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="A templates folder used before ./templates (as `build --templates`).",
)


@templates.command("export")
@click.argument("target", type=click.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite files that exist.")
def templates_export(target: Path, force: bool) -> None:
    """Copy the default templates into TARGET (e.g. ./templates) to start from."""
    from briefgen import customize

    written = [display_path(path) for path in customize.export(target, force)]
    _say(written, f"exported {len(written)} template files into {display_path(target)}")


@templates.command("list")
@TEMPLATES_DIR
def templates_list(folder: Path | None) -> None:
    """Show which file serves each template, and why."""
    from briefgen import customize, pipeline

    for row in customize.in_use(pipeline.user_template_dirs(folder)):
        click.echo(f"{row.name:<18} {display_path(row.path)}  ({row.origin})")


@templates.command("check")
@TEMPLATES_DIR
def templates_check(folder: Path | None) -> None:
    """Check your templates (HTML, CSS, Word): exit 0 if they parse, 1 listing problems."""
    from briefgen import customize, pipeline

    dirs = pipeline.user_template_dirs(folder)
    problems = customize.check(dirs)
    if problems:
        raise InvalidNotes(problems)
    click.echo(
        f"Templates in {', '.join(display_path(d) for d in dirs if d.is_dir()) or 'none'}: ok."
    )


@main.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--to", multiple=True, metavar="ADDR", help="A recipient; repeat for more.")
@click.option("--cc", multiple=True, metavar="ADDR", help="A copy recipient.")
@click.option("--bcc", multiple=True, metavar="ADDR", help="A blind copy recipient.")
@click.option("--list", "list_name", metavar="NAME", help="A distribution list in briefgen.toml.")
@click.option(
    "--eml",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write a draft your mail client opens (X-Unsent), instead of sending.",
)
@click.option(
    "--force",
    is_flag=True,
    help="Let --eml replace an existing file (never one the brief is made from).",
)
@click.option("--send", is_flag=True, help="Send over SMTP ([smtp] in briefgen.toml).")
@click.option(
    "--allow-red-to-list",
    is_flag=True,
    help="Mail a TLP:RED brief to --list NAME (every member a named recipient).",
)
@click.option("--dry-run", is_flag=True, help="Show what would be sent; send and write nothing.")
@click.option(
    "--attach",
    multiple=True,
    type=click.Choice(["pdf", "docx"]),
    help="What to attach (default: pdf and docx).",
)
@click.option(
    "--templates",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Folder of templates that override the workspace's and the defaults.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where the brief's files are (and are built if missing).",
)
def mail(
    path: Path,
    to: tuple[str, ...],
    cc: tuple[str, ...],
    bcc: tuple[str, ...],
    list_name: str | None,
    eml: Path | None,
    force: bool,
    send: bool,
    allow_red_to_list: bool,
    dry_run: bool,
    attach: tuple[str, ...],
    templates: Path | None,
    output: Path | None,
) -> None:
    """Attach the brief of the edition PATH to an email: a draft (--eml) or sent (--send).

    The SMTP password comes only from BRIEFGEN_SMTP_PASSWORD or [smtp] password_file.
    """
    from briefgen import deliver, pipeline

    if eml and send:
        raise click.UsageError("choose one of --eml and --send")
    if not (eml or send or dry_run):
        raise click.UsageError("choose --eml FILE (a draft), --send, or --dry-run")
    result = deliver.mail_brief(
        [path],
        to=to,
        cc=cc,
        bcc=bcc,
        list_name=list_name,
        eml=eml,
        send=send,
        dry_run=dry_run,
        force=force,
        allow_red_to_list=allow_red_to_list,
        options=pipeline.BuildOptions(output=output, templates=templates),
        attach=attach or ("pdf", "docx"),
    )
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    _say([result.summary], result.summary.rstrip("."))


def run() -> None:
    """The console script: `main`, then exit without tearing the interpreter down.

    Freeing every module and object at exit takes 40–100 ms after a build, which the
    operating system does anyway when the process ends; everything briefgen writes is
    already on disk (output.py syncs it), so only the standard streams need flushing.
    """
    sys.unraisablehook = _stop_again
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, _stop)
    try:
        main()
        code = 0
    except SystemExit as done:
        code = _exit_code(done.code)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # `briefgen check | head`: the reader left; a full disk
        code = code or 1
    os._exit(code)


def _exit_code(code: object) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1

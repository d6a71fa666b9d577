"""The commands that make and check documents: build, verify, templates, mail."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import click

from briefgen import FORMATS
from briefgen.cli import PATHS, _say, main
from briefgen.errors import InvalidNotes, display_path


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

"""The command line: flags in, one library call out. No rendering code lives here."""

from __future__ import annotations

from pathlib import Path

import click

from briefgen import __version__, pipeline

PATHS = click.argument("paths", nargs=-1, type=click.Path(path_type=Path))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="briefgen")
def main() -> None:
    """Turn structured source notes into a dated policy brief, every line linked to its source.

    PATH is an edition file, a topic folder (its latest edition) or a workspace (every
    edition); with no PATH, every edition under ./sources.
    """


@main.command()
@PATHS
def check(paths: tuple[Path, ...]) -> None:
    """Validate notes: exit 0 if valid, 1 listing every problem."""
    editions = pipeline.check(list(paths))
    click.echo(f"{len(editions)} edition{'s' * (len(editions) != 1)} valid.")

"""The command line: flags in, one library call out. No rendering code lives here.

This module holds the group, the error and signal handling and the console script;
notes.py and documents.py hold the commands."""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

import click

from briefgen import __version__
from briefgen.errors import BriefgenError

PATHS = click.argument("paths", nargs=-1, type=click.Path(path_type=Path))

# The command line loads no pydantic plugin; without this, building the first notes model
# reads the entry points of every installed package to look for one (10-20 ms a command).
# A value the user set stands (pydantic's documented switch).
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")


def _no_plugin_loader() -> None:
    """With every pydantic plugin off, stand in for pydantic's plugin loader with one
    that loads none, as the real one returns then.

    pydantic imports its loader when the first model is built, and the loader imports
    importlib.metadata at its top (with email, zipfile, csv and socket: about 20 ms of
    every `check`) only to look for plugins it is told not to load. A user who turns
    off only some plugins (a list of names) gets pydantic's own loader.
    """
    loader = "pydantic.plugin._loader"
    if os.environ.get("PYDANTIC_DISABLE_PLUGINS") not in ALL_OFF or loader in sys.modules:
        return
    import types

    module = types.ModuleType(loader, "briefgen's stand-in: every plugin is off.")
    module.get_plugins = lambda: ()  # type: ignore[attr-defined]
    sys.modules[loader] = module


ALL_OFF = ("__all__", "1", "true")
"""The PYDANTIC_DISABLE_PLUGINS values with which pydantic loads no plugin at all."""

_no_plugin_loader()


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


# The commands, registered on `main` by importing their modules: what the notes hold
# (check, new, init, schema, diff, record, source, quote, export) and the documents made
# from them (build, verify, templates, mail).
from briefgen.cli import documents, notes  # noqa: E402, F401

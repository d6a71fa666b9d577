"""Write the `.eml` draft: whole or not at all, and never over a file that matters.

`--eml` names a path the user typed, often in a shared folder such as ~/Downloads, so
the draft never replaces an existing file unless `--force` says so, and never one of the
files the brief was made from (an edition, sources.yaml, a source text, a template,
briefgen.toml, the password file, the attachments), whatever the flags: those are
compared by inode, so neither a symlink, a hard link nor `../` spelling hides them.
The draft is written as every output is (output.write_all): a temp file beside the target,
named as only briefgen names them, moved into place; the only files ever removed are such
temp files left by a briefgen process that has ended, never another program's.
"""

from __future__ import annotations

import stat
from collections.abc import Iterable
from pathlib import Path

from briefgen import output
from briefgen.errors import BriefgenError, display_path


def check_target(target: Path, force: bool, inputs: Iterable[Path]) -> None:
    """Refuse, before anything is built or written, a draft path that would overwrite a
    file it must not. `inputs` are files and folders whose files the brief is made from."""
    try:
        info = target.stat()
    except FileNotFoundError:
        return  # nothing there (or a dangling link, which a draft replaces, not follows)
    except OSError as error:
        raise BriefgenError(f"--eml {display_path(target)}: {error.strerror}") from None
    if stat.S_ISDIR(info.st_mode):
        raise BriefgenError(
            f"--eml {display_path(target)} is a folder; give a file name such as "
            f"{display_path(target / 'brief.eml')}"
        )
    if not stat.S_ISREG(info.st_mode):
        raise BriefgenError(
            f"--eml {display_path(target)} is not a regular file (a pipe or a device); give "
            "the name of a new .eml file"
        )
    source = _input_with((info.st_dev, info.st_ino), inputs)
    if source is not None:
        raise BriefgenError(
            f"--eml {display_path(target)} is {display_path(source)}, one of the files the "
            "brief is made from or built into (notes, sources, templates, settings, output); "
            "briefgen will not write a draft over it (not even with --force). Give a new "
            "file name, e.g. brief.eml."
        )
    if not force:
        raise BriefgenError(
            f"--eml {display_path(target)} exists; give another file name, or add --force "
            "to replace it"
        )


def _input_with(key: tuple[int, int], inputs: Iterable[Path]) -> Path | None:
    """The input file with this (device, inode), looking inside input folders too."""
    for path in inputs:
        for candidate in _files(path):
            try:
                info = candidate.stat()
            except OSError:
                continue
            if (info.st_dev, info.st_ino) == key:
                return candidate
    return None


def _files(path: Path) -> Iterable[Path]:
    if path.is_dir():
        yield from (p for p in path.rglob("*") if not p.is_dir())
    else:
        yield path


def write(target: Path, data: bytes, force: bool) -> Path:
    """Write `data` to `target` as every briefgen output is written (output.write_all): a
    temp file named as only briefgen names them (so a killed `mail` leaves nothing a later
    run cannot sweep), synced, then linked into place, which fails rather than replace a
    file that appeared meanwhile, or with `force` renamed over it."""
    output.write_all({target: data}, keep_existing=not force)
    return target

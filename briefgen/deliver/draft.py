"""Write the `.eml` draft: whole or not at all, and never over a file that matters.

`--eml` names a path the user typed, often in a shared folder such as ~/Downloads, so
the draft never replaces an existing file unless `--force` says so, and never one of the
files the brief was made from (an edition, sources.yaml, a source text, a template,
briefgen.toml, the password file, the attachments), whatever the flags: those are
compared by inode, so neither a symlink, a hard link nor `../` spelling hides them.
The draft is written to a temp file beside the target and moved into place; a temp file
is the only thing this module ever removes, and only the one it made itself. It sweeps
nothing: another program's files in that folder are not briefgen's to judge.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from briefgen.errors import BriefgenError, display_path

_NO_HARD_LINKS = {errno.EPERM, errno.EXDEV, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK}


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
    """Write `data` to `target` atomically: a temp file beside it, synced, then linked
    into place (which fails rather than replace a file that appeared meanwhile) or, with
    `force`, renamed over it."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".briefgen", dir=target.parent
        )
    except OSError as error:
        raise BriefgenError(f"cannot write {display_path(target)}: {error.strerror}") from None
    temp = Path(name)
    try:
        _fill(fd, data, target)
        _place(temp, target, force)
    except FileExistsError:
        raise BriefgenError(
            f"--eml {display_path(target)} appeared while the draft was being written; "
            "it was left alone. Give another name, or add --force."
        ) from None
    except OSError as error:
        raise BriefgenError(f"cannot write {display_path(target)}: {error.strerror}") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
    return target


def _fill(fd: int, data: bytes, target: Path) -> None:
    """Write and sync the temp file, with the mode the target has or a new file would."""
    with os.fdopen(fd, "wb") as stream:
        try:
            mode = target.stat().st_mode & 0o777
        except OSError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.fchmod(stream.fileno(), mode)
        stream.write(data)
        stream.flush()
        os.fsync(stream.fileno())


def _place(temp: Path, target: Path, force: bool) -> None:
    if force:
        os.replace(temp, target)
        return
    try:
        os.link(temp, target)  # atomic, and never over an existing file
    except OSError as error:
        if error.errno not in _NO_HARD_LINKS:
            raise
        if target.exists() or target.is_symlink():  # no hard links here (FAT, some shares)
            raise FileExistsError(target) from None
        os.replace(temp, target)

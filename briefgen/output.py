"""Write output files so that a failure never leaves a half-written or clobbered brief."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import re
import secrets
from pathlib import Path

from briefgen.errors import BriefgenError


def write_all(files: dict[Path, bytes], *, keep_existing: bool = False) -> list[Path]:
    """Write every file atomically: each lands whole (temp file, fsync, rename) or not at all.

    All temp files are written before the first rename, so a failure while writing
    (disk full, permission) leaves every existing file as it was. With `keep_existing`,
    a target that exists (or appears meanwhile) is refused instead of replaced.
    """
    for target in files:
        if target.is_dir():
            raise BriefgenError(f"cannot write {target}: a folder of that name is in the way")
        if keep_existing and os.path.lexists(target):
            raise BriefgenError(f"{target} already exists; choose another name or remove it")
    for folder in {target.parent for target in files}:
        remove_stale_parts(folder)
    staged: list[tuple[Path, Path]] = []
    try:
        for target, data in files.items():
            try:
                staged.append((_stage(target, data), target))
            except OSError as error:  # name the brief, not its temp file
                raise OSError(error.errno, error.strerror, str(target)) from None
        for temp, target in staged:
            _place(temp, target, keep_existing)
    except FileExistsError as error:
        raise BriefgenError(
            f"{error.filename2 or error.filename} appeared while it was being written; "
            "nothing replaced it: choose another name or remove it"
        ) from None
    except OSError as error:
        raise BriefgenError(
            f"cannot write {error.filename or 'output'}: {error.strerror}"
        ) from None
    finally:
        for temp, _ in staged:
            with contextlib.suppress(FileNotFoundError):
                temp.unlink()
    return list(files)


def _place(temp: Path, target: Path, keep_existing: bool) -> None:
    """Rename `temp` to `target`; with `keep_existing`, a hard link that fails if the
    target exists (a rename would replace it), then the temp name goes."""
    if not keep_existing:
        os.replace(temp, target)
        return
    try:
        os.link(temp, target)
    except FileExistsError:
        raise
    except OSError:  # no hard links here (FAT, some shares): check, then rename
        if os.path.lexists(target):
            raise FileExistsError(17, "File exists", str(target)) from None
        os.replace(temp, target)
        return
    temp.unlink()


PART = ".part"
TEMP_PREFIX = ".briefgen-tmp-"
_TEMP = re.compile(
    r"\.briefgen-tmp-(?P<host>[0-9a-f]{8})-(?P<pid>[1-9][0-9]{0,9})-[0-9a-f]{16}\..+\.part"
)
"""The one shape of a temp file briefgen makes: `.briefgen-tmp-<host>-<pid>-<random>.<name>.part`.
Only names of exactly this shape are ever swept, so another program's `.x.1234.part`
(a download, a backup) is never taken for a killed build's."""


def temp_name(target: Path, pid: int | None = None) -> str:
    """A temp file name for `target` that only briefgen makes, and that says which process
    on which machine made it (so a sweep can tell whether that process is gone)."""
    token = secrets.token_hex(8)
    return f"{TEMP_PREFIX}{_host()}-{pid or os.getpid()}-{token}.{target.name}{PART}"


def is_temp_name(name: str) -> bool:
    """True for a name `temp_name` makes (whoever made it)."""
    return _TEMP.fullmatch(name) is not None


def remove_stale_parts(folder: Path) -> list[Path]:
    """Delete the temp files that a killed briefgen left in `folder`: names of briefgen's
    own shape, made on this machine by a process that is gone. Those of a build still
    running, of another machine sharing the folder, and anything not briefgen's stay."""
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:  # no folder (yet), or not one
        return removed
    for entry in entries:
        match = _TEMP.fullmatch(entry.name)
        if not match or match["host"] != _host() or _alive(int(match["pid"])):
            continue
        with contextlib.suppress(OSError):
            if entry.is_file(follow_symlinks=False):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
    return removed


@functools.cache
def _host() -> str:
    """This machine, as 8 hex digits: process ids mean nothing on another one."""
    name = os.uname().nodename if hasattr(os, "uname") else os.environ.get("COMPUTERNAME", "")
    return hashlib.sha256(name.encode()).hexdigest()[:8]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def _stage(target: Path, data: bytes) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.parent / temp_name(target)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(temp, flags, 0o600)
    try:
        os.fchmod(fd, _mode_for(target))
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return temp


def _mode_for(target: Path) -> int:
    """The existing file's mode, or what a plain `open()` would give: mkstemp's 0600 is
    right for a temp file but wrong for a brief that colleagues on a share must read."""
    try:
        return target.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask

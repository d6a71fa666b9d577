"""Write output files so that a failure never leaves a half-written or clobbered brief."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from briefgen.errors import BriefgenError


def write_all(files: dict[Path, bytes]) -> list[Path]:
    """Write every file atomically: each lands whole (temp file, fsync, rename) or not at all.

    All temp files are written before the first rename, so a failure while writing
    (disk full, permission) leaves every existing file as it was.
    """
    for target in files:
        if target.is_dir():
            raise BriefgenError(f"cannot write {target}: a folder of that name is in the way")
    for folder in {target.parent for target in files}:
        remove_stale_parts(folder)
    staged: list[tuple[Path, Path]] = []
    try:
        for target, data in files.items():
            staged.append((_stage(target, data), target))
        for temp, target in staged:
            os.replace(temp, target)
    except OSError as error:
        raise BriefgenError(
            f"cannot write {error.filename or 'output'}: {error.strerror}"
        ) from None
    finally:
        for temp, _ in staged:
            with contextlib.suppress(FileNotFoundError):
                temp.unlink()
    return list(files)


PART = ".part"


def remove_stale_parts(folder: Path) -> None:
    """Delete temp files that a killed build left behind (named with its process id);
    those of a build still running are left alone."""
    if not folder.is_dir():
        return
    for part in folder.glob(f".*{PART}"):
        pid = part.name.removesuffix(PART).split(".")[-2]
        if pid.isdigit() and not _alive(int(pid)):
            part.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _stage(target: Path, data: bytes) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    prefix = f".{target.name}.{os.getpid()}."
    fd, name = tempfile.mkstemp(prefix=prefix, suffix=PART, dir=target.parent)
    try:
        os.fchmod(fd, _mode_for(target))
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name)


def _mode_for(target: Path) -> int:
    """The existing file's mode, or what a plain `open()` would give: mkstemp's 0600 is
    right for a temp file but wrong for a brief that colleagues on a share must read."""
    try:
        return target.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask

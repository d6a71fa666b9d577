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


def _stage(target: Path, data: bytes) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
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

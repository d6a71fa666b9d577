"""The one edition a message is about, and the files it attaches (built first if stale)."""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from briefgen import pipeline
from briefgen.assemble import Brief
from briefgen.errors import BriefgenError, display_path
from briefgen.pipeline import BuildOptions
from briefgen.validate import ValidEdition

log = logging.getLogger("briefgen.deliver")

MIME_TYPES: dict[str, tuple[str, str]] = {
    "pdf": ("application", "pdf"),
    "docx": ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document"),
}
"""What may be attached, and as which MIME type."""


def formats(attach: Sequence[str]) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(attach))
    unknown = [fmt for fmt in chosen if fmt not in MIME_TYPES]
    if unknown or not chosen:
        what = f"cannot attach {unknown[0]!r}" if unknown else "nothing to attach"
        raise BriefgenError(f"{what}; attach pdf, docx or both")
    return chosen


def targets(brief: Brief, options: BuildOptions, chosen: Sequence[str]) -> dict[str, Path]:
    """Where the build writes (or wrote) each attached format."""
    assert options.output is not None
    return {fmt: options.output / f"{brief.file_stem}.{fmt}" for fmt in chosen}


def stale_reason(paths: Sequence[Path], edition: Path, options: BuildOptions) -> str | None:
    """Why the brief must be built before it is sent, or None when its files are up to
    date: judged by content, as `build` judges it (cache.py), not by file times."""
    for target in paths:
        if not target.is_file():
            return f"{display_path(target)} is missing"
    if pipeline.outdated([edition], options):
        return f"its notes, sources or templates changed since {display_path(paths[0])} was built"
    return None


def brief_files(
    valid: ValidEdition,
    brief: Brief,
    options: BuildOptions,
    chosen: tuple[str, ...],
    dry_run: bool,
    warnings: list[str],
) -> tuple[dict[str, bytes], list[Path], str | None]:
    """The attachments' bytes, the files a build wrote, and why it built (if it did).

    A dry run that needs a build renders into a temporary folder, so it writes nothing.
    """
    where = targets(brief, options, chosen)
    build = replace(options, formats=chosen, week=None, latest=False)
    reason = stale_reason(list(where.values()), valid.file.path, build)
    built: list[Path] = []
    if reason and dry_run:
        with tempfile.TemporaryDirectory(prefix="briefgen-mail-") as folder:
            result = pipeline.build([valid.file.path], replace(build, output=Path(folder)))
            warnings.extend(result.warnings)
            return {f: _read(Path(folder) / t.name) for f, t in where.items()}, [], reason
    if reason:
        log.info("building %s: %s", valid.file.path.name, reason)
        result = pipeline.build([valid.file.path], build)
        warnings.extend(result.warnings)
        built = result.written
    return {fmt: _read(target) for fmt, target in where.items()}, built, reason


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise BriefgenError(f"cannot read {display_path(path)}: {error.strerror}") from None

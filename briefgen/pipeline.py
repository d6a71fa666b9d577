"""The library entry points the CLI calls, and tests too: check and build.

A build gathers and validates everything first, renders every document in memory, and
only then writes, so invalid notes or a failing render leave `output/` untouched.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from briefgen import FORMATS, cache, config, output, workspace
from briefgen.errors import BriefgenError, display_path

if TYPE_CHECKING:
    from briefgen import diff
    from briefgen.assemble import Brief
    from briefgen.bounded import Engine
    from briefgen.ledger import Ledger
    from briefgen.models import Edition
    from briefgen.validate import ValidEdition
    from briefgen.workers import Workers

# Modules are imported inside the functions that need them: `check`, `diff` and `--help`
# import no engine, Jinja or matplotlib, and a rebuild that finds everything up to date
# does not even build the notes models (see docs/performance.md).

DEFAULT_FORMATS = ("pdf", "docx")


@dataclass(frozen=True)
class BuildOptions:
    """What to build and where. None means: what briefgen.toml says, else the default."""

    output: Path | None = None
    formats: Sequence[str] | None = None
    templates: Path | None = None
    week: str | None = None
    """Only the editions whose period overlaps this ISO week (`2025-W04`)."""
    latest: bool = False
    """Only the latest edition of each topic."""
    charts: bool | None = None
    """Draw a chart of each quantity with several estimates."""
    force: bool = False
    """Rebuild even when nothing changed since the last build."""
    jobs: int | None = None
    """How many editions to render at once (default: the number of cores)."""
    strict: bool | None = None
    """Refuse what is otherwise a warning (default: briefgen.toml's [check] strict)."""
    sign: bool = False
    """Sign each PDF (PAdES, with the key briefgen.toml's [sign] names): --sign."""
    progress: Callable[[int, int], None] | None = field(default=None, compare=False, repr=False)
    """Called with (done, total) as editions are rendered: the CLI draws a bar with it."""

    def settled(self, cfg: config.Config) -> BuildOptions:
        """Every None filled from the config file, then from the built-in defaults."""
        return replace(
            self,
            output=self.output or cfg.path(cfg.build.output) or Path("output"),
            formats=tuple(self.formats or cfg.build.formats or DEFAULT_FORMATS),
            templates=self.templates or cfg.path(cfg.build.templates),
            charts=cfg.build.charts if self.charts is None else self.charts,
        )


@dataclass
class BuildResult:
    """The files a build wrote, and what it had to warn about."""

    written: list[Path] = field(default_factory=list)
    up_to_date: list[Path] = field(default_factory=list)
    """Files a previous build wrote from the same inputs, left as they are."""
    warnings: list[str] = field(default_factory=list)


def check(paths: Sequence[Path], options: BuildOptions | None = None) -> list[ValidEdition]:
    """Validate the editions PATHs stand for; raise InvalidNotes listing every problem."""
    from briefgen import clashes, validate

    options = options or BuildOptions()
    valid = validate.check(select(paths, options), _size_limit(), strict=_strict(options))
    clashes.refuse(valid, output_dir(options))  # two editions, one brief: not valid either
    return valid


def one_edition(
    paths: Sequence[Path], options: BuildOptions | None = None, *, does: str
) -> ValidEdition:
    """The one edition PATHs stand for (an edition file, or a topic folder: its latest),
    validated as `check` does; several or none refused, saying what the command `does`
    ("mail sends one brief") and which editions matched."""
    files = select(paths, options or BuildOptions())
    if len(files) != 1:
        names = ", ".join(display_path(file.path) for file in files[:4])
        more = ", …" if len(files) > 4 else ""
        raise BriefgenError(
            f"{does}: give one edition (an edition file, or a topic folder for its "
            f"latest); {len(files)} match{'es' * (len(files) != 1)}"
            f"{': ' if files else ''}{names}{more}"
        )
    (valid,) = check([files[0].path], options)
    return valid


def _size_limit() -> int:
    """The cap on a notes file, in bytes, from briefgen.toml's [notes] max_file_mb."""
    return int(config.load(Path()).notes.max_file_mb * 1_000_000)


def _strict(options: BuildOptions) -> bool:
    """--strict, else briefgen.toml's [check] strict."""
    return config.load(Path()).check.strict if options.strict is None else options.strict


def select(paths: Sequence[Path], options: BuildOptions) -> list[workspace.EditionFile]:
    """The edition files PATHs stand for, narrowed by --week and --latest."""
    files = workspace.resolve(list(paths))
    if options.week:
        files = workspace.of_week(files, workspace.week_option(options.week))
    return workspace.latest_only(files) if options.latest else files


def build(
    paths: Sequence[Path], options: BuildOptions | None = None, engine: Engine | None = None
) -> BuildResult:
    """Validate, render and write the briefs PATHs stand for; skip those whose inputs are
    unchanged since the last build wrote them (see cache.py), unless `force`.

    `engine` is a PDF engine the caller started early (render/engine.py); the build
    uses it for a single PDF and stops it otherwise.
    """
    try:
        return _build(paths, options, engine)
    finally:
        if engine is not None:
            engine.cancel()


def _build(
    paths: Sequence[Path], options: BuildOptions | None, engine: Engine | None
) -> BuildResult:
    options = (options or BuildOptions()).settled(config.load(Path()))
    assert options.formats is not None and options.output is not None
    unknown = set(options.formats) - set(FORMATS)
    if unknown:
        raise BriefgenError(
            f"unknown format {sorted(unknown)[0]!r}; choose from {', '.join(FORMATS)}"
        )
    result = BuildResult()
    for folder in (
        options.output,
        options.output / cache.STAMPS,
        options.output / cache.STAMPS / cache.BLOBS,
    ):
        output.remove_stale_parts(folder)  # a killed build's, even if nothing is written now
    stale, result.up_to_date, keys = _plan(select(paths, options), options)
    if len(stale) == 1 and "pdf" in options.formats:
        engine = engine or _pdf_engine()
    elif engine is not None:
        engine.cancel()
        engine = None
    try:
        with _workers(options, len(stale)) as workers:  # they load while the notes are read
            files = _render_stale(stale, keys, options, result, engine, workers)
    finally:
        if engine is not None:
            engine.cancel()
    written = output.write_all(files)
    if stale:
        cache.prune(options.output)
    result.written = [path for path in written if cache.STAMPS not in path.parts]
    return result


def _render_stale(
    stale: list[workspace.EditionFile],
    keys: dict[Path, str],
    options: BuildOptions,
    result: BuildResult,
    engine: Engine | None,
    workers: Workers | None,
) -> dict[Path, bytes]:
    """Validate and render the editions to build: their files and stamps, to write."""
    assert options.output is not None
    valid = _validate(stale, options)
    result.warnings.extend(str(w) for v in valid for w in v.warnings)
    if valid:
        from briefgen import clashes

        clashes.refuse(valid, options.output)
    files: dict[Path, bytes] = {}
    for edition, (rendered, warnings) in zip(
        valid, _render_all(valid, options, engine, workers), strict=True
    ):
        result.warnings.extend(warnings)
        files.update(rendered)
        stamp = cache.stamp_path(options.output, edition.file)
        documents = {p: b for p, b in rendered.items() if cache.STAMPS not in p.parts}
        files[stamp] = cache.stamp_bytes(keys[edition.file.path], documents)
    return files


def outdated(paths: Sequence[Path], options: BuildOptions | None = None) -> list[Path]:
    """The edition files a build with these options would render, because something they
    are made from changed since the last build wrote them (or it never did)."""
    options = (options or BuildOptions()).settled(config.load(Path()))
    return [file.path for file in _plan(select(paths, options), options)[0]]


def _plan(
    files: list[workspace.EditionFile], options: BuildOptions
) -> tuple[list[workspace.EditionFile], list[Path], dict[Path, str]]:
    """The editions to render, the files of those that need not be, and each stale
    edition's cache key (for its stamp)."""
    assert options.output is not None and options.formats is not None
    stale, up_to_date, keys = [], [], {}
    seen = cache.Seen()
    for file in files:
        key = cache.key(file, _template_search(file, options), _settings(options), seen)
        stamp = cache.stamp_path(options.output, file)
        done = None if options.force else cache.fresh(stamp, key, options.formats)
        if done is None:
            stale.append(file)
            keys[file.path] = key
        else:
            up_to_date.extend(done)
    return stale, up_to_date, keys


def _validate(files: list[workspace.EditionFile], options: BuildOptions) -> list[ValidEdition]:
    if not files:  # all up to date: the notes models are not even built
        return []
    from briefgen import validate

    return validate.check(files, _size_limit(), strict=_strict(options))


def _pdf_engine() -> Engine:
    """A child that imports WeasyPrint while this process validates (render/engine.py)."""
    from briefgen.render import engine

    return engine.start()


Rendered_ = tuple[dict[Path, bytes], list[str]]


def _workers(
    options: BuildOptions, editions: int
) -> contextlib.AbstractContextManager[Workers | None]:
    """A pool of forked workers for several editions (each imports the engines once),
    started before the notes are validated so that the imports overlap the validation;
    for one edition, or where there is no fork, none (the editions render here)."""
    # The PDF is most of an edition's work, so one worker per core keeps them all busy
    # (measured: 20 editions on 2 cores, 11 s with 2 workers, 19 s with 1).
    jobs = min(options.jobs or os.cpu_count() or 1, editions)
    if jobs <= 1 or not hasattr(os, "fork"):
        return contextlib.nullcontext()
    from briefgen.workers import workers

    return workers(jobs, _warm_up)


def _render_all(
    valid: list[ValidEdition],
    options: BuildOptions,
    engine: Engine | None,
    workers: Workers | None,
) -> Iterator[Rendered_]:
    """Each edition's files and warnings, in order: by `workers` if there are any, else
    here (the first PDF by `engine` if there is one)."""
    report = options.progress or (lambda done, total: None)
    if workers is None:
        for done, edition in enumerate(valid, start=1):
            warnings: list[str] = []
            yield _render(edition, options, warnings, engine), warnings
            engine = None  # it renders one PDF
            report(done, len(valid))
        return
    plain = replace(options, progress=None)  # what crosses to a worker must pickle
    tasks = [(edition, plain) for edition in valid]
    names = [display_path(edition.file.path) for edition in valid]
    for done, rendered in enumerate(workers.imap(_render_task, tasks, names), start=1):
        report(done, len(valid))
        yield rendered


def _warm_up() -> None:
    """Import the engines once per worker, not once per edition, and the code that
    renders an edition (the workers start before the notes are read); the worker renders
    its templates under their bounds in its own process (bounded.stay_in_process)."""
    import docxtpl  # noqa: F401

    from briefgen import (
        bounded,
        validate,  # noqa: F401  (the editions arrive as its models)
    )
    from briefgen.ledger import write  # noqa: F401
    from briefgen.render import edition  # noqa: F401
    from briefgen.render.pdf import warm_up

    warm_up()
    bounded.stay_in_process()


def _render_task(task: tuple[ValidEdition, BuildOptions]) -> Rendered_:
    warnings: list[str] = []
    return _render(*task, warnings), warnings


def _template_search(file: workspace.EditionFile, options: BuildOptions) -> list[Path]:
    return workspace.search_path(user_template_dirs(options.templates, file.workspace))


def _settings(options: BuildOptions) -> tuple[object, ...]:
    """The options that change what a build writes. Not the formats: they are checked
    against the stamp's files (a build of PDF, DOCX and HTML leaves the PDF up to date).
    Not the output folder: each has its own stamps."""
    return (options.charts, options.sign)


def output_dir(options: BuildOptions) -> Path:
    """Where a build writes: the option, briefgen.toml's [build] output, else ./output."""
    return options.settled(config.load(Path())).output or Path("output")


def brief_of(valid: ValidEdition, warnings: list[str] | None = None) -> Brief:
    """The Brief for a validated edition, with what changed since the edition before it,
    in the house style of its workspace's briefgen.toml."""
    from briefgen import diff
    from briefgen.assemble import assemble

    house = config.load(valid.file.workspace).brief.house()
    previous = previous_edition(valid, warnings if warnings is not None else [])
    changes = diff.compare(previous, valid.edition) if previous else []
    return assemble(
        valid.edition,
        valid.registry,
        valid.file.topic,
        changes,
        previous.edition if previous else None,
        house,
    )


def previous_edition(valid: ValidEdition, warnings: list[str]) -> Edition | None:
    """The topic's edition before this one (by file name), if there is one and it is valid.

    An invalid predecessor does not stop the build: the brief goes out without its
    "what changed" section, and the build says why.
    """
    from briefgen import validate

    earlier = [p for p in workspace.editions_of(valid.file.topic_dir) if p < valid.file.path]
    if not earlier:
        return None
    edition, problems = validate.load_edition(earlier[-1], valid.registry)
    if problems:
        warnings.append(
            f"{display_path(earlier[-1])} has {len(problems)} problem(s) (run briefgen check "
            f"on it), so {valid.file.path.name}'s brief has no 'what changed' section"
        )
    return edition


def user_template_dirs(templates: Path | None = None, root: Path = Path()) -> list[Path]:
    """`--templates` (or briefgen.toml's [build] templates), then the workspace's templates/."""
    cfg = config.load(root)
    folder = templates or cfg.path(cfg.build.templates)
    if folder:
        workspace.checked_template_folder(folder, root)
    return list(dict.fromkeys([*([folder] if folder else []), root / "templates"]))


def _render(
    valid: ValidEdition, options: BuildOptions, warnings: list[str], engine: Engine | None = None
) -> dict[Path, bytes]:
    """One edition's files, and the charts drawn for them (render/edition.py), each
    document carrying the ledger of what it was built from (briefgen/ledger/), then the
    PDF signed if `sign` asks for it."""
    from briefgen.ledger.write import embed_all, prepare
    from briefgen.render.edition import render

    made: list[Ledger] = []
    files = render(valid, options, warnings, engine, lambda: made.append(prepare(valid, options)))
    files = embed_all(valid, options, files, *made)
    if options.sign:
        from briefgen.ledger.sign import sign_all

        files = sign_all(files, valid.file.workspace)
    return files


def compare(paths: Sequence[Path]) -> tuple[list[diff.Change], str, str]:
    """What changed between two editions, or between a topic folder's last two."""
    from briefgen import diff, validate

    if len(paths) == 1 and workspace.is_topic(paths[0]):
        files = workspace.editions_of(paths[0])[-2:]
        if len(files) < 2:
            raise BriefgenError(f"{paths[0]}: the topic has fewer than two editions to compare")
    elif len(paths) == 2:
        files = list(paths)
    else:
        raise BriefgenError("give two edition files (OLD NEW), or one topic folder")
    old, new = validate.check([workspace.resolve([path])[0] for path in files])
    return diff.compare(old.edition, new.edition), _label(old), _label(new)


def _label(valid: ValidEdition) -> str:
    return f"{valid.edition.period.label} ({valid.edition.edition.isoformat()})"

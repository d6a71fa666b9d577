"""Skip a build whose inputs have not changed since the last one wrote its files.

The key is a hash of everything a brief is made from — its notes, the edition before it
(for "what changed"), the topic's registry and source texts, every template and asset
on the search path, briefgen.toml, the options and briefgen's version — and the stamp
records the hash of each file written. File times are not trusted: a checkout, a copy
or a clock can change them without changing anything. Stamps live in
`<output>/.briefgen/`; deleting that folder only costs one full build.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from briefgen import __version__
from briefgen.workspace import REGISTRY, EditionFile, editions_of, usable_by_templates

STAMPS = ".briefgen"
BLOBS = "charts"
KEEP_DAYS = 60
"""A drawn chart not used by any build for this long is deleted."""


def key(
    file: EditionFile, template_dirs: Sequence[Path], settings: object, seen: Seen | None = None
) -> str:
    """The hash of everything the brief of `file` is built from. `seen` carries what one
    build has already read, so that editions sharing a topic and templates read each
    shared file once (a build of 20 editions hashed its sources and templates 20 times)."""
    seen = Seen() if seen is None else seen
    digest = hashlib.sha256(f"briefgen {__version__}\n{settings!r}\n".encode())
    root = file.workspace.resolve()
    for path in _inputs(file, template_dirs, seen):
        # Named relative to the workspace: a moved or copied workspace is still up to date.
        name = path.relative_to(root) if path.is_relative_to(root) else path
        digest.update(f"{name}\n".encode())
        digest.update(seen.digest(path))
    return digest.hexdigest()


@dataclass
class Seen:
    """What one build has hashed and listed so far: each file's digest and each folder's
    files, by path. Lives for one build (a call of `pipeline._plan`): files may change
    between builds, not between the editions of one."""

    digests: dict[Path, bytes] = field(default_factory=dict)
    folders: dict[tuple[str, Path], list[Path]] = field(default_factory=dict)

    def digest(self, path: Path) -> bytes:
        if path not in self.digests:
            self.digests[path] = (
                hashlib.sha256(path.read_bytes()).digest() if path.is_file() else b"-"
            )
        return self.digests[path]

    def files(self, kind: str, folder: Path, find: Callable[[Path], list[Path]]) -> list[Path]:
        if (kind, folder) not in self.folders:
            self.folders[kind, folder] = find(folder)
        return self.folders[kind, folder]


def _inputs(file: EditionFile, template_dirs: Sequence[Path], seen: Seen) -> list[Path]:
    earlier = [p for p in editions_of(file.topic_dir) if p < file.path]
    under = seen.files("topic", file.topic_dir, _files_under)
    topic_files = [p for p in under if p.suffix not in (".yaml", ".yml")]
    configs = [file.workspace / "briefgen.toml", Path("briefgen.toml").resolve()]
    return [
        file.path,
        *earlier[-1:],
        file.topic_dir / REGISTRY,
        *topic_files,
        *configs,
        *(p for folder in template_dirs for p in seen.files("templates", folder, _template_files)),
    ]


def _files_under(folder: Path) -> list[Path]:
    """Regular files under `folder`, not following symlinks out of it (never read those)."""
    if not folder.is_dir():
        return []
    root = folder.resolve()
    return sorted(
        p
        for p in folder.rglob("*")
        if STAMPS not in p.parts and p.resolve().is_relative_to(root) and p.is_file()
    )


def _template_files(folder: Path) -> list[Path]:
    """The files of a template folder that templates can use (templates and assets, see
    workspace.usable_by_templates), and only those: a folder named by mistake may hold
    anything, and the key must open nothing a build could not use. Judged by name before
    anything is opened; a link must stay inside the folder and name a usable file too."""
    if not folder.is_dir():
        return []
    root = folder.resolve()
    found = []
    for path in folder.rglob("*"):
        relative = path.relative_to(folder)
        if not usable_by_templates(relative):
            continue
        real = path.resolve()
        inside = real.is_relative_to(root) and usable_by_templates(real.relative_to(root))
        if inside and real.is_file():
            found.append(path)
    return sorted(found)


def stamp_path(output: Path, file: EditionFile) -> Path:
    """Where the stamp of an edition's last build lives."""
    return output / STAMPS / f"{file.topic}--{file.path.stem}.json"


def fresh(stamp: Path, build_key: str, formats: Iterable[str]) -> list[Path] | None:
    """The files in `formats` the last build wrote, if it had this key, wrote one of each
    format, and they are still as written."""
    try:
        import json  # here, not at the top: `check` reads no stamp

        from briefgen.load import read_text  # a FIFO planted as a stamp must not hang

        record = json.loads(read_text(stamp, 1_000_000))
        written = {stamp.parent.parent / name: digest for name, digest in record["files"].items()}
    except (OSError, ValueError, KeyError, AttributeError, TypeError):
        return None
    wanted = {f".{fmt}" for fmt in formats}
    files = {path: digest for path, digest in written.items() if path.suffix in wanted}
    if record.get("key") != build_key or {path.suffix for path in files} != wanted:
        return None
    for path, digest in files.items():
        if not path.is_file() or _sha(path.read_bytes()) != digest:
            return None
    return list(files)


def stamp_bytes(build_key: str, files: dict[Path, bytes]) -> bytes:
    """The stamp to write beside a build's files."""
    record = {"key": build_key, "files": {path.name: _sha(data) for path, data in files.items()}}
    import json

    return json.dumps(record, indent=2, sort_keys=True).encode()


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class Blobs:
    """Content-addressed drawings (charts) and font subsets (render/subsets.py) under
    `<output>/.briefgen/charts/`.

    Drawing a chart costs more than everything else briefgen does to a brief, and most
    charts (and each face's glyph set) are the same from one build to the next: an
    analyst edits a sentence and rebuilds. Each is named by the hash of what it is made
    from, so a hit is always right; new ones are kept in `new` and written with the
    build's files, so a failed build writes nothing. Deleting the folder costs one redraw.
    """

    folder: Path | None
    new: dict[Path, bytes] = field(default_factory=dict)

    def get(self, name: str) -> bytes | None:
        """The drawing called `name`, if an earlier build kept it."""
        if self.folder is None:
            return None
        path = self.folder / name
        if path.is_symlink():  # only what a build wrote itself is trusted
            return None
        from briefgen.load import read_regular  # never a FIFO or a device

        try:
            data = read_regular(path)
        except OSError:
            return None
        _touch(path)  # in use: not to be pruned
        return data

    def put(self, name: str, data: bytes) -> None:
        if self.folder is not None:
            self.new[self.folder / name] = data

    @staticmethod
    def name(fields: object, suffix: str) -> str:
        """The name of a drawing made from `fields` (anything JSON can write)."""
        import json

        text = json.dumps(fields, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest() + suffix


def blobs(output: Path) -> Blobs:
    """The drawings kept under the output folder `output`."""
    return Blobs(output / STAMPS / BLOBS)


def prune(output: Path, days: int = KEEP_DAYS) -> None:
    """Delete the drawings under `output` no build has used for `days` (a hit touches
    the file)."""
    folder = output / STAMPS / BLOBS
    if not folder.is_dir():
        return
    cutoff = time.time() - days * 86400
    for path in folder.iterdir():
        try:
            if path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink()
        except OSError:
            continue


def _touch(path: Path) -> None:
    with contextlib.suppress(OSError):
        os.utime(path)

"""Skip a build whose inputs have not changed since the last one wrote its files.

The key is a hash of everything a brief is made from — its notes, the edition before it
(for "what changed"), the topic's registry and source texts, every template and asset
on the search path, briefgen.toml, the options and briefgen's version — and the stamp
records the hash of each file written. File times are not trusted: a checkout, a copy
or a clock can change them without changing anything. Stamps live in
`<output>/.briefgen/`; deleting that folder only costs one full build.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from pathlib import Path

from briefgen import __version__
from briefgen.workspace import REGISTRY, EditionFile, editions_of

STAMPS = ".briefgen"


def key(file: EditionFile, template_dirs: Sequence[Path], settings: object) -> str:
    """The hash of everything the brief of `file` is built from."""
    digest = hashlib.sha256(f"briefgen {__version__}\n{settings!r}\n".encode())
    for path in _inputs(file, template_dirs):
        digest.update(f"{path}\n".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest() if path.is_file() else b"-")
    return digest.hexdigest()


def _inputs(file: EditionFile, template_dirs: Sequence[Path]) -> list[Path]:
    earlier = [p for p in editions_of(file.topic_dir) if p < file.path]
    topic_files = [p for p in _files_under(file.topic_dir) if p.suffix not in (".yaml", ".yml")]
    configs = [file.workspace / "briefgen.toml", Path("briefgen.toml").resolve()]
    return [
        file.path,
        *earlier[-1:],
        file.topic_dir / REGISTRY,
        *topic_files,
        *configs,
        *(p for folder in template_dirs for p in _files_under(folder)),
    ]


def _files_under(folder: Path) -> Iterable[Path]:
    """Regular files under `folder`, not following symlinks out of it (never read those)."""
    if not folder.is_dir():
        return []
    root = folder.resolve()
    return sorted(
        p
        for p in folder.rglob("*")
        if STAMPS not in p.parts and p.resolve().is_relative_to(root) and p.is_file()
    )


def stamp_path(output: Path, file: EditionFile) -> Path:
    """Where the stamp of an edition's last build lives."""
    return output / STAMPS / f"{file.topic}--{file.path.stem}.json"


def fresh(stamp: Path, build_key: str) -> list[Path] | None:
    """The files the last build wrote, if it had this key and they are still as written."""
    try:
        record = json.loads(stamp.read_text(encoding="utf-8"))
        files = {stamp.parent.parent / name: digest for name, digest in record["files"].items()}
    except (OSError, ValueError, KeyError, AttributeError, TypeError):
        return None
    if record.get("key") != build_key or not files:
        return None
    for path, digest in files.items():
        if not path.is_file() or _sha(path.read_bytes()) != digest:
            return None
    return list(files)


def stamp_bytes(build_key: str, files: dict[Path, bytes]) -> bytes:
    """The stamp to write beside a build's files."""
    record = {"key": build_key, "files": {path.name: _sha(data) for path, data in files.items()}}
    return json.dumps(record, indent=2, sort_keys=True).encode()


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()

"""The ledger: what a brief was built from, carried inside the brief itself.

A brief is forwarded, printed and edited long after it leaves the desk; its reader cannot
ask the desk what it was built from. So every PDF, DOCX and HTML briefgen writes carries
the edition's notes and the topic's registry exactly as built (bytes, not a re-dump), the
edition before it (the "what changed" section is made from it), the workspace's
briefgen.toml, a manifest of the cited sources' texts (id, sha256, URL, archive URL,
accessed), each citation's quote check, and briefgen's version with its engines'.
`briefgen verify` reads it back (read.py) and checks the document against it (briefgen/verify/).

The ledger is deterministic (sorted keys, relative paths, no clock): the same notes give
the same bytes, so a rebuild from a ledger reproduces the document byte for byte.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefgen import __version__, config, workspace
from briefgen.load import read_regular

if TYPE_CHECKING:
    from briefgen.models import Citation, Edition, Registry
    from briefgen.validate import ValidEdition

FORMAT = "briefgen-ledger"
VERSION = 1
MANIFEST = "briefgen-ledger.json"
"""The manifest's name as a PDF attachment; the notes travel beside it under NOTES/."""
NOTES = "notes"
NAMESPACE = "urn:briefgen:ledger:1"
FIRST_VERSION = "0.1.0"
"""The first briefgen that writes a ledger: a brief without one is older, or not ours."""


@dataclass
class Ledger:
    """The manifest (JSON data) and the files it names (name → bytes)."""

    manifest: dict[str, Any]
    files: dict[str, bytes] = field(default_factory=dict)

    def manifest_bytes(self) -> bytes:
        """The manifest as JSON, the same bytes for the same ledger."""
        return dumps(self.manifest)

    def bundle(self) -> bytes:
        """Manifest and files in one JSON document (DOCX and HTML carry this form)."""
        files = {name: data.decode("utf-8") for name, data in sorted(self.files.items())}
        return dumps({"manifest": self.manifest, "files": files})

    def text(self, role: str) -> str | None:
        """The file playing `role` (edition, previous, registry, config), as text."""
        name = self.manifest.get("roles", {}).get(role)
        data = self.files.get(name) if isinstance(name, str) else None
        return data.decode("utf-8") if data is not None else None


def dumps(data: Any) -> bytes:
    """Deterministic compact JSON: sorted keys, characters as they are."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def ledger_of(valid: ValidEdition, charts: bool | None) -> Ledger:
    """The ledger of a validated edition, from the files as they are on disk now (they
    were validated moments ago, in this build)."""
    file = valid.file
    roles: dict[str, str] = {}
    files: dict[str, bytes] = {}

    def add(role: str, path: Path, name: str) -> None:
        data = _regular(path)
        if data is None:  # the earlier edition may be a pipe or gone: it is left out
            return
        roles[role] = name
        files[name] = data

    add("edition", file.path, f"{NOTES}/{file.topic}/{file.path.name}")
    add(
        "registry",
        file.topic_dir / workspace.REGISTRY,
        f"{NOTES}/{file.topic}/{workspace.REGISTRY}",
    )
    earlier = [p for p in workspace.editions_of(file.topic_dir) if p < file.path]
    if earlier:
        add("previous", earlier[-1], f"{NOTES}/{file.topic}/{earlier[-1].name}")
    if (file.workspace / config.FILENAME).is_file():
        add("config", file.workspace / config.FILENAME, config.FILENAME)
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "briefgen": __version__,
        "engines": engines(),
        "topic": file.topic,
        "roles": roles,
        "files": {
            name: {"sha256": sha256(data), "bytes": len(data)} for name, data in files.items()
        },
        "sources": source_manifest(valid),
        "citations": list(citations(valid.edition, valid.registry)),
        "build": {"charts": bool(charts)},
    }
    return Ledger(manifest, files)


ENGINES = ("weasyprint", "pydyf", "fonttools", "docxtpl", "python-docx", "matplotlib", "pikepdf")


def engines() -> dict[str, str | None]:
    """The versions of the packages that shape the bytes, from their installed metadata
    (standing in for the lock's hash: a build may not read files outside the workspace
    and the package, and an installed wheel carries no lock). A copy of what the process
    found the first time: looking them up scans every installed package (25 ms an edition
    in a many-edition build)."""
    return dict(_engines())


@functools.cache
def _engines() -> dict[str, str | None]:
    from importlib import metadata

    found: dict[str, str | None] = {}
    for name in ENGINES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = None
    return found


def source_manifest(valid: ValidEdition) -> list[dict[str, Any]]:
    """Each cited source: its id, its text file's sha256 (computed here, from the file),
    URL, archive URL and the day it was accessed."""
    cited = sorted({c.source for _, _, c in _all_citations(valid.edition)})
    entries = []
    for source_id in cited:
        source = valid.registry[source_id]
        text = valid.file.topic_dir / source.text if source.text else None
        entries.append(
            {
                "id": source_id,
                "text": source.text,
                "sha256": _file_hash(text) if text is not None else None,
                "url": str(source.url) if source.url else None,
                "archive": str(source.archive) if source.archive else None,
                "accessed": source.accessed.isoformat() if source.accessed else None,
            }
        )
    return entries


def _file_hash(path: Path) -> str | None:
    data = _regular(path)
    return None if data is None else sha256(data)


def _regular(path: Path) -> bytes | None:
    """A file's bytes through the one safe reader (load.read_regular: a FIFO or a device
    is refused, never opened for reading), or None when it cannot be read."""
    try:
        return read_regular(path)
    except OSError:  # NotRegularFile and TooBig are OSErrors
        return None


def citations(edition: Edition, registry: Registry) -> Iterator[dict[str, Any]]:
    """Each citation's quote check, as the brief shows it: `verified` (found in the
    source's text on file), `unverified` (no text on file) or None (no quote)."""
    for section, line, cite in _all_citations(edition):
        status = None
        if cite.quote is not None:
            status = "verified" if registry.has_text(cite.source) else "unverified"
        yield {
            "section": section,
            "line": line,
            "source": cite.source,
            "quote": cite.quote,
            "status": status,
        }


SECTIONS = ("key_judgments", "situation", "estimates", "questions", "outlook")


def _all_citations(edition: Edition) -> Iterator[tuple[str, int, Citation]]:
    for section in SECTIONS:
        for number, line in enumerate(getattr(edition, section), start=1):
            for cite in line.cite:
                yield section, number, cite


def from_bundle(data: Mapping[str, Any]) -> Ledger:
    """The ledger from its one-document form (raises ValueError when it is not one)."""
    manifest, files = data.get("manifest"), data.get("files")
    if not isinstance(manifest, dict) or not isinstance(files, dict):
        raise ValueError("it has no manifest or no files")
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in files.items()):
        raise ValueError("its files are not all text")
    return Ledger(manifest, {name: text.encode("utf-8") for name, text in files.items()})

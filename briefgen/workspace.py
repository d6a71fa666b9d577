"""Find the notes: which edition files a PATH on the command line stands for.

A workspace holds `sources/<topic>/`; a topic folder holds `sources.yaml` (the source
registry) and one YAML file per edition, named so that they sort by date (`2025-W04.yaml`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from briefgen.errors import BriefgenError

REGISTRY = "sources.yaml"
SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class EditionFile:
    """An edition's notes file and the topic it belongs to."""

    path: Path

    @property
    def topic_dir(self) -> Path:
        return self.path.parent

    @property
    def topic(self) -> str:
        return self.topic_dir.name

    @property
    def workspace(self) -> Path:
        """The folder holding `sources/`: templates and output are looked up from here."""
        parent = self.topic_dir.parent
        return parent.parent if parent.name == "sources" else parent


def is_topic(folder: Path) -> bool:
    return (folder / REGISTRY).is_file()


def editions_of(topic_dir: Path) -> list[Path]:
    """The topic's edition files, oldest first (their names sort by date)."""
    return sorted(p for p in topic_dir.iterdir() if p.suffix in SUFFIXES and p.name != REGISTRY)


def topics_in(workspace: Path) -> list[Path]:
    root = workspace / "sources" if (workspace / "sources").is_dir() else workspace
    return sorted(p for p in root.iterdir() if p.is_dir() and is_topic(p))


def resolve(paths: list[Path], *, default: Path | None = None) -> list[EditionFile]:
    """Turn command-line PATHs into edition files.

    An edition file stands for itself, a topic folder for its latest edition, and a
    workspace (or no PATH: `./sources`) for every edition of every topic.
    """
    if not paths:
        paths = [default or Path("sources")]
    found: list[Path] = []
    for path in paths:
        found.extend(_resolve_one(path))
    unique = dict.fromkeys(p.resolve() for p in found)
    return [EditionFile(p) for p in unique]


def _resolve_one(path: Path) -> list[Path]:
    if not path.exists():
        raise BriefgenError(
            f"{path}: no such file or folder; give an edition file, a topic folder or a workspace"
        )
    if path.is_file():
        if path.suffix not in SUFFIXES or path.name == REGISTRY:
            raise BriefgenError(
                f"{path}: not an edition file; give a YAML edition such as "
                "sources/nk-russia/2025-W04.yaml"
            )
        if not is_topic(path.parent):
            raise BriefgenError(
                f"{path}: no {REGISTRY} beside it; an edition lives in a topic "
                f"folder with the topic's {REGISTRY}"
            )
        return [path]
    if is_topic(path):
        editions = editions_of(path)
        if not editions:
            raise BriefgenError(f"{path}: the topic has no edition yet")
        return editions[-1:]
    topics = topics_in(path)
    if not topics:
        raise BriefgenError(f"{path}: no topics found (a topic is a folder with a {REGISTRY})")
    return [edition for topic in topics for edition in editions_of(topic)]

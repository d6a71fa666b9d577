"""The brief the ledger says the document is: its notes rebuilt into a workspace and
assembled exactly as `build` does.

The source texts do not travel in the ledger (their hashes do): with the desk's workspace,
its texts are used; without, each text is stood in for by the quotes the ledger records
as verified against it, so that the brief shows the same verified quotes it showed when
it was built.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

import yaml

from briefgen import config, workspace
from briefgen.ledger import Ledger
from briefgen.ledger.read import BadLedger

if TYPE_CHECKING:
    from briefgen.assemble import Brief
    from briefgen.validate import ValidEdition


@contextlib.contextmanager
def rebuilt_workspace(ledger: Ledger, desk: Path | None = None) -> Iterator[Path]:
    """A temporary workspace holding the ledger's notes (and the desk's texts and
    templates when `desk` is given); removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="briefgen-verify-") as folder:
        root = Path(folder)
        topic = _safe_name(str(ledger.manifest.get("topic", "")))
        topic_dir = root / "sources" / topic
        topic_dir.mkdir(parents=True)
        if desk is not None:
            _copy_desk(desk, topic, root)
        for name, data in ledger.files.items():
            (root / _inside(name, topic)).write_bytes(data)
        if desk is None:
            _stand_in_texts(ledger, topic_dir)
        yield root


def _safe_name(name: str) -> str:
    if not name or name in (".", "..") or "/" in name or "\\" in name:
        raise BadLedger(f"the ledger names an impossible topic ({name!r})")
    return name


def _inside(name: str, topic: str) -> Path:
    """Where a ledger file goes in the rebuilt workspace (never outside it)."""
    if name == config.FILENAME:
        return Path(name)
    parts = PurePosixPath(name).parts
    if len(parts) != 3 or parts[0] != "notes" or parts[1] != topic or parts[2] in (".", ".."):
        raise BadLedger(f"the ledger holds a file at an impossible place ({name!r})")
    return Path("sources", topic, parts[2])


def _copy_desk(desk: Path, topic: str, root: Path) -> None:
    """The desk's templates and the topic's source texts (not its notes)."""
    if (desk / "templates").is_dir():
        shutil.copytree(desk / "templates", root / "templates", symlinks=True)
    source = desk / "sources" / topic
    if source.is_dir():
        shutil.copytree(
            source,
            root / "sources" / topic,
            dirs_exist_ok=True,
            ignore=lambda folder, names: [n for n in names if n.endswith((".yaml", ".yml"))],
        )


def _stand_in_texts(ledger: Ledger, topic_dir: Path) -> None:
    """For each registry source with a text, a file holding the quotes the ledger says
    were verified against it (on every line of its passage)."""
    verified: dict[str, list[str]] = {}
    for citation in ledger.manifest.get("citations", []):
        if isinstance(citation, dict) and citation.get("status") == "verified":
            verified.setdefault(str(citation.get("source")), []).append(str(citation["quote"]))
    for source, quote in _quotes(yaml_of(ledger.text("previous") or "")):
        verified.setdefault(source, []).append(quote)
    files: dict[Path, tuple[int, list[str]]] = {}
    for entry in _registry_entries(ledger):
        text = entry.get("text")
        path = (topic_dir / text).resolve() if isinstance(text, str) else None
        if path is None or not path.is_relative_to(topic_dir.resolve()):
            continue  # validation names it
        last, quotes = files.get(path, (1, []))
        numbers = [int(n) for n in str(entry.get("lines") or "").replace("-", " ").split()]
        quotes += verified.get(str(entry.get("id")), [])
        files[path] = (max([last, *numbers]), quotes)
    for path, (last, quotes) in files.items():
        line = " … ".join(quotes) or "-"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text((line + "\n") * min(last, 10_000), encoding="utf-8")


def yaml_of(text: str) -> Any:
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError:
        return None


def _quotes(data: Any, depth: int = 0) -> Iterator[tuple[str, str]]:
    """Every (source, quote) of a citation anywhere in notes data (the edition before
    this one: the 'what changed' section is made from it, and the ledger records no
    quote checks of its own for it)."""
    if depth > 50:
        return
    if isinstance(data, dict):
        if isinstance(data.get("source"), str) and isinstance(data.get("quote"), str):
            yield data["source"], data["quote"]
        for value in data.values():
            yield from _quotes(value, depth + 1)
    elif isinstance(data, list):
        for value in data:
            yield from _quotes(value, depth + 1)


def _registry_entries(ledger: Ledger) -> list[dict[str, Any]]:
    entries = yaml_of(ledger.text("registry") or "")
    return [e for e in entries if isinstance(e, dict)] if isinstance(entries, list) else []


def edition_path(ledger: Ledger, root: Path) -> Path:
    name = ledger.manifest.get("roles", {}).get("edition")
    if not isinstance(name, str):
        raise BadLedger("the ledger names no edition")
    return root / _inside(name, str(ledger.manifest.get("topic")))


def brief(ledger: Ledger, root: Path) -> tuple[ValidEdition, Brief]:
    """The validated edition and its Brief, from the rebuilt workspace at `root`."""
    from briefgen import pipeline, validate

    path = edition_path(ledger, root)
    (valid,) = validate.check([workspace.EditionFile(path)])
    return valid, pipeline.brief_of(valid, [])

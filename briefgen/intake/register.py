"""The registry side of `source add`: ids, hashes, and the text of a new entry.

sources.yaml is the analyst's file, with their comments and their order, so it is never
loaded and dumped again: a new entry is a block of text appended at its end, and an
update replaces the few lines it changes (`text:`, `sha256:`, `accessed:`). Values are
written as JSON strings, which YAML reads as double-quoted scalars, so a title with a
colon, a `#` or a quote mark stays one string.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from briefgen.errors import BriefgenError, display_path
from briefgen.intake.extract import tidy
from briefgen.load import Loaded, LoadError, load_yaml, read_regular

_HASH = re.compile(r"^[0-9a-f]{64}$")


def sha256_of(data: bytes) -> str:
    """The hex digest a registry entry's `sha256:` holds."""
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Entry:
    """One item of sources.yaml as written (not validated): enough to find and edit it."""

    index: int
    id: str
    line: int
    data: dict[str, Any]


def read_entries(registry: Path) -> tuple[Loaded | None, list[Entry]]:
    """The registry's items with an id, or a BriefgenError saying why it cannot be read."""
    if not registry.exists() or not registry.read_bytes().strip():
        return None, []
    try:
        loaded = load_yaml(registry)
    except LoadError as error:
        raise BriefgenError(f"{error.problem}; fix it first (briefgen check shows it)") from None
    if loaded.data is None:
        return loaded, []
    if not isinstance(loaded.data, list):
        raise BriefgenError(
            f"{display_path(registry)}:1: expected a list of sources (each item starting "
            "with '- id:'); fix it before adding sources"
        )
    entries = [
        Entry(i, item["id"], loaded.line((i, "id")), item)
        for i, item in enumerate(loaded.data)
        if isinstance(item, dict) and isinstance(item.get("id"), str)
    ]
    return loaded, entries


def text_hashes(topic_dir: Path, entries: list[Entry], max_bytes: int) -> dict[str, str]:
    """Each entry's text hash: its `sha256:`, else the hash of its text file as it is now,
    tidied as `source add` stores texts (entries written by hand before `source add`)."""
    hashes: dict[str, str] = {}
    for entry in entries:
        written = entry.data.get("sha256")
        if isinstance(written, str) and _HASH.match(written):
            hashes[entry.id] = written
            continue
        text = entry.data.get("text")
        if isinstance(text, str):
            try:
                data = read_regular(topic_dir / text, max_bytes)
                hashes[entry.id] = sha256_of(tidy(data.decode("utf-8")).encode("utf-8"))
            except (OSError, UnicodeDecodeError):
                continue  # a missing, oversized or undecodable text is check's to report
    return hashes


def slug(name: str) -> str:
    """`The Harbour Times` → `harbour-times`: ASCII letters and digits joined by hyphens."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_name.lower())
    if words[:1] == ["the"] and len(words) > 1:
        words = words[1:]
    text = "-".join(words)[:40].strip("-")
    return text or "source"


def propose_id(publisher: str, day: str, taken: set[str]) -> str:
    """`publisher-YYYY-MM-DD`, with `-2`, `-3`… when that id is taken."""
    base = f"{slug(publisher)}-{day}"
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def text_path(topic_dir: Path, source_id: str) -> Path:
    """`texts/<id>.txt`, or `texts/<id>.v2.txt`… when that file exists (a new version)."""
    folder = topic_dir / "texts"
    candidate, n = folder / f"{source_id}.txt", 1
    while candidate.exists():
        n += 1
        candidate = folder / f"{source_id}.v{n}.txt"
    return candidate


def scalar(value: str) -> str:
    """`value` as a YAML scalar that reads back as the same string."""
    if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._/-]*", value) and not _YAML_WORD.match(value):
        return value
    return json.dumps(value, ensure_ascii=False)


_YAML_WORD = re.compile(r"^(y|n|yes|no|on|off|true|false|null|~|\d[\d._-]*)$", re.I)
"""Plain words YAML would read as something other than text (a date, a number, a bool)."""


def entry_block(fields: dict[str, str]) -> str:
    """The entry as YAML lines, `- id:` first; dates written bare (they are dates)."""
    lines: list[str] = []
    for key, value in fields.items():
        shown = value if key in ("published", "accessed") else scalar(value)
        lines.append(f"{'- ' if not lines else '  '}{key}: {shown}")
    lines.append("  # reliability: A-F, the analyst's grade (briefgen check lists ungraded)")
    return "\n".join(lines) + "\n"


def appended(registry_text: str, block: str) -> str:
    """The registry with `block` added as its last item."""
    if registry_text and not registry_text.endswith("\n"):
        registry_text += "\n"
    return registry_text + ("\n" if registry_text.strip() else "") + block


def check_appended(text: str, count: int, source_id: str, registry: Path) -> None:
    """Refuse to write a registry whose new text does not read back as one more item with
    the new id last (a registry written as a flow list `[...]`, say)."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        data = None
    ok = isinstance(data, list) and len(data) == count + 1
    if not ok or not isinstance(data[-1], dict) or data[-1].get("id") != source_id:
        raise BriefgenError(
            f"{display_path(registry)}: the new entry cannot be appended to this file as "
            "written (is the list in [brackets]?); write it as one '- id:' block per source"
        )


def updated(registry_text: str, loaded: Loaded, entry: Entry, changes: dict[str, str]) -> str:
    """The registry with `entry`'s keys in `changes` set (replaced on their line when each
    is one line, else added below `id:`), and a comment naming the text it replaces."""
    lines = registry_text.split("\n")
    indent = " " * (len(lines[entry.line - 1]) - len(lines[entry.line - 1].lstrip(" -")))
    extra: list[str] = []
    for key, value in changes.items():
        shown = value if key == "accessed" else scalar(value)
        line = loaded.lines.get((entry.index, key))
        if line is not None and _one_line(lines, line - 1, key):
            lines[line - 1] = re.sub(rf"({key}\s*:\s*).*$", rf"\g<1>{shown}", lines[line - 1])
        elif line is None:
            extra.append(f"{indent}{key}: {shown}")
        else:
            raise BriefgenError(
                f"{display_path(loaded.path)}:{line}: [{entry.index}].{key}: written over "
                f"several lines; make it one line ('{key}: value') and run the update again"
            )
    lines[entry.line : entry.line] = extra
    return "\n".join(lines)


def _one_line(lines: list[str], index: int, key: str) -> bool:
    """True when `key: value` on lines[index] is all of the value (no block scalar, no
    continuation lines indented under it)."""
    value = lines[index].split(":", 1)[-1].strip()
    quoted = value[:1] in ("'", '"')
    if value[:1] in ("|", ">", "") or (quoted and (len(value) < 2 or value[-1] != value[0])):
        return False
    following = lines[index + 1] if index + 1 < len(lines) else ""
    here = len(lines[index]) - len(lines[index].lstrip(" -"))
    deeper = following.strip() and len(following) - len(following.lstrip()) > here
    return not deeper or following.lstrip().startswith("#")

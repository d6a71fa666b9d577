"""`verify --workspace`: the delivered brief against the desk's files of today.

Which notes and source texts changed since the brief was built (news for the desk, not a
failure of the document), and a rebuild from the ledger's own notes, in a separate process
with the desk's templates and texts, whose bytes must be the document's: a signed PDF's
unsigned revision is its first bytes, so it is compared with those.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from briefgen import config, workspace

if TYPE_CHECKING:
    from briefgen.verify import Report
    from briefgen.verify.document import Document

REBUILD_SECONDS = 600


def check(read: Document, data: bytes, desk: Path, report: Report) -> None:
    manifest = read.ledger.manifest
    topic = str(manifest.get("topic"))
    topic_dir = desk / "sources" / topic
    report.workspace += _changed_notes(read, desk, topic_dir)
    report.workspace += _changed_texts(manifest.get("sources", []), topic_dir)
    _rebuild(read, data, desk, report)


def _changed_notes(read: Document, desk: Path, topic_dir: Path) -> list[str]:
    found = []
    for role, name in sorted(read.ledger.manifest.get("roles", {}).items()):
        local = desk / config.FILENAME if name == config.FILENAME else topic_dir / Path(name).name
        embedded = read.ledger.files.get(name)
        if not local.is_file():
            found.append(f"the {role} notes {name} are no longer in the workspace")
        elif embedded is not None and local.read_bytes() != embedded:
            found.append(f"the {role} notes {name} changed since the brief was built")
    return found


def _changed_texts(sources: list[object], topic_dir: Path) -> list[str]:
    found = []
    for entry in sources:
        if not isinstance(entry, dict) or not entry.get("text"):
            continue
        path = topic_dir / str(entry["text"])
        if not path.is_file():
            found.append(f"source {entry.get('id')}: its text {entry['text']} is gone")
        elif hashlib.sha256(path.read_bytes()).hexdigest() != entry.get("sha256"):
            found.append(f"source {entry.get('id')}: its text changed since the brief was built")
    return found


def _rebuild(read: Document, data: bytes, desk: Path, report: Report) -> None:
    """Rebuild the document from its ledger in a child process and compare bytes."""
    from briefgen.verify import expect

    with expect.rebuilt_workspace(read.ledger, desk) as root:
        edition = expect.edition_path(read.ledger, root)
        charts = read.ledger.manifest.get("build", {}).get("charts", True)
        command = [sys.executable, "-c", "from briefgen.cli import run; run()", "build"]
        command += [str(edition.relative_to(root)), "-f", read.kind, "-o", "rebuilt", "--force"]
        command += [] if charts else ["--no-charts"]
        done = subprocess.run(
            command, cwd=root, capture_output=True, text=True, timeout=REBUILD_SECONDS
        )
        built = sorted((root / "rebuilt").glob(f"*.{read.kind}"))
        if done.returncode != 0 or len(built) != 1:
            report.differences.append(
                "rebuilt from its own notes, the brief does not build: "
                + (done.stderr.strip().splitlines() or ["no output"])[-1]
            )
            return
        rebuilt = built[0].read_bytes()
    signed = b"/ByteRange" in data[len(rebuilt) :]
    same = data == rebuilt or (signed and data.startswith(rebuilt))
    if same:
        report.notes.append(
            f"rebuilt from its own notes with the workspace's templates: the same "
            f"{len(rebuilt):,} bytes" + (" (before the signature)" if data != rebuilt else "")
        )
    else:
        report.differences.append(
            f"rebuilt from its own notes, the {read.kind.upper()} differs from this one "
            f"({len(rebuilt):,} bytes rebuilt, {len(data):,} here): the document was "
            "changed, or the templates, the source texts or briefgen changed since"
        )


__all__ = ["check", "workspace"]

"""`briefgen verify`: check a delivered brief against the ledger it carries.

The document is read back (document.py), the notes in its ledger are assembled into the
brief they make (expect.py), and every field of it is looked for in the document's text
(compare.py); the citation links, the marking, the attached notes' hashes and, for a
signed PDF, the signature are checked too. With the desk's workspace (desk.py), the
embedded notes and source hashes are compared with the desk's files, and the document is
rebuilt from its own ledger to confirm the bytes. Everything is offline.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from briefgen.errors import BriefgenError, InvalidNotes, display_path
from briefgen.ledger.read import BadLedger, NoLedger
from briefgen.verify import compare
from briefgen.verify.pdftext import Link
from briefgen.verify.text import Haystack


@dataclass
class Report:
    """What verify found: `ok` when every check holds."""

    file: str
    kind: str = ""
    built_by: str = ""
    differences: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """What holds, said for the reader (signer, byte-identical rebuild)."""
    signatures: list[dict[str, Any]] = field(default_factory=list)
    workspace: list[str] = field(default_factory=list)
    """With --workspace: what changed at the desk since delivery (not a failure)."""

    @property
    def ok(self) -> bool:
        return not self.differences

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self), "ok": self.ok}

    def lines(self) -> list[str]:
        head = f"{self.file}: {self.kind.upper()} built by briefgen {self.built_by}"
        verdict = (
            "holds: the document says what its notes say"
            if self.ok
            else (f"{len(self.differences)} difference(s) from the notes it carries")
        )
        return [
            f"{head}: {verdict}",
            *(f"  {line}" for line in self.differences),
            *(f"  {line}" for line in self.notes),
            *(f"  desk: {line}" for line in self.workspace),
        ]


def verify(path: Path, desk: Path | None = None, trust: list[bytes] | None = None) -> Report:
    """Check the brief at `path`; BriefgenError when it has no ledger or one that cannot
    be read (nothing to verify against)."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise BriefgenError(f"{display_path(path)}: cannot read it ({error.strerror})") from None
    try:
        return _verify(path, data, desk, trust)
    except NoLedger as error:
        raise BriefgenError(f"{display_path(path)}: {error}; {ASK}") from None
    except BadLedger as error:
        raise BriefgenError(f"{display_path(path)}: {error}; nothing was verified: {ASK}") from None


ASK = "ask the desk for the brief as it was sent"
"""What a reader can do about a brief verify cannot read: only the desk has the original."""


def _verify(path: Path, data: bytes, desk: Path | None, trust: list[bytes] | None) -> Report:
    from briefgen.verify import document, expect

    read = document.read(data)
    report = Report(display_path(path), read.kind, str(read.ledger.manifest.get("briefgen")))
    report.differences += read.problems
    with expect.rebuilt_workspace(read.ledger) as root:
        try:
            _, brief = expect.brief(read.ledger, root)
        except InvalidNotes as error:
            report.differences.append(
                "the notes in the ledger do not validate (they were edited): "
                + "; ".join(str(p.message) for p in error.problems[:5])
            )
            return report
    hay = Haystack.of(read.pages)
    markers_at: list[compare.Span] = []
    report.differences += [str(d) for d in compare.differences(brief, hay, markers_at)]
    if read.kind == "pdf":
        report.differences += compare.marking_problems(brief, read.pages)
    report.differences += _link_problems(brief, read.links, hay, markers_at)
    if read.kind == "pdf":
        _signatures(data, trust, report)
    if desk is not None:
        from briefgen.verify import desk as desk_checks

        desk_checks.check(read, data, desk, report)
    return report


def _link_problems(
    brief: Any, links: list[Link], hay: Haystack, markers_at: list[compare.Span]
) -> list[str]:
    """Every citation link lands on a source entry, and (where the format shows the
    number a link carries) on the entry of that number, said at the marker's place."""
    anchors = {entry.anchor: entry.number for entry in brief.sources}
    problems = []
    for link in links:
        place = "" if link.at is None else compare.place_of(link.at, hay, markers_at)
        number = re.search(r"\d+", link.shown or "")
        if link.anchor not in anchors:
            if link.anchor.startswith("src") or number is not None:
                problems.append(
                    f"{place}a citation link points to {link.anchor!r}, which is no source entry"
                )
            continue
        if number is not None and number.group() != str(anchors[link.anchor]):
            problems.append(
                f"{place}the citation marker [{number.group()}] links to source "
                f"{anchors[link.anchor]}'s entry: the marker or its link was changed"
            )
    cited = {m.anchor for item in _cited(brief) for m in item.markers}
    linked = {link.anchor for link in links}
    for anchor in sorted(cited - linked, key=lambda a: anchors.get(a, 0)):
        problems.append(f"no citation marker links to source {anchors.get(anchor)}'s entry")
    return problems


def _cited(brief: Any) -> list[Any]:
    rows = [row for group in brief.estimates for row in group.rows]
    return [
        *brief.key_judgments,
        *brief.changes,
        *brief.situation,
        *rows,
        *brief.questions,
        *brief.outlook,
    ]


def _signatures(data: bytes, trust: list[bytes] | None, report: Report) -> None:
    from briefgen.ledger.sign import signatures

    found = signatures(data, trust) if b"/ByteRange" in data else []
    if not found:
        report.notes.append("not signed: anyone could have edited it and its notes alike")
    for signature in found:
        report.signatures.append(asdict(signature))
        who = f"signed by {signature.signer}"
        if not signature.intact:
            report.differences.append(f"{who}, but the signed bytes were changed")
        elif not signature.covers_all:
            report.differences.append(
                f"{who}, but the document was changed after signing ({signature.changes})"
            )
        else:
            report.notes.append(f"{who}; unchanged since signing")
        if signature.trusted is False:
            report.differences.append(
                f"the signer's certificate ({signature.signer}) is not trusted"
            )

"""Hostile briefs for `briefgen verify` (the corpus's verify-* cases), made from a real one.

A verify case names a format and one of the tamperings below; the test builds the case's
workspace in that format (in a copy, beside it), applies the tampering to the brief and
puts the result in the workspace, where the driver runs `verify` on it under the audit.
Each tampering is what a crafted or damaged file could hold: the promise is a clear
refusal (file, what is wrong, what to do), no traceback, no network, bounded time.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import pikepdf

from briefgen.ledger import MANIFEST

BUILD = (
    "import sys\n"
    "from briefgen import pipeline\n"
    "options = pipeline.BuildOptions(formats=(sys.argv[1],), charts=False)\n"
    "print(pipeline.build([], options).written[0])\n"
)


def built(workspace: Path, kind: str) -> bytes:
    """The workspace's edition built as `kind`, in a process of its own (the build
    changes nothing the test process holds: no working directory, no module state)."""
    done = subprocess.run(
        [sys.executable, "-c", BUILD, kind],
        cwd=workspace,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return (workspace / done.stdout.strip()).read_bytes()


def _saved(pdf: pikepdf.Pdf) -> bytes:
    """The PDF written with its streams as they are (qpdf would otherwise inflate the
    bombs to recompress them, and undo the double filter)."""
    out = io.BytesIO()
    pdf.save(out, stream_decode_level=pikepdf.StreamDecodeLevel.none, compress_streams=False)
    return out.getvalue()


def _manifest_stream(pdf: pikepdf.Pdf) -> pikepdf.Stream:
    return next(spec.EF.F for spec in pdf.Root.AF if str(spec.F) == MANIFEST)


def pdf_attachment_bomb(data: bytes) -> bytes:
    """The manifest replaced by 200 MiB of zeros deflated to about 200 KB."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        bomb = zlib.compressobj(9)
        raw = b"".join(bomb.compress(b"\0" * 2**20) for _ in range(200)) + bomb.flush()
        _manifest_stream(pdf).write(raw, filter=pikepdf.Name.FlateDecode)
        return _saved(pdf)


def pdf_attachment_double_flate(data: bytes) -> bytes:
    """The manifest deflated twice over (/FlateDecode /FlateDecode): 1 GiB of zeros in a
    few kilobytes, which a reader that applies every filter would inflate whole."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        inner = zlib.compressobj(9)
        once = b"".join(inner.compress(b"\0" * 2**24) for _ in range(64)) + inner.flush()
        twice = zlib.compress(once, 9)
        flate = pikepdf.Name.FlateDecode
        _manifest_stream(pdf).write(twice, filter=pikepdf.Array([flate, flate]))
        return _saved(pdf)


def pdf_attachment_tree_deep(data: bytes) -> bytes:
    """The attachment list nested 50 levels deep (the bound is 8)."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        node = pdf.Root.Names.EmbeddedFiles
        for _ in range(50):
            node = pikepdf.Dictionary(Kids=pikepdf.Array([pdf.make_indirect(node)]))
        pdf.Root.Names.EmbeddedFiles = pdf.make_indirect(node)
        return _saved(pdf)


def pdf_ledger_not_json(data: bytes) -> bytes:
    """The manifest's JSON cut short, as a damaged copy would hold it."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        stream = _manifest_stream(pdf)
        stream.write(stream.read_bytes()[:100])
        return _saved(pdf)


def pdf_no_ledger(data: bytes) -> bytes:
    """The ledger taken out (as a PDF printer or 'optimizer' drops attachments)."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        del pdf.Root.AF
        del pdf.Root.Names.EmbeddedFiles
        return _saved(pdf)


def _rezipped(data: bytes, replace: dict[str, bytes], add: dict[str, bytes]) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, replace.get(info.filename, source.read(info.filename)))
        for name, body in add.items():
            target.writestr(name, body)
    return out.getvalue()


def docx_macro(data: bytes) -> bytes:
    """A vbaProject.bin part, as a macro-enabled document carries its macros."""
    return _rezipped(data, {}, {"word/vbaProject.bin": b"\xd0\xcf\x11\xe0" + b"\0" * 508})


def docx_external_template(data: bytes) -> bytes:
    """A template attached from the web (TargetMode External): Word would fetch it."""
    name = "word/_rels/document.xml.rels"
    rels = zipfile.ZipFile(io.BytesIO(data)).read(name).decode("utf-8")
    remote = (
        '<Relationship Id="rIdRemote" Type="http://schemas.openxmlformats.org/officeDocument/'
        '2006/relationships/attachedTemplate" Target="http://example.org/evil.dotm" '
        'TargetMode="External"/>'
    )
    linked = rels.replace("</Relationships>", remote + "</Relationships>")
    return _rezipped(data, {name: linked.encode()}, {})


def html_script_closes_early(data: bytes) -> bytes:
    """`</script>` (and a script after it) inside the ledger's JSON."""
    text = data.decode("utf-8")
    opening = '<script type="application/json" id="briefgen-ledger">'
    at = text.index(opening) + len(opening)
    payload = '{"a": "</script><script>document.title = \'pwned\'</script>'
    assert re.match(r"\{", text[at:])
    return (text[:at] + payload + text[at + 1 :]).encode("utf-8")


TAMPERINGS: dict[str, Callable[[bytes], bytes]] = {
    "attachment-bomb": pdf_attachment_bomb,
    "attachment-double-flate": pdf_attachment_double_flate,
    "attachment-tree-deep": pdf_attachment_tree_deep,
    "ledger-not-json": pdf_ledger_not_json,
    "no-ledger": pdf_no_ledger,
    "docx-macro": docx_macro,
    "docx-external-template": docx_external_template,
    "html-script-closes-early": html_script_closes_early,
}


def prepare(workspace: Path, scratch: Path, spec: dict[str, str]) -> None:
    """Build a copy of `workspace` at `scratch` as spec["from"], tamper with the brief as
    spec["tamper"] says, and write it into the workspace at spec["file"]."""
    import shutil

    shutil.copytree(workspace, scratch)
    brief = TAMPERINGS[spec["tamper"]](built(scratch, spec["from"]))
    target = workspace / spec["file"]
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(brief)

"""PAdES signatures: `build --sign` signs each PDF after its ledger is in; verify checks.

The key and certificate come from the PKCS#12 file briefgen.toml's [sign] names, its
password from BRIEFGEN_SIGN_PASSWORD or [sign] password_file, never from the command line
(where every user of the machine can read it). The signature is a PAdES baseline B-B
(ETSI.CAdES.detached, SHA-256) added as an incremental update: the unsigned PDF's bytes
stay a prefix of the signed one, so a rebuild can still be compared byte for byte.
pyHanko is imported only here, by `build --sign` and `verify`.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefgen import cache, config
from briefgen.errors import BriefgenError

PASSWORD_ENV = "BRIEFGEN_SIGN_PASSWORD"
FIELD = "BriefgenSignature"


def password(cfg: config.Config) -> bytes:
    """The PKCS#12 password: the environment first, then the file [sign] names."""
    if PASSWORD_ENV in os.environ:
        return os.environ[PASSWORD_ENV].encode()
    file = cfg.path(cfg.sign.password_file)
    if file is None:
        raise BriefgenError(
            f"{config.FILENAME}: [sign]: no password for the key; set {PASSWORD_ENV} or name "
            "a file holding only the password as [sign] password_file"
        )
    try:
        return file.read_text(encoding="utf-8").rstrip("\r\n").encode()
    except (OSError, UnicodeDecodeError) as error:
        raise BriefgenError(
            f"{config.FILENAME}: [sign] password_file: cannot read {file} ({error}); "
            "fix the path or set {PASSWORD_ENV}"
        ) from None


def signer_of(root: Path) -> Any:
    """The pyHanko signer for the workspace at `root`, from its [sign] table."""
    from pyhanko.sign import signers

    cfg = config.load(root)
    pkcs12 = cfg.path(cfg.sign.pkcs12)
    if pkcs12 is None:
        raise BriefgenError(
            f'{config.FILENAME}: build --sign needs a key: add [sign] pkcs12 = "FILE.p12" '
            "(the signer's key and certificate chain)"
        )
    if not pkcs12.is_file():
        raise BriefgenError(f"{config.FILENAME}: [sign] pkcs12: no file {pkcs12}; fix the path")
    try:
        signer = signers.SimpleSigner.load_pkcs12(  # type: ignore[no-untyped-call]
            str(pkcs12), passphrase=password(cfg)
        )
    except Exception as error:  # pyHanko raises many kinds for a bad file or password
        signer = None
        reason = str(error) or type(error).__name__
    if signer is None:
        raise BriefgenError(
            f"{config.FILENAME}: [sign] pkcs12: cannot open {pkcs12} ({reason}); "
            f"check the file and the password in {PASSWORD_ENV} or [sign] password_file"
        )
    return signer


def sign(pdf: bytes, signer: Any) -> bytes:
    """`pdf` with a PAdES baseline signature appended as an incremental update."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    meta = signers.PdfSignatureMetadata(
        field_name=FIELD,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason="Built by briefgen; the notes it was built from are attached",
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    out = signers.sign_pdf(writer, meta, signer=signer)
    return bytes(out.getvalue())


def sign_all(files: dict[Path, bytes], root: Path) -> dict[Path, bytes]:
    """Every PDF of one edition's files signed with the workspace's key."""
    pdfs = [p for p in files if p.suffix == ".pdf" and cache.STAMPS not in p.parts]
    if not pdfs:
        return files
    signer = signer_of(root)
    return {path: sign(data, signer) if path in pdfs else data for path, data in files.items()}


@dataclass
class Signature:
    """What verify says of one signature."""

    signer: str
    intact: bool
    """The signed bytes are unchanged."""
    covers_all: bool
    """Nothing was appended after the signature (the file ends where it was signed)."""
    changes: str
    """What later revisions did, in pyHanko's terms (none, form filling, other...)."""
    trusted: bool | None
    """Whether the signer's chain leads to a trusted root; None when none was given."""
    signed_bytes: int
    """How many bytes of the file the signature covers (the signed revision's end)."""


def signatures(data: bytes, trust: list[bytes] | None = None) -> list[Signature]:
    """Each signature of the PDF, checked offline (no revocation lookups)."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    reader = PdfFileReader(io.BytesIO(data), strict=False)
    roots = [_certificate(pem) for pem in trust or []]
    found = []
    for embedded in reader.embedded_signatures:
        # the roots given, or none at all: never the system's TLS list (deprecated by
        # pyhanko-certvalidator, and no authority for a desk's signature)
        context = ValidationContext(trust_roots=roots, allow_fetching=False)
        try:
            status = validate_pdf_signature(embedded, signer_validation_context=context)
        except Exception as error:  # a signature pyHanko cannot even evaluate
            found.append(Signature(f"unknown ({error})", False, False, "unknown", None, 0))
            continue
        level = status.modification_level
        found.append(
            Signature(
                signer=status.signing_cert.subject.human_friendly,
                intact=bool(status.intact and status.valid),
                covers_all=status.coverage is not None and status.coverage.name == "ENTIRE_FILE",
                changes=level.name.lower().replace("_", " ") if level is not None else "unknown",
                trusted=bool(status.trusted) if roots else None,
                signed_bytes=int(embedded.byte_range[2]) + int(embedded.byte_range[3]),
            )
        )
    return found


def _certificate(pem: bytes) -> Any:
    from asn1crypto import pem as pem_module
    from asn1crypto import x509

    if pem_module.detect(pem):
        _, _, pem = pem_module.unarmor(pem)
    return x509.Certificate.load(pem)

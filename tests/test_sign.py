"""`build --sign` (PAdES through pyHanko) and what verify says of the signature.

The test makes its own CA and signer certificate, signs, verifies, then tampers: a changed
byte, an incremental update that edits text, a removed attachment; each must be caught.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
from pathlib import Path

import pikepdf
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from briefgen import pipeline
from briefgen.verify import verify

REPO = Path(__file__).parent.parent
pytestmark = pytest.mark.filterwarnings(
    "error:Relying on the operating system's trust list:DeprecationWarning"
)  # trust roots are passed explicitly (none without --trust), never the system's list
PASSWORD = "correct horse"


def certificate(name: str, key: ec.EllipticCurvePrivateKey, issuer: x509.Certificate | None,
                issuer_key: ec.EllipticCurvePrivateKey, ca: bool) -> x509.Certificate:  # fmt: skip
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.subject if issuer else subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    usage = dict.fromkeys(
        ("content_commitment", "key_encipherment", "data_encipherment", "key_agreement",
         "encipher_only", "decipher_only", "crl_sign"), False)  # fmt: skip
    builder = builder.add_extension(
        x509.KeyUsage(
            digital_signature=True, key_cert_sign=ca, **{**usage, "content_commitment": not ca}
        ),
        critical=True,
    )
    return builder.sign(issuer_key, hashes.SHA256())


@pytest.fixture(scope="module")
def signed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The sample W04 PDF built with --sign; and the CA certificate (PEM)."""
    root = tmp_path_factory.mktemp("sign")
    shutil.copytree(REPO / "sources", root / "sources")
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = certificate("Test Desk CA", ca_key, None, ca_key, ca=True)
    key = ec.generate_private_key(ec.SECP256R1())
    cert = certificate("Korea Desk signer", key, ca, ca_key, ca=False)
    p12 = pkcs12.serialize_key_and_certificates(
        b"desk", key, cert, [ca], serialization.BestAvailableEncryption(PASSWORD.encode())
    )
    (root / "desk.p12").write_bytes(p12)
    (root / "password").write_text(PASSWORD + "\n", encoding="utf-8")
    (root / "briefgen.toml").write_text(
        '[sign]\npkcs12 = "desk.p12"\npassword_file = "password"\n', encoding="utf-8"
    )
    (root / "ca.pem").write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        options = pipeline.BuildOptions(formats=("pdf",), charts=False, sign=True)
        result = pipeline.build([Path("sources/nk-russia/2025-W04.yaml")], options)
    return root / result.written[0], root / "ca.pem"


def test_a_signed_brief_verifies_and_names_its_signer(signed: tuple[Path, Path]) -> None:
    pdf, ca = signed
    report = verify(pdf, trust=[ca.read_bytes()])
    assert report.ok, report.differences
    assert report.signatures[0]["signer"].endswith("Korea Desk signer")
    assert report.signatures[0]["trusted"] is True
    assert any("unchanged since signing" in line for line in report.notes)


def test_the_rebuild_matches_the_signed_pdf_before_its_signature(signed: tuple[Path, Path]) -> None:
    report = verify(signed[0], desk=signed[0].parent.parent)
    assert report.ok, report.differences
    assert any("before the signature" in line for line in report.notes)


def test_a_changed_byte_is_caught(signed: tuple[Path, Path], tmp_path: Path) -> None:
    data = bytearray(signed[0].read_bytes())
    at = data.index(b"/Producer") if b"/Producer" in data else len(data) // 3
    data[at + 1] ^= 0x01
    tampered = tmp_path / "byte.pdf"
    tampered.write_bytes(bytes(data))
    report = verify(tampered)
    assert not report.ok


def test_an_incremental_update_is_caught(signed: tuple[Path, Path], tmp_path: Path) -> None:
    """An update appended after the signature (as a PDF editor saves): the signature
    no longer covers the file, and removing an attachment breaks the ledger too."""
    with pikepdf.open(signed[0]) as pdf:
        del pdf.attachments["notes/nk-russia/2025-W03.yaml"]
        out = io.BytesIO()
        pdf.save(out)
    tampered = tmp_path / "update.pdf"
    tampered.write_bytes(out.getvalue())
    report = verify(tampered)
    assert not report.ok
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(signed[0].read_bytes()))
    info = writer.root["/Names"]
    writer.update_container(info)
    appended = io.BytesIO()
    writer.write(appended)
    edited = tmp_path / "appended.pdf"
    edited.write_bytes(appended.getvalue())
    report = verify(edited)
    assert any("after signing" in line or "changed" in line for line in report.differences)


def test_a_missing_password_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(REPO / "sources", tmp_path / "sources")
    (tmp_path / "briefgen.toml").write_text('[sign]\npkcs12 = "none.p12"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    from click.testing import CliRunner

    from briefgen.cli import main

    result = CliRunner().invoke(
        main, ["build", "sources/nk-russia/2025-W04.yaml", "-f", "pdf", "--sign", "--no-charts"]
    )
    assert result.exit_code == 1
    assert "[sign]" in result.output and "Traceback" not in result.output

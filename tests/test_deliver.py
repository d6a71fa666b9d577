"""`briefgen mail` as a library: drafts and delivery, against a real SMTP server.

The server is aiosmtpd on 127.0.0.1 in this process: STARTTLS with a self-signed
certificate made here, AUTH required, and a handler that records every command, can
refuse a recipient or defer a sender. The client trusts the certificate only through
SSL_CERT_FILE, as a user with a private CA would.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import email
import email.policy
import io
import ipaddress
import logging
import os
import shutil
import ssl
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import docx
import pypdf
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from briefgen import deliver, pipeline
from briefgen.config import Config
from briefgen.deliver import mail_brief
from briefgen.errors import BriefgenError
from briefgen.pipeline import BuildOptions

REPO = Path(__file__).parent.parent
EDITION = Path("sources/nk-russia/2025-W04.yaml")
STEM = "2025-01-26-nk-russia"
SUBJECT = "UNCLASSIFIED – North Korean forces in Russia’s war — 2025-01-26"
USER = "analyst"
PASSWORD = "Tr0ub4dor&3-horse-battery"
SENDER = "Korea Desk <desk@example.org>"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# --- the server -----------------------------------------------------------------------


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes


@dataclass
class Mailbox:
    """The handler: keeps what arrives; can refuse recipients and defer senders."""

    messages: list[Received] = field(default_factory=list)
    commands: list[str] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)
    defer: int = 0
    """How many MAIL commands to answer with 421 before accepting one."""

    async def handle_MAIL(self, server, session, envelope, address, options):
        if self.defer > 0:
            self.defer -= 1
            return "421 4.3.2 Busy, try again later"
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, options):
        if address in self.refuse:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        data = envelope.original_content or envelope.content
        self.messages.append(Received(envelope.mail_from, list(envelope.rcpt_tos), data))
        return "250 Message accepted for delivery"


class RecordingSMTP(SMTP):
    """aiosmtpd's SMTP protocol, noting every command the client sends, before TLS too."""

    def __init__(self, handler: Mailbox, **kwargs) -> None:
        super().__init__(handler, **kwargs)
        for name, method in list(self._smtp_methods.items()):
            self._smtp_methods[name] = self._recorded(name, method, handler.commands)

    @staticmethod
    def _recorded(name, method, commands):
        async def record(arg):
            commands.append(name)
            return await method(arg)

        return record


class Server(Controller):
    """A Controller on a free port of 127.0.0.1 that builds RecordingSMTP sessions."""

    def __init__(self, handler: Mailbox, **kwargs) -> None:
        super().__init__(
            handler, hostname="127.0.0.1", port=0, server_hostname="localhost", **kwargs
        )

    def factory(self):
        return RecordingSMTP(self.handler, **self.SMTP_kwargs)

    def _trigger_server(self):
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = (
        isinstance(auth_data, LoginPassword)
        and auth_data.login == USER.encode()
        and auth_data.password == PASSWORD.encode()
    )
    return AuthResult(success=ok, handled=False)  # handled=False: the server replies 535


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and localhost: (cert.pem, key.pem)."""
    folder = tmp_path_factory.mktemp("tls")
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    usage = dict.fromkeys(
        (
            "content_commitment",
            "key_encipherment",
            "data_encipherment",
            "key_agreement",
            "encipher_only",
            "decipher_only",
        ),
        False,
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True, **usage),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(key.public_key()), False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def server_tls(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)
    return context


@contextlib.contextmanager
def running(handler: Mailbox, **kwargs) -> Iterator[Server]:
    """An SMTP server on 127.0.0.1 for the length of a `with` block."""
    server = Server(handler, **kwargs)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def mailbox() -> Mailbox:
    return Mailbox()


@pytest.fixture
def smtp(certificate, mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    """STARTTLS + AUTH required, and the client pointed at it through BRIEFGEN_SMTP_*."""
    with running(
        mailbox,
        tls_context=server_tls(certificate),
        require_starttls=True,
        authenticator=authenticator,
        auth_require_tls=True,
        auth_required=True,
    ) as server:
        yield server


@pytest.fixture
def smtp_env(smtp: Server, certificate, monkeypatch: pytest.MonkeyPatch) -> Server:
    monkeypatch.setenv("BRIEFGEN_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("BRIEFGEN_SMTP_PORT", str(smtp.port))
    monkeypatch.setenv("BRIEFGEN_SMTP_USER", USER)
    monkeypatch.setenv("BRIEFGEN_SMTP_PASSWORD", PASSWORD)
    monkeypatch.setenv("BRIEFGEN_SMTP_FROM", SENDER)
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
    return smtp


# --- the workspace --------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample sources with W04 built once for the module (a build takes seconds)."""
    root = tmp_path_factory.mktemp("built")
    shutil.copytree(REPO / "sources", root / "sources")
    here = Path.cwd()
    os.chdir(root)
    try:
        pipeline.build([root / EDITION], BuildOptions(output=root / "output"))
    finally:
        os.chdir(here)
    return root


@pytest.fixture
def ws(built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh copy of the built workspace (mtimes kept, so no rebuild), as the cwd, with
    no SMTP settings or CA file from the environment."""
    root = tmp_path / "ws"
    shutil.copytree(built, root)
    monkeypatch.chdir(root)
    for name in list(os.environ):
        if name.startswith("BRIEFGEN_"):
            monkeypatch.delenv(name)
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    return root


class Sleeps(list):
    """The waits between retries, recorded instead of slept."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def mail(**kwargs) -> deliver.MailResult:
    kwargs.setdefault("to", [])
    kwargs.setdefault("sleep", Sleeps())
    kwargs.setdefault("config", config())
    return mail_brief([EDITION], **kwargs)


def config(**tables) -> Config:
    """A briefgen.toml; a short SMTP timeout so that a hang fails fast."""
    smtp = {"timeout": 5, **tables.pop("smtp", {})}
    return Config.model_validate({**tables, "smtp": smtp, "root": Path()})


def parse(data: bytes) -> email.message.EmailMessage:
    return email.message_from_bytes(data, policy=email.policy.default)


def attachments(message) -> dict[str, tuple[str, bytes]]:
    return {
        part.get_filename(): (part.get_content_type(), part.get_content())
        for part in message.iter_attachments()
    }


def words(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


def outputs(root: Path) -> dict[str, int]:
    folder = root / "output"
    return {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} if folder.is_dir() else {}


# --- sending --------------------------------------------------------------------------


def test_sends_one_message_over_starttls_with_auth(ws, smtp_env, mailbox, capsys, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    result = mail(
        to=["Ann Reader <ann@example.org>"],
        cc=["bob@example.org"],
        bcc=["hidden@example.org"],
        send=True,
    )

    assert result.sent and result.attempts == 1
    assert result.accepted == ["ann@example.org", "bob@example.org", "hidden@example.org"]
    assert mailbox.commands[:3] == ["EHLO", "STARTTLS", "EHLO"]
    assert mailbox.commands.index("AUTH") > mailbox.commands.index("STARTTLS")
    [received] = mailbox.messages
    assert received.mail_from == "desk@example.org"
    assert received.rcpt_tos == ["ann@example.org", "bob@example.org", "hidden@example.org"]

    message = parse(received.data)
    assert message["Subject"] == SUBJECT
    assert message["From"] == SENDER
    assert message["To"] == "Ann Reader <ann@example.org>"
    assert message["Cc"] == "bob@example.org"
    assert message["Bcc"] is None and b"hidden@example.org" not in received.data
    assert result.message["Bcc"] is None  # not left to smtplib, which also drops it
    assert message["Message-ID"] and message["Date"]
    assert message["X-Unsent"] is None
    assert message.get_content_type() == "multipart/mixed"

    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    judgment = "Casualty estimates are not like for like"
    for body in (words(text), words(html)):
        assert judgment.lower() in body.lower()
        assert "[1] News report (unattributed)" in body
        assert "What changed since the last edition".lower() in body.lower()
        assert "New sources: News report (unattributed), The Kyiv Independent" in body
    assert text.strip().startswith("UNCLASSIFIED") and text.strip().endswith("UNCLASSIFIED")
    assert html.count(">UNCLASSIFIED</p>") == 2

    files = attachments(message)
    assert list(files) == [f"{STEM}.pdf", f"{STEM}.docx"]
    pdf_type, pdf = files[f"{STEM}.pdf"]
    docx_type, word = files[f"{STEM}.docx"]
    assert (pdf_type, docx_type) == ("application/pdf", DOCX_TYPE)
    assert pdf == (ws / "output" / f"{STEM}.pdf").read_bytes()
    assert "North Korean" in pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    paragraphs = [p.text for p in docx.Document(io.BytesIO(word)).paragraphs]
    assert any("North Korean forces" in p for p in paragraphs)

    shown = capsys.readouterr()
    for place in (shown.out, shown.err, caplog.text, repr(result), result.summary):
        assert PASSWORD not in place
    assert PASSWORD.encode() not in received.data
    assert "hidden@example.org" in result.summary and "1 by Bcc" in result.summary


def test_wrong_password_is_a_clear_error(ws, smtp_env, mailbox, monkeypatch, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("BRIEFGEN_SMTP_PASSWORD", "not-" + PASSWORD)
    sleeps = Sleeps()
    with pytest.raises(BriefgenError) as error:
        mail(to=["ann@example.org"], send=True, sleep=sleeps)
    message = str(error.value)
    assert error.value.exit_code == 1
    assert "refused the login for user 'analyst'" in message and "535" in message
    assert PASSWORD not in message and PASSWORD not in repr(error.value)
    assert PASSWORD not in caplog.text
    assert sleeps == [] and mailbox.commands.count("STARTTLS") == 1  # one connection: no retry
    assert mailbox.messages == []


def test_untrusted_certificate_is_refused(ws, smtp_env, mailbox, monkeypatch) -> None:
    monkeypatch.delenv("SSL_CERT_FILE")  # only the system's CAs: the test cert is not one
    with pytest.raises(BriefgenError, match="could not be verified") as error:
        mail(to=["ann@example.org"], send=True)
    assert "SSL_CERT_FILE" in str(error.value)
    assert "AUTH" not in mailbox.commands and "MAIL" not in mailbox.commands
    assert mailbox.messages == []


def test_no_starttls_means_no_credentials(ws, certificate, monkeypatch) -> None:
    """A server that offers AUTH but not STARTTLS gets neither the password nor the brief."""
    plain = Mailbox()
    with running(plain, authenticator=authenticator, auth_require_tls=False) as server:
        monkeypatch.setenv("BRIEFGEN_SMTP_PASSWORD", PASSWORD)
        cfg = config(
            smtp={"host": "127.0.0.1", "port": server.port, "user": USER},
            mail={"from": SENDER},
        )
        with pytest.raises(BriefgenError, match="does not offer STARTTLS") as error:
            mail(to=["ann@example.org"], send=True, config=cfg)
        assert "sent it no password" in str(error.value)
    assert plain.commands == ["EHLO"]
    assert plain.messages == []


def test_a_refused_recipient_is_reported_by_name(ws, smtp_env, mailbox) -> None:
    mailbox.refuse = {"gone@example.org"}
    with pytest.raises(BriefgenError) as error:
        mail(to=["ann@example.org", "gone@example.org"], send=True)
    message = str(error.value)
    assert "refused 1 of 2 recipients: gone@example.org (550 5.1.1 No such user here)" in message
    assert "The other 1 recipient was sent the message" in message
    [received] = mailbox.messages
    assert received.rcpt_tos == ["ann@example.org"]


def test_a_transient_failure_is_retried(ws, smtp_env, mailbox) -> None:
    mailbox.defer = 1
    sleeps = Sleeps()
    result = mail(to=["ann@example.org"], send=True, sleep=sleeps)
    assert result.sent and result.attempts == 2
    assert sleeps == [deliver.BACKOFF]
    assert mailbox.commands.count("MAIL") == 2
    assert len(mailbox.messages) == 1


def test_retries_give_up_after_three_attempts(ws, smtp_env, mailbox) -> None:
    mailbox.defer = 10
    sleeps = Sleeps()
    with pytest.raises(BriefgenError, match="after 3 attempts") as error:
        mail(to=["ann@example.org"], send=True, sleep=sleeps)
    assert "421 4.3.2 Busy" in str(error.value)
    assert sleeps == [deliver.BACKOFF, deliver.BACKOFF * 2]
    assert mailbox.messages == []


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_implicit_tls_with_a_password_file(ws, certificate, monkeypatch) -> None:
    box = Mailbox()
    with running(
        box,
        ssl_context=server_tls(certificate),
        authenticator=authenticator,
        auth_required=True,
        auth_require_tls=False,  # the whole connection is TLS, which aiosmtpd does not see
    ) as server:
        monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
        secret = ws / "smtp-password"
        secret.write_text(PASSWORD + "\n", encoding="utf-8")
        secret.chmod(0o600)
        cfg = config(
            smtp={
                "host": "localhost",
                "port": server.port,
                "security": "ssl",
                "user": USER,
                "password_file": str(secret),
            },
            mail={"from": SENDER},
        )
        result = mail(to=["ann@example.org"], send=True, config=cfg)
    assert result.sent and "implicit TLS" in result.summary and result.warnings == []
    assert box.commands[0] == "EHLO" and "AUTH" in box.commands
    assert len(box.messages) == 1


def test_security_none_only_to_loopback(ws, monkeypatch) -> None:
    box = Mailbox()
    with running(box) as server:
        cfg = config(
            smtp={"host": "127.0.0.1", "port": server.port, "security": "none"},
            mail={"from": SENDER},
        )
        assert mail(to=["ann@example.org"], send=True, config=cfg).sent
    assert "STARTTLS" not in box.commands and len(box.messages) == 1

    remote = config(smtp={"host": "192.0.2.10", "security": "none"}, mail={"from": SENDER})
    with pytest.raises(BriefgenError, match="only to this machine") as error:
        mail(to=["ann@example.org"], send=True, config=remote)
    assert "192.0.2.10" in str(error.value)


# --- refusing before anything happens -------------------------------------------------


INJECTIONS = [
    pytest.param({"to": ["ann@example.org\r\nBcc: eve@example.org"]}, id="crlf-in-to"),
    pytest.param({"cc": ["=?utf-8?q?Ann?= <ann@example.org>"]}, id="encoded-word-in-cc"),
    pytest.param({"to": ['"Ann\nBcc: eve@example.org" <ann@example.org>']}, id="lf-in-name"),
    pytest.param({"bcc": ["Ann\u2028Bcc <ann@example.org>"]}, id="line-separator-in-bcc"),
    pytest.param({"subject": "Brief\r\nBcc: eve@example.org"}, id="crlf-in-subject"),
    pytest.param({"subject": "=?utf-8?b?QmNjOiBldmU=?= {{ brief.title }}"}, id="encoded-subject"),
    pytest.param({"sender": "Desk <desk@example.org>\r\nBcc: eve@example.org"}, id="crlf-in-from"),
]


@pytest.mark.parametrize("bad", INJECTIONS)
def test_header_injection_is_refused(ws, smtp_env, mailbox, monkeypatch, bad) -> None:
    shutil.rmtree(ws / "output")  # so a build, were one to start, would show
    mail_table = {"subject": bad["subject"]} if "subject" in bad else {}
    if "sender" in bad:
        monkeypatch.setenv("BRIEFGEN_SMTP_FROM", bad["sender"])
    recipients = {"to": ["ann@example.org"], "cc": [], "bcc": []}
    recipients.update({key: bad[key] for key in recipients if key in bad})
    for mode in ({"send": True}, {"eml": ws / "draft.eml"}):
        with pytest.raises(BriefgenError, match="refused") as error:
            mail(**recipients, **mode, config=config(mail=mail_table))
        assert "line break" in str(error.value) or "encoded word" in str(error.value)
    assert mailbox.commands == [] and mailbox.messages == []
    assert not (ws / "draft.eml").exists() and not (ws / "output").exists()


@pytest.mark.parametrize(
    "address",
    [
        "not-an-address",
        "ann@example",
        "ann smith@example.org",
        "ann@@example.org",
        "@example.org",
        "ann@example.org <bob@example.org>",  # which one? the parser would take both
        "alice@example.org)<bob@example.org>",
        "Smith, Ann <ann@example.org>",  # a name with a comma needs quotes
        "Ann <ann@example.org",
    ],
)
def test_invalid_addresses_are_refused(ws, address) -> None:
    with pytest.raises(BriefgenError, match="--to"):
        mail(to=[address], dry_run=True)


def test_address_lists_as_mail_clients_write_them_are_accepted(ws) -> None:
    result = mail(
        to=['ann@localhost, Bob <bob@example.org>; "Smith, Cy" <cy@example.org>'],
        cc=["Zoë Ünal <zoe@example.org>"],
        dry_run=True,
    )
    assert result.recipients == [
        "ann@localhost",
        "bob@example.org",
        "cy@example.org",
        "zoe@example.org",
    ]
    assert result.to[2] == '"Smith, Cy" <cy@example.org>'
    assert parse(result.message.as_bytes())["Cc"] == "Zoë Ünal <zoe@example.org>"


def test_the_size_limit(ws, smtp_env, mailbox) -> None:
    cfg = config(mail={"max_size_mb": 0.01})
    for mode in ({"send": True}, {"eml": ws / "draft.eml"}):
        with pytest.raises(BriefgenError) as error:
            mail(to=["ann@example.org"], config=cfg, **mode)
        message = str(error.value)
        assert "after encoding, over the limit of 0.01 MB" in message
        assert f"{STEM}.pdf" in message and "max_size_mb" in message
        assert "--attach pdf" in message
    assert mailbox.commands == [] and not (ws / "draft.eml").exists()


def test_mode_and_setting_errors(ws) -> None:
    with pytest.raises(BriefgenError, match="say what to do"):
        mail(to=["ann@example.org"])
    with pytest.raises(BriefgenError, match="not both"):
        mail(to=["ann@example.org"], send=True, eml=ws / "x.eml")
    with pytest.raises(BriefgenError, match="no sender"):
        mail(to=["ann@example.org"], eml=ws / "x.eml")
    sender = config(mail={"from": SENDER})
    with pytest.raises(BriefgenError, match="no recipients"):
        mail(send=True, config=sender)
    with pytest.raises(BriefgenError, match="no SMTP server"):
        mail(to=["ann@example.org"], send=True, config=sender)
    with pytest.raises(BriefgenError, match="no password"):
        mail(
            to=["ann@example.org"],
            send=True,
            config=config(mail={"from": SENDER}, smtp={"host": "localhost", "user": USER}),
        )
    with pytest.raises(BriefgenError, match="give one edition"):
        mail_brief([Path("sources")], to=["ann@example.org"], dry_run=True)
    assert not (ws / "x.eml").exists()


def test_lists_expand_into_to(ws) -> None:
    cfg = config(mail={"lists": {"weekly": ["Ann <ann@example.org>", "bob@example.org"]}})
    result = mail(to=[], list_name="weekly", dry_run=True, config=cfg)
    assert result.to == ["Ann <ann@example.org>", "bob@example.org"]
    with pytest.raises(BriefgenError, match=r"unknown list 'daily'.*: weekly"):
        mail(list_name="daily", dry_run=True, config=cfg)


# --- drafts and dry runs --------------------------------------------------------------


def test_eml_draft_opens_as_an_unsent_message(ws) -> None:
    draft = ws / "drafts" / "brief.eml"
    result = mail(
        to=["ann@example.org"],
        bcc=["Hidden Reader <hidden@example.org>"],
        eml=draft,
        config=config(mail={"from": SENDER}),
    )
    assert result.eml == draft and not result.sent
    raw = draft.read_bytes()
    headers = raw.split(b"\r\n\r\n", 1)[0]
    assert headers.isascii() and b"=?utf-8?" in headers  # the em dash, RFC 2047-encoded
    assert b'filename="2025-01-26-nk-russia.pdf"' in raw
    message = parse(raw)
    assert message["X-Unsent"] == "1"
    assert message["Bcc"] == "Hidden Reader <hidden@example.org>"
    assert message["Subject"] == SUBJECT and message["From"] == SENDER
    assert message.get_body(("plain",)) is not None and message.get_body(("html",)) is not None
    assert {name: kind for name, (kind, _) in attachments(message).items()} == {
        f"{STEM}.pdf": "application/pdf",
        f"{STEM}.docx": DOCX_TYPE,
    }
    assert [p.name for p in draft.parent.iterdir()] == ["brief.eml"]  # no temp file left


def test_dry_run_sends_and_writes_nothing(ws, smtp_env, mailbox) -> None:
    before = outputs(ws)
    result = mail(to=["ann@example.org"], bcc=["hidden@example.org"], send=True, dry_run=True)
    assert mailbox.commands == [] and outputs(ws) == before
    assert result.dry_run and not result.sent and result.eml is None
    summary = result.summary
    assert "nothing sent, nothing written" in summary
    assert f"Subject: {SUBJECT}" in summary
    assert "Envelope recipients (2): ann@example.org, hidden@example.org" in summary
    assert "Bcc (envelope only" in summary
    assert f"{STEM}.pdf  application/pdf  " in summary and f"{STEM}.docx  {DOCX_TYPE}" in summary
    assert "Total encoded size:" in summary and f"127.0.0.1:{smtp_env.port} (STARTTLS)" in summary
    assert PASSWORD not in summary


def test_a_stale_brief_is_built_first(ws) -> None:
    """A brief whose notes changed since it was built is rebuilt before mailing (in a
    temp folder when dry); file times alone change nothing (content is compared)."""
    for path in (ws / "output").iterdir():
        os.utime(path, (1_000_000, 1_000_000))
    assert "would be built first" not in mail(to=["ann@example.org"], dry_run=True).summary
    notes = ws / EDITION
    notes.write_text(notes.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    before = outputs(ws)

    dry = mail(to=["ann@example.org"], dry_run=True)
    assert "would be built first: its notes, sources or templates changed" in dry.summary
    assert outputs(ws) == before and attachments(dry.message)

    result = mail(to=["ann@example.org"], eml=ws / "d.eml", config=config(mail={"from": SENDER}))
    assert sorted(p.name for p in result.built) == [f"{STEM}.docx", f"{STEM}.pdf"]
    assert all(outputs(ws)[name] > before[name] for name in before)


def test_secret_hides_itself() -> None:
    secret = deliver.Secret(PASSWORD)
    assert PASSWORD not in repr(secret) and PASSWORD not in str(secret)
    assert PASSWORD not in f"{secret!r} {[secret]}"
    assert secret.reveal() == PASSWORD


def test_mail_command_line_dry_run_and_usage(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from briefgen.cli import main

    shutil.copytree(REPO / "sources", tmp_path / "sources", dirs_exist_ok=True)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BRIEFGEN_SMTP_FROM", "Desk <desk@example.org>")
    result = CliRunner().invoke(
        main, ["mail", "sources/nk-russia", "--to", "a@example.org", "--dry-run"]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Dry run: nothing sent, nothing written.")
    assert not (tmp_path / "output").exists() or not any((tmp_path / "output").iterdir())
    usage = CliRunner().invoke(main, ["mail", "sources/nk-russia", "--to", "a@example.org"])
    assert usage.exit_code == 2
    both = CliRunner().invoke(
        main, ["mail", "sources/nk-russia", "--eml", "x.eml", "--send", "--to", "a@example.org"]
    )
    assert both.exit_code == 2

"""Mail a brief: one message whose body carries the bottom line and whose attachments are
the PDF and the DOCX, written as a draft (`.eml`) or sent over SMTP.

Everything that can be checked is checked before anything is built, written or sent:
every address (no CR/LF, no encoded words, a plausible `name@domain`), the subject, the
sender, the SMTP settings and the password's presence. Only then is the edition built
(when its files are missing or older than its notes), the message composed and its size
checked, and the draft written or the message sent.

The SMTP password comes only from BRIEFGEN_SMTP_PASSWORD or the file `[smtp]
password_file` names. It is held in a `Secret` whose repr hides it, is handed to
`smtplib` only at login, and is scrubbed from any server reply quoted in an error.
Certificates are verified with the system's CAs (`ssl.create_default_context()`; a
private CA through the standard SSL_CERT_FILE); a server that does not offer STARTTLS
when it is required gets no credentials and no message.
"""

from __future__ import annotations

import datetime as dt
import email.errors
import email.policy
import email.utils
import ipaddress
import logging
import os
import re
import smtplib
import socket
import ssl
import tempfile
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from email.headerregistry import Address
from email.message import EmailMessage
from pathlib import Path

import jinja2

from briefgen import output, pipeline, validate
from briefgen.assemble import Brief
from briefgen.config import Config, smtp_env
from briefgen.config import load as load_config
from briefgen.errors import BriefgenError, display_path
from briefgen.pipeline import BuildOptions
from briefgen.render.html import template_context
from briefgen.templating import environment, render
from briefgen.validate import ValidEdition

log = logging.getLogger(__name__)

MIME_TYPES: dict[str, tuple[str, str]] = {
    "pdf": ("application", "pdf"),
    "docx": ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document"),
}
"""What may be attached, and as which MIME type."""

DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}
PASSWORD_ENV = "BRIEFGEN_SMTP_PASSWORD"
FROM_ENV = "BRIEFGEN_SMTP_FROM"
ATTEMPTS = 3
"""Tries at sending when the server fails transiently (4xx, reset, timeout)."""
BACKOFF = 2.0
"""Seconds before the second try; doubled before each later one."""
MB = 1_000_000
"""`max_size_mb` counts decimal megabytes: a little under what servers call 10 MB."""

SUBJECT_TEMPLATE = "subject.txt.j2"
TEXT_TEMPLATE = "email.txt.j2"
HTML_TEMPLATE = "email.html.j2"


class Secret:
    """A password that does not show itself in a repr, a log line or a traceback."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__


@dataclass(frozen=True)
class Attachment:
    """A file attached to the message."""

    filename: str
    content_type: str
    size: int
    """Bytes before encoding (base64 makes them about a third bigger)."""


@dataclass
class MailResult:
    """What `mail_brief` did, for the CLI to print (`summary`, then `warnings` on stderr)."""

    edition: Path
    subject: str
    sender: str | None
    to: list[str]
    cc: list[str]
    bcc: list[str]
    recipients: list[str]
    """The SMTP envelope: To, Cc and Bcc, each address once."""
    attachments: list[Attachment]
    size: int
    """The encoded message in bytes (what the size limit is checked against)."""
    limit: int
    built: list[Path] = field(default_factory=list)
    """Files the build wrote because they were missing or older than the notes."""
    warnings: list[str] = field(default_factory=list)
    dry_run: bool = False
    eml: Path | None = None
    """The draft written, with --eml."""
    sent: bool = False
    accepted: list[str] = field(default_factory=list)
    """Recipients the server accepted, with --send (all of them, or it is an error)."""
    server: str | None = None
    attempts: int = 0
    summary: str = ""
    message: EmailMessage | None = field(default=None, repr=False)
    """The message as sent or written (with Bcc and X-Unsent only in a draft)."""


@dataclass(frozen=True)
class _Server:
    host: str
    port: int
    security: str
    user: str | None
    timeout: float
    connect_to: str
    """Where to connect: the host, or for `none` the loopback address it resolved to."""

    @property
    def where(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def label(self) -> str:
        return {"starttls": "STARTTLS", "ssl": "implicit TLS", "none": "no TLS"}[self.security]


def mail_brief(
    paths: Sequence[Path],
    *,
    to: Sequence[str],
    cc: Sequence[str] | None = None,
    bcc: Sequence[str] | None = None,
    list_name: str | None = None,
    eml: Path | None = None,
    send: bool = False,
    dry_run: bool = False,
    config: Config | None = None,
    options: BuildOptions | None = None,
    attach: Sequence[str] = ("pdf", "docx"),
    sleep: Callable[[float], None] = time.sleep,
) -> MailResult:
    """Make one message for the one edition PATHs stand for, and draft, send or show it.

    `eml` writes a draft (with `X-Unsent: 1` and the Bcc header) for a mail client;
    `send` sends it over SMTP (Bcc only in the envelope); `dry_run` builds the message,
    checks it, and writes and sends nothing. `config` defaults to ./briefgen.toml, as
    for `briefgen build`; `sleep` is how retries wait (tests pass a fake).
    """
    if eml is not None and send:
        raise BriefgenError(
            "choose one: --eml FILE writes a draft for your mail client, --send sends over "
            "SMTP; not both"
        )
    if eml is None and not send and not dry_run:
        raise BriefgenError(
            "say what to do with the message: --eml FILE (a draft to open in Outlook or "
            "Thunderbird), --send (SMTP), or --dry-run (show it)"
        )
    formats = _formats(attach)
    cfg = config if config is not None else load_config(Path())
    warnings: list[str] = []

    # 1. Everything about the envelope, before anything is built, written or sent.
    to_addrs = _addresses(to, "--to") + _addresses(_list_members(cfg, list_name), "--list")
    cc_addrs = _addresses(cc or (), "--cc")
    bcc_addrs = _addresses(bcc or (), "--bcc")
    recipients = _envelope([*to_addrs, *cc_addrs, *bcc_addrs])
    sender = _sender(cfg)
    if sender is None and (send or eml is not None):
        raise BriefgenError(
            'no sender: set `from` under [mail] in briefgen.toml (e.g. from = "Korea Desk '
            f'<desk@example.org>"), or {FROM_ENV}'
        )
    if send and not recipients:
        raise BriefgenError("no recipients: give --to, --cc, --bcc or --list NAME")
    server = _server(cfg) if send else None
    password = _password(cfg, server, warnings) if server else None

    # 2. The edition and the words of the message.
    settled = (options or BuildOptions()).settled(cfg)
    valid = _one_edition(paths, settled)
    brief = pipeline.brief_of(valid, warnings)
    env = environment(pipeline.user_template_dirs(settled.templates, valid.file.workspace))
    names = {fmt: f"{brief.file_stem}.{fmt}" for fmt in formats}
    context = {**template_context(brief), "attachments": list(names.values())}
    subject = _subject(env, cfg, context)
    text = render(env, TEXT_TEMPLATE, **context)
    html = render(env, HTML_TEMPLATE, **context)

    # 3. The files, built first if they are missing or older than the notes.
    files, built, rebuild = _brief_files(valid, brief, settled, formats, dry_run, warnings)

    # 4. The message, and its size.
    draft = eml is not None
    message = _compose(
        subject=subject,
        sender=sender,
        to=to_addrs,
        cc=cc_addrs,
        bcc=bcc_addrs if draft else [],
        draft=draft,
        text=text,
        html=html,
        files={names[fmt]: (MIME_TYPES[fmt], files[fmt]) for fmt in formats},
    )
    data = message.as_bytes()
    limit = int(cfg.mail.max_size_mb * MB)
    attachments = [
        Attachment(names[fmt], "/".join(MIME_TYPES[fmt]), len(files[fmt])) for fmt in formats
    ]
    if len(data) > limit:
        raise BriefgenError(_too_big(len(data), cfg.mail.max_size_mb, attachments))
    result = MailResult(
        edition=valid.file.path,
        subject=subject,
        sender=str(sender) if sender else None,
        to=[str(a) for a in to_addrs],
        cc=[str(a) for a in cc_addrs],
        bcc=[str(a) for a in bcc_addrs],
        recipients=recipients,
        attachments=attachments,
        size=len(data),
        limit=limit,
        built=built,
        warnings=warnings,
        dry_run=dry_run,
        server=server.where if server else None,
        message=message,
    )

    if dry_run:
        result.summary = _dry_run_summary(result, message, text, html, server, eml, rebuild)
    elif eml is not None:
        result.eml = output.write_all({eml: data})[0]
        result.summary = (
            f"Wrote {display_path(eml)} ({_size(len(data))}): a draft with "
            f"{_count(len(attachments), 'attachment')}. Open it in Outlook or Thunderbird, "
            "check it and press Send."
        )
    else:
        assert server is not None and sender is not None
        result.accepted, result.attempts = _deliver(
            message, sender.addr_spec, recipients, server, password, sleep
        )
        result.sent = True
        hidden = f" ({len(bcc_addrs)} by Bcc)" if bcc_addrs else ""
        result.summary = (
            f"Sent “{subject}” ({_size(len(data))}) through {server.where} ({server.label}) "
            f"to {_count(len(recipients), 'recipient')}{hidden}: {', '.join(recipients)}"
        )
    result.warnings = list(dict.fromkeys(warnings))
    return result


# --- addresses and headers ------------------------------------------------------------


def _envelope(addresses: Sequence[Address]) -> list[str]:
    """Each mailbox once, in the order given (compared without regard to case)."""
    seen: dict[str, str] = {}
    for address in addresses:
        seen.setdefault(address.addr_spec.lower(), address.addr_spec)
    return list(seen.values())


def refuse_injection(value: str, what: str) -> None:
    """Refuse a header value with a line break, a control character or an encoded word.

    CR/LF would start a new header (a Bcc the user never wrote); an RFC 2047 encoded
    word (`=?utf-8?...?=`) can hide one from a reader. The email library encodes
    non-ASCII text itself, so a legitimate value never needs either.
    """
    for char in value:
        if unicodedata.category(char) in ("Cc", "Zl", "Zp"):
            raise BriefgenError(
                f"refused {what} {value!r}: it contains a line break or control character "
                f"({char!r}), which could add mail headers"
            )
    if "=?" in value:
        raise BriefgenError(
            f"refused {what} {value!r}: '=?' starts an encoded word (RFC 2047), which can "
            "hide header content; write the text plainly, briefgen encodes it"
        )


_LABEL = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?$")


def address_problem(addr: str) -> str | None:
    """What is wrong with an `addr-spec`, or None: one @, no spaces, a domain with a dot
    (or `localhost`), ASCII only."""
    if not addr:
        return "no address"
    if not addr.isascii():
        return "only ASCII addresses are supported"
    if any(char.isspace() for char in addr):
        return "an address has no spaces"
    if "@" not in addr:
        return "it has no @"
    if addr.count("@") != 1:
        return "an address has exactly one @"
    local, domain = addr.split("@")
    if not local:
        return "nothing before the @"
    if set(addr) & set('<>()[],;:"\\'):
        return "it has a character addresses cannot have"
    domain = domain.lower()
    if domain == "localhost":
        return None
    labels = domain.split(".")
    if len(labels) < 2 or not all(_LABEL.match(label) for label in labels):
        return f"{domain!r} is not a mail domain (like example.org)"
    return None


def _addresses(values: Sequence[str], flag: str) -> list[Address]:
    """Parse and validate addresses. One value may hold several, separated by commas or
    semicolons (as Outlook writes them); each is `addr` or `Name <addr>`, the name in
    double quotes if it has a comma. Anything the standard parser could read two ways
    (`a@x.org <b@y.org>`) is refused rather than guessed at."""
    found: list[Address] = []
    for value in values:
        refuse_injection(value, f"{flag} address")
        pieces = _split_addresses(value)
        if not pieces:
            raise BriefgenError(f"{flag} {value!r}: not an email address")
        for piece in pieces:
            name, addr, problem = _read_address(piece)
            if problem:
                where = f"{value!r}" if piece == value else f"{value!r} ({piece!r})"
                raise BriefgenError(
                    f"{flag} {where}: {problem}; write name@example.org or "
                    "'Name <name@example.org>'"
                )
            refuse_injection(name, f"{flag} display name")
            try:
                found.append(Address(display_name=name, addr_spec=addr))
            except (ValueError, IndexError, email.errors.HeaderParseError):
                raise BriefgenError(f"{flag} {value!r}: not a valid address") from None
    return found


_NAMED = re.compile(r'^(?P<name>"(?:[^"\\]|\\.)*"|[^"<>@()\[\]:;,\\]*?)\s*<(?P<addr>[^<>]*)>$')


def _split_addresses(value: str) -> list[str]:
    """Split at commas and semicolons outside double quotes and angle brackets."""
    pieces: list[str] = []
    current: list[str] = []
    quoted = angle = escaped = False
    for char in value:
        if escaped:
            escaped = False
        elif char == "\\" and quoted:
            escaped = True
        elif char == '"' and not angle:
            quoted = not quoted
        elif char in "<>" and not quoted:
            angle = char == "<"
        elif char in ",;" and not quoted and not angle:
            pieces.append("".join(current))
            current = []
            continue
        current.append(char)
    pieces.append("".join(current))
    return [piece.strip() for piece in pieces if piece.strip()]


def _read_address(piece: str) -> tuple[str, str, str | None]:
    """(display name, addr-spec, problem) for one `addr` or `Name <addr>`."""
    named = _NAMED.match(piece)
    if named:
        name, addr = named["name"], named["addr"].strip()
        if name.startswith('"'):
            name = re.sub(r"\\(.)", r"\1", name[1:-1])
        name = " ".join(name.split())
    elif set(piece) & set('<>"()'):
        return "", "", "it cannot be read as one address (put a name with a comma or @ in quotes)"
    else:
        name, addr = "", piece
    problem = address_problem(addr)
    if problem is None and email.utils.parseaddr(piece)[1] != addr:
        problem = "it cannot be read unambiguously as an address"
    return name, addr, problem


def _list_members(cfg: Config, name: str | None) -> list[str]:
    """The addresses of a `[mail.lists]` list (they go in To)."""
    if name is None:
        return []
    lists = cfg.mail.lists
    if name not in lists:
        known = ", ".join(sorted(lists)) or "none yet (add them under [mail.lists])"
        raise BriefgenError(f"unknown list {name!r}; the lists in briefgen.toml: {known}")
    if not lists[name]:
        raise BriefgenError(f"list {name!r} in briefgen.toml has no addresses")
    return list(lists[name])


def _sender(cfg: Config) -> Address | None:
    """From: BRIEFGEN_SMTP_FROM, else `[mail] from`, as for the other SMTP settings."""
    value = os.environ.get(FROM_ENV)
    where = FROM_ENV
    if not value:
        value, where = cfg.mail.sender, "[mail] from"
    if not value:
        return None
    found = _addresses([value], where)
    if len(found) != 1:
        raise BriefgenError(f"{where} {value!r}: give one sender address")
    return found[0]


def _subject(env: jinja2.Environment, cfg: Config, context: dict[str, object]) -> str:
    """The subject: `[mail] subject` (a template string) or templates/subject.txt.j2."""
    if cfg.mail.subject is not None:
        try:
            text = env.from_string(cfg.mail.subject).render(**context)
        except jinja2.TemplateError as error:
            raise BriefgenError(f"[mail] subject in briefgen.toml: {error}") from None
    else:
        text = render(env, SUBJECT_TEMPLATE, **context)
    subject = text.strip()
    refuse_injection(subject, "the subject")
    if not subject:
        raise BriefgenError("the subject is empty; check [mail] subject or subject.txt.j2")
    return subject


# --- the edition and its files --------------------------------------------------------


def _formats(attach: Sequence[str]) -> tuple[str, ...]:
    formats = tuple(dict.fromkeys(attach))
    unknown = [fmt for fmt in formats if fmt not in MIME_TYPES]
    if unknown or not formats:
        what = f"cannot attach {unknown[0]!r}" if unknown else "nothing to attach"
        raise BriefgenError(f"{what}; attach pdf, docx or both")
    return formats


def _one_edition(paths: Sequence[Path], options: BuildOptions) -> ValidEdition:
    files = pipeline.select(list(paths), options)
    if len(files) != 1:
        names = ", ".join(display_path(f.path) for f in files[:4])
        more = ", …" if len(files) > 4 else ""
        raise BriefgenError(
            f"give one edition to mail (an edition file, or a topic folder for its latest); "
            f"{len(files)} match{'es' * (len(files) != 1)}{': ' if files else ''}{names}{more}"
        )
    return validate.check(files)[0]


def stale_reason(targets: Sequence[Path], edition: Path, options: BuildOptions) -> str | None:
    """Why the brief must be built before it is sent, or None when its files are up to
    date: judged by content, as `build` judges it (cache.py), not by file times."""
    for target in targets:
        if not target.is_file():
            return f"{display_path(target)} is missing"
    if pipeline.outdated([edition], options):
        return f"its notes, sources or templates changed since {display_path(targets[0])} was built"
    return None


def _brief_files(
    valid: ValidEdition,
    brief: Brief,
    options: BuildOptions,
    formats: tuple[str, ...],
    dry_run: bool,
    warnings: list[str],
) -> tuple[dict[str, bytes], list[Path], str | None]:
    """The attachments' bytes, the files a build wrote, and why it built (if it did).

    A dry run that needs a build renders into a temporary folder, so it writes nothing.
    """
    assert options.output is not None
    targets = {fmt: options.output / f"{brief.file_stem}.{fmt}" for fmt in formats}
    build = replace(options, formats=formats, week=None, latest=False)
    reason = stale_reason(list(targets.values()), valid.file.path, build)
    built: list[Path] = []
    if reason and dry_run:
        with tempfile.TemporaryDirectory(prefix="briefgen-mail-") as folder:
            result = pipeline.build([valid.file.path], replace(build, output=Path(folder)))
            warnings.extend(result.warnings)
            return {f: _read(Path(folder) / t.name) for f, t in targets.items()}, [], reason
    if reason:
        log.info("building %s: %s", valid.file.path.name, reason)
        result = pipeline.build([valid.file.path], build)
        warnings.extend(result.warnings)
        built = result.written
    return {fmt: _read(target) for fmt, target in targets.items()}, built, reason


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise BriefgenError(f"cannot read {display_path(path)}: {error.strerror}") from None


# --- the message ----------------------------------------------------------------------


def _compose(
    *,
    subject: str,
    sender: Address | None,
    to: list[Address],
    cc: list[Address],
    bcc: list[Address],
    draft: bool,
    text: str,
    html: str,
    files: dict[str, tuple[tuple[str, str], bytes]],
) -> EmailMessage:
    """One RFC 5322 message: text and HTML alternatives, then the attachments."""
    message = EmailMessage(policy=email.policy.SMTP)
    message["Subject"] = subject
    if sender is not None:
        message["From"] = sender
    if to:
        message["To"] = to
    if cc:
        message["Cc"] = cc
    if bcc:
        message["Bcc"] = bcc
    message["Date"] = email.utils.format_datetime(dt.datetime.now().astimezone())
    domain = sender.domain if sender is not None else "localhost"
    message["Message-ID"] = email.utils.make_msgid("briefgen", domain=domain)
    if draft:
        message["X-Unsent"] = "1"
    message.set_content(text, subtype="plain", charset="utf-8")
    message.add_alternative(html, subtype="html", charset="utf-8")
    for name, ((maintype, subtype), data) in files.items():
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return message


def _too_big(size: int, limit_mb: float, attachments: list[Attachment]) -> str:
    parts = ", ".join(f"{a.filename} {_size(a.size)}" for a in attachments)
    return (
        f"the message would be {size / MB:.2f} MB ({size:,} bytes) after encoding, over the "
        f"limit of {limit_mb:g} MB ([mail] max_size_mb in briefgen.toml); the attachments "
        f"are {parts} before encoding, which adds about a third. Many mail servers refuse "
        "messages this big: attach the PDF only (--attach pdf), or raise max_size_mb if your "
        "server and your readers' accept more. No message was written or sent."
    )


def _dry_run_summary(
    result: MailResult,
    message: EmailMessage,
    text: str,
    html: str,
    server: _Server | None,
    eml: Path | None,
    rebuild: str | None,
) -> str:
    lines = ["Dry run: nothing sent, nothing written.", ""]
    if result.sender is None:
        lines.append(f"From: (none yet: set [mail] from in briefgen.toml or {FROM_ENV})")
    for name in ("From", "To", "Cc", "Bcc", "Subject", "Date", "Message-ID", "X-Unsent"):
        if message[name] is not None:
            lines.append(f"{name}: {message[name]}")
    if result.bcc and eml is None:
        lines.append(f"Bcc (envelope only, not in the headers): {', '.join(result.bcc)}")
    lines += [
        "",
        f"Envelope recipients ({len(result.recipients)}): "
        + (", ".join(result.recipients) or "none"),
        f"Bodies: text/plain ({_size(len(text.encode()))}), "
        f"text/html ({_size(len(html.encode()))})",
        "Attachments:",
        *(f"  {a.filename}  {a.content_type}  {_size(a.size)}" for a in result.attachments),
        f"Total encoded size: {_size(result.size)} (limit {_size(result.limit)})",
    ]
    if rebuild:
        lines.append(f"The brief would be built first: {rebuild}.")
    if server is not None:
        user = f" as {server.user}" if server.user else " without login"
        lines.append(f"Would send through {server.where} ({server.label}){user}.")
    if eml is not None:
        lines.append(f"Would write the draft {display_path(eml)}.")
    return "\n".join(lines)


def _size(size: int) -> str:
    return f"{size / MB:.1f} MB" if size >= MB else f"{size / 1000:.1f} kB"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' * (n != 1)}"


# --- SMTP -----------------------------------------------------------------------------


def _server(cfg: Config) -> _Server:
    """The SMTP settings: briefgen.toml's [smtp], overridden by BRIEFGEN_SMTP_*."""
    smtp = smtp_env(cfg.smtp)
    if not smtp.host:
        raise BriefgenError(
            "no SMTP server: set host under [smtp] in briefgen.toml or BRIEFGEN_SMTP_HOST "
            "(or write a draft with --eml FILE and send it from your mail client)"
        )
    refuse_injection(smtp.host, "the SMTP host")
    if smtp.user is not None:
        refuse_injection(smtp.user, "the SMTP user")
    port = smtp.port or DEFAULT_PORTS[smtp.security]
    connect_to = smtp.host
    if smtp.security == "none":
        connect_to = _loopback(smtp.host, port)
    return _Server(smtp.host, port, smtp.security, smtp.user, smtp.timeout, connect_to)


def _loopback(host: str, port: int) -> str:
    """The loopback address `host` resolves to; refuse `none` for anything else, since
    it would send the brief and the password over the network in clear text."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise BriefgenError(f"cannot resolve the SMTP host {host!r}: {error.strerror}") from None
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    remote = [a for a in addresses if not ipaddress.ip_address(a.split("%")[0]).is_loopback]
    if remote or not addresses:
        raise BriefgenError(
            f'security = "none" sends the brief and the password unencrypted, so briefgen '
            f"allows it only to this machine (a loopback address such as 127.0.0.1), and "
            f'{host} is {", ".join(remote) or "no address"}; use security = "starttls" '
            '(port 587) or "ssl" (port 465)'
        )
    return addresses[0]


def _password(cfg: Config, server: _Server, warnings: list[str]) -> Secret | None:
    """The password: BRIEFGEN_SMTP_PASSWORD, else the file `[smtp] password_file` names."""
    value = os.environ.get(PASSWORD_ENV)
    path = cfg.path(cfg.smtp.password_file)
    if not value and path is not None:
        try:
            value = path.read_text(encoding="utf-8").rstrip("\r\n")
        except OSError as error:
            raise BriefgenError(
                f"[smtp] password_file {display_path(path)}: cannot read it ({error.strerror})"
            ) from None
        except UnicodeDecodeError:
            raise BriefgenError(
                f"[smtp] password_file {display_path(path)}: not UTF-8 text"
            ) from None
        if not value:
            raise BriefgenError(f"[smtp] password_file {display_path(path)} is empty")
        if os.name == "posix" and path.stat().st_mode & 0o077:
            warnings.append(
                f"{display_path(path)} holds your SMTP password and others can read it; "
                f"run chmod 600 {display_path(path)}"
            )
    if server.user and not value:
        raise BriefgenError(
            f"the SMTP user is {server.user!r} but there is no password: set "
            f"{PASSWORD_ENV} in the environment, or password_file under [smtp] in "
            "briefgen.toml (never on the command line)"
        )
    return Secret(value) if value else None


class _Transient(Exception):
    """A failure worth another try: the server said 4xx, hung up, reset or timed out."""


def _deliver(
    message: EmailMessage,
    sender: str,
    recipients: list[str],
    server: _Server,
    password: Secret | None,
    sleep: Callable[[float], None],
) -> tuple[list[str], int]:
    """Send, retrying transient failures with backoff; return (accepted, attempts)."""
    delay = BACKOFF
    for attempt in range(1, ATTEMPTS + 1):
        try:
            refused = _send_once(message, sender, recipients, server, password)
        except _Transient as error:
            if attempt == ATTEMPTS:
                raise BriefgenError(
                    f"could not send through {server.where} after {ATTEMPTS} attempts; the "
                    f"last failure: {error}. Try again later, or write a draft with --eml."
                ) from None
            log.warning("%s; trying again in %g s", error, delay)
            sleep(delay)
            delay *= 2
            continue
        if refused:
            raise BriefgenError(_partly_refused(refused, recipients, server, password))
        log.info("sent to %d recipient(s) through %s", len(recipients), server.where)
        return list(recipients), attempt
    raise AssertionError("unreachable")  # pragma: no cover


def _send_once(
    message: EmailMessage,
    sender: str,
    recipients: list[str],
    server: _Server,
    password: Secret | None,
) -> dict[str, tuple[int, bytes]]:
    client: smtplib.SMTP | None = None
    try:
        client = _connect(server)
        if server.user and password is not None:
            log.info("logging in to %s as %s", server.where, server.user)
            client.login(server.user, password.reveal())
        refused = client.send_message(message, from_addr=sender, to_addrs=recipients)
    except BriefgenError:
        _abandon(client)
        raise
    except Exception as error:
        _abandon(client)
        raise _translate(error, server, password) from None
    try:
        client.quit()
    except (smtplib.SMTPException, OSError):
        _abandon(client)
    return refused


def _connect(server: _Server) -> smtplib.SMTP:
    """A connection ready for AUTH: TLS established and verified unless `none`."""
    context = ssl.create_default_context()
    log.info("connecting to %s (%s)", server.where, server.label)
    client: smtplib.SMTP
    if server.security == "ssl":
        client = smtplib.SMTP_SSL(
            server.connect_to, server.port, timeout=server.timeout, context=context
        )
    else:
        client = smtplib.SMTP(server.connect_to, server.port, timeout=server.timeout)
    try:
        _ehlo(client)
        if server.security == "starttls":
            if not client.has_extn("starttls"):
                raise BriefgenError(
                    f"{server.where} does not offer STARTTLS, so briefgen sent it no password "
                    "and no message. If the server speaks TLS from the start, set security = "
                    '"ssl" (usually port 465); "none" is allowed only to this machine.'
                )
            client.starttls(context=context)
            _ehlo(client)
    except BaseException:
        _abandon(client)
        raise
    return client


def _ehlo(client: smtplib.SMTP) -> None:
    code, reply = client.ehlo()
    if not 200 <= code < 300:
        raise smtplib.SMTPHeloError(code, reply)


def _abandon(client: smtplib.SMTP | None) -> None:
    """Close without QUIT: after a failure the connection may be in any state."""
    if client is not None:
        client.close()


def _translate(error: Exception, server: _Server, password: Secret | None) -> Exception:
    """An SMTP or socket failure as a `_Transient` to retry or a BriefgenError to show."""
    where = server.where

    def said(code: int, reply: bytes | str) -> str:
        return _scrub(f"{code} {_text(reply)}", password)

    if isinstance(error, ssl.SSLCertVerificationError):
        return BriefgenError(
            f"{where}: the server's certificate could not be verified "
            f"({error.verify_message or error.reason}). If your server uses a private or "
            "self-signed certificate authority, set SSL_CERT_FILE to that CA's certificate "
            "(a PEM file); briefgen does not turn verification off. Nothing was sent."
        )
    if isinstance(error, ssl.SSLError):
        return BriefgenError(f"{where}: TLS failed ({error.reason or error}); nothing was sent")
    if isinstance(error, smtplib.SMTPAuthenticationError):
        if 400 <= error.smtp_code < 500:
            return _Transient(f"{where} could not check the login now ({said(*error.args)})")
        return BriefgenError(
            f"{where} refused the login for user {server.user!r} "
            f"({said(error.smtp_code, error.smtp_error)}). Check the user (BRIEFGEN_SMTP_USER "
            f"or [smtp] user) and the password ({PASSWORD_ENV} or [smtp] password_file). "
            "Nothing was sent."
        )
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        listing = _listing(error.recipients, password)
        if codes and all(400 <= code < 500 for code in codes):
            return _Transient(f"{where} deferred every recipient: {listing}")
        return BriefgenError(
            f"{where} refused every recipient: {listing}. Nothing was delivered; fix the "
            "addresses and send again."
        )
    if isinstance(error, smtplib.SMTPSenderRefused):
        if 400 <= error.smtp_code < 500:
            return _Transient(f"{where} deferred the sender ({said(*error.args[:2])})")
        return BriefgenError(
            f"{where} refused the sender {error.sender!r} ("
            f"{said(error.smtp_code, error.smtp_error)}); check [mail] from or {FROM_ENV}, "
            "which must be an address this account may send as"
        )
    if isinstance(error, smtplib.SMTPResponseException):
        reply = said(error.smtp_code, error.smtp_error)
        if 400 <= error.smtp_code < 500:
            return _Transient(f"{where} said {reply}")
        return BriefgenError(f"{where} refused the message: {reply}")
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return _Transient(f"{where} closed the connection ({_scrub(str(error), password)})")
    if isinstance(error, smtplib.SMTPNotSupportedError):
        return BriefgenError(
            f"{where}: {_scrub(str(error), password)} Leave the SMTP user unset if this "
            "server sends without login."
        )
    if isinstance(error, smtplib.SMTPException):
        return BriefgenError(f"{where}: {_scrub(str(error), password)}")
    if isinstance(error, UnicodeEncodeError):
        return BriefgenError(
            f"{where}: the SMTP user or password has characters outside ASCII, which SMTP "
            "login (AUTH PLAIN/LOGIN in Python's smtplib) cannot carry. Nothing was sent."
        )
    if isinstance(error, ConnectionResetError):
        return _Transient(f"{where} reset the connection")
    if isinstance(error, TimeoutError):
        return _Transient(f"{where} did not answer within {server.timeout:g} s")
    if isinstance(error, socket.gaierror):
        return BriefgenError(f"cannot resolve the SMTP host {server.host!r}: {error.strerror}")
    if isinstance(error, ConnectionRefusedError):
        usual = DEFAULT_PORTS[server.security]
        return BriefgenError(
            f"{where} refused the connection; check the host and the port ({server.security} "
            f"usually uses {usual}). Nothing was sent."
        )
    if isinstance(error, OSError):
        return BriefgenError(f"{where}: {error.strerror or error}; nothing was sent")
    return error


def _partly_refused(
    refused: dict[str, tuple[int, bytes]],
    recipients: list[str],
    server: _Server,
    password: Secret | None,
) -> str:
    others = len(recipients) - len(refused)
    return (
        f"{server.where} refused {len(refused)} of {len(recipients)} recipients: "
        f"{_listing(refused, password)}. The other {_count(others, 'recipient')} "
        f"{'was' if others == 1 else 'were'} sent the message; fix the refused addresses and "
        "send to them alone (sending to everyone again would send it twice)."
    )


def _listing(refused: dict[str, tuple[int, bytes]], password: Secret | None) -> str:
    return "; ".join(
        _scrub(f"{addr} ({code} {_text(reply)})", password)
        for addr, (code, reply) in refused.items()
    )


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)


def _scrub(text: str, password: Secret | None) -> str:
    """A server's words with the password taken out, should a server echo it."""
    if password is not None and password.reveal():
        text = text.replace(password.reveal(), "***")
    return text

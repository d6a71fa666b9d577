"""Mail a brief: one message whose body carries the bottom line and whose attachments are
the PDF and the DOCX, written as a draft (`.eml`) or sent over SMTP.

Everything that can be checked is checked before anything is built, written or sent:
every address and display name (addresses.py), the subject, the sender, the SMTP
settings and the password's presence, and where a draft would land (draft.py). Only then
is the edition built (when its files are missing or stale, edition.py), the message
composed (compose.py; its links and loads checked where they end up, links.py) and its
size checked, and the draft written or the message sent (transport.py, over a client
that bad servers cannot hold up or fill up: client.py, and failures.py for what each
failure means).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage
from pathlib import Path

from briefgen import pipeline
from briefgen.assemble import Brief
from briefgen.config import FILENAME, Config
from briefgen.config import load as load_config
from briefgen.deliver import addresses, compose, draft, edition, transport
from briefgen.deliver.addresses import FROM_ENV, address_problem, name_problem, refuse_injection
from briefgen.deliver.compose import MB, link_host
from briefgen.deliver.edition import MIME_TYPES, stale_reason
from briefgen.deliver.failures import PASSWORD_ENV, Secret
from briefgen.deliver.transport import ATTEMPTS, BACKOFF
from briefgen.errors import BriefgenError, display_path
from briefgen.pipeline import BuildOptions
from briefgen.render.html import template_context
from briefgen.templating import environment
from briefgen.validate import ValidEdition
from briefgen.workspace import default_templates

__all__ = [
    "ATTEMPTS",
    "BACKOFF",
    "FROM_ENV",
    "MB",
    "MIME_TYPES",
    "PASSWORD_ENV",
    "Attachment",
    "MailResult",
    "Secret",
    "address_problem",
    "link_host",
    "mail_brief",
    "name_problem",
    "refuse_injection",
    "stale_reason",
]


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
class _Envelope:
    """Who the message is from and to, all checked."""

    sender: Address | None
    to: list[Address]
    cc: list[Address]
    bcc: list[Address]
    recipients: list[str]


@dataclass(frozen=True)
class _Mode:
    eml: Path | None
    send: bool
    dry_run: bool
    force: bool


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
    force: bool = False,
    allow_red_to_list: bool = False,
    config: Config | None = None,
    options: BuildOptions | None = None,
    attach: Sequence[str] = ("pdf", "docx"),
    sleep: Callable[[float], None] = time.sleep,
) -> MailResult:
    """Make one message for the one edition PATHs stand for, and draft, send or show it.

    `eml` writes a draft (with `X-Unsent: 1` and the Bcc header) for a mail client, over
    an existing file only with `force` and never over an input; `send` sends it over SMTP
    (Bcc only in the envelope); `dry_run` builds the message, checks it, and writes and
    sends nothing; a TLP:RED brief goes to a list only with `allow_red_to_list`.
    `config` defaults to ./briefgen.toml, as for `briefgen build`; `sleep`
    is how retries wait (tests pass a fake).
    """
    mode = _Mode(eml, send, dry_run, force)
    _check_mode(mode)
    chosen = edition.formats(attach)
    cfg = config if config is not None else load_config(Path())
    warnings: list[str] = []

    # 1. Everything about the envelope, before anything is built, written or sent.
    envelope = _envelope(cfg, to, cc or (), bcc or (), list_name, mode)
    srv = transport.server(cfg) if send else None
    secret = transport.password(cfg, srv, warnings) if srv else None
    if srv and secret is not None:
        transport.refuse_untrusted_host(cfg, srv)

    # 2. The edition, where the draft would go, and the words of the message.
    settled = (options or BuildOptions()).settled(cfg)
    valid = pipeline.one_edition(paths, settled, does="mail sends one brief")
    brief = pipeline.brief_of(valid, warnings)
    red = compose.red_to_list(brief.marking, valid.file.path, cfg, list_name, allow_red_to_list)
    if red and not dry_run:
        raise BriefgenError(red)
    warnings += [f"--send and --eml would be refused: {red}"] if red else []
    words = _words(valid, brief, settled, cfg, chosen, mode)

    # 3. The files, built first if they are missing or stale; the message, and its size.
    files, built, rebuild = edition.brief_files(valid, brief, settled, chosen, dry_run, warnings)
    result = _message(valid, envelope, words, files, mode, cfg)
    result.built, result.warnings = built, warnings
    result.server = srv.where if srv else None

    # 4. Show it, write it or send it.
    _finish(result, mode, (words.text, words.html, rebuild), srv, secret, sleep)
    result.warnings = list(dict.fromkeys(warnings))
    return result


@dataclass(frozen=True)
class _Words:
    """What the templates made, and the attachments' file names by format."""

    subject: str
    text: str
    html: str
    names: dict[str, str]


def _words(
    valid: ValidEdition,
    brief: Brief,
    settled: BuildOptions,
    cfg: Config,
    chosen: tuple[str, ...],
    mode: _Mode,
) -> _Words:
    """Refuse a draft path that must not be written, then render subject and bodies."""
    dirs = pipeline.user_template_dirs(settled.templates, valid.file.workspace)
    if mode.eml is not None:
        assert settled.output is not None
        inputs = _inputs(valid, cfg, dirs, [settled.output])
        draft.check_target(mode.eml, mode.force, inputs)
    env = compose.environment_for_mail(environment(dirs))
    names = {fmt: f"{brief.file_stem}.{fmt}" for fmt in chosen}
    context = {**template_context(brief), "attachments": list(names.values())}
    subject = compose.subject(env, cfg, context)
    text, html = compose.bodies(env, context)
    return _Words(subject, text, html, names)


def _message(
    valid: ValidEdition,
    envelope: _Envelope,
    words: _Words,
    files: dict[str, bytes],
    mode: _Mode,
    cfg: Config,
) -> MailResult:
    """The message composed, within the size limit, as a result still to be finished."""
    message = compose.compose(
        subject=words.subject,
        sender=envelope.sender,
        to=envelope.to,
        cc=envelope.cc,
        bcc=envelope.bcc if mode.eml is not None else [],
        draft=mode.eml is not None,
        text=words.text,
        html=words.html,
        files={words.names[f]: (MIME_TYPES[f], data) for f, data in files.items()},
    )
    attachments = [
        Attachment(words.names[f], "/".join(MIME_TYPES[f]), len(data)) for f, data in files.items()
    ]
    size, limit = len(message.as_bytes()), int(cfg.mail.max_size_mb * MB)
    if size > limit:
        raise BriefgenError(_too_big(size, cfg.mail.max_size_mb, attachments))
    return MailResult(
        edition=valid.file.path,
        subject=words.subject,
        sender=str(envelope.sender) if envelope.sender else None,
        to=[str(a) for a in envelope.to],
        cc=[str(a) for a in envelope.cc],
        bcc=[str(a) for a in envelope.bcc],
        recipients=envelope.recipients,
        attachments=attachments,
        size=size,
        limit=limit,
        dry_run=mode.dry_run,
        message=message,
    )


def _check_mode(mode: _Mode) -> None:
    if mode.eml is not None and mode.send:
        raise BriefgenError(
            "choose one: --eml FILE writes a draft for your mail client, --send sends over "
            "SMTP; not both"
        )
    if mode.eml is None and not mode.send and not mode.dry_run:
        raise BriefgenError(
            "say what to do with the message: --eml FILE (a draft to open in Outlook or "
            "Thunderbird), --send (SMTP), or --dry-run (show it)"
        )


def _envelope(
    cfg: Config,
    to: Sequence[str],
    cc: Sequence[str],
    bcc: Sequence[str],
    list_name: str | None,
    mode: _Mode,
) -> _Envelope:
    """Every address checked, the sender required where the message leaves."""
    to_addrs = addresses.parse(to, "--to") + addresses.list_members(cfg, list_name)
    cc_addrs = addresses.parse(cc, "--cc")
    bcc_addrs = addresses.parse(bcc, "--bcc")
    recipients = addresses.envelope([*to_addrs, *cc_addrs, *bcc_addrs])
    sender = addresses.sender(cfg)
    if sender is None and (mode.send or mode.eml is not None):
        raise BriefgenError(
            'no sender: set `from` under [mail] in briefgen.toml (e.g. from = "Korea Desk '
            f'<desk@example.org>"), or {FROM_ENV}'
        )
    if mode.send and not recipients:
        raise BriefgenError("no recipients: give --to, --cc, --bcc or --list NAME")
    return _Envelope(sender, to_addrs, cc_addrs, bcc_addrs, recipients)


def _inputs(
    valid: ValidEdition, cfg: Config, dirs: Sequence[Path], built: Iterable[Path]
) -> list[Path]:
    """Files and folders a draft must never overwrite: what the brief is made from, and
    the folder it is built into (a brief there is never clobbered)."""
    workspace = valid.file.workspace
    found = [valid.file.path, valid.file.topic_dir, workspace / "sources", *dirs]
    found += [default_templates(), workspace / FILENAME, cfg.root / FILENAME, Path(FILENAME)]
    password_file = cfg.path(cfg.smtp.password_file)
    found += [password_file] if password_file else []
    found += list(built)
    return found


def _finish(
    result: MailResult,
    mode: _Mode,
    words: tuple[str, str, str | None],
    srv: transport.Server | None,
    secret: Secret | None,
    sleep: Callable[[float], None],
) -> None:
    """Show, write or send the message, and say what was done in `result.summary`."""
    assert result.message is not None
    data = result.message.as_bytes()
    if mode.dry_run:
        result.summary = _dry_run_summary(result, *words, srv, mode.eml)
    elif mode.eml is not None:
        result.eml = draft.write(mode.eml, data, mode.force)
        result.summary = (
            f"Wrote {display_path(mode.eml)} ({compose.size(len(data))}): a draft with "
            f"{compose.count(len(result.attachments), 'attachment')}. Open it in Outlook or "
            "Thunderbird, check it and press Send."
        )
    else:
        assert srv is not None and result.sender is not None
        sender = result.message["From"].addresses[0].addr_spec
        result.accepted, result.attempts = transport.deliver(
            result.message, sender, result.recipients, srv, secret, sleep
        )
        result.sent = True
        hidden = f" ({len(result.bcc)} by Bcc)" if result.bcc else ""
        result.summary = (
            f"Sent “{result.subject}” ({compose.size(len(data))}) through {srv.where} "
            f"({srv.label}) to {compose.count(len(result.recipients), 'recipient')}{hidden}: "
            f"{', '.join(result.recipients)}"
        )


def _too_big(size: int, limit_mb: float, attachments: list[Attachment]) -> str:
    parts = ", ".join(f"{a.filename} {compose.size(a.size)}" for a in attachments)
    return (
        f"the message would be {size / MB:.2f} MB ({size:,} bytes) after encoding, over the "
        f"limit of {limit_mb:g} MB ([mail] max_size_mb in briefgen.toml); the attachments "
        f"are {parts} before encoding, which adds about a third. Many mail servers refuse "
        "messages this big: attach the PDF only (--attach pdf), or raise max_size_mb if your "
        "server and your readers' accept more. No message was written or sent."
    )


def _dry_run_summary(
    result: MailResult,
    text: str,
    html: str,
    rebuild: str | None,
    srv: transport.Server | None,
    eml: Path | None,
) -> str:
    assert result.message is not None
    message = result.message
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
        f"Bodies: text/plain ({compose.size(len(text.encode()))}), "
        f"text/html ({compose.size(len(html.encode()))})",
        "Attachments:",
        *(f"  {a.filename}  {a.content_type}  {compose.size(a.size)}" for a in result.attachments),
        f"Total encoded size: {compose.size(result.size)} (limit {compose.size(result.limit)})",
    ]
    if rebuild:
        lines.append(f"The brief would be built first: {rebuild}.")
    if srv is not None:
        user = f" as {srv.user}" if srv.user else " without login"
        lines.append(f"Would send through {srv.where} ({srv.label}){user}.")
    if eml is not None:
        lines.append(f"Would write the draft {display_path(eml)}.")
    return "\n".join(lines)

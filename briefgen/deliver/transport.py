"""Send a message over SMTP: settings, password, TLS, retries, and the bounds on each try.

The SMTP password comes only from BRIEFGEN_SMTP_PASSWORD or the file `[smtp]
password_file` names. It is held in a `Secret` whose repr hides it, is handed to
`smtplib` only at login, and is scrubbed from any server reply quoted in an error.
Certificates are verified with the system's CAs (`ssl.create_default_context()`; a
private CA through the standard SSL_CERT_FILE); a server that does not offer STARTTLS
when it is required gets no credentials and no message.

Each attempt runs under one deadline (client.py): `[smtp] timeout` seconds for the
conversation, plus time for the message to travel at MIN_RATE once its body is sent.
A 4xx reply, a reset or a hang-up before the body was handed over is tried again (three
attempts, with backoff); a server that does not answer in time is not, and once the body
has gone out whole, nothing is retried: the message may have been delivered.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import smtplib
import socket
import ssl
import stat
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

from briefgen import config
from briefgen.config import Config, smtp_env
from briefgen.deliver.addresses import config_place, refuse_injection
from briefgen.deliver.client import BoundedSMTP, BoundedSMTP_SSL, Deadline
from briefgen.deliver.failures import (
    DEFAULT_PORTS,
    PASSWORD_ENV,
    Context,
    Secret,
    Transient,
    partly_refused,
    translate,
)
from briefgen.errors import BriefgenError, display_path

log = logging.getLogger("briefgen.deliver")

ATTEMPTS = 3
"""Tries at sending when the server fails transiently (4xx, reset, hang-up)."""
BACKOFF = 2.0
"""Seconds before the second try; doubled before each later one."""

Client = BoundedSMTP | BoundedSMTP_SSL


@dataclass(frozen=True)
class Server:
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


def server(cfg: Config) -> Server:
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
    return Server(smtp.host, port, smtp.security, smtp.user, smtp.timeout, connect_to)


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


def refuse_untrusted_host(cfg: Config, srv: Server) -> None:
    """A workspace's briefgen.toml travels in git, so it must not be able to send the
    user's password to a server of its choosing: the password goes only to a host the
    user named (BRIEFGEN_SMTP_HOST, or `[smtp] trusted_hosts` in their own config), or
    to this machine."""
    if os.environ.get("BRIEFGEN_SMTP_HOST") or _is_loopback_name(srv.host):
        return
    if srv.host.lower() in config.user_trusted_smtp_hosts():
        return
    where = config_place(cfg, "smtp", "host", srv.host)
    raise BriefgenError(
        f"{where}: this workspace's briefgen.toml names the SMTP server {srv.host!r}, and "
        "briefgen sends your password only to a server you named yourself; nothing was "
        f"sent. If you trust it, add it to [smtp] trusted_hosts in {config.user_config_file()}"
        " (or set BRIEFGEN_SMTP_HOST)."
    )


def _is_loopback_name(host: str) -> bool:
    """localhost or a loopback address written as such (no lookup: a name could lie)."""
    if host.lower() in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def password(cfg: Config, srv: Server, warnings: list[str]) -> Secret | None:
    """The password: BRIEFGEN_SMTP_PASSWORD, else the file `[smtp] password_file` names."""
    value = os.environ.get(PASSWORD_ENV)
    path = cfg.path(cfg.smtp.password_file)
    if not value and path is not None:
        value = _read_password(path, warnings)
    if srv.user and not value:
        raise BriefgenError(
            f"the SMTP user is {srv.user!r} but there is no password: set "
            f"{PASSWORD_ENV} in the environment, or password_file under [smtp] in "
            "briefgen.toml (never on the command line)"
        )
    return Secret(value) if value else None


MAX_PASSWORD_BYTES = 1024
"""A password file holds one line; anything bigger is some other file (a key, a config)."""


def _read_password(path: Path, warnings: list[str]) -> str:
    """The one line of `path`, refusing anything that is not a small one-line regular
    file: `password_file` may come from a shared workspace's briefgen.toml, and whatever
    it names is sent to the SMTP server at login, so a private key, a credentials file
    or a FIFO must not be read as a password."""
    shown = display_path(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as stream:
            info = os.fstat(stream.fileno())
            if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_PASSWORD_BYTES:
                raise BriefgenError(
                    f"[smtp] password_file {shown}: not a password file (a regular file of "
                    f"one line, at most {MAX_PASSWORD_BYTES} bytes); nothing was read from it "
                    "or sent. Name the file that holds only the SMTP password."
                )
            value = stream.read(MAX_PASSWORD_BYTES + 1).decode("utf-8").rstrip("\r\n")
    except OSError as error:
        raise BriefgenError(
            f"[smtp] password_file {shown}: cannot read it ({error.strerror})"
        ) from None
    except UnicodeDecodeError:
        raise BriefgenError(f"[smtp] password_file {shown}: not UTF-8 text") from None
    if not value:
        raise BriefgenError(f"[smtp] password_file {shown} is empty")
    if "\n" in value or "\r" in value:
        raise BriefgenError(
            f"[smtp] password_file {shown} holds more than one line, so it is not a password "
            "file; nothing was sent. Name the file that holds only the SMTP password."
        )
    if os.name == "posix" and info.st_mode & 0o077:
        warnings.append(
            f"{shown} holds your SMTP password and others can read it; run chmod 600 {shown}"
        )
    return value


def deliver(
    message: EmailMessage,
    sender: str,
    recipients: list[str],
    srv: Server,
    secret: Secret | None,
    sleep: Callable[[float], None],
) -> tuple[list[str], int]:
    """Send, retrying transient failures with backoff; return (accepted, attempts)."""
    data = message.as_bytes()
    delay = BACKOFF
    for attempt in range(1, ATTEMPTS + 1):
        ctx = Context(srv.where, srv.security, srv.user, secret, len(data), srv.timeout, False)
        try:
            refused = _send_once(message, sender, recipients, srv, ctx)
        except Transient as error:
            if attempt == ATTEMPTS:
                raise BriefgenError(
                    f"could not send through {srv.where} after {ATTEMPTS} attempts; the "
                    f"last failure: {error}. Nothing was delivered. Try again later, or "
                    "write a draft with --eml."
                ) from None
            log.warning("%s; trying again in %g s", error, delay)
            sleep(delay)
            delay *= 2
            continue
        if refused:
            raise BriefgenError(partly_refused(refused, recipients, ctx))
        log.info("sent to %d recipient(s) through %s", len(recipients), srv.where)
        return list(recipients), attempt
    raise AssertionError("unreachable")  # pragma: no cover


def _send_once(
    message: EmailMessage, sender: str, recipients: list[str], srv: Server, ctx: Context
) -> dict[str, tuple[int, bytes]]:
    """One attempt, under one deadline; the connection is closed whatever happens."""
    client: Client | None = None
    try:
        client = _connect(srv, Deadline(srv.timeout))
        _check_size(client, ctx)
        if srv.user and ctx.password is not None:
            log.info("logging in to %s as %s", srv.where, srv.user)
            client.login(srv.user, ctx.password.reveal())
        refused = client.send_message(message, from_addr=sender, to_addrs=recipients)
    except BriefgenError:
        _abandon(client)
        raise
    except Exception as error:
        sent = client is not None and client.body_sent
        _abandon(client)
        raise translate(error, _with_body(ctx, sent)) from None
    try:
        client.quit()
    except Exception:  # delivered already: a bad goodbye changes nothing
        _abandon(client)
    return refused


def _with_body(ctx: Context, sent: bool) -> Context:
    return Context(ctx.where, ctx.security, ctx.user, ctx.password, ctx.size, ctx.timeout, sent)


def _check_size(client: Client, ctx: Context) -> None:
    """Refuse before MAIL FROM a message bigger than the SIZE the server announced."""
    announced = client.esmtp_features.get("size", "").strip()
    if announced.isdigit() and 0 < int(announced) < ctx.size:
        raise BriefgenError(
            f"{ctx.where} takes messages of up to {int(announced):,} bytes (its SIZE), and "
            f"this one is {ctx.size:,} bytes encoded. Attach the PDF only (--attach pdf), or "
            "lower [mail] max_size_mb to what this server takes. Nothing was sent."
        )


def _connect(srv: Server, deadline: Deadline) -> Client:
    """A connection ready for AUTH: TLS established and verified unless `none`."""
    context = ssl.create_default_context()
    log.info("connecting to %s (%s)", srv.where, srv.label)
    client: Client
    if srv.security == "ssl":
        client = BoundedSMTP_SSL(deadline, timeout=srv.timeout, context=context)
    else:
        client = BoundedSMTP(deadline, timeout=srv.timeout)
    try:
        code, greeting = client.connect(srv.connect_to, srv.port)
        if code != 220:  # what smtplib checks only when it connects in __init__
            raise smtplib.SMTPConnectError(code, greeting)
        _ehlo(client)
        if srv.security == "starttls":
            if not client.has_extn("starttls"):
                raise BriefgenError(
                    f"{srv.where} does not offer STARTTLS, so briefgen sent it no password "
                    "and no message. If the server speaks TLS from the start, set security = "
                    '"ssl" (usually port 465); "none" is allowed only to this machine.'
                )
            client.starttls(context=context)
            _ehlo(client)
    except BaseException:
        _abandon(client)
        raise
    return client


def _ehlo(client: Client) -> None:
    code, reply = client.ehlo()
    if not 200 <= code < 300:
        raise smtplib.SMTPHeloError(code, reply)


def _abandon(client: Client | None) -> None:
    """Close without QUIT: after a failure the connection may be in any state."""
    if client is not None:
        client.close()

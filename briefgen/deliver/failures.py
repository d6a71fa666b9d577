"""What went wrong with the SMTP server, in words that say what happened and what to do.

A failure is one of three kinds, and the words must not mix them up:
- `Transient`: the server said not now (4xx) or hung up before the message was handed
  over; another try may work, and nothing was delivered;
- a final refusal (BriefgenError): the server said no (5xx), or the login, TLS or the
  address is wrong; trying again changes nothing;
- an unknown outcome (BriefgenError): the whole message was sent but no reply came, so it
  may have been delivered; sending again could send it twice, so briefgen does not retry
  and says to ask the recipients first.
A server's words are quoted with the password taken out, should a server echo it.
"""

from __future__ import annotations

import smtplib
import socket
import ssl
from collections.abc import Callable
from dataclasses import dataclass

from briefgen.deliver.client import Oversized, Stalled
from briefgen.errors import BriefgenError

PASSWORD_ENV = "BRIEFGEN_SMTP_PASSWORD"
FROM_ENV = "BRIEFGEN_SMTP_FROM"
DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}
SIZE_CODES = ("5.3.4", "5.2.3", "4.3.4", "5.2.2")
"""Enhanced status codes (RFC 3463) that mean the message is too big."""


class Transient(Exception):
    """A failure worth another try: the server said 4xx, hung up or reset before the
    message was handed over."""


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
class Context:
    """What a message about a failure needs to know."""

    where: str
    security: str
    user: str | None
    password: Secret | None
    size: int
    timeout: float
    body_sent: bool

    def said(self, code: int, reply: bytes | str) -> str:
        return scrub(f"{code} {text(reply)}", self.password)


def translate(error: Exception, ctx: Context) -> Exception:
    """An SMTP or socket failure as a `Transient` to retry or a BriefgenError to show."""
    if ctx.body_sent and not isinstance(error, smtplib.SMTPResponseException):
        return _unknown(error, ctx)
    for kinds, explain in _EXPLAINERS:
        if isinstance(error, kinds):
            return explain(error, ctx)
    return error


def _unknown(error: Exception, ctx: Context) -> BriefgenError:
    """The whole message went out and no verdict came back."""
    if isinstance(error, Stalled):
        what = f"no reply came within {error.waited:.0f} s"
    elif isinstance(error, Oversized):
        what = f"its reply was over {error.limit:,} bytes"
    else:
        what = f"the connection ended without a reply ({scrub(str(error), ctx.password)})"
    return BriefgenError(
        f"{ctx.where}: the whole message was sent, then {what}. It may have been delivered: "
        "check with the recipients before sending again (briefgen did not retry, so that "
        "no one gets it twice)."
    )


def _stalled(error: Stalled, ctx: Context) -> BriefgenError:
    if error.stage == "connect":
        what = f"did not complete the connection within {error.waited:.0f} s"
    elif error.received:
        what = (
            f"answered too slowly ({error.received} bytes in {error.waited:.0f} s) and ran "
            "past the attempt's deadline"
        )
    else:
        what = f"did not answer within {error.waited:.0f} s"
    return BriefgenError(
        f"{ctx.where} {what} ([smtp] timeout = {ctx.timeout:g} s for an attempt), so "
        "briefgen stopped waiting and did not try again. Nothing was sent. Check the host "
        "and the port, or try later."
    )


def _oversized(error: Oversized, ctx: Context) -> BriefgenError:
    return BriefgenError(
        f"{ctx.where} sent {error.what} over {error.limit:,} bytes, which no mail server "
        "needs; briefgen stopped reading it. Something on the path may be tampering with "
        "the connection. Nothing was sent."
    )


def _certificate(error: ssl.SSLCertVerificationError, ctx: Context) -> BriefgenError:
    return BriefgenError(
        f"{ctx.where}: the server's certificate could not be verified "
        f"({error.verify_message or error.reason}). If your server uses a private or "
        "self-signed certificate authority, set SSL_CERT_FILE to that CA's certificate "
        "(a PEM file); briefgen does not turn verification off. Nothing was sent."
    )


def _tls(error: ssl.SSLError, ctx: Context) -> BriefgenError:
    return BriefgenError(f"{ctx.where}: TLS failed ({error.reason or error}); nothing was sent")


def _login(error: smtplib.SMTPAuthenticationError, ctx: Context) -> Exception:
    if 400 <= error.smtp_code < 500:
        return Transient(f"{ctx.where} could not check the login now ({ctx.said(*error.args)})")
    return BriefgenError(
        f"{ctx.where} refused the login for user {ctx.user!r} "
        f"({ctx.said(error.smtp_code, error.smtp_error)}). Check the user (BRIEFGEN_SMTP_USER "
        f"or [smtp] user) and the password ({PASSWORD_ENV} or [smtp] password_file). "
        "Nothing was sent."
    )


def _recipients(error: smtplib.SMTPRecipientsRefused, ctx: Context) -> Exception:
    codes = [code for code, _ in error.recipients.values()]
    found = listing(error.recipients, ctx.password)
    if codes and all(400 <= code < 500 for code in codes):
        return Transient(f"{ctx.where} deferred every recipient: {found}")
    return BriefgenError(
        f"{ctx.where} refused every recipient: {found}. Nothing was delivered; fix the "
        "addresses and send again."
    )


def too_big_for(code: int, reply: bytes | str) -> bool:
    """Whether a reply refuses the message for its size (552, or 5.3.4 and kin)."""
    words = text(reply)
    return code == 552 or any(words.startswith(status) for status in SIZE_CODES)


def _sender(error: smtplib.SMTPSenderRefused, ctx: Context) -> Exception:
    reply = ctx.said(error.smtp_code, error.smtp_error)
    if too_big_for(error.smtp_code, error.smtp_error):
        return _size_refusal(reply, ctx)
    if 400 <= error.smtp_code < 500:
        return Transient(f"{ctx.where} deferred the sender ({reply})")
    return BriefgenError(
        f"{ctx.where} refused the sender {error.sender!r} ({reply}); check [mail] from or "
        f"{FROM_ENV}, which must be an address this account may send as"
    )


def _size_refusal(reply: str, ctx: Context) -> BriefgenError:
    return BriefgenError(
        f"{ctx.where} refused the message for its size ({reply}): it is {ctx.size:,} bytes "
        "encoded. Attach the PDF only (--attach pdf), or lower [mail] max_size_mb to what "
        "this server takes. Nothing was sent."
    )


def _greeting(error: smtplib.SMTPConnectError, ctx: Context) -> Exception:
    reply = ctx.said(error.smtp_code, error.smtp_error)
    if 400 <= error.smtp_code < 500:
        return Transient(f"{ctx.where} is not taking mail now ({reply})")
    return BriefgenError(
        f"{ctx.where} turned the connection away ({reply}); check the host and the port, "
        "or ask the server's administrator. Nothing was sent."
    )


def _response(error: smtplib.SMTPResponseException, ctx: Context) -> Exception:
    reply = ctx.said(error.smtp_code, error.smtp_error)
    if too_big_for(error.smtp_code, error.smtp_error):
        return _size_refusal(reply, ctx)
    if 400 <= error.smtp_code < 500:
        return Transient(f"{ctx.where} said {reply}")
    return BriefgenError(f"{ctx.where} refused the message: {reply}. Nothing was delivered.")


def _disconnected(error: smtplib.SMTPServerDisconnected, ctx: Context) -> Exception:
    return Transient(f"{ctx.where} closed the connection ({scrub(str(error), ctx.password)})")


def _unsupported(error: smtplib.SMTPNotSupportedError, ctx: Context) -> BriefgenError:
    return BriefgenError(
        f"{ctx.where}: {scrub(str(error), ctx.password)} Leave the SMTP user unset if this "
        "server sends without login."
    )


def _smtp(error: smtplib.SMTPException, ctx: Context) -> BriefgenError:
    return BriefgenError(f"{ctx.where}: {scrub(str(error), ctx.password)}")


def _encoding(error: UnicodeEncodeError, ctx: Context) -> BriefgenError:
    return BriefgenError(
        f"{ctx.where}: the SMTP user or password has characters outside ASCII, which SMTP "
        "login (AUTH PLAIN/LOGIN in Python's smtplib) cannot carry. Nothing was sent."
    )


def _reset(error: ConnectionResetError, ctx: Context) -> Exception:
    return Transient(f"{ctx.where} reset the connection")


def _unresolved(error: socket.gaierror, ctx: Context) -> BriefgenError:
    host = ctx.where.rsplit(":", 1)[0]
    return BriefgenError(f"cannot resolve the SMTP host {host!r}: {error.strerror}")


def _refused(error: ConnectionRefusedError, ctx: Context) -> BriefgenError:
    usual = DEFAULT_PORTS[ctx.security]
    return BriefgenError(
        f"{ctx.where} refused the connection; check the host and the port ({ctx.security} "
        f"usually uses {usual}). Nothing was sent."
    )


def _os(error: OSError, ctx: Context) -> BriefgenError:
    return BriefgenError(f"{ctx.where}: {error.strerror or error}; nothing was sent")


_EXPLAINERS: list[tuple[type | tuple[type, ...], Callable[..., Exception]]] = [
    (Stalled, _stalled),
    (Oversized, _oversized),
    (ssl.SSLCertVerificationError, _certificate),
    (ssl.SSLError, _tls),
    (smtplib.SMTPAuthenticationError, _login),
    (smtplib.SMTPRecipientsRefused, _recipients),
    (smtplib.SMTPSenderRefused, _sender),
    (smtplib.SMTPConnectError, _greeting),
    (smtplib.SMTPResponseException, _response),
    (smtplib.SMTPServerDisconnected, _disconnected),
    (smtplib.SMTPNotSupportedError, _unsupported),
    (smtplib.SMTPException, _smtp),
    (UnicodeEncodeError, _encoding),
    (ConnectionResetError, _reset),
    (socket.gaierror, _unresolved),
    (ConnectionRefusedError, _refused),
    (OSError, _os),
]
"""The first entry whose type matches explains the failure (subclasses first)."""


def partly_refused(
    refused: dict[str, tuple[int, bytes]], recipients: list[str], ctx: Context
) -> str:
    others = len(recipients) - len(refused)
    return (
        f"{ctx.where} refused {len(refused)} of {len(recipients)} recipients: "
        f"{listing(refused, ctx.password)}. The other {others} "
        f"recipient{'s' * (others != 1)} {'was' if others == 1 else 'were'} sent the message; "
        "fix the refused addresses and send to them alone (sending to everyone again would "
        "send it twice)."
    )


def listing(refused: dict[str, tuple[int, bytes]], password: Secret | None) -> str:
    return "; ".join(
        scrub(f"{addr} ({code} {text(reply)})", password) for addr, (code, reply) in refused.items()
    )


def text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)


def scrub(words: str, password: Secret | None) -> str:
    """A server's words with the password taken out, should a server echo it."""
    if password is not None and password.reveal():
        words = words.replace(password.reveal(), "***")
    return words

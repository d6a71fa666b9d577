"""A saved mail message (.eml): its body and headers as the text, and whose words they are.

A colleague forwarding an article is a relay, not the source: when the body holds a
forwarded message (Gmail's "---------- Forwarded message ---------", Apple Mail's "Begin
forwarded message:", Outlook's "-----Original Message-----"), its From, Date and Subject
are the source's metadata, read before the outer message's own.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import email.utils
import re
from collections.abc import Callable
from email.message import EmailMessage

from briefgen.intake.metadata import Found

_FORWARDED = re.compile(
    r"^(?:-{2,}\s*Forwarded message\s*-{2,}|Begin forwarded message:"
    r"|-{2,}\s*Original Message\s*-{2,})"
    r"\s*\n((?:[ \t]*[A-Za-z-]+:[^\n]*\n)+)",
    re.MULTILINE | re.IGNORECASE,
)
_REPLY_PREFIX = re.compile(r"^\s*((fwd?|fw|re|aw|wg)\s*:\s*)+", re.IGNORECASE)
_DAY_FORMATS = (
    "%a, %d %b %Y",
    "%d %b %Y",
    "%a, %b %d, %Y",
    "%b %d, %Y",
    "%A, %B %d, %Y",
    "%Y-%m-%d",
)


def read_mail(data: bytes, html_text: Callable[[str], str]) -> tuple[str, Found] | None:
    """The message's text (From, Date, Subject, then the body) and metadata; None when
    `data` has no mail headers. `html_text` turns an HTML-only body into text."""
    message = email.message_from_bytes(data, policy=email.policy.default)
    if not isinstance(message, EmailMessage) or not (message["From"] or message["Date"]):
        return None
    body = _body(message, html_text)
    found = Found()
    forwarded = _FORWARDED.search(body)
    if forwarded:
        headers = dict(_header_lines(forwarded.group(1)))
        _offer(found, headers, "forwarded message")
    _offer(found, {k: str(message[k] or "") for k in ("From", "Date", "Subject")}, "mail")
    lines = [f"{key}: {message[key]}" for key in ("From", "Date", "Subject") if message[key]]
    return "\n".join([*lines, "", body]), found


def _header_lines(block: str) -> list[tuple[str, str]]:
    pairs = []
    for line in block.splitlines():
        key, _, value = line.strip().partition(":")
        pairs.append((key.strip().title(), value.strip()))
    return pairs


def _offer(found: Found, headers: dict[str, str], where: str) -> None:
    name, address = email.utils.parseaddr(headers.get("From", ""))
    subject = _REPLY_PREFIX.sub("", headers.get("Subject", ""))
    found.offer("title", subject, f"{where} Subject:")
    found.offer("publisher", name or address, f"{where} From:")
    found.offer("author", name, f"{where} From:")
    day = _day(headers.get("Date", "") or headers.get("Sent", ""))
    found.offer("published", day, f"{where} Date:")


def _day(text: str) -> str:
    """The day a Date header names, in any of the forms mail programs write it."""
    text = re.sub(r"\s+at\s+.*$", "", text.strip())
    try:
        return email.utils.parsedate_to_datetime(text).date().isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    for form in _DAY_FORMATS:
        try:
            return dt.datetime.strptime(text, form).date().isoformat()
        except ValueError:
            continue
    return ""


def _body(message: EmailMessage, html_text: Callable[[str], str]) -> str:
    """The plain-text body, else the HTML body's text; an attached message/rfc822 (a
    message forwarded as an attachment) follows, under its own headers."""
    parts: list[str] = []
    body = message.get_body(preferencelist=("plain", "html"))
    if body is not None:
        content = body.get_content()
        parts.append(html_text(content) if body.get_content_type() == "text/html" else content)
    for part in message.walk():
        inner = part.get_content() if part.get_content_type() == "message/rfc822" else None
        if isinstance(inner, EmailMessage):
            headers = [f"{k}: {inner[k]}" for k in ("From", "Date", "Subject") if inner[k]]
            parts += ["", "---------- Forwarded message ---------", *headers, ""]
            parts.append(_body(inner, html_text))
    return "\n".join(parts)

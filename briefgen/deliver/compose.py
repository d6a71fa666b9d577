"""The message: its subject and bodies from the templates, and its MIME parts.

Every template here, the `[mail] subject` string included, runs under the same time and
memory bound as every other template (briefgen.bounded): a subject with a loop that never
ends must end in a message, not a hung `mail`. Every link in the bodies carries its
destination host beside its citation marker, so that a reader sees where it goes before
clicking (`[1] Reaction (reaction.life)`).
"""

from __future__ import annotations

import datetime as dt
import email.policy
import email.utils
from email.headerregistry import Address
from email.message import EmailMessage

import jinja2

from briefgen.bidi import finalize
from briefgen.bounded import bounded
from briefgen.config import Config
from briefgen.deliver.addresses import config_place, refuse_injection
from briefgen.deliver.links import check_html, check_text
from briefgen.errors import BriefgenError
from briefgen.templating import render
from briefgen.urls import MAX_URL_CHARS, SafeUrl, UnsafeUrl, check_url

SUBJECT_TEMPLATE = "subject.txt.j2"
TEXT_TEMPLATE = "email.txt.j2"
HTML_TEMPLATE = "email.html.j2"
MB = 1_000_000
"""`max_size_mb` counts decimal megabytes: a little under what servers call 10 MB."""


def link_host(url: object) -> str:
    """The host a link opens, as a reader should see it (lowercase, IDN as punycode), or
    "" when the URL is not one the mail may link to (urls.py's policy: http(s), a host,
    no user or password, no invisible or reordering characters)."""
    checked = _checked(url)
    return checked.host if checked else ""


def safe_url(url: object) -> str:
    """The URL in the form the policy links to (ASCII), or "" when it may not be linked."""
    checked = _checked(url)
    return checked.url if checked else ""


def _checked(url: object) -> SafeUrl | None:
    if not isinstance(url, str):
        return None
    try:
        return check_url(url, max_chars=max(MAX_URL_CHARS, len(url)))
    except UnsafeUrl:
        return None


def environment_for_mail(env: jinja2.Environment) -> jinja2.Environment:
    """The template environment with the filters the mail templates use: `link_host`
    (shown beside each marker) and `safe_url` (what a link opens); every plain string
    printed is isolated (bidi.finalize), as in the brief, so that no note can reorder
    another line or the citation markers in the mail either."""
    env.filters["link_host"] = link_host
    env.filters["safe_url"] = safe_url
    env.finalize = finalize
    return env


def subject(env: jinja2.Environment, cfg: Config, context: dict[str, object]) -> str:
    """The subject: `[mail] subject` (a template string) or templates/subject.txt.j2,
    either rendered within the bounds of every template."""
    if cfg.mail.subject is not None:
        where = config_place(cfg, "mail", "subject", cfg.mail.subject)
        source = cfg.mail.subject
        text = bounded(lambda: _render_string(env, source, context, where), what=where)
    else:
        text = render(env, SUBJECT_TEMPLATE, **context)
    line = text.strip()
    refuse_injection(line, "the subject")
    if not line:
        raise BriefgenError("the subject is empty; check [mail] subject or subject.txt.j2")
    return line


def _render_string(
    env: jinja2.Environment, source: str, context: dict[str, object], where: str
) -> str:
    """Runs in the bounded child: a template error becomes the BriefgenError it sends back."""
    try:
        return env.from_string(source).render(**context)
    except (jinja2.TemplateError, OverflowError, RecursionError) as error:
        raise BriefgenError(f"{where}: {error}; fix the template string") from None


def bodies(env: jinja2.Environment, context: dict[str, object]) -> tuple[str, str]:
    """(plain text, HTML): email.txt.j2 and email.html.j2, each bounded; the HTML's
    links and loads checked where they end up (links.py)."""
    html = render(env, HTML_TEMPLATE, **context)
    check_html(html, HTML_TEMPLATE)
    text = render(env, TEXT_TEMPLATE, **context)
    check_text(text, TEXT_TEMPLATE)
    return text, html


def compose(
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


def size(n: int) -> str:
    return f"{n / MB:.1f} MB" if n >= MB else f"{n / 1000:.1f} kB"


def count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' * (n != 1)}"

"""The message: its subject and bodies from the templates, and its MIME parts.

Every template here, the `[mail] subject` string included, runs under the same time and
memory bound as every other template (briefgen.bounded): a subject with a loop that never
ends must end in a message, not a hung `mail`. Every link in the bodies carries its
destination host beside its citation marker, so that a reader sees where it goes before
clicking (`[1] Reaction (reaction.life)`).

The handling marking leads the subject, as TLP 2.0 asks of mail (`[TLP:AMBER] …`; any
other marking as `UNCLASSIFIED – …`), whatever the subject template says; and a TLP:RED
brief is not mailed to a distribution list unless the sender says every member may
receive it.
"""

from __future__ import annotations

import datetime as dt
import email.policy
import email.utils
import re
from email.headerregistry import Address
from email.message import EmailMessage
from pathlib import Path

import jinja2

from briefgen.bidi import finalize
from briefgen.bounded import bounded
from briefgen.config import Config
from briefgen.deliver.addresses import config_place, refuse_injection
from briefgen.deliver.links import check_html, check_text
from briefgen.errors import BriefgenError, display_path
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
    env.filters["subject_marking"] = subject_marking
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
    return marked(line, str(getattr(context["brief"], "marking", "")))


TLP = re.compile(r"TLP:\s*(CLEAR|WHITE|GREEN|AMBER\+STRICT|AMBER|RED)\b", re.IGNORECASE)
"""A Traffic Light Protocol marking (2.0, and 1.0's WHITE), wherever it stands in the
marking (`TLP:AMBER+STRICT`, `UNCLASSIFIED // TLP:RED`)."""
INVISIBLE = re.compile("[\u2066-\u2069\u200e\u200f\u202a-\u202e]")
ALLOW_RED = "--allow-red-to-list"


STRICTNESS = ("CLEAR", "WHITE", "GREEN", "AMBER", "AMBER+STRICT", "RED")


def tlp_label(marking: str) -> str | None:
    """The TLP label a marking carries, the strictest where it names several (a marking
    `TLP:CLEAR // TLP:RED` is RED: the sender must not be able to hide RED behind CLEAR)."""
    labels = [found.group(1).upper() for found in TLP.finditer(marking)]
    return max(labels, key=STRICTNESS.index) if labels else None


def subject_marking(marking: object) -> str:
    """How the marking leads a subject: `[TLP:AMBER] ` (TLP 2.0's form for mail: the
    label in brackets), or the marking and an en dash: `UNCLASSIFIED – `."""
    text = " ".join(str(marking).split())
    label = tlp_label(text)
    if label:
        return f"[TLP:{label}] "
    return f"{text} – " if text else ""


def marked(line: str, marking: str) -> str:
    """The subject with the marking in front: a custom `[mail] subject` or subject.txt.j2
    that leaves it out, or puts it elsewhere, still leads with it (a reader's mail list
    shows the subject only, and TLP 2.0 asks for the label there)."""
    lead = subject_marking(marking)
    if not lead or INVISIBLE.sub("", line).startswith(lead.strip()):
        return line
    return lead + line


def is_red(marking: str) -> bool:
    """TLP:RED: for the named recipients only, never a list."""
    return tlp_label(marking) == "RED"


def red_to_list(
    marking: str, edition: Path, cfg: Config, list_name: str | None, allowed: bool
) -> str:
    """Why this mail may not go out, or "": a TLP:RED brief goes to people named one by
    one (--to/--cc/--bcc), not to a list whose members the sender does not see at the
    moment of sending; `allowed` (--allow-red-to-list) is the sender saying each member
    is such a recipient."""
    if list_name is None or allowed or not is_red(marking):
        return ""
    return (
        f"{marking_place(edition, cfg)}: marking {marking}: TLP:RED is for named recipients "
        f"only, and this mail goes to the list {list_name!r}; name each recipient with "
        f"--to, or add {ALLOW_RED} if every member of {list_name!r} may receive it"
    )


def marking_place(edition: Path, cfg: Config) -> str:
    """`FILE:N` of the edition's `marking:` line, else briefgen.toml's [brief] marking."""
    try:
        lines = edition.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        lines = []
    found = next((n for n, line in enumerate(lines) if line.startswith("marking:")), None)
    if found is not None:
        return f"{display_path(edition)}:{found + 1}"
    if cfg.brief.marking:
        return config_place(cfg, "brief", "marking", cfg.brief.marking)
    return display_path(edition)


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

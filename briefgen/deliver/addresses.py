"""Who the message is from and to: every address and display name checked before anything
is built, written or sent.

A header is what a reader trusts, so anything that could make one say two things is
refused rather than guessed at: a line break or an encoded word (a hidden header), an
address the standard parser would read differently from us, a display name that looks
like an address (`"ann@example.org" <spy@evil.example>` shows Ann and mails the spy), and
a display name with bidi, control or zero-width characters (which can reverse or hide
what the reader sees).
"""

from __future__ import annotations

import email.errors
import email.utils
import os
import re
import unicodedata
from collections.abc import Sequence
from email.headerregistry import Address

from briefgen.config import FILENAME, Config
from briefgen.errors import BriefgenError, display_path

FROM_ENV = "BRIEFGEN_SMTP_FROM"

_INVISIBLE = {
    "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u180e",  # zero-width
    "\u061c", "\u200e", "\u200f",  # bidi marks
}  # fmt: skip
"""Characters that change or hide what a reader sees without showing themselves."""


def envelope(addresses: Sequence[Address]) -> list[str]:
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


def name_problem(name: str) -> str | None:
    """What makes a display name deceptive, or None.

    An `@` makes a name pass for an address in every mail client's list of senders
    and recipients; bidi controls (U+202A-U+202E, U+2066-U+2069), marks and zero-width
    characters reorder or hide text, and format characters have no business in a name.
    """
    if "@" in name or "\uff20" in name or "\ufe6b" in name:
        return "a display name with an @ passes for an address (the mail goes elsewhere)"
    for char in name:
        if char in _INVISIBLE or unicodedata.category(char) in ("Cf", "Cc", "Co", "Cs"):
            code = f"U+{ord(char):04X} {unicodedata.name(char, 'a control character')}"
            return f"the display name contains {code}, which can reorder or hide what it shows"
    return None


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


def parse(values: Sequence[str], flag: str) -> list[Address]:
    """Parse and validate addresses. One value may hold several, separated by commas or
    semicolons (as Outlook writes them); each is `addr` or `Name <addr>`, the name in
    double quotes if it has a comma. Anything the standard parser could read two ways
    (`a@x.org <b@y.org>`) is refused rather than guessed at. `flag` names where the
    value came from (`--to`, `briefgen.toml:7: [mail] from`) for the message."""
    found: list[Address] = []
    for value in values:
        refuse_injection(value, f"{flag} address")
        pieces = _split(value)
        if not pieces:
            raise BriefgenError(f"{flag} {value!r}: not an email address")
        for piece in pieces:
            found.append(_one(value, piece, flag))
    return found


def _one(value: str, piece: str, flag: str) -> Address:
    """One `addr` or `Name <addr>` out of `value`, or BriefgenError saying why not."""
    where = f"{value!r}" if piece == value else f"{value!r} ({piece!r})"
    name, addr, problem = _read(piece)
    if problem:
        raise BriefgenError(
            f"{flag} {where}: {problem}; write name@example.org or 'Name <name@example.org>'"
        )
    refuse_injection(name, f"{flag} display name")
    deceptive = name_problem(name)
    if deceptive:
        raise BriefgenError(
            f"{flag} {where}: {deceptive}; write the name as people know it, e.g. "
            "'Ann Reader <ann@example.org>', or leave it out"
        )
    try:
        return Address(display_name=name, addr_spec=addr)
    except (ValueError, IndexError, email.errors.HeaderParseError):
        raise BriefgenError(f"{flag} {where}: not a valid address") from None


_NAMED = re.compile(r'^(?P<name>"(?:[^"\\]|\\.)*"|[^"<>@()\[\]:;,\\]*?)\s*<(?P<addr>[^<>]*)>$')


def _split(value: str) -> list[str]:
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


def _read(piece: str) -> tuple[str, str, str | None]:
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


def config_place(cfg: Config, table: str, key: str, value: str) -> str:
    """`briefgen.toml:N: [table] key`, N being the line under `[table]` that holds
    `value` as written, else the `key =` line (tomllib keeps no positions), so that an
    error points at the line to fix."""
    where = f"[{table}] {key}"
    path = cfg.root / FILENAME
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return f"{FILENAME}: {where}"
    start = next((n for n, line in enumerate(lines) if line.strip() == f"[{table}]"), 0)
    keyed = next(
        (n for n in range(start, len(lines)) if lines[n].split("=", 1)[0].strip() == key), None
    )
    if keyed is None:
        return f"{display_path(path)}: {where}"
    needle = value.strip()[:40]
    found = next((n for n in range(keyed, len(lines)) if needle and needle in lines[n]), keyed)
    return f"{display_path(path)}:{found + 1}: {where}"


def list_members(cfg: Config, name: str | None) -> list[Address]:
    """The addresses of a `[mail.lists]` list (they go in To), each checked and named by
    its line in briefgen.toml."""
    if name is None:
        return []
    lists = cfg.mail.lists
    if name not in lists:
        known = ", ".join(sorted(lists)) or "none yet (add them under [mail.lists])"
        raise BriefgenError(f"unknown list {name!r}; the lists in briefgen.toml: {known}")
    if not lists[name]:
        raise BriefgenError(f"list {name!r} in briefgen.toml has no addresses")
    found: list[Address] = []
    for member in lists[name]:
        found += parse([member], config_place(cfg, "mail.lists", name, member))
    return found


def sender(cfg: Config) -> Address | None:
    """From: BRIEFGEN_SMTP_FROM, else `[mail] from`, as for the other SMTP settings."""
    value = os.environ.get(FROM_ENV)
    where = FROM_ENV
    if not value:
        value = cfg.mail.sender
        where = config_place(cfg, "mail", "from", value) if value else "[mail] from"
    if not value:
        return None
    found = parse([value], where)
    if len(found) != 1:
        raise BriefgenError(f"{where} {value!r}: give one sender address")
    return found[0]

"""One policy for every web address a brief or a mail shows: registry `url:`, any archive
URL, `source add`, and the links in mail.

A brief's reader trusts a link because it names its destination, so an address is
accepted only when what is printed is where the link goes: http or https with a real
host; no `user:password@` (which also lets `https://www.reuters.com@evil.example/` open
evil.example); no control, bidi or zero-width characters (which make `…/fdp.exe` read
`…/exe.pdf`); international hosts shown as their ASCII A-label (punycode), and a host
label that mixes scripts (a Cyrillic `а` in `аpple`) refused, since its only use is to
imitate another address; and a length cap, since a 100 KB address is not a citation and
made the PDF layout quadratic.

Parsed with `urllib.parse` and the standard library's IDNA codec (`encodings.idna`,
IDNA 2003), not a regex. The PyPI `idna` package (IDNA 2008) was not needed: the checks
it adds over the codec (joiners, bidi rules, symbols) are covered by this module's own
refusal of format characters and mixed scripts, and the output is always ASCII.
"""

from __future__ import annotations

import encodings.idna
import ipaddress
import unicodedata
import urllib.parse
from dataclasses import dataclass

MAX_URL_CHARS = 2_000
"""The default cap on an address, in characters. Browsers and search engines handle about
2,000; a real article address is rarely above 300. Raised by `[notes] max_url_chars`."""

CAP_SETTING = "[notes] max_url_chars in briefgen.toml"

SCHEMES = ("http", "https")
_DOTS = str.maketrans({"\u3002": ".", "\uff0e": ".", "\uff61": "."})
"""Full stops that IDNA treats as the label separator."""
_SAFE = "/?#[]@!$&'()*+,;=:%-._~"
"""ASCII that may stay as it is in a path, query or fragment; anything else is %-encoded."""
_HOST_ASCII = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-")

_COMPATIBLE = (
    frozenset({"LATIN", "CJK", "HIRAGANA", "KATAKANA"}),
    frozenset({"LATIN", "CJK", "BOPOMOFO"}),
    frozenset({"LATIN", "CJK", "HANGUL"}),
)
"""Scripts that may share a label (Unicode TS 39, "highly restrictive"): Japanese, Chinese
and Korean names mix them with Latin; Latin with Cyrillic or Greek only imitates."""


class UnsafeUrl(ValueError):
    """An address the policy refuses; the message says what is wrong and what to do."""


@dataclass(frozen=True)
class SafeUrl:
    """An address that passed the policy, in the form every output prints and links to."""

    url: str
    """ASCII only: the host as its A-label, anything else outside ASCII %-encoded."""
    host: str
    """The host as printed: lowercase ASCII (A-labels for international names)."""

    def __str__(self) -> str:
        return self.url


def check_url(text: str, max_chars: int = MAX_URL_CHARS) -> SafeUrl:
    """The address in its printed form, or UnsafeUrl saying why it cannot be printed.

    Raises UnsafeUrl (a ValueError, so pydantic validators can call it directly)."""
    if not isinstance(text, str):
        raise UnsafeUrl(f"expected a web address as text, got {type(text).__name__}")
    _check_length(text, max_chars)
    _check_characters(text)
    try:
        parts = urllib.parse.urlsplit(text)
    except ValueError as error:  # "Invalid IPv6 URL", NFKC tricks in the host part
        raise UnsafeUrl(f"{_short(text)} cannot be read as a web address: {error}") from None
    if parts.scheme.lower() not in SCHEMES or not text.lower().startswith(parts.scheme + "://"):
        raise UnsafeUrl(
            f"{_short(text)} is not a web address; write it as https://host/path "
            "(only http and https links are allowed)"
        )
    host = _host(parts, text)
    port = _port(parts, text)
    netloc = f"[{host}]" if ":" in host else host
    netloc += f":{port}" if port is not None else ""
    path, query, fragment = (_quoted(p) for p in (parts.path, parts.query, parts.fragment))
    url = urllib.parse.urlunsplit((parts.scheme.lower(), netloc, path or "/", query, fragment))
    _check_length(url, max_chars, encoded=True)
    return SafeUrl(url=url, host=host)


def url_problem(text: str, max_chars: int = MAX_URL_CHARS) -> str | None:
    """What is wrong with an address, or None if it passes: for callers that collect
    problems instead of raising (mail)."""
    try:
        check_url(text, max_chars)
    except UnsafeUrl as error:
        return str(error)
    return None


def display_host(url: str) -> str:
    """The host a link goes to, as the reader should see it beside the link (A-label,
    lowercase). Raises UnsafeUrl for an address the policy refuses."""
    return check_url(url, max_chars=max(MAX_URL_CHARS, len(url))).host


# --- the checks ------------------------------------------------------------------------


def _check_length(text: str, max_chars: int, encoded: bool = False) -> None:
    if len(text) <= max_chars:
        return
    what = "once its non-ASCII characters are %-encoded, " if encoded else ""
    raise UnsafeUrl(
        f"the address is {what}{len(text):,} characters long; the cap is {max_chars:,} "
        f"({CAP_SETTING} raises it); link to a shorter address for the same page"
    )


def _check_characters(text: str) -> None:
    """No space, control, format (bidi, zero-width, BOM), separator or unassigned
    character anywhere: each is invisible or reorders what the reader sees."""
    for char in text:
        if char.isascii() and char.isprintable() and char != " ":
            continue
        category = unicodedata.category(char)
        if category[0] in "CZ":  # Cc Cf Cs Co Cn, Zs Zl Zp
            hint = " (a space inside an address is written %20)" if category[0] == "Z" else ""
            raise UnsafeUrl(f"contains {_describe(char)}, which {_why(category)}; remove it{hint}")


def _why(category: str) -> str:
    if category == "Cf":
        return "is invisible and can reorder or disguise what the link shows"
    if category[0] == "Z":
        return "ends a web address"
    return "cannot be part of a web address"


def _describe(char: str) -> str:
    name = unicodedata.name(char, "a control character")
    return f"U+{ord(char):04X} ({name})"


def _host(parts: urllib.parse.SplitResult, text: str) -> str:
    """The host in printed form; refuses userinfo, an empty host and malformed names."""
    netloc = parts.netloc
    if "@" in netloc:
        before, after = netloc.rsplit("@", 1)
        raise UnsafeUrl(
            f"has {before!r} before '@' in its host part: a user name or password, which "
            f"must not be published, and which makes the link go to {after!r} while it "
            "reads as something else; remove everything from '//' to '@'"
        )
    if "\\" in netloc:
        raise UnsafeUrl("has a backslash in its host part; write the host with '/' after it")
    host = parts.hostname or ""
    if not host:
        raise UnsafeUrl(
            f"{_short(text)} has no host (nothing between '//' and the path); "
            "write it as https://host/path"
        )
    if netloc.startswith("["):
        return _ipv6(host)
    return _domain(host)


def _ipv6(host: str) -> str:
    try:
        return str(ipaddress.IPv6Address(host))
    except ValueError:
        raise UnsafeUrl(f"[{host}] is not an IPv6 address") from None


def _domain(host: str) -> str:
    """A host name (or dotted IPv4 address) as lowercase ASCII with A-labels."""
    host = unicodedata.normalize("NFKC", host.translate(_DOTS)).lower()
    labels = host.removesuffix(".").split(".")
    if any(not label for label in labels):
        raise UnsafeUrl(f"the host {host!r} has an empty label (two dots in a row); fix it")
    if labels[-1].isdigit() or labels[-1].startswith("0x"):
        return _ipv4(host)
    return ".".join(_label(label, host) for label in labels)


def _ipv4(host: str) -> str:
    """Only the dotted-decimal form: `2130706433` and `0x7f.1` also mean 127.0.0.1 to a
    browser, and print as something else."""
    try:
        address = ipaddress.IPv4Address(host)
    except ValueError:
        raise UnsafeUrl(
            f"the host {host!r} ends in a number but is not an IPv4 address "
            "written as four decimal numbers; write the host name or a.b.c.d"
        ) from None
    return str(address)


def _label(label: str, host: str) -> str:
    """One label as its A-label, refusing scripts that only imitate."""
    if label.isascii():
        unicode = _decoded(label, host) if label.startswith("xn--") else label
        if not set(label) <= _HOST_ASCII or label.startswith("-") or label.endswith("-"):
            raise UnsafeUrl(
                f"the host {host!r} has characters a host name cannot have in {label!r}; "
                "use letters, digits and inner hyphens"
            )
        _check_scripts(unicode, host, written_ascii=True)
        return label
    _check_scripts(label, host, written_ascii=False)
    try:
        return encodings.idna.ToASCII(label).decode("ascii")
    except UnicodeError as error:
        raise UnsafeUrl(f"the host {host!r} is not a valid international name: {error}") from None


def _decoded(label: str, host: str) -> str:
    try:
        return encodings.idna.ToUnicode(label)
    except UnicodeError:
        raise UnsafeUrl(f"the host {host!r} has an invalid punycode label {label!r}") from None


def _check_scripts(label: str, host: str, written_ascii: bool) -> None:
    """Refuse a label whose letters come from scripts that do not go together. A label
    written as punycode (`xn--`) is printed as such, so it imitates nothing: accepted."""
    found = scripts(label)
    if len(found) < 2 or any(found <= allowed for allowed in _COMPATIBLE) or written_ascii:
        return
    try:
        shown = f" ({encodings.idna.ToASCII(label).decode('ascii')})"
    except UnicodeError:
        shown = ""
    names = " and ".join(sorted(s.title() for s in found))
    raise UnsafeUrl(
        f"the host {host!r} mixes {names} letters in {label!r}{shown}: a look-alike "
        "of another address (a homograph); check the address in a browser and copy it "
        "again, or write the label in punycode if it really is the source's address"
    )


def scripts(text: str) -> frozenset[str]:
    """The scripts of the letters of `text`, by the first word of their Unicode names
    (LATIN, CYRILLIC, GREEK, CJK, ...); digits, hyphens and marks belong to none."""
    found = set()
    for char in text:
        if not unicodedata.category(char).startswith("L"):
            continue
        word = unicodedata.name(char, "UNKNOWN").split(" ")[0]
        found.add("KATAKANA" if word == "KATAKANA-HIRAGANA" else word)
    return frozenset(found)


def _port(parts: urllib.parse.SplitResult, text: str) -> int | None:
    try:
        return parts.port
    except ValueError:
        raise UnsafeUrl(f"{_short(text)} has a port that is not a number from 0 to 65535") from None


def _quoted(part: str) -> str:
    """%-encode what is not printable ASCII (UTF-8), keeping existing %-escapes."""
    return urllib.parse.quote(part, safe=_SAFE)


def _short(text: str, limit: int = 80) -> str:
    return repr(text if len(text) <= limit else text[:limit] + "…")

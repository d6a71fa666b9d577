"""Check the HTML body after it is rendered: what a reader can click or a client loads.

The HTML body comes from a template that a workspace may override (a colleague's commit
travels in git), so the links in it are checked where they end up, not where they were
written: every `<a href>` must be a web address the URL policy accepts (urls.py: http(s),
a host, no user or password, no invisible or reordering characters), a `mailto:` or a
`#fragment`; nothing may be loaded from elsewhere (a remote image tells its server who
opened the mail, and when), only `cid:` parts and `data:` images; and no script, frame,
form or object, which no brief needs and mail clients treat as an attack.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from briefgen.errors import BriefgenError
from briefgen.urls import MAX_URL_CHARS, UnsafeUrl, check_url

FORBIDDEN_TAGS = frozenset({"script", "iframe", "frame", "object", "embed", "form", "base"})
LOADING = frozenset({"src", "background", "poster", "srcset", "data", "action", "formaction"})
"""Attributes whose URL a mail client loads (or submits to) without a click."""


class _Collector(HTMLParser):
    """Every problem, with its line in the rendered HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.in_style = False

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self.in_style = False

    def handle_data(self, data: str) -> None:
        compact = data.replace(" ", "").lower()
        if self.in_style and ("url(" in compact or "@import" in compact):
            line = self.getpos()[0]
            self.problems.append(
                f"line {line}: a url(...) or @import in a stylesheet, which the client loads"
            )

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        self.in_style = tag == "style"
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"line {line}: a <{tag}> element, which no brief needs")
        if tag == "meta" and any(
            n == "http-equiv" and (v or "").lower() == "refresh" for n, v in attrs
        ):
            self.problems.append(
                f"line {line}: a <meta http-equiv=refresh>, which loads another page"
            )
        for name, value in attrs:
            problem = _attribute_problem(tag, name, (value or "").strip())
            if problem:
                self.problems.append(f"line {line}: {problem}")


def _attribute_problem(tag: str, name: str, value: str) -> str | None:
    if name.startswith("on"):
        return f"an event handler ({name}=), which runs script"
    if name == "href" and tag == "link":
        return f"<link href={value[:80]!r}>, which makes the client load it"
    if name == "href":
        return _link_problem(value)
    if name in LOADING and not value.startswith(("cid:", "data:image/")):
        return (
            f"{name}={value[:80]!r} makes the mail client load it from elsewhere (telling "
            "that server who opened the mail); embed it as a data: URL or leave it out"
        )
    if name == "style" and "url(" in value.replace(" ", "").lower():
        return "a url(...) in a style attribute, which makes the client load it"
    return None


def _link_problem(href: str) -> str | None:
    if href.startswith(("#", "mailto:")) or not href:
        return None
    try:
        check_url(href, max_chars=max(MAX_URL_CHARS, len(href)))
    except UnsafeUrl as error:
        return f"a link to {href[:80]!r}: {error}"
    return None


_WRITTEN_URL = re.compile(r"(?i)\b(?:[a-z][a-z0-9+.-]*://|www\.)[^\s<>\"']+")


def check_text(text: str, template: str) -> None:
    """Refuse a plain-text body that writes an address the URL policy refuses: mail
    clients turn written addresses into links, so `https://www.reuters.com@evil.example/`
    in text deceives as it does in a link."""
    problems = []
    for number, line in enumerate(text.splitlines(), start=1):
        for match in _WRITTEN_URL.finditer(line):
            written = match.group().rstrip(".,;:)]}")
            url = written if "://" in written else f"https://{written}"
            problem = _link_problem(url)
            if problem:
                problems.append(f"line {number}: {problem}")
    if problems:
        raise BriefgenError(
            f"{template}: the text body it renders has {'; '.join(problems[:5])}. Fix the "
            "template or the note; nothing was written or sent."
        )


def check_html(html: str, template: str) -> None:
    """Refuse a rendered HTML body whose links or loads are not safe, naming them all."""
    collector = _Collector()
    collector.feed(html)
    collector.close()
    if collector.problems:
        listed = "; ".join(collector.problems[:5])
        more = f" (and {len(collector.problems) - 5} more)" if len(collector.problems) > 5 else ""
        raise BriefgenError(
            f"{template}: the HTML body it renders has {listed}{more}. Fix the template; "
            "nothing was written or sent."
        )

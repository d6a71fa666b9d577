"""The one URL policy (briefgen/urls.py): what is refused and why, the printed form of
what passes, and that registry URLs reach every format in that form only."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefgen import pipeline
from briefgen.errors import InvalidNotes
from briefgen.urls import MAX_URL_CHARS, SafeUrl, UnsafeUrl, check_url, display_host, url_problem
from conftest import edit

REFUSED = [
    ("https://user:password@reaction.life/x", "'user:password' before '@'"),
    ("https://www.reuters.com@evil.example/a", "go to 'evil.example'"),
    ("https://reaction.life/\x07a", "U+0007"),
    ("https://reaction.life/\u202efdp.exe", "U+202E (RIGHT-TO-LEFT OVERRIDE)"),
    ("https://reaction.life/a\u200bb", "U+200B (ZERO WIDTH SPACE)"),
    ("https://reaction.life/\u2066x\u2069", "U+2066"),
    ("https://reaction.life/\ufeffx", "U+FEFF"),
    ("https://reaction.life/\u200ex", "U+200E"),
    ("https:///etc/passwd", "has no host"),
    ("https://www.\u0430pple.com/", "mixes Cyrillic and Latin letters in 'аpple' (xn--pple-43d)"),
    ("https://\u03bfpenai.com/", "mixes Greek and Latin"),
    ("https://x.org/" + "a" * MAX_URL_CHARS, "the cap is 2,000 ([notes] max_url_chars"),
    ("javascript:alert(1)", "not a web address"),
    ("file:///etc/passwd", "not a web address"),
    ("reaction.life/example", "not a web address"),
    ("https:/reaction.life", "not a web address"),
    ("http://2130706433/", "not an IPv4 address"),
    ("http://0x7f.1/", "not an IPv4 address"),
    ("https://a..b/", "empty label"),
    ("https://evil.example\\.reuters.com/", "backslash"),
    ("https://reaction.life:99999/", "port"),
    ("https://[::1/", "cannot be read"),
    ("https://reaction.life/a b", "U+0020 (SPACE)"),
]


@pytest.mark.parametrize(("url", "says"), REFUSED, ids=[says for _, says in REFUSED])
def test_refused(url: str, says: str) -> None:
    with pytest.raises(UnsafeUrl) as info:
        check_url(url)
    assert says in str(info.value)
    assert url_problem(url) == str(info.value)


@pytest.mark.parametrize(
    ("url", "printed", "host"),
    [
        ("https://reaction.life/example", "https://reaction.life/example", "reaction.life"),
        ("HTTPS://Reaction.LIFE", "https://reaction.life/", "reaction.life"),
        ("https://пример.рф/путь?q=ü",
         "https://xn--e1afmkfd.xn--p1ai/%D0%BF%D1%83%D1%82%D1%8C?q=%C3%BC",
         "xn--e1afmkfd.xn--p1ai"),
        ("https://例え.jp/", "https://xn--r8jz45g.jp/", "xn--r8jz45g.jp"),
        ("https://xn--pple-43d.com/", "https://xn--pple-43d.com/", "xn--pple-43d.com"),
        ("https://ｅｘａｍｐｌｅ．com/", "https://example.com/", "example.com"),
        ("http://127.0.0.1:9/admin", "http://127.0.0.1:9/admin", "127.0.0.1"),
        ("http://[::1]:8080/", "http://[::1]:8080/", "::1"),
        ('https://x.invalid/"><img/src=x>', "https://x.invalid/%22%3E%3Cimg/src=x%3E", "x.invalid"),
    ],
)  # fmt: skip
def test_accepted_in_printed_form(url: str, printed: str, host: str) -> None:
    safe = check_url(url)
    assert safe == SafeUrl(printed, host)
    assert safe.url.isascii()
    assert display_host(safe.url) == host


def test_the_cap_is_a_parameter() -> None:
    long = "https://x.org/" + "a" * 2_500
    assert check_url(long, max_chars=3_000).url == long
    with pytest.raises(UnsafeUrl, match="2,514 characters long; the cap is 2,000"):
        check_url(long)


def test_a_100_kb_address_is_refused_in_linear_time() -> None:
    with pytest.raises(UnsafeUrl, match="100,014 characters"):
        check_url("https://x.org/" + "a" * 100_000)


# --- through the notes -------------------------------------------------------------------


def registry(edition: Path) -> Path:
    return edition.parent / "sources.yaml"


@pytest.mark.parametrize(("url", "says"), REFUSED[:12], ids=[s for _, s in REFUSED[:12]])
def test_registry_url_refused_at_its_line(edition: Path, url: str, says: str) -> None:
    quoted = url.replace("\\", "\\\\").replace('"', '\\"').replace("\x07", "\\a")
    edit(registry(edition), "url: https://reaction.life/example", f'url: "{quoted}"')
    with pytest.raises(InvalidNotes) as info:
        pipeline.check([edition])
    (problem,) = info.value.problems
    assert str(problem).startswith("sources/demo/sources.yaml:7: [0].url: ")
    assert says in problem.message


def test_url_cap_is_raised_in_briefgen_toml(edition: Path, workspace: Path) -> None:
    url = "https://reaction.life/" + "a" * 2_500
    edit(registry(edition), "url: https://reaction.life/example", f"url: {url}")
    with pytest.raises(InvalidNotes, match="max_url_chars"):
        pipeline.check([edition])
    (workspace / "briefgen.toml").write_text("[notes]\nmax_url_chars = 3000\n")
    (valid,) = pipeline.check([edition])
    assert valid.registry["reaction-2025-01-13"].url == url


def test_an_international_address_is_printed_in_punycode_everywhere(
    edition: Path, workspace: Path
) -> None:
    edit(registry(edition), "url: https://reaction.life/example", "url: https://пример.рф/статья")
    printed = "https://xn--e1afmkfd.xn--p1ai/%D1%81%D1%82%D0%B0%D1%82%D1%8C%D1%8F"
    # the link carries a text fragment of the quotes cited from it (ASCII, percent-encoded)
    target = printed + "#:~:text=two%20captured%20North%20Korean%20soldiers"
    options = pipeline.BuildOptions(output=workspace / "out", formats=["pdf", "docx", "html"])
    files = {p.suffix: p for p in pipeline.build([edition], options).written}

    html = files[".html"].read_text(encoding="utf-8")
    assert f'href="{target}' in html and f">{printed}</a>" in html
    # the notes travel inside the brief as written (issue 19's ledger); the page shows none
    shown = re.sub(
        r'<script type="application/json" id="briefgen-ledger">.*?</script>', "", html, flags=re.S
    )
    assert "пример" not in shown

    with zipfile.ZipFile(files[".docx"]) as package:
        rels = package.read("word/_rels/document.xml.rels").decode()
        body = package.read("word/document.xml").decode()
    assert f'Target="{target}' in rels
    assert printed in body and "пример" not in body

    reader = PdfReader(io.BytesIO(files[".pdf"].read_bytes()))
    uris = [
        a.get_object()["/A"].get("/URI")
        for page in reader.pages
        for a in page.get("/Annots") or []
        if "/A" in a.get_object()
    ]
    assert any(uri.startswith(target) for uri in uris)

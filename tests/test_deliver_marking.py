"""The handling marking in the mail (issue 18): it leads the subject (`[TLP:AMBER] …`,
`UNCLASSIFIED – …`) and both bodies, whatever the subject template says; a TLP:RED brief
is not sent or drafted to a distribution list unless --allow-red-to-list says each member
may receive it. Sent to a real SMTP server on 127.0.0.1 and read back from what arrived.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import test_deliver
from click.testing import CliRunner
from test_deliver import EDITION, SENDER, config, mail, parse, words

from briefgen.cli import main
from briefgen.deliver.compose import is_red, marked, subject_marking
from briefgen.errors import BriefgenError

built, ws = test_deliver.built, test_deliver.ws  # fixtures: the sample workspace, built
certificate, mailbox, smtp, smtp_env = (
    test_deliver.certificate,
    test_deliver.mailbox,
    test_deliver.smtp,
    test_deliver.smtp_env,
)
pytestmark = pytest.mark.usefixtures("ws")

TITLE = "North Korean forces in Russia’s war — 2025-01-26"
LIST = {"lists": {"weekly": ["Ann <ann@example.org>", "bob@example.org"]}}


def set_marking(marking: str) -> None:
    """The sample edition's `marking:` line, as the analyst would edit it."""
    path = Path(EDITION)
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?m)^marking: .*$", f"marking: {marking}", text), encoding="utf-8")


def bodies(message) -> tuple[str, str]:
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    return text, html


@pytest.mark.parametrize(
    ("marking", "subject"),
    [
        ("TLP:AMBER", f"[TLP:AMBER] {TITLE}"),
        ("TLP:AMBER+STRICT", f"[TLP:AMBER+STRICT] {TITLE}"),
        ("tlp:clear", f"[TLP:CLEAR] {TITLE}"),
        ("UNCLASSIFIED", f"UNCLASSIFIED – {TITLE}"),
        ("OFFICIAL-SENSITIVE", f"OFFICIAL-SENSITIVE – {TITLE}"),
    ],
)
def test_the_marking_leads_subject_and_bodies_of_what_arrives(
    smtp_env, mailbox, marking: str, subject: str
) -> None:
    set_marking(marking)
    mail(to=["ann@example.org"], send=True, config=config(mail={"from": SENDER}))
    [received] = mailbox.messages
    message = parse(received.data)
    assert message["Subject"] == subject
    text, html = bodies(message)
    assert words(text).startswith(marking)
    first_paragraph = re.search(r"<body[^>]*>.*?<p[^>]*>(.*?)</p>", html, re.S)
    assert first_paragraph and first_paragraph.group(1).strip() == marking


@pytest.mark.parametrize(
    "template",
    [
        "{{ brief.title }}",  # leaves the marking out
        "Weekly: {{ brief.title }} ({{ brief.marking }})",  # puts it at the end
    ],
)
def test_a_custom_subject_still_leads_with_the_marking(template: str) -> None:
    set_marking("TLP:GREEN")
    result = mail(to=["ann@example.org"], dry_run=True, config=config(mail={"subject": template}))
    assert result.subject.startswith("[TLP:GREEN] ")
    assert result.subject.count("[TLP:GREEN]") == 1


def test_a_custom_subject_that_leads_with_it_is_kept() -> None:
    template = "{{ brief.marking|subject_marking }}Korea weekly"
    result = mail(to=["ann@example.org"], dry_run=True, config=config(mail={"subject": template}))
    assert result.subject == "UNCLASSIFIED – Korea weekly"


def test_tlp_red_is_not_sent_to_a_list(smtp_env, mailbox) -> None:
    set_marking("TLP:RED")
    cfg = config(mail={"from": SENDER, **LIST})
    with pytest.raises(BriefgenError) as refused:
        mail(list_name="weekly", send=True, config=cfg)
    said = str(refused.value)
    assert said.startswith(f"{EDITION}:11: marking TLP:RED: TLP:RED is for named recipients")
    assert "--allow-red-to-list" in said and "'weekly'" in said
    assert mailbox.messages == [] and mailbox.commands == []  # not even a connection


def test_tlp_red_is_not_drafted_to_a_list_either(ws: Path) -> None:
    set_marking("UNCLASSIFIED // TLP:RED")
    draft = ws / "red.eml"
    with pytest.raises(BriefgenError, match="TLP:RED is for named recipients only"):
        mail(list_name="weekly", eml=draft, config=config(mail={"from": SENDER, **LIST}))
    assert not draft.exists()


def test_tlp_red_goes_to_named_recipients(smtp_env, mailbox) -> None:
    set_marking("TLP:RED")
    cfg = config(mail={"from": SENDER, **LIST})
    mail(to=["ann@example.org"], cc=["carl@example.org"], send=True, config=cfg)
    [received] = mailbox.messages
    assert received.rcpt_tos == ["ann@example.org", "carl@example.org"]
    assert parse(received.data)["Subject"] == f"[TLP:RED] {TITLE}"


def test_tlp_red_to_a_list_when_the_sender_allows_it(smtp_env, mailbox) -> None:
    set_marking("TLP:RED")
    cfg = config(mail={"from": SENDER, **LIST})
    mail(list_name="weekly", send=True, allow_red_to_list=True, config=cfg)
    [received] = mailbox.messages
    assert received.rcpt_tos == ["ann@example.org", "bob@example.org"]


def test_a_dry_run_warns_what_sending_would_refuse() -> None:
    set_marking("TLP:RED")
    result = mail(list_name="weekly", dry_run=True, config=config(mail=LIST))
    assert any("would be refused" in w and "TLP:RED" in w for w in result.warnings)


def test_the_marking_from_briefgen_toml_is_named_there(ws: Path) -> None:
    path = Path(EDITION)
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?m)^marking: .*\n", "", text), encoding="utf-8")
    (ws / "briefgen.toml").write_text('[brief]\nmarking = "TLP:RED"\n', encoding="utf-8")
    cfg = config(mail={"from": SENDER, **LIST}, brief={"marking": "TLP:RED"})
    with pytest.raises(
        BriefgenError, match=r"^briefgen.toml:2: \[brief\] marking: marking TLP:RED"
    ):
        mail(list_name="weekly", eml=ws / "x.eml", config=cfg)


def test_the_command_line_refuses_without_a_traceback(ws: Path, monkeypatch) -> None:
    set_marking("TLP:RED")
    (ws / "briefgen.toml").write_text(
        '[mail]\nfrom = "Desk <desk@example.org>"\n[mail.lists]\nweekly = ["ann@example.org"]\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        main, ["mail", str(EDITION), "--list", "weekly", "--eml", "red.eml"]
    )
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and not (ws / "red.eml").exists()
    assert "TLP:RED is for named recipients only" in result.output
    assert "--allow-red-to-list" in CliRunner().invoke(main, ["mail", "--help"]).output


@pytest.mark.parametrize(
    ("marking", "red"),
    [
        ("TLP:RED", True),
        ("tlp: red", True),
        ("SECRET//TLP:RED", True),
        ("TLP:AMBER", False),
        ("RED TEAM NOTES", False),
        ("TLP:REDACTED", False),
        ("TLP:CLEAR // TLP:RED", True),  # RED cannot hide behind an earlier label
        ("TLP:AMBER TLP:GREEN", False),
    ],
)
def test_what_counts_as_red(marking: str, red: bool) -> None:
    assert is_red(marking) is red


def test_marking_forms() -> None:
    assert subject_marking("  TLP:AMBER  ") == "[TLP:AMBER] "
    assert subject_marking("TLP:GREEN / TLP:AMBER+STRICT") == "[TLP:AMBER+STRICT] "
    assert subject_marking("") == ""
    assert marked("\u2068[TLP:AMBER]\u2069 Brief", "TLP:AMBER") == "\u2068[TLP:AMBER]\u2069 Brief"

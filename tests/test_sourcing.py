"""Sourcing a reviewer can audit (issue 15): origins, unverified quotes, Admiralty codes,
caveats, unidentified outlets — in check, in the source summary, and in every format
read back (pypdf, python-docx, the HTML, the mail draft)."""

from __future__ import annotations

import email
import email.policy
import textwrap
from pathlib import Path

import pytest
from docx import Document

from briefgen import deliver, pipeline
from briefgen.config import Config
from briefgen.errors import InvalidNotes
from conftest import edit, pdf_text

REGISTRY = """\
- id: wire-a
  title: JCS says more troops likely
  publisher: Wire A
  published: 2025-01-24
  reliability: B
  text: texts/wire-a.txt
- id: copy-b
  title: JCS says more troops likely (copy)
  publisher: Paper B
  published: 2025-01-24
  reliability: B
  derives_from: wire-a
- id: paper-c
  title: The JCS statement
  publisher: Paper C
  published: 2025-01-24
  reliability: C
  url: https://paper-c.example/jcs
  archive: https://web.archive.org/web/2025/https://paper-c.example/jcs
  accessed: 2025-01-25
- id: blog-d
  title: A rumour
  publisher: Blog D
  published: 2025-01-23
  reliability: D
- id: feed
  title: Feed item of 24 Jan
  publisher: Feed
  published: 2025-01-24
  reliability: B
  text: texts/feed.txt
  lines: 2
  url: https://feed.example/items
- id: unnamed
  title: "[An unattributed report]"
  publisher: Unattributed report
  unidentified: true
  published: 2025-01-24
  reliability: F
"""

WIRE = "SEOUL — North Korea is likely preparing to send more troops to Russia, the JCS said.\n"
FEED = (
    "23 Jan: Seoul says the prisoners may be transferred.\n"
    "24 Jan: The Joint Chiefs of Staff expect a further deployment in light of losses.\n"
    "25 Jan: A later item about something else entirely.\n"
)

EDITION = """\
title: Test topic
edition: 2025-01-26
period: 2025-W04
key_judgments:
  - text: North Korea will probably send more troops.
    cite:
      - {source: wire-a, said_by: "South Korea's JCS", credibility: 2,
         quote: "likely preparing to send more troops"}
      - {source: copy-b}
      - {source: paper-c, said_by: "south korea's  jcs", quote: "more troops to Russia"}
  - text: Two independent origins say so.
    cite: [wire-a, blog-d]
situation:
  - text: The JCS expects a further deployment.
    cite:
      - {source: feed, quote: "expect a further deployment in light of losses"}
    caveat: The JCS gave no evidence.
  - text: An unattributed report says the same.
    cite: [unnamed]
"""


@pytest.fixture
def topic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "sources" / "t"
    (folder / "texts").mkdir(parents=True)
    (folder / "sources.yaml").write_text(REGISTRY, encoding="utf-8")
    (folder / "texts" / "wire-a.txt").write_text(WIRE, encoding="utf-8")
    (folder / "texts" / "feed.txt").write_text(FEED, encoding="utf-8")
    (folder / "2025-W04.yaml").write_text(EDITION, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return folder


def brief(topic: Path, strict: bool | None = None):  # type: ignore[no-untyped-def]
    (valid,) = pipeline.check([topic / "2025-W04.yaml"], pipeline.BuildOptions(strict=strict))
    return valid, pipeline.brief_of(valid)


def problems(topic: Path, strict: bool | None = None) -> list[str]:
    with pytest.raises(InvalidNotes) as raised:
        pipeline.check([topic / "2025-W04.yaml"], pipeline.BuildOptions(strict=strict))
    return [str(p) for p in raised.value.problems]


# --- origins ---------------------------------------------------------------------------


def test_three_outlets_relaying_one_statement_are_one_origin(topic: Path) -> None:
    _, b = brief(topic)
    first, second = b.key_judgments
    # wire-a and paper-c name the same originator (case and spacing aside); copy-b
    # derives from wire-a: three outlets, one origin, so the line carries †.
    assert [o.name for o in first.origins] == ["South Korea\u2019s JCS"]
    assert first.single_source
    assert not second.single_source  # the wire's own reporting and a blog: two origins


def test_summary_counts_origins_outlets_grades_and_thin_lines(topic: Path) -> None:
    _, b = brief(topic)
    assert b.source_summary.startswith(
        "This brief rests on 6 sources from 5 outlets and 1 unidentified outlet, published "
        "between 23 Jan 2025 and 24 Jan 2025; they relay 5 independent origins."
    )
    assert "Source reliability: 3 usually reliable (B), 1 fairly reliable (C), 1 not usually " in (
        b.source_summary
    )
    assert "Information credibility, where graded by citation: 1 probably true (2)." in (
        b.source_summary
    )
    assert "3 of 4 lines rest on a single origin" in b.source_summary
    assert "among them key judgment 1." in b.source_summary


def test_derives_from_must_name_a_source_and_not_loop(topic: Path) -> None:
    registry = topic / "sources.yaml"
    edit(registry, "  derives_from: wire-a\n", "  derives_from: nowhere\n")
    (found,) = problems(topic)
    assert "sources.yaml:12: [1].derives_from: derives_from 'nowhere' is not a source" in found
    edit(registry, "  derives_from: nowhere\n", "  derives_from: copy-b\n")
    assert "leads back to 'copy-b'" in problems(topic)[0]


# --- quotes ----------------------------------------------------------------------------


def test_quote_from_a_source_with_no_text_is_unverified_and_marked(topic: Path) -> None:
    valid, b = brief(topic)
    (warning,) = [str(w) for w in valid.warnings if "unverified" in str(w)]
    assert "2025-W04.yaml:10: key_judgments[0].cite[2].quote: quote unverified" in warning
    markers = {m.number: m for m in b.key_judgments[0].markers}
    assert [m.suffix for m in markers.values()] == [" B2", "", "‡"]
    assert "1 quote could not be checked" in b.source_summary
    assert "‡ quote not checked" in " ".join(b.legend)


def test_strict_refuses_unverified_quotes_and_thin_key_judgments(topic: Path) -> None:
    edit(topic / "2025-W04.yaml", "cite: [wire-a, blog-d]", "cite: [blog-d]")
    found = problems(topic, strict=True)
    assert any("key_judgments[0].cite[2].quote: quote unverified" in p for p in found)
    assert any(
        "key_judgments[1].cite: this key judgment rests on one origin (Blog D), graded D" in p
        for p in found
    )
    (topic.parent.parent / "briefgen.toml").write_text("[check]\nstrict = true\n")
    assert len(problems(topic)) == len(found)


def test_a_feed_item_quote_is_checked_within_its_own_lines(topic: Path) -> None:
    edit(
        topic / "2025-W04.yaml",
        'quote: "expect a further deployment in light of losses"',
        'quote: "Seoul says the prisoners may be transferred"',
    )
    (found,) = problems(topic)
    assert "situation[0].cite[0].quote" in found and "texts/feed.txt" in found


# --- grades ----------------------------------------------------------------------------


def test_unidentified_outlet_is_f_unless_a_reason_is_given(topic: Path) -> None:
    registry = topic / "sources.yaml"
    edit(
        registry,
        "  unidentified: true\n  published: 2025-01-24\n  reliability: F",
        ("  unidentified: true\n  published: 2025-01-24\n  reliability: C"),
    )
    (found,) = problems(topic)
    assert "reliability C for an unidentified outlet" in found and "reliability: F" in found
    with registry.open("a", encoding="utf-8") as file:  # the unidentified entry is the last
        file.write('  reliability_note: "the text is in wire style"\n')
    brief(topic)


@pytest.mark.parametrize("value", ["yes", "7", "0", '"2"', "2.0"])
def test_credibility_is_a_number_from_1_to_6(topic: Path, value: str) -> None:
    edit(topic / "2025-W04.yaml", "credibility: 2", f"credibility: {value}")
    (found,) = problems(topic)
    assert "key_judgments[0].cite[0].credibility" in found


@pytest.mark.parametrize("value", ["0", '"3-1"', "two", "yes"])
def test_lines_must_be_a_line_or_a_range(topic: Path, value: str) -> None:
    edit(topic / "sources.yaml", "  lines: 2\n", f"  lines: {value}\n")
    found = problems(topic)
    assert any("[4].lines" in p for p in found), found


# --- every format ----------------------------------------------------------------------


@pytest.fixture
def built(topic: Path) -> dict[str, Path]:
    result = pipeline.build(
        [topic / "2025-W04.yaml"],
        pipeline.BuildOptions(output=topic.parent.parent / "out", formats=["pdf", "docx", "html"]),
    )
    return {path.suffix: path for path in result.written}


def test_pdf_shows_codes_marks_caveat_archive_and_legend(built: dict[str, Path]) -> None:
    text = " ".join(pdf_text(built[".pdf"]).split())
    assert "1 B2" in text and "‡" in text and "†" in text
    assert "Caveat: The JCS gave no evidence." in text
    assert "Archived copy: https://web.archive.org/web/" in text.replace("// ", "//")  # wraps
    assert "Accessed 25 Jan 2025" in text
    assert "Relays [1] Wire A" in text
    assert "(outlet unidentified)" in text
    assert "B2 Admiralty code" in text


def test_docx_shows_the_same_marks(built: dict[str, Path]) -> None:
    document = Document(str(built[".docx"]))
    text = "\n".join(p.text for p in document.paragraphs).replace("\xa0", " ")
    assert "[1 B2, 2, 3‡]†" in text
    assert "Caveat: The JCS gave no evidence." in text
    assert "Accessed 25 Jan 2025" in text and "Relays [1] Wire A" in text


def test_html_links_a_quoted_source_to_its_words(built: dict[str, Path]) -> None:
    html = built[".html"].read_text(encoding="utf-8")
    assert 'class="unverified"' in html and 'class="caveat"' in html
    # a verified quote: the entry's link lands on the words (WICG text fragment)
    assert (
        'href="https://feed.example/items#:~:text=expect%20a%20further%20deployment%20in%20'
        'light%20of%20losses"' in html
    )
    # paper-c's quote is unverified (no text on file): no fragment claims where it is
    assert 'href="https://paper-c.example/jcs"' in html


def test_mail_draft_carries_the_marks(topic: Path, built: dict[str, Path]) -> None:
    draft = topic.parent.parent / "brief.eml"
    config = Config.model_validate(
        {"smtp": {"timeout": 5}, "mail": {"from": "Desk <desk@example.org>"}, "root": Path()}
    )
    deliver.mail_brief([topic / "2025-W04.yaml"], to=[], eml=draft, config=config)
    message = email.message_from_bytes(draft.read_bytes(), policy=email.policy.default)
    plain = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    html = message.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert "[1 B2]\u00a0Wire A" in plain and "[3‡]\u00a0Paper C" in plain
    assert " †" in plain and "‡ quote not checked" in textwrap.dedent(plain).replace("\n", " ")
    assert "[1 B2] Wire A" in html and "‡" in html


def test_a_source_cited_again_without_said_by_is_its_own_reporting(topic: Path) -> None:
    """Only a copy (derives_from) takes the origin its original is cited with; the wire's
    own words beside a statement it relays are a second origin."""
    edit(
        topic / "2025-W04.yaml",
        "cite: [wire-a, blog-d]",
        'cite: [{source: wire-a, said_by: "US President"}, {source: wire-a}]',
    )
    _, b = brief(topic)
    assert sorted(o.name for o in b.key_judgments[1].origins) == ["US President", "Wire A"]
    assert not b.key_judgments[1].single_source

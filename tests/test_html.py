"""The HTML brief: golden files for the sample editions, and the linking contract."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import tinyhtml5

from briefgen import pipeline
from briefgen.render.html import render_html
from briefgen.templating import environment
from conftest import REPO, edit

GOLDEN = Path(__file__).parent / "golden"
SAMPLES = sorted((REPO / "sources" / "nk-russia").glob("20*.yaml"))
CITED_SECTIONS = ("key-judgments", "situation", "estimates", "questions", "outlook")
"""Sections every brief has; `changes` joins them when the edition has a predecessor."""
NS = "{http://www.w3.org/1999/xhtml}"


def html_of(edition: Path) -> str:
    (valid,) = pipeline.check([edition])
    return render_html(pipeline.brief_of(valid), environment())


@pytest.mark.parametrize("edition", SAMPLES, ids=lambda p: p.stem)
def test_sample_edition_matches_golden_html(edition: Path) -> None:
    """Regenerate with `make golden` after a deliberate change, and review the diff."""
    html = html_of(edition)
    golden = GOLDEN / f"{edition.stem}.html"
    if os.environ.get("BRIEFGEN_REGEN_GOLDEN"):
        golden.write_text(html, encoding="utf-8")
    assert html == golden.read_text(encoding="utf-8")


def by_id(root, ident: str):
    return next(el for el in root.iter() if el.get("id") == ident)


@pytest.mark.parametrize("edition", [*SAMPLES, None], ids=lambda p: p.stem if p else "test")
def test_every_line_links_to_an_entry_under_sources(edition: Path | None, workspace: Path) -> None:
    has_predecessor = edition is not None and edition != SAMPLES[0]
    edition = edition or workspace / "sources" / "demo" / "2025-W03.yaml"
    root = tinyhtml5.parse(html_of(edition))
    source_ids = {el.get("id") for el in by_id(root, "sources").iter() if el.get("id")}
    lines = 0
    has_changes = any(el.get("id") == "changes" for el in root.iter())
    assert has_changes == has_predecessor
    for section in (*CITED_SECTIONS, "changes") if has_changes else CITED_SECTIONS:
        element = by_id(root, section)
        items = list(element.iter(f"{NS}li"))
        items += [tr for tr in element.iter(f"{NS}tr") if tr.get("class") != "quantity"]
        items = [el for el in items if el.find(f"{NS}th") is None or el.find(f"{NS}td") is not None]
        for item in items:
            links = [a for a in item.iter(f"{NS}a") if a.get("class") == "cite"]
            assert links, f"uncited line in #{section}: {''.join(item.itertext())!r}"
            for link in links:
                assert link.get("href")[1:] in source_ids
        lines += len(items)
    assert lines > 0


def test_text_from_notes_is_escaped(edition: Path) -> None:
    html = html_of(edition)
    assert 'heavy losses &amp; &lt;b&gt;hiding&lt;/b&gt; <span class="tail">them.' in html
    assert "Notes &amp; &lt;queries&gt; from the desk" in html
    assert "<b>hiding" not in html


def test_sections_carry_their_ids_in_order(edition: Path) -> None:
    html = html_of(edition)
    positions = [html.index(f'id="{s}"') for s in (*CITED_SECTIONS, "sources")]
    assert positions == sorted(positions)


def test_optional_sections_are_left_out_when_empty(edition: Path) -> None:
    text = edition.read_text(encoding="utf-8")
    edition.write_text(text[: text.index("estimates:")], encoding="utf-8")
    html = html_of(edition)
    for section in ("estimates", "questions", "outlook"):
        assert f'id="{section}"' not in html
    assert 'id="situation"' in html


def test_a_source_without_url_has_no_link(edition: Path) -> None:
    edit(edition, "    cite: [reaction-2025-01-13, desk-memo]\n", "    cite: [desk-memo]\n")
    root = tinyhtml5.parse(html_of(edition))
    urls = [a.get("href") for a in by_id(root, "sources").iter(f"{NS}a")]
    # the link lands on the words the brief quotes from it (WICG text fragments)
    assert urls == [
        "https://reaction.life/example#:~:text=two%20captured%20North%20Korean%20soldiers"
        "&text=ready%20to%20exchange%20two%20captured%20North%20Korean%20soldiers"
        "&text=around%20300%20of%20Pyongyang%E2%80%99s%20soldiers"
    ]


def test_a_web_page_with_its_title_block_and_one_date_style(edition: Path, workspace: Path) -> None:
    (workspace / "briefgen.toml").write_text(
        '[brief]\norganisation = "Ministry of Examples"\nproduct_line = "Korea Watch"\n'
        'distribution = "Desk & partners"\n',
        encoding="utf-8",
    )
    edit(
        edition,
        "author: Korea Desk\n",
        "author: Korea Desk\nnumber: 12\ncontact: desk@example.org\n",
    )
    html = html_of(edition)
    root = tinyhtml5.parse(html)
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    masthead = next(el for el in root.iter() if el.get("class") == "masthead")
    assert [" ".join(el.itertext()) for el in masthead] == [
        "Ministry of Examples",
        "Korea Watch",
        "No.\xa012",
    ]
    facts = " ".join(by_class(root, "edition-facts").itertext())
    assert "desk@example.org" in facts and "Desk & partners" in facts
    assert '<time datetime="2025-01-19">19\xa0Jan\xa02025</time>' in html
    assert "13\xa0Jan\xa02025" in html and "2025-01-13<" not in html
    key = " ".join(by_class(root, "mark-key").itertext())
    assert "[n]" in key and "ICD 203" in key
    markings = [el for el in root.iter() if "screen-marking" in (el.get("class") or "")]
    assert [el.get("id") for el in markings] == ["marking-top", "marking-bottom"]


def by_class(root, name: str):
    return next(el for el in root.iter() if el.get("class") == name)

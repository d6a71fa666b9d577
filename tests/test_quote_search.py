"""`briefgen quote TOPIC "words"`: a passage remembered roughly is found in the topic's
stored texts, printed in the source's own words, and pasted as a citation it verifies."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from briefgen.cli import main
from briefgen.quotes import Passage, QuoteIndex, QuoteStatus
from briefgen.quotes.search import search
from briefgen.validate import load_registry
from conftest import DATA, edit

ARTICLE_ID = "harbour-times-2025-01-15"


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def pasted(output: str, rank: int = 1) -> tuple[str, str]:
    """The source id and quote of the `rank`th passage, read from the printed YAML block."""
    blocks = re.findall(r"^   - source: (\S+)\n     quote: (\".*\")$", output, re.MULTILINE)
    source_id, quote = blocks[rank - 1]
    return source_id, quote


@pytest.fixture
def article(workspace: Path) -> Path:
    """The demo topic with the news article registered (dated before the edition) and graded."""
    page = DATA / "intake" / "article.html"
    result = run("source", "add", "demo", page, "--published", "2025-01-15")  # before W03
    assert result.exit_code == 0, result.output
    registry = workspace / "sources" / "demo" / "sources.yaml"
    edit(registry, "  # reliability: A-F", "  reliability: B\n  # reliability: A-F")
    return workspace


@pytest.mark.parametrize(
    ("remembered", "exact"),
    [
        (
            "300 soldiers killed and 2700 wounded",
            "300 North Korean soldiers had been killed and 2,700 wounded",
        ),
        (
            "units were withdrawn to the rear to regroup and resupply",
            "units have been withdrawn to rear areas to regroup and to be resupplied",
        ),
        (
            "\u201cheavy losses\u201d in assaults across open fields",  # curly quotes
            "\u201cheavy losses\u201d in assaults across open fields",
        ),
        ("ZELENSKY OFFERED TO SWAP TWO CAPTURED SOLDIERS", None),
    ],
)
def test_remembered_words_give_the_exact_words(
    article: Path, edition: Path, remembered: str, exact: str | None
) -> None:
    result = run("quote", "demo", remembered)
    assert result.exit_code == 0, result.output
    source_id, quote = pasted(result.output)
    assert source_id == ARTICLE_ID
    assert f"1. {ARTICLE_ID}  texts/{ARTICLE_ID}.txt:" in result.output
    if exact is not None:
        assert quote == f'"{exact}"'
    # pasted under a line's cite:, the quote verifies in check
    edit(
        edition,
        '        quote: "ready to exchange two captured North Korean soldiers"\n',
        '        quote: "ready to exchange two captured North Korean soldiers"\n'
        f"      - source: {source_id}\n        quote: {quote}\n",
    )
    check = run("check")
    assert check.exit_code == 0, check.output
    assert "quote" not in check.stderr  # neither refused nor unverified
    registry, _ = load_registry(article / "sources" / "demo")
    assert registry.quotes.check(source_id, quote.strip('"')).status is QuoteStatus.VERIFIED


def test_exact_words_say_so(article: Path) -> None:
    result = run("quote", "demo", "offered to exchange two captured North Korean soldiers")
    assert result.exit_code == 0
    assert "(exact words)" in result.output


def test_best_passages_of_several_sources_come_first(article: Path) -> None:
    result = run("quote", "demo", "exchange two captured North Korean soldiers")
    assert result.exit_code == 0
    ids = [pasted(result.output, rank)[0] for rank in (1, 2)]
    assert sorted(ids) == sorted([ARTICLE_ID, "reaction-2025-01-13"])


def test_too_few_words_and_nothing_close_are_refused(article: Path) -> None:
    short = run("quote", "demo", "Kursk")
    assert short.exit_code == 1
    assert "too short" in short.output and "Traceback" not in short.output
    far = run("quote", "demo", "the central bank raised interest rates by half a point")
    assert far.exit_code == 1
    assert "no passage close to" in far.output


def test_a_topic_without_texts(workspace: Path) -> None:
    registry = workspace / "sources" / "demo" / "sources.yaml"
    edit(registry, "  text: texts/reaction.txt\n", "")
    result = run("quote", "demo", "two captured North Korean soldiers")
    assert result.exit_code == 1
    assert "no source of this topic has a text on file" in result.output


PAGED = "[page 1]\nFirst page of the report.\n\n[page 2]\nA table.\n\n[page 3]\n" + (
    "Losses among the foreign contingent are assessed to exceed one thousand.\n"
)


def test_a_pdf_text_names_the_page(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_text(PAGED, encoding="utf-8")
    index = QuoteIndex({"mod-report": Passage(path)}, 1_000_000, tmp_path)
    hit = search(index, "losses among foreign contingents exceed a thousand")[0]
    assert hit.where() == "report.txt:8, p. 3"
    refused = index.check("mod-report", "losses among the foreign contingent exceed 1,000")
    assert refused.status is QuoteStatus.REFUSED
    assert "at report.txt:8, p. 3;" in str(refused.message)


def test_each_item_of_a_feed_is_its_own_source(tmp_path: Path) -> None:
    path = tmp_path / "feed.txt"
    path.write_text(
        "[2025-01-14]\nSeoul says casualties rose to 3,000 soldiers.\n\n"
        "[2025-01-12]\nTwo wounded soldiers were captured in Kursk Oblast.\n",
        encoding="utf-8",
    )
    index = QuoteIndex({"wire-14": Passage(path, 1, 2), "wire-12": Passage(path, 4, 5)})
    hits = search(index, "two soldiers captured in the Kursk region")
    assert hits[0].source_id == "wire-12"
    assert hits[0].line == 5

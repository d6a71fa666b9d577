"""Quotes are compared on their words, not on quote marks, dashes, spacing or case."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.quotes import QuoteIndex, normalise


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("\u201cHello\u201d", '"hello"'),
        ("\u2018it\u2019s\u2019", "'it's'"),
        ("\u00abnon\u00bb", '"non"'),
        ("\u201ehalb\u201f", '"halb"'),
        ("a \u2013 b \u2014 c \u2212 d \u2010 e \u2011 f", "a - b - c - d - e - f"),
        ("a\u00a0b\u2009c\u202fd", "a b c d"),
        ("  two\n\tlines   here  ", "two lines here"),
        ("UPPER Case", "upper case"),
        ("Stra\u00dfe", "strasse"),
        ("\ufb01nal \u2026", "final ..."),
        ("\uff26ull", "full"),
    ],
)
def test_normalise(text: str, folded: str) -> None:
    assert normalise(text) == folded


def test_normalise_keeps_the_words() -> None:
    assert normalise("ready to exchange") != normalise("ready to swap")


@pytest.fixture
def index(tmp_path: Path) -> QuoteIndex:
    text = tmp_path / "source.txt"
    text.write_text(
        "He said he is \u201cready to exchange\u201d two\ncaptured soldiers \u2014 "
        "Pyongyang\u2019s men \u2013 for prisoners.\n",
        encoding="utf-8",
    )
    return QuoteIndex({"src": text})


@pytest.mark.parametrize(
    "quote",
    [
        "ready to exchange",
        '"ready to exchange" two captured soldiers',
        "READY TO EXCHANGE",
        "two captured soldiers",
        "two   captured\nsoldiers",
        "soldiers - Pyongyang's men - for",
        "soldiers \u2014 Pyongyang\u2019s men \u2014 for",
        "\u201ctwo captured soldiers\u201d",
        "'two captured soldiers'",
    ],
)
def test_check_finds(index: QuoteIndex, quote: str) -> None:
    assert index.check("src", quote) is None


@pytest.mark.parametrize(
    "quote", ["ready to swap", "three captured soldiers", "Pyongyangs men", "readytoexchange"]
)
def test_check_misses(index: QuoteIndex, quote: str) -> None:
    problem = index.check("src", quote)
    assert problem is not None
    assert problem.startswith("quote not found in the text of 'src' (source.txt); copy it exactly")


def test_source_without_text_is_not_checked(index: QuoteIndex) -> None:
    assert index.check("no-text", "anything at all") is None


def test_text_is_read_once_and_only_when_needed(tmp_path: Path) -> None:
    path = tmp_path / "later.txt"
    index = QuoteIndex({"src": path})  # the file need not exist until a quote needs it
    path.write_text("first words", encoding="utf-8")
    assert index.check("src", "first words") is None
    path.write_text("second words", encoding="utf-8")
    assert index.check("src", "first words") is None  # cached

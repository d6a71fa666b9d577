"""Quotes are compared on their words, as whole words, within their source's passage.

Verified, unverified or refused (with the closest passage); robust to Unicode forms,
hyphenation, invisible characters, quote marks, dashes, spacing and case in either text.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from briefgen.quotes import (
    Passage,
    QuoteIndex,
    QuoteResult,
    QuoteStatus,
    normalise,
    parse_lines,
    text_fragment,
)

VERIFIED = QuoteStatus.VERIFIED


def index_of(
    folder: Path, text: str, first: int | None = None, last: int | None = None
) -> QuoteIndex:
    """An index with one source, `src`, whose text is `text` (lines first–last of it)."""
    path = folder / "source.txt"
    path.write_text(text, encoding="utf-8")
    return QuoteIndex({"src": Passage(path, first, last)}, 1_000_000)


def refused(result: QuoteResult) -> str:
    assert result.status is QuoteStatus.REFUSED
    assert result.message is not None
    return result.message


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
        ("caf\u0065\u0301", "caf\u00e9"),
        ("in\u00adtel\u200bli\u200cgen\u200dce\u2060\ufeff", "intelligence"),
        ("intelli-\ngence", "intelligence"),
        ("intelli\u00ad\n  gence", "intelligence"),
        ("2024-\n2025", "2024- 2025"),  # a range broken at a line end is not a word
    ],
)
def test_normalise(text: str, folded: str) -> None:
    assert normalise(text) == folded


def test_normalise_keeps_the_words() -> None:
    assert normalise("ready to exchange") != normalise("ready to swap")


SAME_WORDS = [
    pytest.param("the caf\u00e9 was shelled", "the cafe\u0301 was shelled", id="nfc-nfd"),
    pytest.param("the \ufb01nal offensive began", "the final offensive began", id="ligature"),
    pytest.param("\uff35\uff2e Security Council met", "UN Security Council met", id="fullwidth"),
    pytest.param("intel\u00adligence officials said", "intelligence officials said", id="shy"),
    pytest.param("intelli-\ngence officials said", "intelligence officials said", id="hyphen"),
    pytest.param("a well-\nknown commander said", "a well-known commander said", id="compound"),
    pytest.param("intel\u200bligence officials", "intelligence officials", id="zwsp"),
    pytest.param("intel\u200cligence officials", "intelligence officials", id="zwnj"),
    pytest.param("intel\u200dligence officials", "intelligence officials", id="zwj"),
    pytest.param("intel\u2060ligence officials", "intelligence officials", id="word-joiner"),
    pytest.param("\ufeffintelligence officials", "intelligence officials", id="bom"),
    pytest.param("Pyongyang\u2019s men were", "Pyongyang's men were", id="apostrophe"),
    pytest.param("\u201cready to exchange\u201d", '"ready to exchange"', id="double-quotes"),
    pytest.param("soldiers \u2014 Pyongyang's men", "soldiers - Pyongyang's men", id="em-dash"),
    pytest.param("from 10\u201312 thousand", "from 10-12 thousand", id="en-dash"),
    pytest.param("two\n  captured\tsoldiers", "two captured soldiers", id="whitespace"),
    pytest.param("two\u00a0captured soldiers", "two captured soldiers", id="nbsp"),
    pytest.param("READY TO EXCHANGE prisoners", "ready to exchange prisoners", id="case"),
    pytest.param("the Stra\u00dfe was closed", "the strasse was closed", id="sharp-s"),
]


@pytest.mark.parametrize(("one", "other"), SAME_WORDS)
def test_same_words_match_in_either_direction(tmp_path: Path, one: str, other: str) -> None:
    text = "Before the quote.\nHe said: {} and left.\n"
    assert index_of(tmp_path, text.format(one)).check("src", other).status is VERIFIED
    assert index_of(tmp_path, text.format(other)).check("src", one).status is VERIFIED


@pytest.mark.parametrize(
    ("text", "quote"),
    [
        ("Pyongyang is unlikely to attack the South.", "likely to attack the South"),
        ("Such a transfer is illegal under international law.", "legal under international law"),
        # the quote must end on a word boundary: "North Korea" is not "North Koreans"
        ("The captured North Koreans were questioned.", "The captured North Korea"),
        ("The nonaligned states met in Delhi.", "aligned states met in Delhi"),
        ("The toll could reach 4,000 by spring.", "toll could reach 4"),
        ("It cost 1.5 million dollars in all.", "5 million dollars in all"),
    ],
)
def test_only_whole_words_match(tmp_path: Path, text: str, quote: str) -> None:
    message = refused(index_of(tmp_path, text).check("src", quote))
    assert message.startswith("quote not found in src (source.txt); closest: '")
    assert "source.txt:1" in message


def test_part_word_match_says_so(tmp_path: Path) -> None:
    text = "Intro.\nPyongyang is unlikely to attack the South.\n"
    message = refused(index_of(tmp_path, text).check("src", "likely to attack the South"))
    assert message == (
        "quote not found in src (source.txt); closest: 'unlikely to attack the South' at "
        "source.txt:2; the quote begins or ends inside a word; copy whole words exactly"
    )


@pytest.mark.parametrize(
    ("text", "quote"),
    [
        ("Pyongyang is likely to attack the South.", "likely to attack the South"),
        ("Such a transfer is legal under international law.", "legal under international law"),
        ("The captured North Korea troops.", "The captured North Korea"),
        ("The toll could reach 4,000 by spring.", "toll could reach 4,000"),
        ("He said (\u201cnever\u201d) twice over.", "(\u201cnever\u201d) twice"),
    ],
)
def test_whole_words_match(tmp_path: Path, text: str, quote: str) -> None:
    assert index_of(tmp_path, text).check("src", quote).status is VERIFIED


def test_closest_passage_names_file_and_line(tmp_path: Path) -> None:
    text = "Seoul, 24 January.\nHe is ready to exchange two captured soldiers.\nEnd.\n"
    message = refused(index_of(tmp_path, text).check("src", "ready to swap two captured soldiers"))
    assert message == (
        "quote not found in src (source.txt); closest: 'ready to exchange two captured "
        "soldiers' at source.txt:2; copy the words exactly"
    )


def test_paths_are_shown_from_the_topic_folder(tmp_path: Path) -> None:
    (tmp_path / "texts").mkdir()
    path = tmp_path / "texts" / "003_feed.txt"
    path.write_text("one\ntwo\nthree words here\nfour\n", encoding="utf-8")
    index = QuoteIndex({"feed-item": Passage(path, 2, 2)}, 1_000, topic_dir=tmp_path)
    message = refused(index.check("feed-item", "three words here"))
    assert message.startswith("quote not found in feed-item (texts/003_feed.txt, line 2); ")
    assert "it is at texts/003_feed.txt:3, outside this source's lines" in message


FEED = "".join(f"Item {n}: the words of item number {n} are here.\n" for n in range(1, 8))


@pytest.mark.parametrize(
    ("first", "last", "quote", "verified"),
    [
        (5, 6, "the words of item number 5", True),
        (5, 6, "the words of item number 6", True),
        (5, 6, "the words of item number 3", False),
        (5, 6, "the words of item number 7", False),
        (5, 6, "item number 6 are here. Item 7", False),  # runs out of the passage
        (5, 5, "item number 5 are here.", True),
        (None, None, "the words of item number 3", True),
    ],
)
def test_passage_bounds_the_search(
    tmp_path: Path, first: int | None, last: int | None, quote: str, verified: bool
) -> None:
    result = index_of(tmp_path, FEED, first, last).check("src", quote)
    assert (result.status is VERIFIED) is verified


def test_quote_outside_its_passage_names_its_line(tmp_path: Path) -> None:
    message = refused(index_of(tmp_path, FEED, 5, 6).check("src", "the words of item number 3"))
    assert message == (
        "quote not found in src (source.txt, lines 5\u20136); it is at source.txt:3, outside "
        "this source's lines; cite the source that stands for that line, or fix `lines` in "
        "sources.yaml"
    )


def test_near_miss_in_a_passage_points_anywhere_in_the_file(tmp_path: Path) -> None:
    message = refused(index_of(tmp_path, FEED, 5, 6).check("src", "the word of item number 3"))
    assert "closest: 'the words of item number 3' at source.txt:3" in message


def test_line_range_past_the_end_is_refused(tmp_path: Path) -> None:
    message = refused(index_of(tmp_path, FEED, 6, 9).check("src", "the words of item"))
    assert message == (
        "cannot check quotes of src (source.txt, lines 6\u20139): the file has 7 lines, so "
        "lines 6-9 are not in it; fix `lines` in sources.yaml"
    )


@pytest.mark.parametrize(
    ("quote", "why"),
    [
        ("", "it is empty"),
        ("  \u201c \u201d ", "it is empty"),
        ("a", "it is one word"),
        ("\u201cKursk\u201d", "it is one word"),
        ("counterintelligence", "it is one word"),
        ("two words", "under 12 characters"),
        ("a b c d e f", "under 12 characters"),
    ],
)
def test_too_short_quotes_are_refused(tmp_path: Path, quote: str, why: str) -> None:
    index = index_of(tmp_path, "two words a b c d e f Kursk counterintelligence")
    for source in ("src", "no-text"):  # the rule holds whether or not there is a text
        message = refused(index.check(source, quote))
        assert why in message
        assert message.endswith("; quote a whole phrase or drop `quote:`")


def test_twelve_characters_of_two_words_are_enough(tmp_path: Path) -> None:
    assert (
        index_of(tmp_path, "the two captured men").check("src", "two captured").status is VERIFIED
    )


def test_source_without_text_is_unverified(tmp_path: Path) -> None:
    result = index_of(tmp_path, "x").check("no-text", "anything at all here")
    assert result == QuoteResult(QuoteStatus.UNVERIFIED)


@pytest.mark.parametrize("content", [None, b"\xff\xfe not utf-8 text"])
def test_unreadable_text_is_refused(tmp_path: Path, content: bytes | None) -> None:
    path = tmp_path / "gone.txt"
    if content is not None:
        path.write_bytes(content)
    message = refused(QuoteIndex({"src": path}).check("src", "anything at all here"))
    assert message.startswith("cannot check quotes of src (gone.txt): cannot read the text: ")


def test_problem_is_the_refusal_message(tmp_path: Path) -> None:
    index = index_of(tmp_path, "He is ready to exchange two captured soldiers.")
    assert index.problem("src", "ready to exchange two") is None
    assert index.problem("no-text", "ready to exchange two") is None
    assert index.problem("src", "ready to swap two") == refused(
        index.check("src", "ready to swap two")
    )


def test_text_is_read_once_and_only_when_needed(tmp_path: Path) -> None:
    path = tmp_path / "later.txt"
    index = QuoteIndex({"src": path})  # the file need not exist until a quote needs it
    path.write_text("first words here", encoding="utf-8")
    assert index.check("src", "first words here").status is VERIFIED
    path.write_text("second words", encoding="utf-8")
    assert index.check("src", "first words here").status is VERIFIED  # cached


def test_same_text_finds_one_article_under_two_ids(tmp_path: Path) -> None:
    article = "Seoul \u2014 The JCS said \u201cmore troops\u201d may follow.\n"
    (tmp_path / "a.txt").write_text(article, encoding="utf-8")
    (tmp_path / "b.txt").write_text('SEOUL - the JCS said\n"more troops" may follow.', "utf-8")
    (tmp_path / "feed.txt").write_text(f"Other item.\n{article}Third item.\n", "utf-8")
    (tmp_path / "c.txt").write_text("A different article altogether.", encoding="utf-8")
    index = QuoteIndex(
        {
            "wire": Passage(tmp_path / "a.txt"),
            "copy": Passage(tmp_path / "b.txt"),
            "feed-item": Passage(tmp_path / "feed.txt", 2, 2),
            "feed-other": Passage(tmp_path / "feed.txt", 1, 1),
            "other": Passage(tmp_path / "c.txt"),
            "missing": Passage(tmp_path / "nothing.txt"),
        }
    )
    assert index.same_text() == [("copy", "feed-item"), ("copy", "wire"), ("feed-item", "wire")]


@pytest.mark.parametrize(
    ("quote", "fragment"),
    [
        ("an example text fragment", "#:~:text=an%20example%20text%20fragment"),
        ("\u201cthe quoted words\u201d", "#:~:text=the%20quoted%20words"),
        ("an e-mail, sent & read", "#:~:text=an%20e%2Dmail%2C%20sent%20%26%20read"),
        ("10\u201312 thousand", "#:~:text=10%E2%80%9312%20thousand"),
        ("caf\u00e9 in\u00adtel\u200b", "#:~:text=caf%C3%A9%20intel"),
        ("100% (or so)", "#:~:text=100%25%20(or%20so)"),
        ("two\n  lines", "#:~:text=two%20lines"),
        ("", ""),
        (
            "one two three four five six seven eight nine ten eleven",
            "#:~:text=one%20two%20three%20four,eight%20nine%20ten%20eleven",
        ),
    ],
)
def test_text_fragment(quote: str, fragment: str) -> None:
    assert text_fragment(quote) == fragment


@pytest.mark.parametrize(("spec", "lines"), [("12", (12, 12)), ("12-14", (12, 14)), (8, (8, 8))])
def test_parse_lines(spec: str, lines: tuple[int, int]) -> None:
    assert parse_lines(spec) == lines


@pytest.mark.parametrize("spec", ["x", "14-12", "0", "1-2-3", ""])
def test_parse_lines_says_how_to_write_it(spec: str) -> None:
    with pytest.raises(ValueError, match=r"8-12"):
        parse_lines(spec)


_INVISIBLES = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_WORDS = st.text("abcdeéiouynßﬁ", min_size=1, max_size=8)
_GAPS = st.sampled_from([" ", "\n", ", ", " \u2014 ", ".\n\n", "  "])


def _sprinkle(data: st.DataObject, text: str) -> str:
    """Invisible characters anywhere, except a soft hyphen right before white space (a
    line-end hyphenation: it joins the lines into one word, as it should)."""
    out = []
    for char in text:
        if data.draw(st.booleans()):
            allowed = _INVISIBLES[1:] if char.isspace() else _INVISIBLES
            out.append(data.draw(st.sampled_from(allowed)))
        out.append(char)
    return "".join(out)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.tuples(_WORDS, _GAPS), min_size=2, max_size=30), st.data())
def test_any_whole_word_stretch_is_verified(
    tmp_path: Path, words: list[tuple[str, str]], data: st.DataObject
) -> None:
    text = "".join(word + gap for word, gap in words)
    starts = [sum(len(w) + len(g) for w, g in words[:i]) for i in range(len(words))]
    i = data.draw(st.integers(0, len(words) - 2))
    j = data.draw(st.integers(i + 1, len(words) - 1))
    quote = text[starts[i] : starts[j] + len(words[j][0])]
    assume(len(normalise(quote)) >= 12)
    stored = unicodedata.normalize("NFD", _sprinkle(data, text))
    quoted = _sprinkle(
        data, unicodedata.normalize(data.draw(st.sampled_from(["NFC", "NFD"])), quote)
    )
    assert index_of(tmp_path, stored).check("src", quoted).status is VERIFIED


def test_long_quote_names_where_it_starts(tmp_path: Path) -> None:
    lines = [f"Line {n} says that event number {n} happened as reported." for n in range(1, 60)]
    quote = " ".join(lines[19:40]).replace("event number 30", "event number thirty")
    message = refused(index_of(tmp_path, "\n".join(lines)).check("src", quote))
    assert "closest: 'Line 20 says that event number 20 happened" in message
    assert message.endswith("\u2026' at source.txt:20; copy the words exactly")


@pytest.mark.parametrize(
    ("text", "first", "quote"),
    [
        ("one\r\ntwo words here\r\nthree\r\n", 2, "two words here"),
        ("one\r\nintelli-\r\ngence said so\r\n", 2, "intelligence said"),
        ("a\n(a+)+$ [x] \\d{2} costs $5\nb\n", 2, "(a+)+$ [x] \\d{2} costs $5"),
    ],
)
def test_line_endings_and_pattern_characters(
    tmp_path: Path, text: str, first: int, quote: str
) -> None:
    assert index_of(tmp_path, text, first, first + 1).check("src", quote).status is VERIFIED


def test_empty_text_refuses_every_quote(tmp_path: Path) -> None:
    message = refused(index_of(tmp_path, "").check("src", "anything at all here"))
    assert message == (
        "quote not found in src (source.txt); the text is empty; check the file, or drop `quote:`"
    )


def test_punctuation_is_not_a_quote(tmp_path: Path) -> None:
    assert "it has no words" in refused(index_of(tmp_path, "!!").check("src", "!!! ??? !!! ???"))


@pytest.mark.parametrize(
    ("text", "quote", "words"),
    [
        ("He is \u201cready to\nexchange\u201d them.", '"READY TO EXCHANGE"', "ready to exchange"),
        (
            "soldiers \u2014 Pyongyang\u2019s men",
            "soldiers - Pyongyang's",
            "soldiers \u2014 Pyongyang\u2019s",
        ),
        ("the Stra\u00dfe was closed", "the strasse was", "the Stra\u00dfe was"),
        ("the cafe\u0301 was shelled", "the caf\u00e9 was", "the caf\u00e9 was"),
        ("intelli-\ngence officials said", "intelligence officials", None),  # split by a break
    ],
)
def test_verified_quote_gives_the_source_words(
    tmp_path: Path, text: str, quote: str, words: str | None
) -> None:
    """The words a text fragment should search for: the page's, not the analyst's copy."""
    result = index_of(tmp_path, text).check("src", quote)
    assert result.status is VERIFIED
    assert result.words == words


@given(
    st.text(alphabet=st.sampled_from(list("Ab c-\n\t\u00ad\u200b’“ﬁßİℌ  \u2010é́ 漢")), max_size=60)
)
def test_the_folded_text_alone_is_the_text_fold_gives(text: str) -> None:
    """quote_key folds without the maps back to the source; the text is the same."""
    from briefgen.quotes.folding import fold, folded_text

    assert folded_text(text) == fold(text).text

"""Estimative language, linted: ICD 203 keeps reporting apart from judgment, and says
how likely and how sure in separate words.

Four warnings (never errors; `check --strict` makes them so), each at its line:

- a situation line (reporting: what happened) that uses estimative words;
- an outlook judgment whose text says another likelihood than its `likelihood:`;
- a sentence that states both a likelihood and a confidence;
- one edition writing likelihoods from both rows of the scale (`likely` and `highly probable`).

Words are matched whole (`likely` is not found in `unlikely`), and text inside quotation
marks is skipped: it is someone else's words, and quoting them is reporting.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from briefgen.judgments.scales import SCALES, Scale, normalise
from briefgen.load import Loc
from briefgen.models import Edition, Judgment

Located = tuple[Loc, str]
"""Where (a path into the notes) and what, as validate.py turns into `file:line: ...`."""

ESTIMATIVE = (
    "likely",
    "unlikely",
    "probably",
    "probable",
    "improbable",
    "possibly",
    "perhaps",
    "presumably",
    "almost certainly",
    "nearly certain",
    "almost certain",
    "remote chance",
    "realistic possibility",
    "even chance",
    "even odds",
    "may",
    "might",
    "will",
    "expect",
    "expects",
    "expected",
    "anticipate",
    "anticipates",
    "anticipated",
    "we assess",
    "we judge",
    "we estimate",
    "we believe",
)
"""Words that announce a judgment or a forecast, where a situation line should say what
happened. Left out on purpose: `could` and `would` (in reporting they are mostly the past
of can and will: "troops could not hold the village", "he said they would return");
`suggests`, `appears`, `seems` (sources suggest things; reporting that is fine); and
`May` capitalised, the month ("in May 2024"). `will` after an article or possessive is
the noun ("political will"), not a forecast."""

_NOUN_WILL = re.compile(
    r"(?<![\w-])(?:the|political|own|free|good|ill|his|her|their|its|of)\s+$", re.I
)

_ATTRIBUTED = re.compile(
    r"(?<![\w-])(?:said|says|say|told|tells|replied|replies|warned|warns|stated|states"
    r"|announced|announces|claimed|claims|assessed|assesses|estimated|estimates|reported"
    r"|reports|believes|believed|added|noted|argued|insisted|predicted|promised|pledged"
    r"|vowed|according\s+to)(?![\w-])",
    re.IGNORECASE,
)
"""A reporting verb: what follows it in the sentence is someone else's judgment, reported
(`Seoul warned that Pyongyang is likely preparing …`), which a situation line may carry.
The analyst's own forecast in the same sentence after such a verb is missed: the price of
not flagging every attributed statement of intent."""

_CONFIDENCE = re.compile(
    r"(?<![\w-])(?:(?:low|moderate|medium|high|higher|lower)[- ]confidence"
    r"|confidence|confident|confidently)(?![\w-])",
    re.IGNORECASE,
)
"""How a sentence states the analyst's confidence (`with high confidence`, `we are confident`)."""

_QUOTED = re.compile(r"“[^“”]*”|\"[^\"]*\"|‘(?:[^‘’]|’(?=\w))*’(?!\w)|«[^«»]*»|„[^„“”]*[“”]")
"""Text inside quotation marks (curly, straight, guillemets, German); `‘…’` ends at a ’
that no letter follows, so `Russia’s` inside it does not end it. No quote runs past the
next opening mark, so an unclosed one costs one scan, not one per mark (linear time)."""

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[^a-z])|(?<=;)\s+")


def _words(phrases: tuple[str, ...] | list[str]) -> re.Pattern[str]:
    """One pattern for whole phrases, longest first (`very likely` before `likely`);
    letters or a hyphen on either side mean another word (`unlikely`, `likely-looking`)."""
    ordered = sorted(set(phrases), key=len, reverse=True)
    spaced = (r"\s+".join(map(re.escape, p.split())) for p in ordered)
    return re.compile(r"(?<![\w-])(?:" + "|".join(spaced) + r")(?![\w-])", re.IGNORECASE)


_ESTIMATIVE = _words(ESTIMATIVE)


@functools.lru_cache(maxsize=4)
def _likelihood_words(scale: Scale) -> dict[str, int]:
    """Every way a text may say a likelihood of any yardstick, with the place on the scale
    it stands for: both rows, and the adverb (`almost certainly`, `probably`). Bare
    `remote` is left out: in prose it is mostly a place ("remote areas")."""
    words: dict[str, int] = {}
    for yardstick in (scale, *(s for s in SCALES.values() if s is not scale)):
        for rank, band in enumerate(yardstick.bands):
            for term in filter(None, (band.term, band.other)):
                for form in (term, _adverb(term)):
                    words.setdefault(form, rank)
    words.pop("remote", None)
    words.setdefault("remote possibility", 0)
    return words


@functools.lru_cache(maxsize=4)
def _likelihood_pattern(scale: Scale) -> re.Pattern[str]:
    return _words(list(_likelihood_words(scale)))


def _adverb(term: str) -> str:
    """`almost certain` → `almost certainly`, `probable` → `probably`; `likely` stays."""
    if term.endswith("ble"):
        return term[:-1] + "y"
    if term.endswith("certain"):
        return term + "ly"
    return term


def unquoted(text: str) -> str:
    """The text with what it quotes blanked out (same length, so positions still hold)."""
    return _QUOTED.sub(lambda m: " " * len(m[0]), text)


def sentences(text: str) -> Iterator[str]:
    """The text's sentences, roughly: . ! or ? then a space and no lower case; or a ;."""
    yield from (s for s in _SENTENCE_END.split(text) if s.strip())


def estimative(text: str) -> list[str]:
    """The estimative words a line of reporting uses in its own voice: outside quotation
    marks, and not after a verb that gives them to someone else in the same sentence."""
    found = []
    for sentence in sentences(unquoted(text)):
        attributed = _ATTRIBUTED.search(sentence)
        for match in _ESTIMATIVE.finditer(sentence):
            if attributed and attributed.end() <= match.start():
                continue
            before = sentence[max(0, match.start() - 16) : match.start()]  # one word back
            if not _not_estimative(match[0], before):
                found.append(normalise(match[0]))
    return list(dict.fromkeys(found))


def _not_estimative(word: str, before: str) -> bool:
    """`May` the month; `will` the noun."""
    return word == "May" or (word.lower() == "will" and bool(_NOUN_WILL.search(before)))


def likelihoods(text: str, scale: Scale) -> list[tuple[str, int]]:
    """The likelihood words a text says (outside quotes), each with its place on the scale."""
    words = _likelihood_words(scale)
    pattern = _likelihood_pattern(scale)
    return [(normalise(m[0]), words[normalise(m[0])]) for m in pattern.finditer(unquoted(text))]


def warnings(edition: Edition) -> list[Located]:
    """Every estimative-language warning of one edition, in document order."""
    scale = edition.outlook[0].scale if edition.outlook else None
    found: list[Located] = []
    for index, line in enumerate(edition.key_judgments):
        found += both(("key_judgments", index, "text"), line.text, scale)
    for index, line in enumerate(edition.situation):
        found += _reporting(("situation", index, "text"), line.text)  # says confidence too
    for index, judgment in enumerate(edition.outlook):
        found += disagreeing(("outlook", index, "text"), judgment)
        found += both(("outlook", index, "text"), judgment.text, scale)
    return found + mixed_rows(edition.outlook)


def _reporting(loc: Loc, text: str) -> list[Located]:
    words = estimative(text)
    if not words:
        return []
    shown = ", ".join(map(repr, words))
    message = (
        f"a situation line reports what happened, but this one says {shown}, which is "
        "judgment; state the event and its source here, and put the judgment in the "
        "outlook with a likelihood (or quote whoever said it)"
    )
    return [(loc, message)]


def disagreeing(loc: Loc, judgment: Judgment) -> list[Located]:
    """The text says a likelihood other than the judgment's own `likelihood:`."""
    scale, mine = judgment.scale, judgment.scale.rank(judgment.likelihood)
    other = [word for word, rank in likelihoods(judgment.text, scale) if rank != mine]
    if not other:
        return []
    says = ", ".join(repr(w) for w in dict.fromkeys(other))
    message = (
        f"the text says {says} but likelihood: is {judgment.likelihood!r}; the brief prints "
        "both, so a reader sees two likelihoods: drop the word from the text (the "
        "likelihood is printed beside it) or change likelihood:"
    )
    return [(loc, message)]


def both(loc: Loc, text: str, scale: Scale | None) -> list[Located]:
    """A sentence that states both how likely and how confident (ICD 203 keeps them
    apart: confidence is about the sourcing, likelihood about the event)."""
    scale = scale or SCALES["icd203"]
    for sentence in sentences(unquoted(text)):
        confidence = _CONFIDENCE.search(sentence)
        said = likelihoods(sentence, scale)
        if confidence and said:
            message = (
                f"one sentence states a likelihood ({said[0][0]!r}) and a confidence "
                f"({normalise(confidence[0])!r}); readers take one for the other: say how "
                "likely in the text and how sure in confidence: (or in its own sentence)"
            )
            return [(loc, message)]
    return []


def mixed_rows(outlook: list[Judgment]) -> list[Located]:
    """Judgments written in the other row of the scale than the edition's first: one
    brief should read `likely … very likely`, not `likely … highly probable`."""
    decisive = [(i, j) for i, j in enumerate(outlook) if _has_rows(j)]
    if not decisive:
        return []
    first_index, first = decisive[0]
    found: list[Located] = []
    for index, judgment in decisive[1:]:
        if judgment.row == first.row:
            continue
        band = judgment.scale.bands[judgment.scale.rank(judgment.likelihood)]
        written = band.other if judgment.row == 2 else band.term
        wanted = band.term if first.row == 1 else band.other
        message = (
            f"{written!r} is from row {judgment.row} of {judgment.scale.name}, but "
            f"outlook[{first_index}] writes row {first.row}; one brief should use one row: "
            f"write {wanted!r}"
        )
        found.append((("outlook", index, "likelihood"), message))
    return found


def _has_rows(judgment: Judgment) -> bool:
    """Its band has two spellings, so which one was written says which row."""
    band = judgment.scale.band(judgment.likelihood)
    return band is not None and band.other is not None

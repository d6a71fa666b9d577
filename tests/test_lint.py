"""Estimative language, linted (briefgen/judgments/lint.py): reporting kept apart from judgment, a
judgment's text agreeing with its likelihood, likelihood and confidence in separate words.
Warnings, at their lines; `check` passes, `check --strict` refuses."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from briefgen.cli import main
from briefgen.judgments import lint
from briefgen.judgments.scales import ICD203, PHIA
from briefgen.models import Judgment
from briefgen.pipeline import check
from conftest import edit

# --- a situation line reports -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("North Korea will send more troops to Russia.", ["will"]),
        ("The troops are probably from the 11th Corps.", ["probably"]),
        ("The unit is likely to rotate out; it may return.", ["likely", "may"]),
        ("We assess that the brigade withdrew.", ["we assess"]),
        ("Almost certainly, the losses are higher.", ["almost certainly"]),
        ("More troops are expected in March.", ["expected"]),
        ("An unlikely pair met in Pyongyang.", ["unlikely"]),
        # someone else's words, quoted or attributed, are reporting
        ("A banner read “victory will be ours” over the square.", []),
        ('A banner read "victory will be ours" over the square.', []),
        ("Kim called it ‘a war we will win’ at the parade.", []),
        ("Seoul warned that Pyongyang is likely preparing to send more troops.", []),
        ("Zelensky said Ukraine will exchange the two soldiers.", []),
        ("According to the NIS, more troops will follow.", []),
        # ... but only within the sentence that attributes them
        ("Kyiv said 300 were killed. More will follow.", ["will"]),
        ("Kyiv said 300 were killed; more will follow.", ["will"]),
        # not estimative: the month, the noun, the past of can and will, other words
        ("In May 2024 the first units arrived.", []),
        ("Kim showed the political will to keep fighting.", []),
        ("The troops could not hold the village and would not retreat.", []),
        ("Goodwill gestures and willing partners; a likelihood table.", []),
        ("The report suggests the unit was moved.", []),
    ],
)
def test_estimative_words_in_reporting(text: str, flagged: list[str]) -> None:
    assert lint.estimative(text) == flagged


# --- a judgment's text says its own likelihood ------------------------------------------------


def judgment(text: str, likelihood: str, scale: object = ICD203) -> Judgment:
    data = {"text": text, "likelihood": likelihood, "confidence": "low", "cite": ["memo"]}
    return Judgment.model_validate(data, context={"scale": scale})


@pytest.mark.parametrize(
    ("text", "likelihood", "says"),
    [
        ("North Korea will almost certainly send more troops.", "likely", ["almost certainly"]),
        ("It is unlikely that Kim will acknowledge the deployment.", "likely", ["unlikely"]),
        ("It is likely that Kim will meet Trump.", "unlikely", ["likely"]),
        ("A very likely outcome is a second rotation.", "likely", ["very likely"]),
        ("Talks are highly improbable this year.", "unlikely", ["highly improbable"]),
        # agreeing: the same band, in either row or as an adverb
        ("It is unlikely that Kim will acknowledge the deployment.", "unlikely", []),
        ("Kim will likely meet Trump this year.", "probable", []),
        ("A second rotation is highly probable.", "very likely", []),
        ("Losses will almost certainly rise.", "nearly certain", []),
        ("North Korea will send more troops.", "likely", []),
        # quoted, or not a likelihood at all
        ("Kim will keep what he called an “almost certain” victory quiet.", "unlikely", []),
        ("Units in remote areas will be rotated.", "likely", []),
    ],
)
def test_a_judgment_text_saying_another_likelihood(
    text: str, likelihood: str, says: list[str]
) -> None:
    found = lint.disagreeing(("outlook", 0, "text"), judgment(text, likelihood))
    if not says:
        assert found == []
        return
    ((loc, message),) = found
    assert loc == ("outlook", 0, "text")
    assert message.startswith(f"the text says {', '.join(map(repr, says))} but likelihood: is")


def test_a_phia_judgment_is_read_on_its_own_scale() -> None:
    agrees = judgment("A realistic possibility that talks resume.", "realistic possibility", PHIA)
    assert lint.disagreeing(("outlook", 0, "text"), agrees) == []
    disagrees = judgment("Talks are highly likely to resume.", "likely", PHIA)
    ((_, message),) = lint.disagreeing(("outlook", 0, "text"), disagrees)
    assert "'highly likely' but likelihood: is 'likely'" in message


# --- likelihood and confidence, one sentence ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "warned"),
    [
        ("We judge with high confidence that more troops are likely to deploy.", True),
        ("We are confident that a second rotation is very likely.", True),
        ("With moderate confidence: Kim will probably not acknowledge it.", True),
        ("Low-confidence reporting says talks are unlikely.", True),
        ("We are confident the first units arrived. A second rotation is likely.", False),
        ("Reporting we hold with high confidence shows the units moved.", False),
        ("A second rotation is likely.", False),
        ("Kim said he was “confident” that victory was “almost certain”.", False),
    ],
)
def test_likelihood_and_confidence_in_one_sentence(text: str, warned: bool) -> None:
    found = lint.both(("key_judgments", 0, "text"), text, ICD203)
    assert bool(found) == warned
    if warned:
        assert "one sentence states a likelihood" in found[0][1]


# --- through check: warnings at their lines, never failing it ---------------------------------

WARNED = [
    (14, "situation[0].text", "says 'will', which is judgment"),
    (9, "key_judgments[1].text", "states a likelihood ('likely') and a confidence"),
    (39, "outlook[0].text", "the text says 'almost certainly' but likelihood: is 'likely'"),
]


@pytest.fixture
def linted(edition: Path) -> Path:
    edit(
        edition,
        "Zelensky said Ukraine is ready to exchange",
        "Ukraine will be ready, Kyiv hopes, to exchange",
    )
    edit(
        edition,
        "  - text: Ukraine holds two North Korean prisoners.",
        "  - text: We judge with high confidence that Ukraine likely holds two North Korean "
        "prisoners.",
    )
    edit(
        edition,
        "North Korea will send more troops",
        "North Korea will almost certainly send more troops",
    )
    return edition


def test_check_warns_at_each_line_and_passes(linted: Path) -> None:
    (valid,) = check([linted])
    found = {(w.line, w.where): w.message for w in valid.warnings}
    for line, where, message in WARNED:
        assert message in found[(line, where)], found
    result = CliRunner().invoke(main, ["check", str(linted)])
    assert result.exit_code == 0, result.stderr
    for line, where, _ in WARNED:
        assert f"warning: {linted.relative_to(Path.cwd())}:{line}: {where}:" in result.stderr


def test_check_strict_refuses_them(linted: Path) -> None:
    result = CliRunner().invoke(main, ["check", "--strict", str(linted)])
    assert result.exit_code == 1
    for line, where, _ in WARNED:
        assert f":{line}: {where}:" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_sample_test_edition_is_clean(edition: Path) -> None:
    (valid,) = check([edition])
    assert [w for w in valid.warnings if "likelihood" in w.message or "judgment" in w.message] == []

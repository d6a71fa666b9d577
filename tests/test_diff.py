"""Edition comparison: the sample editions' real changes, then each matching rule alone."""

from __future__ import annotations

import difflib
import json
from typing import Any

import pytest

from briefgen import diff, pipeline
from briefgen.diff import KINDS, Change, compare, format_text, to_json
from briefgen.models import Citation, Edition
from conftest import REPO

SAMPLES = REPO / "sources" / "nk-russia"


def sample(week: str) -> Edition:
    (valid,) = pipeline.check([SAMPLES / f"2025-{week}.yaml"])
    return valid.edition


@pytest.fixture(scope="module")
def w03_w04() -> list[Change]:
    return compare(sample("W03"), sample("W04"))


@pytest.fixture(scope="module")
def w04_w08() -> list[Change]:
    return compare(sample("W04"), sample("W08"))


def of_kind(changes: list[Change], kind: str) -> list[str]:
    return [change.text for change in changes if change.kind == kind]


# --- the sample editions -----------------------------------------------------------------


def test_w03_w04_estimates_added(w03_w04: list[Change]) -> None:
    assert of_kind(w03_w04, "estimate-added") == [
        "North Korean troops deployed to Russia: 10,000 to 12,000 (Not named in the report, "
        "as of Oct 2024)",
        "North Korean casualties (killed and wounded): more than 3,000 (Ukrainian government, "
        "as of 24 Jan 2025)",
        "North Korean losses: close to 1,200 (US estimates, no agency named, by 24 Jan 2025)",
        "North Korean losses: could reach 4,000 (Ukrainian President Volodymyr Zelensky, "
        "as of Jan 2025)",
    ]
    # The NIS figures gained two citations but kept their value and date: not a revision.
    assert of_kind(w03_w04, "estimate-revised") == []
    assert of_kind(w03_w04, "estimate-dropped") == []


def test_w03_w04_estimate_detail_and_cite(w03_w04: list[Change]) -> None:
    us = next(c for c in w03_w04 if c.detail.get("estimator") == "US estimates, no agency named")
    assert us.detail == {
        "quantity": "North Korean losses",
        "estimator": "US estimates, no agency named",
        "unit": None,
        "old": None,
        "new": "close to 1,200",
        "as_of_old": None,
        "as_of_new": "..2025-01-24",
    }
    assert [c.source for c in us.cite] == ["wire-seoul-2025-01-24"]
    assert us.cite[0].quote == "U.S. estimates suggesting a figure close to 1,200"


def test_w03_w04_questions(w03_w04: list[Change]) -> None:
    # W04 recasts W03's "Will North Korea replace its losses ..." under the same id
    # (more-troops): matched by id, so neither opened nor dropped.
    assert of_kind(w03_w04, "question-opened") == [
        "Opened: Why do casualty estimates differ so widely, and do the US “close to 1,200” and "
        "Zelensky’s “could reach 4,000” count the wounded as well as the dead?",
        "Opened: Will Kim Jong Un take up Trump’s offer of renewed contact, or hold to the "
        "“toughest” line against the US he set out in December?",
    ]
    assert of_kind(w03_w04, "question-dropped") == []
    assert of_kind(w03_w04, "question-answered") == []
    # "What is Russia giving North Korea …" was reworded ("other military technology" →
    # "technology for its nuclear programme"), ratio 0.84: the same question, reworded;
    # so is more-troops (matched by id).
    assert of_kind(w03_w04, "question-reworded") == [
        "Reworded: On what evidence does the JCS judge that more troops are being prepared, "
        "and how many, with what weapons, and when?",
        "Reworded: What is Russia giving North Korea in return for its troops — spy-satellite "
        "know-how, technology for its nuclear programme, or money?",
    ]


def test_w03_w04_judgments(w03_w04: list[Change]) -> None:
    # "More troops" keeps the grade its evidence carries (likely, low confidence): W04
    # adds the same originator (South Korea's military), hedged and without evidence.
    assert of_kind(w03_w04, "judgment-moved") == []
    assert of_kind(w03_w04, "judgment-added") == [
        "New judgment (roughly even chance, low confidence): Trump and Kim Jong Un will meet, "
        "or their governments hold high-level talks, before the end of 2025.",
    ]
    assert of_kind(w03_w04, "judgment-reworded") == []
    assert of_kind(w03_w04, "judgment-dropped") == []
    for week in ("W03", "W04", "W08"):
        (troops,) = [j for j in sample(week).outlook if j.id == "more-troops"]
        assert (troops.likelihood, troops.confidence) == ("likely", "low")
        assert troops.caveat is not None and "South Korea" in troops.caveat


def test_w03_w04_sources_added(w03_w04: list[Change]) -> None:
    added = [c for c in w03_w04 if c.kind == "source-added"]
    # In order of first citation in W04: key judgments, then situation.
    assert [c.detail["source"] for c in added] == [
        "news-2025-01-24",
        "kyiv-independent-2025-01-24",
        "wire-seoul-2025-01-24",
    ]
    assert added[0].text == "New source: news-2025-01-24"
    assert added[0].cite == (Citation(source="news-2025-01-24"),)


def test_w03_w04_kinds_in_order(w03_w04: list[Change]) -> None:
    kinds = [change.kind for change in w03_w04]
    assert kinds == sorted(kinds, key=KINDS.index)
    assert len(w03_w04) == 1 + 4 + 2 + 2 + 3
    assert kinds[0] == "judgment-added"  # judgments first, as an editor reports them


def test_w04_w08(w04_w08: list[Change]) -> None:
    (moved,) = of_kind(w04_w08, "judgment-moved")
    assert moved.startswith(
        "▲ unlikely → roughly even chance: At least one of the two captured soldiers will be "
        "transferred to South Korea within the next six months. Reason: One of the two says "
        "he is “80 percent” decided"
    )
    assert of_kind(w04_w08, "judgment-dropped") == [
        "Dropped judgment (very likely, moderate confidence): North Korean troops will keep "
        "taking heavy casualties while they are used in assaults in the Kursk region.",
    ]
    assert len(of_kind(w04_w08, "judgment-added")) == 2
    assert [c.detail["source"] for c in w04_w08 if c.kind == "source-added"] == [
        "joongang-2025-02-19",
        "kyiv-independent-2025-02-05",
        "kyiv-independent-2025-02-pow-talks",
        "kyiv-independent-2025-02-04",
        "kyiv-independent-2025-02-more-troops",
    ]
    # W04's estimates carry over unchanged; the JoongAng Daily's count of the prisoners
    # (still two) is the one new row.
    assert of_kind(w04_w08, "estimate-added") == [
        "North Korean soldiers held by Ukraine as prisoners of war: 2 (Korea JoongAng Daily, "
        "as of 19 Feb 2025)",
    ]
    assert not [c for c in w04_w08 if c.kind in ("estimate-revised", "estimate-dropped")]
    # Questions carry ids in the sample: rewording (pow-fate, more-troops, nk-us-talks,
    # russia-in-return) is no change; none is answered (what Russia gives in return stays
    # open: its citations report more than the one general piece); two are new.
    assert len(of_kind(w04_w08, "question-reworded")) == 6
    assert of_kind(w04_w08, "question-dropped") == []
    assert of_kind(w04_w08, "question-answered") == []
    assert of_kind(w04_w08, "question-opened") == [
        "Opened: Will the US–Russia negotiations take up North Korea’s part in the war, "
        "including the prisoners?",
        "Opened: Will Russia keep North Korea close after the war, or distance itself and "
        "court South Korea?",
    ]


def test_sample_text_and_json(w03_w04: list[Change], w04_w08: list[Change]) -> None:
    text = format_text(w03_w04, "2025-W03", "2025-W04")
    assert text.startswith("Changes from 2025-W03 to 2025-W04\n\nJudgments added (1)\n")
    assert "Judgments moved" not in text
    assert "\nSources added (3)\n  - New source: news-2025-01-24\n" in text
    document = json.loads(to_json(w03_w04, "2025-W03", "2025-W04"))
    assert document["old"] == "2025-W03" and document["new"] == "2025-W04"
    assert [item["kind"] for item in document["changes"]] == [c.kind for c in w03_w04]
    document = json.loads(to_json(w04_w08, "2025-W04", "2025-W08"))
    moved = next(item for item in document["changes"] if item["kind"] == "judgment-moved")
    assert moved["likelihood_old"] == "unlikely"
    assert moved["likelihood_new"] == "roughly even chance"
    assert moved["reason"].startswith("One of the two says")
    assert moved["by"] == "2025-07-19"
    # the move cites its reason's sources
    assert moved["sources"] == [
        "joongang-2025-02-19",
        "kyiv-independent-2025-02-05",
        "kyiv-independent-2025-02-pow-talks",
    ]


def test_sample_against_itself_is_empty() -> None:
    w04 = sample("W04")
    assert compare(w04, w04) == []


# --- hand-built editions -----------------------------------------------------------------


def edition(**sections: Any) -> Edition:
    base = {
        "title": "Test topic",
        "edition": "2025-01-26",
        "period": "2025-W04",
        "key_judgments": [{"text": "A key judgment.", "cite": ["s"]}],
        "situation": [{"text": "Something happened.", "cite": ["s"]}],
    }
    return Edition.model_validate({**base, **sections})


def est(quantity: str, value: str, who: str, as_of: str, source: str = "s") -> dict[str, Any]:
    return {
        "quantity": quantity,
        "estimate": value,
        "estimator": who,
        "as_of": as_of,
        "cite": [source],
    }


def q(text: str, id: str | None = None, answer: str | None = None, source: str = "s") -> dict:
    return {"text": text, "id": id, "answer": answer, "cite": [source]}


def j(text: str, likelihood: str, confidence: str, id: str | None = None) -> dict[str, Any]:
    return {
        "text": text,
        "likelihood": likelihood,
        "confidence": confidence,
        "id": id,
        "cite": ["s"],
    }


def changes(old: dict[str, Any], new: dict[str, Any]) -> list[tuple[str, str]]:
    return [(c.kind, c.text) for c in compare(edition(**old), edition(**new))]


KILLED = "North Korean troops killed"
NIS = "South Korea NIS"


def test_estimate_revised_value_and_date() -> None:
    old = {"estimates": [est(KILLED, "about 300", NIS, "2025-01-13")]}
    new = {"estimates": [est(KILLED, "about 500", NIS, "2025-01-24", source="t")]}
    change, source = compare(edition(**old), edition(**new))
    assert (change.kind, source.kind) == ("estimate-revised", "source-added")
    assert change.text == (
        "North Korean troops killed, South Korea NIS: about 300 → about 500 "
        "(as of 13 Jan 2025 → 24 Jan 2025)"
    )
    assert change.sources == ["t"]  # the new value's citations
    assert change.detail["old"] == "about 300" and change.detail["new"] == "about 500"
    assert change.detail["as_of_old"] == "2025-01-13"
    assert change.detail["as_of_new"] == "2025-01-24"


def test_estimate_revised_value_only() -> None:
    old = {"estimates": [est(KILLED, "about 300", NIS, "2025-01-13")]}
    new = {"estimates": [est(KILLED, "about 500", NIS, "2025-01-13")]}
    assert changes(old, new) == [
        ("estimate-revised", "North Korean troops killed, South Korea NIS: about 300 → about 500")
    ]


def test_estimate_reaffirmed() -> None:
    old = {"estimates": [est(KILLED, "about 300", NIS, "2025-01-13")]}
    new = {"estimates": [est(KILLED, "about 300", NIS, "2025-01-24")]}
    assert changes(old, new) == [
        (
            "estimate-revised",
            "North Korean troops killed, South Korea NIS: about 300, reaffirmed as of 24 Jan 2025",
        )
    ]


def test_estimate_key_ignores_case_and_spacing() -> None:
    old = {"estimates": [est(KILLED, "about 300", NIS, "2025-01-13")]}
    new = {
        "estimates": [
            est("north korean  troops KILLED", "About 300", "south korea nis", "2025-01-13")
        ]
    }
    assert changes(old, new) == []


def test_estimate_added_and_dropped() -> None:
    old = {"estimates": [est(KILLED, "about 300", NIS, "2025-01-13")]}
    new = {"estimates": [est(KILLED, "close to 1,200", "US officials", "2025-01-24")]}
    assert changes(old, new) == [
        (
            "estimate-added",
            "North Korean troops killed: close to 1,200 (US officials, as of 24 Jan 2025)",
        ),
        (
            "estimate-dropped",
            "Dropped: North Korean troops killed: about 300 (South Korea NIS, as of 13 Jan 2025)",
        ),
    ]


def test_duplicate_keys_pair_by_as_of() -> None:
    # Written in the opposite order in the new edition: pairing goes by date, not position.
    old = {
        "estimates": [
            est(KILLED, "at least 100", NIS, "2024-12-19"),
            est(KILLED, "about 300", NIS, "2025-01-13"),
        ]
    }
    new = {
        "estimates": [
            est(KILLED, "about 500", NIS, "2025-01-24"),
            est(KILLED, "at least 150", NIS, "2024-12-20"),
        ]
    }
    assert changes(old, new) == [
        (
            "estimate-revised",
            "North Korean troops killed, South Korea NIS: about 300 → about 500 "
            "(as of 13 Jan 2025 → 24 Jan 2025)",
        ),
        (
            "estimate-revised",
            "North Korean troops killed, South Korea NIS: at least 100 → at least 150 "
            "(as of 19 Dec 2024 → 20 Dec 2024)",
        ),
    ]


def test_duplicate_keys_identical_pair_first() -> None:
    # Adding an older figure must not shift the pairing of the ones that stayed the same.
    old = {"estimates": [est(KILLED, "about 300", NIS, "2025-01-13")]}
    new = {
        "estimates": [
            est(KILLED, "at least 100", NIS, "2024-12-19"),
            est(KILLED, "about 300", NIS, "2025-01-13"),
            est(KILLED, "about 500", NIS, "2025-01-24"),
        ]
    }
    assert [kind for kind, _ in changes(old, new)] == ["estimate-added", "estimate-added"]
    assert [text.split(": ")[1] for _, text in changes(old, new)] == [
        "at least 100 (South Korea NIS, as of 19 Dec 2024)",
        "about 500 (South Korea NIS, as of 24 Jan 2025)",
    ]


def test_duplicate_keys_extra_old_dropped() -> None:
    # Pairing is aligned at the newest figure: 350 revises 300, and the oldest is dropped.
    old = {
        "estimates": [
            est(KILLED, "at least 100", NIS, "2024-12-19"),
            est(KILLED, "about 300", NIS, "2025-01-13"),
        ]
    }
    new = {"estimates": [est(KILLED, "about 350", NIS, "2025-01-24")]}
    assert [kind for kind, _ in changes(old, new)] == ["estimate-revised", "estimate-dropped"]
    revised, dropped = changes(old, new)
    assert revised[1] == (
        "North Korean troops killed, South Korea NIS: about 300 → about 350 "
        "(as of 13 Jan 2025 → 24 Jan 2025)"
    )
    assert dropped[1] == (
        "Dropped: North Korean troops killed: at least 100 (South Korea NIS, as of 19 Dec 2024)"
    )


def test_duplicate_keys_older_figure_added_newer_revised() -> None:
    old = {"estimates": [est(KILLED, "about 300", NIS, "2025-01-13")]}
    new = {
        "estimates": [
            est(KILLED, "at least 100", NIS, "2024-12-19"),
            est(KILLED, "about 500", NIS, "2025-01-24"),
        ]
    }
    assert changes(old, new) == [
        (
            "estimate-added",
            "North Korean troops killed: at least 100 (South Korea NIS, as of 19 Dec 2024)",
        ),
        (
            "estimate-revised",
            "North Korean troops killed, South Korea NIS: about 300 → about 500 "
            "(as of 13 Jan 2025 → 24 Jan 2025)",
        ),
    ]


TROOPS = "Will North Korea send more troops to Russia?"


def test_question_fuzzy_threshold() -> None:
    close, far = (
        "Will Pyongyang send more troops to Russia soon?",
        "Will Pyongyang send more troops to Kursk?",
    )

    def ratio(a: str, b: str) -> float:
        return difflib.SequenceMatcher(None, a.lower(), b.lower()).ratio()

    assert ratio(TROOPS, close) == pytest.approx(0.769, abs=1e-3)  # just above 0.75
    assert ratio(TROOPS, far) == pytest.approx(0.729, abs=1e-3)  # just below
    assert changes({"questions": [q(TROOPS)]}, {"questions": [q(close)]}) == [
        ("question-reworded", f"Reworded: {close}")
    ]
    assert changes({"questions": [q(TROOPS)]}, {"questions": [q(far)]}) == [
        ("question-opened", f"Opened: {far}"),
        ("question-dropped", f"Dropped: {TROOPS}"),
    ]


def test_question_wording_normalised() -> None:
    old = {"questions": [q('Will Kim say "we are there"?')]}
    new = {"questions": [q("will  KIM say “we are there”?")]}
    assert changes(old, new) == []


def test_fuzzy_matching_is_one_to_one_best_first() -> None:
    nearer = "Will North Korea send more troops to Kursk?"  # 0.92
    farther = "Will Pyongyang send more troops to Russia soon?"  # 0.77
    old = {"questions": [q(TROOPS)]}
    new = {"questions": [q(farther), q(nearer)]}
    assert changes(old, new) == [
        ("question-opened", f"Opened: {farther}"),
        ("question-reworded", f"Reworded: {nearer}"),
    ]


def test_id_beats_wording() -> None:
    # Same id, new wording: the same question.
    old = {"questions": [q(TROOPS, id="more-troops")]}
    new = {"questions": [q("What will the prisoners do?", id="more-troops")]}
    assert changes(old, new) == [("question-reworded", "Reworded: What will the prisoners do?")]
    # Same wording, different ids: the analyst says they are different questions.
    new = {"questions": [q(TROOPS, id="other")]}
    assert changes(old, new) == [
        ("question-opened", f"Opened: {TROOPS}"),
        ("question-dropped", f"Dropped: {TROOPS}"),
    ]
    # The id pairing wins over a better wording match for the same question.
    new = {"questions": [q(TROOPS), q("Will more troops go?", id="more-troops")]}
    assert changes(old, new) == [
        ("question-opened", f"Opened: {TROOPS}"),
        ("question-reworded", "Reworded: Will more troops go?"),
    ]
    # One side without an id: fall back to wording.
    assert changes({"questions": [q(TROOPS)]}, {"questions": [q(TROOPS, id="x")]}) == []


def test_question_answered() -> None:
    old = {"questions": [q(TROOPS), q("Will Kim acknowledge the deployment?")]}
    new = {
        "questions": [
            q(TROOPS, answer="Yes: a second contingent arrived in March.", source="t"),
            q("Will Kim acknowledge the deployment?"),
            q("Did Russia pay?", answer="Yes, $2,000 a month."),
        ]
    }
    result = compare(edition(**old), edition(**new))
    assert [(c.kind, c.text) for c in result] == [
        ("question-answered", f"Answered: {TROOPS} — Yes: a second contingent arrived in March."),
        ("question-answered", "Answered: Did Russia pay? — Yes, $2,000 a month."),
        ("source-added", "New source: t"),
    ]
    assert result[0].sources == ["t"]  # the citations of the answered version
    assert result[0].detail["question_old"] == TROOPS
    assert result[0].detail["answer"] == "Yes: a second contingent arrived in March."
    assert result[1].detail["question_old"] is None


def test_question_answered_last_time_is_not_news() -> None:
    answered = q(TROOPS, answer="Yes.")
    # Still there with the same answer: no change; gone (not carried over): no drop either.
    assert changes({"questions": [answered]}, {"questions": [answered]}) == []
    assert changes({"questions": [answered]}, {"questions": []}) == []


def test_judgment_moved_only_what_moved() -> None:
    text = "North Korea will send additional troops to Russia within the next three months."
    old = {"outlook": [j(text, "likely", "low")]}
    assert changes(old, {"outlook": [j(text, "likely", "moderate")]}) == [
        ("judgment-moved", f"▲ confidence low → moderate: {text}")
    ]
    assert changes(old, {"outlook": [j(text, "very likely", "low")]}) == [
        ("judgment-moved", f"▲ likely → very likely: {text}")
    ]
    # each move with its own direction
    assert changes(old, {"outlook": [j(text, "unlikely", "moderate")]}) == [
        ("judgment-moved", f"▼ likely → unlikely; ▲ confidence low → moderate: {text}")
    ]


def test_judgment_reworded_added_dropped() -> None:
    old = {
        "outlook": [
            j("North Korea will send more troops within three months.", "likely", "low"),
            j("Kim will acknowledge the deployment this year.", "unlikely", "moderate"),
        ]
    }
    new = {
        "outlook": [
            j("North Korea will send more troops within the next three months.", "likely", "low"),
            j("Russia and North Korea will stay close partners.", "very likely", "moderate"),
        ]
    }
    assert changes(old, new) == [
        (
            "judgment-added",
            "New judgment (very likely, moderate confidence): Russia and North Korea will stay "
            "close partners.",
        ),
        (
            "judgment-reworded",
            "Reworded, still likely, low confidence: North Korea will send more troops within "
            "the next three months.",
        ),
        (
            "judgment-dropped",
            "Dropped judgment (unlikely, moderate confidence): Kim will acknowledge the "
            "deployment this year.",
        ),
    ]


def test_judgment_matched_by_id_despite_new_wording() -> None:
    old = {"outlook": [j("Troops will be sent.", "likely", "low", id="troops")]}
    new = {
        "outlook": [j("A second contingent will deploy by May.", "very likely", "low", id="troops")]
    }
    ((kind, text),) = changes(old, new)
    assert kind == "judgment-moved"
    assert text == "▲ likely → very likely: A second contingent will deploy by May."


def test_sources_added_anywhere() -> None:
    old = {"estimates": [est(KILLED, "about 300", NIS, "2025-01-13", source="a")]}
    new = {
        "key_judgments": [{"text": "A key judgment.", "cite": ["s", "k"]}],
        "estimates": [est(KILLED, "about 300", NIS, "2025-01-13", source="a")],
        "outlook": [j("Something will happen.", "likely", "low")],
        "questions": [q("Why?", source="b")],
    }
    result = compare(edition(**old), edition(**new))
    added = [c for c in result if c.kind == "source-added"]
    assert [c.detail for c in added] == [{"source": "k"}, {"source": "b"}]
    assert added[0].cite == (Citation(source="k"),)


def test_order_is_kind_then_document() -> None:
    old = {
        "estimates": [est("Deployed", "about 10,000", "Austin", "2024-10-30")],
        "questions": [q("Old question one?"), q("Old question two?")],
    }
    new = {
        "estimates": [
            est("Deployed", "about 11,000", "Austin", "2025-01-13"),
            est("Wounded", "about 2,700", NIS, "2025-01-13", source="t"),
        ],
        "questions": [q("Brand new question?")],
        "outlook": [j("Something will happen.", "likely", "low")],
    }
    result = compare(edition(**old), edition(**new))
    assert [c.kind for c in result] == [
        "judgment-added",
        "estimate-added",
        "estimate-revised",
        "question-opened",
        "question-dropped",
        "question-dropped",
        "source-added",
    ]
    assert [c.text for c in result if c.kind == "question-dropped"] == [
        "Dropped: Old question one?",
        "Dropped: Old question two?",
    ]


def test_no_changes() -> None:
    same = {"estimates": [est(KILLED, "about 300", NIS, "2025-01-13")], "questions": [q(TROOPS)]}
    result = compare(edition(**same), edition(**same))
    assert result == []
    assert format_text(result, "2025-W03", "2025-W04") == "No changes."
    assert json.loads(to_json(result, "2025-W03", "2025-W04")) == {
        "old": "2025-W03",
        "new": "2025-W04",
        "changes": [],
    }


def test_json_round_trips() -> None:
    old = {"estimates": [est(KILLED, "about 300", NIS, "2025-01-13")]}
    new = {
        "estimates": [
            {**est(KILLED, "about 500", NIS, "2025-01-24"), "cite": ["t", "t", "u"]},
        ]
    }
    result = compare(edition(**old), edition(**new))
    text = to_json(result, "2025-W03", "2025-W04")
    document = json.loads(text)
    assert text == json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False)
    item, *sources = document["changes"]
    assert sources == [
        {"kind": "source-added", "text": "New source: t", "sources": ["t"], "source": "t"},
        {"kind": "source-added", "text": "New source: u", "sources": ["u"], "source": "u"},
    ]
    assert item == {
        "kind": "estimate-revised",
        "text": result[0].text,
        "sources": ["t", "u"],  # each source once
        "quantity": KILLED,
        "estimator": NIS,
        "unit": None,
        "old": "about 300",
        "new": "about 500",
        "as_of_old": "2025-01-13",
        "as_of_new": "2025-01-24",
    }
    assert "→" in text  # written as UTF-8, not \u escapes


def test_format_text_groups_by_kind() -> None:
    old = {"questions": [q(TROOPS)]}
    new = {
        "questions": [q("Did Russia pay?", source="t")],
        "outlook": [j("X will happen.", "likely", "low")],
    }
    text = format_text(compare(edition(**old), edition(**new)), "W03", "W04")
    assert text == "\n".join(
        [
            "Changes from W03 to W04",
            "",
            "Judgments added (1)",
            "  - New judgment (likely, low confidence): X will happen.  [s]",
            "",
            "Questions opened (1)",
            "  - Opened: Did Russia pay?  [t]",
            "",
            "Questions dropped (1)",
            f"  - Dropped: {TROOPS}  [s]",
            "",
            "Sources added (1)",
            "  - New source: t",
        ]
    )


def test_kinds_have_headings() -> None:
    assert set(diff.HEADINGS) == set(KINDS)


def test_judgment_moved_cites_its_reason() -> None:
    text = "Troops will be sent."
    moved = {
        **j(text, "very likely", "low"),
        "reason": {"text": "A second origin reports preparations.", "cite": ["r"]},
    }
    (change, source) = compare(
        edition(outlook=[j(text, "likely", "low")]), edition(outlook=[moved])
    )
    assert change.text == (
        "▲ likely → very likely: Troops will be sent. Reason: A second origin reports preparations."
    )
    assert change.sources == ["r"]  # the reason's citations, not the judgment's
    assert change.detail["reason"] == "A second origin reports preparations."
    assert (source.kind, source.sources) == ("source-added", ["r"])


def test_judgment_resolved_once_then_not_a_drop() -> None:
    text = "Kim will acknowledge the deployment by April."
    open_ = {**j(text, "unlikely", "moderate"), "by": "2025-01-20"}
    outcome = {"result": "did not happen", "text": "He said nothing.", "cite": ["o"]}
    closed = {**open_, "outcome": outcome}
    result = compare(edition(outlook=[open_]), edition(outlook=[closed]))
    assert [(c.kind, c.text) for c in result] == [
        (
            "judgment-resolved",
            "Did not happen: Kim will acknowledge the deployment by April (judged unlikely, "
            "moderate confidence). He said nothing.",
        ),
        ("source-added", "New source: o"),
    ]
    assert result[0].sources == ["o"] and result[0].detail["outcome"] == "did not happen"
    # Reported once: carried with the same outcome, or not carried at all, is no news.
    assert changes({"outlook": [closed]}, {"outlook": [closed]}) == []
    assert changes({"outlook": [closed]}, {"outlook": []}) == []
    # Resolved in the edition that makes it: still news (once).
    assert next(k for k, _ in changes({}, {"outlook": [closed]})) == "judgment-resolved"

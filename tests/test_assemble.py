"""The Brief the templates see: numbering, grouping, the source summary."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen import pipeline
from briefgen.assemble import Brief, Item
from conftest import edit


def brief(edition: Path) -> Brief:
    (valid,) = pipeline.check([edition])
    return pipeline.brief_of(valid)


def test_sources_are_numbered_in_order_of_first_citation(edition: Path) -> None:
    b = brief(edition)
    assert [(s.number, s.source.id) for s in b.sources] == [
        (1, "reaction-2025-01-13"),
        (2, "desk-memo"),
    ]
    assert [s.anchor for s in b.sources] == ["src-1", "src-2"]
    assert b.key_judgments[0].numbers == [1, 2]


def test_estimates_are_grouped_by_quantity_and_sorted_by_date(edition: Path) -> None:
    b = brief(edition)
    assert [g.quantity for g in b.estimates] == [
        "North Korean troops killed",
        "North Korean troops deployed",
    ]
    killed = b.estimates[0]
    assert [r.text for r in killed.rows] == ["up to 4,000", "about 300"]
    assert [r.reading for r in killed.rows] == ["≤ 4,000", "≈ 300"]
    # `up to 4,000` allows `about 300`: compatible, not a disagreement (issue 14)
    assert not killed.disagree
    assert killed.verdict.kind == "consistent"
    assert killed.band == "300–4,000 · 2 estimators · consistent"
    assert not b.estimates[1].disagree
    assert b.estimates[1].band == ""  # a lone estimate: no verdict to give


def test_source_summary_counts_origins_grades_and_single_origin_lines(edition: Path) -> None:
    b = brief(edition)
    assert b.source_summary == (
        "This brief rests on 2 sources from 2 outlets, published between 10 Jan 2025 and "
        "13 Jan 2025; they relay 2 independent origins. Source reliability: 1 usually "
        "reliable (B), 1 fairly reliable (C). Information credibility is not graded. 6 of 8 "
        "lines rest on a single origin, however many outlets relay it; they are marked †, "
        "among them key judgment 2."
    )
    assert [s.cited_lines for s in b.sources] == [7, 3]


def test_file_stem_is_edition_date_and_topic(edition: Path) -> None:
    assert brief(edition).file_stem == "2025-01-19-demo"


def test_an_item_cannot_exist_without_a_citation() -> None:
    with pytest.raises(ValueError, match="unsourced line"):
        Item("An unsourced claim.", ())


def test_straight_quotes_in_notes_are_set_typographically(edition: Path) -> None:
    b = brief(edition)
    assert b.title == "North Korean forces in Russia’s war"
    edit(edition, "hiding</b> them.", 'hiding</b> them, "it said".')
    assert brief(edition).key_judgments[0].text.endswith("them, “it said”.")

"""The likelihood scale, whole: both rows of ICD 203, the PHIA yardstick a desk may pick in
briefgen.toml, the row-mixing warning, the key the brief prints, and the export's ranges."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document

from briefgen import pipeline
from briefgen.cli import main
from briefgen.diff import moves
from briefgen.errors import InvalidNotes, Problem
from briefgen.export.convert import probability_of
from briefgen.judgments.scales import ICD203, PHIA
from briefgen.models import Judgment
from briefgen.pipeline import check
from conftest import edit, pdf_text

LINE = 40
"""The line of `likelihood:` in the test edition."""

ICD_ROWS = [
    ("almost no chance", "remote"),
    ("very unlikely", "highly improbable"),
    ("unlikely", "improbable"),
    ("roughly even chance", "roughly even odds"),
    ("likely", "probable"),
    ("very likely", "highly probable"),
    ("almost certain", "nearly certain"),
]
"""ICD 203's two rows as the directive prints them (row 1, row 2)."""

PHIA_TERMS = [
    ("remote chance", "remote chance", "≤5%"),
    ("highly unlikely", "highly unlikely", "10–20%"),
    ("unlikely", "unlikely", "25–35%"),
    ("realistic possibility", "realistic possibility", "40–50%"),
    ("likely", "likely", "55–75%"),
    ("probably", "likely", "55–75%"),
    ("highly likely", "highly likely", "80–90%"),
    ("almost certain", "almost certain", "≥95%"),
]
"""(written, stored, printed range) under `[brief] scale = "phia"`."""


def problems(path: Path) -> list[Problem]:
    with pytest.raises(InvalidNotes) as info:
        check([path])
    return info.value.problems


def use_phia(workspace: Path) -> None:
    (workspace / "briefgen.toml").write_text('[brief]\nscale = "phia"\n', encoding="utf-8")


def second_judgment(edition: Path, likelihood: str) -> None:
    """A second outlook judgment, at the end of the file (its likelihood on line 44)."""
    text = edition.read_text(encoding="utf-8")
    edition.write_text(
        text + "  - text: Russia will keep the North Korean units apart from its own.\n"
        f"    likelihood: {likelihood}\n    confidence: low\n    cite: [desk-memo]\n",
        encoding="utf-8",
    )


# --- ICD 203, both rows ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "stored", "row"),
    [
        (spelling, row1, row)
        for row1, row2 in ICD_ROWS
        for row, term in ((1, row1), (2, row2))
        for spelling in (term, term.upper(), "  " + term.title().replace(" ", "   "))
    ],
)
def test_every_icd_203_term_of_both_rows_is_stored_canonical(
    edition: Path, written: str, stored: str, row: int
) -> None:
    edit(edition, "likelihood: likely", f"likelihood: {written!r}")
    (valid,) = check([edition])
    (judgment,) = valid.edition.outlook
    assert (judgment.likelihood, judgment.row) == (stored, row)
    assert judgment.probability == ICD203.probability(stored)


def test_the_two_scales_are_whole_and_in_order() -> None:
    assert [(b.term, b.other) for b in ICD203.bands] == ICD_ROWS
    assert ICD203.probability("probable") == "55–80%"
    assert [PHIA.probability(t) for t in PHIA.terms] == [r for w, s, r in PHIA_TERMS if w == s]
    highs = [band.high for band in PHIA.bands]
    lows = [band.low for band in PHIA.bands[1:]]
    assert all(low > high for high, low in zip(highs, lows, strict=False))  # the gaps
    assert [PHIA.rank(t) for t in PHIA.terms] == list(range(7))


@pytest.mark.parametrize(
    ("written", "advice"),
    [
        ("likley", "did you mean 'likely'?"),
        ("maybe", "use one of: almost no chance (or remote), very unlikely (or highly"),
        ("highly likely", "is a PHIA term; the desk's scale is ICD 203 ([brief] scale in "),
        ("realistic possibility", "write 'roughly even chance'"),
        ("probably", "write 'likely' (its terms: almost no chance (or remote)"),
        ("remote chance", "write 'almost no chance'"),
    ],
)
def test_a_term_off_the_icd_203_scale_is_refused_with_what_to_write(
    edition: Path, written: str, advice: str
) -> None:
    edit(edition, "likelihood: likely", f"likelihood: {written}")
    (problem,) = problems(edition)
    assert (problem.line, problem.where) == (LINE, "outlook[0].likelihood")
    assert advice in problem.message
    assert "Traceback" not in str(problem)


def test_a_likelihood_that_is_not_text_says_so(edition: Path) -> None:
    edit(edition, "likelihood: likely", "likelihood: yes")
    (problem,) = problems(edition)
    assert problem.line == LINE and "put it in quotes" in problem.message


# --- mixing rows ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second", "warned"),
    [
        ("likely", "highly probable", "'highly probable' is from row 2 of ICD 203, but "
         "outlook[0] writes row 1; one brief should use one row: write 'very likely'"),
        ("probable", "very unlikely", "'very unlikely' is from row 1 of ICD 203, but "
         "outlook[0] writes row 2; one brief should use one row: write 'highly improbable'"),
        ("likely", "unlikely", None),
        ("probable", "improbable", None),
    ],
)  # fmt: skip
def test_one_edition_mixing_the_rows_is_warned_at_the_line(
    edition: Path, first: str, second: str, warned: str | None
) -> None:
    edit(edition, "likelihood: likely", f"likelihood: {first}")
    second_judgment(edition, second)
    (valid,) = check([edition])
    found = [w for w in valid.warnings if w.where.endswith("likelihood")]
    if warned is None:
        assert found == []
        return
    (warning,) = found
    assert (warning.line, warning.where, warning.message) == (44, "outlook[1].likelihood", warned)
    with pytest.raises(InvalidNotes, match=r"row [12] of ICD 203"):
        check([edition], pipeline.BuildOptions(strict=True))


def test_phia_has_one_pair_and_mixing_it_warns(workspace: Path, edition: Path) -> None:
    use_phia(workspace)
    edit(edition, "likelihood: likely", "likelihood: probably")
    second_judgment(edition, "likely")
    (valid,) = check([edition])
    (warning,) = [w for w in valid.warnings if w.where.endswith("likelihood")]
    assert "'likely' is from row 1 of PHIA" in warning.message
    assert "write 'probably'" in warning.message


# --- PHIA -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("written", "stored", "probability"), PHIA_TERMS)
def test_a_phia_desk_writes_phia_terms(
    workspace: Path, edition: Path, written: str, stored: str, probability: str
) -> None:
    use_phia(workspace)
    edit(edition, "likelihood: likely", f"likelihood: {written.title()}")
    (valid,) = check([edition])
    (judgment,) = valid.edition.outlook
    assert (judgment.likelihood, judgment.probability) == (stored, probability)
    assert judgment.scale is PHIA


@pytest.mark.parametrize(
    ("written", "instead"),
    [
        ("almost no chance", "remote chance"),
        ("remote", "remote chance"),
        ("very unlikely", "highly unlikely"),
        ("highly improbable", "highly unlikely"),
        ("improbable", "unlikely"),
        ("roughly even chance", "realistic possibility"),
        ("roughly even odds", "realistic possibility"),
        ("probable", "likely"),
        ("very likely", "highly likely"),
        ("highly probable", "highly likely"),
        ("nearly certain", "almost certain"),
    ],
)
def test_a_phia_desk_is_told_the_phia_term_for_an_icd_one(
    workspace: Path, edition: Path, written: str, instead: str
) -> None:
    use_phia(workspace)
    edit(edition, "likelihood: likely", f"likelihood: {written}")
    (problem,) = problems(edition)
    assert (problem.line, problem.where) == (LINE, "outlook[0].likelihood")
    assert problem.message == (
        f"{written!r} is an ICD 203 term; the desk's scale is PHIA ([brief] scale in "
        f"briefgen.toml): write {instead!r} (its terms: remote chance, highly unlikely, "
        "unlikely, realistic possibility, likely (or probably), highly likely, almost certain)"
    )


def test_an_unknown_scale_in_briefgen_toml_is_refused(workspace: Path, edition: Path) -> None:
    (workspace / "briefgen.toml").write_text('[brief]\nscale = "nato"\n', encoding="utf-8")
    with pytest.raises(InvalidNotes) as info:
        check([edition])
    (problem,) = info.value.problems
    assert problem.where == "brief.scale" and "'icd203' or 'phia'" in problem.message


# --- the key the brief prints ---------------------------------------------------------------

ICD_KEY = (
    "Likelihood on the ICD 203 scale:",
    *[f"{band.term} {band.probability}" for band in ICD203.bands],
    "Confidence (low, moderate, high)",
)
PHIA_KEY = (
    "Likelihood on the PHIA scale:",
    *[f"{band.term} {band.probability}" for band in PHIA.bands],
    "(the gaps between bands are deliberate)",
    "Confidence (low, moderate, high)",
)
"""The key's parts, in order (a page may break inside it, putting the running footer
between them in the PDF's text)."""


def in_order(text: str, parts: tuple[str, ...]) -> bool:
    """Every part in `text`, each after the one before."""
    at = 0
    for part in parts:
        at = text.find(part, at)
        if at < 0:
            return False
        at += len(part)
    return True


def flat(text: str) -> str:
    """Spaces as a reader sees them (pypdf breaks the line around each band's span)."""
    return re.sub(r" ([.,])", r"\1", " ".join(text.split()))


def build(edition: Path, out: Path, form: str) -> Path:
    options = pipeline.BuildOptions(output=out, formats=[form], charts=False)
    (written,) = pipeline.build([edition], options).written
    return written


def test_the_pdf_prints_the_icd_203_key_once(edition: Path, tmp_path: Path) -> None:
    edit(edition, "likelihood: likely", "likelihood: highly probable")
    text = flat(pdf_text(build(edition, tmp_path / "out", "pdf")))
    assert text.count("Likelihood on the") == 1
    assert in_order(text, ICD_KEY), text
    assert "Very likely (80–95%), moderate confidence:" in text
    assert "ICD 203 scale;" not in text  # the old fixed note


def test_the_pdf_of_a_phia_desk_prints_its_key_and_bands(
    workspace: Path, edition: Path, tmp_path: Path
) -> None:
    use_phia(workspace)
    edit(edition, "likelihood: likely", "likelihood: remote chance")
    text = flat(pdf_text(build(edition, tmp_path / "out", "pdf")))
    assert in_order(text, PHIA_KEY), text
    assert "Remote chance (≤5%), moderate confidence:" in text
    assert "ICD 203" not in text


@pytest.mark.parametrize(("phia", "key"), [(False, ICD_KEY), (True, PHIA_KEY)])
def test_the_docx_prints_the_desks_key(
    workspace: Path, edition: Path, tmp_path: Path, phia: bool, key: tuple[str, ...]
) -> None:
    if phia:
        use_phia(workspace)
        edit(edition, "likelihood: likely", "likelihood: highly likely")
    document = Document(str(build(edition, tmp_path / "out", "docx")))
    paragraphs = [flat(p.text) for p in document.paragraphs]
    assert sum(1 for p in paragraphs if p.startswith("Likelihood on the")) == 1
    assert any(in_order(p, key) for p in paragraphs), paragraphs
    expected = "Highly likely (80–90%)" if phia else "Likely (55–80%)"
    assert any(p.startswith(expected) for p in paragraphs)


# --- the export -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [("55–80%", 55, 80), ("1-5 %", 1, 5), ("≤5%", 0, 5), ("≥95%", 95, 100), ("< 10%", 0, 10)],
)
def test_the_export_reads_every_printed_range(text: str, low: int, high: int) -> None:
    probability = probability_of(text)
    assert probability is not None
    assert (probability.text, probability.low_percent, probability.high_percent) == (
        text,
        low,
        high,
    )


@pytest.mark.parametrize("text", ["", "likely", "≥150%", "55–80", "about 5%"])
def test_the_export_gives_no_range_for_what_is_not_one(text: str) -> None:
    assert probability_of(text) is None


def test_a_phia_brief_exports_its_open_bands(workspace: Path, edition: Path) -> None:
    use_phia(workspace)
    edit(edition, "likelihood: likely", "likelihood: almost certain")
    result = CliRunner().invoke(main, ["export", str(edition), "--json"])
    assert result.exit_code == 0, result.stderr
    (judgment,) = json.loads(result.stdout)["outlook"]
    assert judgment["likelihood"] == "almost certain"
    assert judgment["probability"] == {"text": "≥95%", "low_percent": 95, "high_percent": 100}


def test_a_move_on_the_phia_scale_points_the_right_way() -> None:
    def judgment(likelihood: str) -> Judgment:
        data = {"text": "Talks resume.", "likelihood": likelihood, "confidence": "low"}
        return Judgment.model_validate({**data, "cite": ["memo"]}, context={"scale": PHIA})

    assert moves(judgment("remote chance"), judgment("highly unlikely")) == [
        "▲ remote chance → highly unlikely"
    ]
    assert moves(judgment("highly likely"), judgment("realistic possibility")) == [
        "▼ highly likely → realistic possibility"
    ]


def test_a_pasted_page_as_likelihood_is_named_not_repeated(edition: Path) -> None:
    edit(edition, "likelihood: likely", "likelihood: " + "very " * 20_000 + "likely")
    (problem,) = problems(edition)
    assert problem.line == LINE
    assert problem.message.startswith("'very very very very very very very very …' is not an")
    assert len(problem.message) < 400

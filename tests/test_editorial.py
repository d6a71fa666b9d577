"""The brief's "what changed" as an editor writes it: order, one line per quantity, new
sources in one line with no † of their own, and the sample W04's section in half a page."""

from __future__ import annotations

import io
import itertools
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from briefgen import pipeline
from briefgen.assemble import Brief
from briefgen.diff import compare
from briefgen.editorial import ESTIMATES, SOURCES, editorial
from briefgen.models import Edition
from conftest import REPO, sample_copy

W04 = REPO / "sources" / "nk-russia" / "2025-W04.yaml"


@pytest.fixture(scope="module")
def w04() -> Brief:
    (valid,) = pipeline.check([W04])
    return pipeline.brief_of(valid)


def test_w04_lines_in_editor_order(w04: Brief) -> None:
    assert [item.text for item in w04.changes] == [
        "New judgment (roughly even chance, low confidence): Trump and Kim Jong Un will meet, "
        "or their governments hold high-level talks, before the end of 2025.",
        "New estimate of North Korean troops deployed to Russia: 10,000 to 12,000 (Not named "
        "in the report, as of Oct 2024)",
        "New estimate of North Korean casualties (killed and wounded): more than 3,000 "
        "(Ukrainian government, as of 24 Jan 2025)",
        "New estimates of North Korean losses: close to 1,200 (US estimates, no agency named, "
        "by 24 Jan 2025); could reach 4,000 (Ukrainian President Volodymyr Zelensky, as of "
        "Jan 2025)",
        "Opened: Why do casualty estimates differ so widely, and do the US “close to 1,200” and "
        "Zelensky’s “could reach 4,000” count the wounded as well as the dead?",
        "Opened: Will Kim Jong Un take up Trump’s offer of renewed contact, or hold to the "
        "“toughest” line against the US he set out in December?",
        "Reworded: On what evidence does the JCS judge that more troops are being prepared, "
        "and how many, with what weapons, and when?",
        "Reworded: What is Russia giving North Korea in return for its troops — spy-satellite "
        "know-how, technology for its nuclear programme, or money?",
        "New sources: News report (unattributed), The Kyiv Independent, Wire report (Seoul)",
    ]


def test_new_sources_line_links_each_and_claims_no_origin(w04: Brief) -> None:
    line = w04.changes[-1]
    assert [m.source.id for m in line.markers] == [
        "news-2025-01-24",
        "kyiv-independent-2025-01-24",
        "wire-seoul-2025-01-24",
    ]
    assert len(line.markers) == 3 and not line.single_source  # one source would not † it


def test_w08_move_first_with_reason_and_its_citations() -> None:
    (valid,) = pipeline.check([W04.with_name("2025-W08.yaml")])
    first = pipeline.brief_of(valid).changes[0]
    assert first.text.startswith("▲ unlikely → roughly even chance: At least one of the two")
    assert "Reason: One of the two says he is “80 percent” decided" in first.text
    quotes = {marker.quote for marker in first.markers}
    assert "I have made up my mind 80 percent" in quotes


def edition(**sections: Any) -> Edition:
    base = {
        "title": "T",
        "edition": "2025-01-26",
        "period": "2025-W04",
        "key_judgments": [{"text": "K.", "cite": ["s"]}],
        "situation": [{"text": "S.", "cite": ["s"]}],
    }
    return Edition.model_validate({**base, **sections})


def est(value: str, who: str, source: str = "s", quantity: str = "Troops") -> dict[str, Any]:
    return {
        "quantity": quantity,
        "estimate": value,
        "estimator": who,
        "as_of": "2025-01-13",
        "cite": [source],
    }


def test_one_line_per_quantity_labelled_when_mixed() -> None:
    old = edition(estimates=[est("about 300", "NIS"), est("about 9", "X", quantity="Tanks")])
    new = edition(
        estimates=[
            est("about 500", "NIS", "a"),
            est("about 1,000", "US", "b"),
            est("about 2,000", "Kyiv", "b"),
            est("about 9", "X", quantity="tanks"),
        ]
    )
    publishers = {"a": "The Kyiv Independent", "b": "The Kyiv Independent", "s": "Wire"}
    lines = editorial(compare(old, new), publishers.__getitem__)
    assert [(line.kind, line.text) for line in lines] == [
        (
            ESTIMATES,
            "Estimates of Troops: new: about 1,000 (US, as of 13 Jan 2025); new: about 2,000 "
            "(Kyiv, as of 13 Jan 2025); revised: NIS: about 300 → about 500",
        ),
        (SOURCES, "New sources: The Kyiv Independent (2 items)"),
    ]
    assert lines[0].sources == ["b", "a"]
    assert [c["kind"] for c in lines[0].detail["changes"]] == [
        "estimate-added",
        "estimate-added",
        "estimate-revised",
    ]


# --- length, read back from the PDF --------------------------------------------------------

A4_HEIGHT = 841.89
TOP, BOTTOM = 27 * 72 / 25.4, 22 * 72 / 25.4
MARGINS = TOP + BOTTOM
"""brief.css's @page margins, top and bottom (27 mm, 22 mm), in points."""
HALF_PAGE = (A4_HEIGHT - MARGINS) / 2
"""Half the text block of an A4 page: 355.7 pt."""


def fragments(pdf: bytes) -> list[tuple[int, float, str]]:
    """Every text fragment as (page, baseline y in points from the page's foot, text)."""
    found: list[tuple[int, float, str]] = []
    for number, page in enumerate(PdfReader(io.BytesIO(pdf)).pages):

        def visit(text: str, cm: list[float], tm: list[float], *_: object, n: int = number) -> None:
            y = tm[5] * cm[3] + cm[5]
            if text.strip() and BOTTOM < y < A4_HEIGHT - TOP:  # the text block, no running head
                found.append((n, y, text.strip()))

        page.extract_text(visitor_text=visit)
    return found


def section_height(pdf: bytes, heading: str, next_heading: str) -> float:
    """From the section heading's baseline to its last line's, plus one line's pitch, page
    by page: the height the section takes on paper."""
    parts = fragments(pdf)
    start = next(i for i, f in enumerate(parts) if f[2].startswith(heading))
    end = next(i for i, f in enumerate(parts) if i > start and f[2].startswith(next_heading))
    first_page, top = parts[start][0], parts[start][1]
    # below the heading: list numbers drawn later in the stream may belong to earlier lists
    section = [f for f in parts[start:end] if f[0] != first_page or f[1] <= top + 1]
    baselines = sorted({round(y, 1) for page, y, _ in section if page == section[-1][0]})
    pitch = min(b - a for a, b in itertools.pairwise(baselines) if b - a > 5)  # not a mark
    height = 0.0
    for page in sorted({page for page, _, _ in section}):
        ys = [y for p, y, _ in section if p == page]
        height += max(ys) - min(ys) + pitch
    return height


def test_w04_section_fits_half_a_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = sample_copy(tmp_path, monkeypatch)
    options = pipeline.BuildOptions(output=root / "out", formats=["pdf"], charts=False)
    pipeline.build([Path("sources/nk-russia/2025-W04.yaml")], options)
    pdf = (root / "out" / "2025-01-26-nk-russia.pdf").read_bytes()
    height = section_height(pdf, "What changed since the last edition", "Situation")
    # 9 lines, each of one or two lines of print: about 312 pt of the 355.7 pt allowed.
    assert 100 < height <= HALF_PAGE, f"{height:.0f} pt"

"""`briefgen export --json`: the assembled brief for machines, checked against its schema,
against the PDF built from the same notes (read back with pypdf), and for exact numbers."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner, Result

from briefgen import export, pipeline
from briefgen.assemble import EstimateRow
from briefgen.cli import main
from briefgen.estimates import format_number
from briefgen.estimates.quantities import shown_unit
from briefgen.export.convert import decimal_text, span_of, text_of, to_export
from briefgen.export.shape import SCHEMA_VERSION
from conftest import REPO, edit, pdf_text, sample_copy

SCHEMA = REPO / export.SCHEMA_FILE
EDITIONS = ("2025-W04", "2025-W08")


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def exported(*args: str) -> dict[str, Any]:
    """The export of PATH, through the command line, checked to be a clean success."""
    result = run("export", *args)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.endswith("}\n")
    document: dict[str, Any] = json.loads(result.stdout, parse_float=Decimal)
    return document


def validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))


def lines_of(document: dict[str, Any]) -> list[dict[str, Any]]:
    """Every cited line of an export, estimate rows included."""
    rows = [row for group in document["estimates"] for row in group["rows"]]
    sections = ("key_judgments", "changes", "situation", "questions", "outlook")
    return [*(line for name in sections for line in document[name]), *rows]


# --- the schema ---------------------------------------------------------------------------


def test_committed_schema_is_the_generated_one() -> None:
    """docs/export.schema.json is made by `make export-schema`; a change to shape.py must
    come with the regenerated file (and a schema_version bump, see docs/export.md)."""
    assert SCHEMA.read_text(encoding="utf-8") == export.schema_json(), (
        "docs/export.schema.json is stale: run `make export-schema` and commit it"
    )
    jsonschema.Draft202012Validator.check_schema(json.loads(export.schema_json()))


def test_schema_command_prints_the_schema() -> None:
    result = run("export", "--schema")
    assert result.exit_code == 0
    assert result.stdout == export.schema_json()


@pytest.mark.parametrize("stem", EDITIONS)
def test_sample_exports_validate_against_the_schema(
    stem: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sample_copy(tmp_path, monkeypatch)
    document = exported(f"sources/nk-russia/{stem}.yaml", "--json")
    errors = [error.message for error in validator().iter_errors(document)]
    assert errors == []
    assert document["schema_version"] == SCHEMA_VERSION
    assert document["period"]["label"] == stem
    assert document["topic"] == "nk-russia"
    assert all(group["extra"] == {} for group in document["estimates"])
    assert all(row["extra"] == {} for group in document["estimates"] for row in group["rows"])


def test_a_topic_folder_exports_its_latest_edition_the_same_every_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sample_copy(tmp_path, monkeypatch)
    first = run("export", "sources/nk-russia", "--json").stdout
    assert first == run("export", "sources/nk-russia/2025-W08.yaml").stdout
    assert '"edition": "2025-02-23"' in first
    assert "≈" in first and "\\u" not in first  # characters as they are, not escaped


# --- what the export says agrees with the brief --------------------------------------------


def flat(text: str) -> str:
    return " ".join(text.split())


def printed(line: dict[str, Any]) -> str:
    """The markers as the brief prints them: `[1 B2, 3‡]`, from the export's citations
    (Admiralty code where credibility is graded, ‡ for an unverified quote)."""
    parts = []
    for number in line["markers"]:
        cites = [c for c in line["citations"] if c["number"] == number]
        codes = sorted({c["code"] for c in cites if c["credibility"] is not None})
        unverified = any(c["quote_check"] == "unverified" for c in cites)
        parts.append(f"{number}{' ' + '/'.join(codes) if codes else ''}{'‡' * unverified}")
    return "[" + ", ".join(parts) + "]"


def test_citation_numbers_are_the_pdf_markers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Line by line, the export's markers are those printed after the line in the PDF."""
    sample_copy(tmp_path, monkeypatch)
    edition = Path("sources/nk-russia/2025-W04.yaml")
    document = exported(str(edition))
    (pdf,) = pipeline.build(
        [edition], pipeline.BuildOptions(output=tmp_path / "out", formats=["pdf"])
    ).written
    text = flat(pdf_text(pdf)).replace("\u2010 ", "")  # the PDF's hyphenation at line ends
    text = re.sub(r"(?<=\w)- (?=\w)", "-", text)  # a hyphen of the text at a line end
    lines = [*document["key_judgments"], *document["situation"], *document["questions"]]
    lines += document["outlook"]
    assert len(lines) >= 8
    for line in lines:
        markers = printed(line)
        dagger = r"\s*†" if line["single_source"] else r"(?!\s*†)"
        assert re.search(re.escape(f"{flat(line['text'])} {markers}") + dagger, text), line
        assert line["markers"] == sorted({c["number"] for c in line["citations"]})
    rows = [row for group in document["estimates"] for row in group["rows"]]
    for row in rows:  # a table row: reading, estimator, as-of date, markers
        markers = printed(row)
        unit = shown_unit(row["unit"], row["reading_unit"])  # `$2,000 a month`, USD once
        shown = " ".join(filter(None, [row["reading"], unit, row["estimator"]]))
        pattern = re.escape(shown) + r" [^\[\]]{1,200} "
        assert re.search(pattern + re.escape(markers), text), row
    numbered = {s["number"]: s for s in document["sources"]}
    for line in lines_of(document):
        for cite in line["citations"]:
            assert numbered[cite["number"]]["id"] == cite["source"]
    for source in document["sources"]:
        assert f"{source['publisher']}" in text and source["title"][:30] in text


def test_estimate_rows_and_verdict_flags_follow_the_brief(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sample_copy(tmp_path, monkeypatch)
    document = exported("sources/nk-russia/2025-W04.yaml")
    (valid,) = pipeline.check([Path("sources/nk-russia/2025-W04.yaml")])
    brief = pipeline.brief_of(valid)
    assert [g["quantity"] for g in document["estimates"]] == [g.quantity for g in brief.estimates]
    for group, ours in zip(brief.estimates, document["estimates"], strict=True):
        assert ours["disagree"] == group.disagree
        verdict = getattr(group, "verdict", None)  # the brief's own verdict, where it has one
        assert (ours["verdict"] or {}).get("kind") == getattr(verdict, "kind", None)
        assert (ours["verdict"] or {}).get("label") == getattr(verdict, "label", None)
        assert [r["reading"] for r in ours["rows"]] == [r.reading for r in group.rows]
        assert [r["text"] for r in ours["rows"]] == [r.text for r in group.rows]
        assert [r["as_of"] for r in ours["rows"]] == [str(r.as_of) for r in group.rows]


# --- exact numbers --------------------------------------------------------------------------

FIGURES = {
    "over 4.1 million": ("4100000", None, "lower bound"),
    "33.50 per cent": ("33.50", "33.50", "exact"),
    "1.2–1.5 million": ("1200000", "1500000", "range"),
    "about 0.1 million": ("100000", "100000", "approximate"),
    "4,000–10,000+": ("4000", "10000", "range"),
}


def test_exact_decimal_strings_round_trip(workspace: Path, edition: Path) -> None:
    """Figures a float would spoil come out as the exact decimals, and print back as the
    brief's reading; no JSON number stands for a figure."""
    rows = "".join(
        f"  - quantity: Figure {n}\n    estimate: {text}\n    estimator: Someone\n"
        f"    as_of: 2025-01-13\n    cite: [reaction-2025-01-13]\n"
        for n, text in enumerate(FIGURES)
    )
    edit(edition, "estimates:\n", "estimates:\n" + rows)
    edit(edition, "    estimator: South Korea NIS\n", "    low: 0.1\n    high: 300.10\n"
         "    bounds_note: test\n    estimator: South Korea NIS\n")  # fmt: skip
    document = exported(str(edition))
    by_text = {row["text"]: row for group in document["estimates"] for row in group["rows"]}
    for text, (low, high, kind) in FIGURES.items():
        row = by_text[text]
        assert row["kind"] == kind, text
        assert Decimal(row["low"]) == Decimal(low) and re.fullmatch(r"[0-9.]+", row["low"])
        assert row["high"] == high or Decimal(row["high"]) == Decimal(high), text
        assert format_number(Decimal(row["low"])) in row["reading"]
    given = by_text["about 300"]
    # YAML's binary floats 0.1 and 300.10 are read as written, not as 0.1000000000000000055…
    assert (given["low"], given["high"], given["kind"]) == ("0.1", "300.1", "given")
    assert by_text["4,000–10,000+"]["open_high"] is True
    assert by_text["33.50 per cent"]["reading_unit"] == "%"
    numbers = [v for row in by_text.values() for k, v in row.items() if k in ("low", "high")]
    assert all(v is None or isinstance(v, str) for v in numbers)
    assert validator().is_valid(document)


@pytest.mark.parametrize(
    ("value", "text"),
    [("4.1E+6", "4100000"), ("1E+2", "100"), ("33.50", "33.50"), ("0.000001", "0.000001"),
     ("-0.0", "0.0"), ("999999999999999.99", "999999999999999.99")],
)  # fmt: skip
def test_decimal_text_is_plain_and_exact(value: str, text: str) -> None:
    assert decimal_text(Decimal(value)) == text
    assert Decimal(text) == Decimal(value)


def test_quotes_say_whether_they_were_checked(workspace: Path, edition: Path) -> None:
    edit(edition, "cite: [reaction-2025-01-13, desk-memo]",
         "cite: [reaction-2025-01-13, {source: desk-memo, quote: heavy losses}]")  # fmt: skip
    document = exported(str(edition))
    checks = {(c["source"], c["quote_check"]) for c in document["key_judgments"][0]["citations"]}
    assert checks == {("reaction-2025-01-13", None), ("desk-memo", "unverified")}
    (cite,) = document["situation"][0]["citations"]
    assert cite["quote_check"] == "verified"
    sources = {s["id"]: s for s in document["sources"]}
    assert sources["desk-memo"]["has_text"] is False and sources["desk-memo"]["url"] is None
    outlook = document["outlook"][0]
    assert outlook["likelihood"] == "likely" and outlook["confidence"] == "moderate"
    assert outlook["probability"] == {"text": "55–80%", "low_percent": 55, "high_percent": 80}


# --- refusals -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("nope.yaml", "--json"), 1, "nope.yaml: no such file or folder"),
        (("sources", "--json"), 1, "export writes one brief"),
        (("sources/demo/sources.yaml",), 1, "not an edition file"),
        ((), 2, "give one edition file or topic folder, or --schema alone"),
        (("sources/demo", "--schema"), 2, "--schema alone"),
    ],
)
def test_bad_paths_exit_with_a_message_and_print_nothing(
    workspace: Path, args: tuple[str, ...], code: int, message: str
) -> None:
    (workspace / "sources" / "demo" / "2025-W04.yaml").write_text(
        (workspace / "sources" / "demo" / "2025-W03.yaml").read_text().replace("W03", "W04")
        .replace("2025-01-19", "2025-01-26"), encoding="utf-8")  # fmt: skip
    result = run("export", *args)
    assert result.exit_code == code
    assert result.stdout == ""
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_invalid_notes_list_every_problem_at_its_line(workspace: Path, edition: Path) -> None:
    edit(edition, "likelihood: likely", "likelihood: maybe")
    edit(edition, "estimate: about 11,000", "estimate: lots")
    result = run("export", str(edition), "--json")
    assert result.exit_code == 1
    assert result.stdout == ""
    problems = result.stderr.splitlines()
    assert problems[-1] == "2 problems in 1 file."
    assert all(p.startswith("sources/demo/2025-W03.yaml:") for p in problems[:-1])
    assert "outlook[0].likelihood: 'maybe' is not an ICD 203" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_invalid_earlier_edition_is_a_warning_and_the_export_has_no_changes(
    workspace: Path, edition: Path
) -> None:
    later = edition.with_name("2025-W04.yaml")
    later.write_text(
        edition.read_text(encoding="utf-8")
        .replace("2025-W03", "2025-W04")
        .replace("2025-01-19", "2025-01-26"),
        encoding="utf-8",
    )
    assert exported(str(later))["previous_edition"] == "2025-01-19"
    edit(edition, "likelihood: likely", "likelihood: maybe")
    result = run("export", str(later))
    assert result.exit_code == 0
    assert "warning: sources/demo/2025-W03.yaml has 1 problem(s)" in result.stderr
    document = json.loads(result.stdout)
    assert document["changes"] == [] and document["previous_edition"] is None


# --- new fields of the brief reach the export -------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Scope:
    """A structured qualifier with no text of its own: it reaches `extra` as an object."""

    cause: str
    method: str


@dataclasses.dataclass(frozen=True)
class PlacedRow(EstimateRow):
    """A row as a later assemble.py might make it: fields this schema version does not name."""

    place: str = "Kursk region"
    scope: Scope = dataclasses.field(default_factory=lambda: Scope("violent", "recorded"))
    period: tuple[dt.date, dt.date] = (dt.date(2024, 10, 1), dt.date(2025, 1, 24))
    share: Decimal = Decimal("33.50")


def test_a_field_the_schema_does_not_name_yet_reaches_extra(workspace: Path, edition: Path) -> None:
    (valid,) = pipeline.check([edition])
    brief = pipeline.brief_of(valid)
    group = brief.estimates[0]
    rows = tuple(PlacedRow(**{f.name: getattr(r, f.name) for f in dataclasses.fields(r)})
                 for r in group.rows)  # fmt: skip
    placed = dataclasses.replace(brief, estimates=(dataclasses.replace(group, rows=rows),))
    document = to_export(placed).model_dump(mode="json")
    extra = document["estimates"][0]["rows"][0]["extra"]
    assert extra == {
        "place": "Kursk region",
        "scope": {"cause": "violent", "method": "recorded"},
        "period": ["2024-10-01", "2025-01-24"],
        "share": "33.50",
    }
    about = {row["text"]: row for row in document["estimates"][0]["rows"]}["about 300"]
    assert (about["low"], about["high"], about["kind"]) == ("300", "300", "approximate")
    assert validator().is_valid(json.loads(export.dumps(document)))


@dataclasses.dataclass(frozen=True)
class Month:
    """A date of the kind briefgen/dates.py holds: a range of days, written as a month."""

    start: dt.date
    end: dt.date
    precision: str = "month"
    inferred: str | None = None

    def __str__(self) -> str:
        return f"{self.start:%Y-%m}"


def test_a_date_keeps_the_precision_of_its_source() -> None:
    october = Month(dt.date(2024, 10, 1), dt.date(2024, 10, 31), inferred="“last October”")
    assert text_of(october) == "2024-10"
    assert span_of(october).model_dump() == {
        "start": "2024-10-01", "end": "2024-10-31", "precision": "month",
        "inferred": "“last October”",
    }  # fmt: skip
    day = span_of(dt.date(2025, 1, 24)).model_dump()
    assert day == {"start": "2025-01-24", "end": "2025-01-24", "precision": "day", "inferred": None}


def test_text_reaches_the_json_as_written(workspace: Path, edition: Path) -> None:
    """Markup, quotes, backslashes and bidi controls in the notes are text in the JSON."""
    written = r'"a \"quoted\" \\ back\u2028slash </script><b>x</b> \u202eevil\u202c"'
    edit(edition, "text: Ukraine holds two North Korean prisoners.", f"text: {written}")
    result = run("export", str(edition))
    assert result.exit_code == 0, result.stderr
    assert "</script><b>x</b>" in result.stdout  # JSON escapes no markup: it is not HTML
    text = json.loads(result.stdout)["key_judgments"][1]["text"]
    assert text == "a \u201cquoted\u201d \\ back slash </script><b>x</b> \u202eevil\u202c"


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "file:///etc/passwd", "https://user:pw@example.org/"]
)
def test_a_dangerous_source_address_never_reaches_the_json(workspace: Path, url: str) -> None:
    registry = workspace / "sources" / "demo" / "sources.yaml"
    edit(registry, "  reliability: B\n", f"  url: '{url}'\n  reliability: B\n")
    result = run("export", "sources/demo")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "sources/demo/sources.yaml:" in result.stderr and "url" in result.stderr

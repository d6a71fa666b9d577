"""`briefgen schema`: JSON Schemas that accept the sample notes and catch typos."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from briefgen.cli import main
from conftest import REPO

TOPIC = REPO / "sources" / "nk-russia"


def as_json(path: Path) -> object:
    """What an editor's YAML plugin validates: YAML dates are strings in JSON."""
    return json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8")), default=str))


def schema(*args: str) -> dict:
    result = CliRunner().invoke(main, ["schema", *args])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(document)
    return document


@pytest.mark.parametrize("edition", sorted(TOPIC.glob("20*.yaml")), ids=lambda p: p.stem)
def test_sample_editions_validate_against_the_schema(edition: Path) -> None:
    jsonschema.validate(as_json(edition), schema())


def test_sample_registry_validates_against_its_schema() -> None:
    jsonschema.validate(as_json(TOPIC / "sources.yaml"), schema("--sources"))


def test_the_schema_catches_a_typo_and_a_term_off_the_scale() -> None:
    data = as_json(TOPIC / "2025-W04.yaml")
    data["outlook"][0]["likelihood"] = "maybe"  # "probable" is ICD 203 row 2, accepted
    data["situation"][0]["txt"] = data["situation"][0].pop("text")
    errors = sorted(e.message for e in jsonschema.Draft202012Validator(schema()).iter_errors(data))
    assert any("'maybe' is not one of" in message for message in errors)
    assert any("'txt' was unexpected" in message for message in errors)


def test_fields_carry_their_documentation_for_editor_tooltips() -> None:
    estimate = schema()["$defs"]["Estimate"]["properties"]["estimator"]
    assert estimate["description"].startswith("Who made the estimate")

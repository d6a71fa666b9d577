"""`briefgen export`: the assembled brief as JSON, for dashboards and threat-intel platforms.

The JSON says what the PDF says (it is made from the same assembled Brief), with the
numbers exact and every citation resolved to its source. Its JSON Schema is generated
from the models in shape.py and kept in docs/export.schema.json (`make export-schema`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from briefgen.validate import ValidEdition

DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_FILE = Path("docs") / "export.schema.json"
"""Where the schema is kept, relative to the repository."""


def export_json(paths: Sequence[Path], warnings: list[str] | None = None) -> str:
    """The brief of the one edition PATHs stand for, as JSON text ending in a newline.

    Refuses several editions: a consumer of one brief per document needs no array to
    unwrap, and one schema validates one brief. Problems with the notes raise InvalidNotes
    (every one, `file:line: where: what`); `warnings` gets what a build would warn about.
    """
    from briefgen import pipeline

    valid = pipeline.one_edition(paths, does="export writes one brief")
    if warnings is not None:  # what `check` warns about (a figure held twice, say)
        warnings.extend(str(w) for w in getattr(valid, "warnings", ()))
    return dumps(document_of(valid, warnings))


def document_of(valid: ValidEdition, warnings: list[str] | None = None) -> dict[str, Any]:
    """The export of a validated edition as plain JSON data (what tests compare)."""
    from briefgen import pipeline
    from briefgen.export.convert import to_export

    brief = pipeline.brief_of(valid, warnings)
    document: dict[str, Any] = to_export(brief).model_dump(mode="json")
    return document


def schema() -> dict[str, Any]:
    """The export's JSON Schema (draft 2020-12), from the models in shape.py."""
    from briefgen.export.shape import SCHEMA_VERSION, ExportedBrief

    generated = ExportedBrief.model_json_schema(mode="serialization")
    return {
        "$schema": DIALECT,
        "$comment": f"briefgen export schema {SCHEMA_VERSION}; made by `make export-schema`",
        **generated,
        "title": "briefgen brief export",
    }


def schema_json() -> str:
    """The schema as the committed file holds it."""
    return dumps(schema())


def dumps(document: Any) -> str:
    """Deterministic JSON: sorted keys (objects are unordered), arrays in document order,
    characters as they are (not \\u escapes), two-space indent, a final newline."""
    return json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False) + "\n"

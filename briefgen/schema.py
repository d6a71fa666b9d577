"""JSON Schemas of the notes, from the pydantic models, for editors' completion and linting."""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter

from briefgen.models import Edition, Source

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def edition_schema() -> dict[str, Any]:
    """The schema of an edition file (`sources/<topic>/2025-W04.yaml`)."""
    schema = Edition.model_json_schema()
    return {"$schema": DIALECT, "title": "briefgen edition", **_without_title(schema)}


def sources_schema() -> dict[str, Any]:
    """The schema of a topic's source registry (`sources/<topic>/sources.yaml`)."""
    schema = TypeAdapter(list[Source]).json_schema()
    return {"$schema": DIALECT, "title": "briefgen source registry", **schema}


def _without_title(schema: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in schema.items() if key != "title"}

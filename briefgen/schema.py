"""JSON Schemas of the notes, from the pydantic models, for editors' completion and linting.

Each field's description is its attribute docstring in models/ (the string under
`field: type`), read here from the source rather than by pydantic at every import.
"""

from __future__ import annotations

import ast
import inspect
import itertools
from typing import Any

from pydantic import BaseModel, TypeAdapter

from briefgen import models
from briefgen.models import Edition, Source

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def edition_schema() -> dict[str, Any]:
    """The schema of an edition file (`sources/<topic>/2025-W04.yaml`)."""
    schema = _described(Edition.model_json_schema(), top=Edition.__name__)
    return {"$schema": DIALECT, "title": "briefgen edition", **_without_title(schema)}


def sources_schema() -> dict[str, Any]:
    """The schema of a topic's source registry (`sources/<topic>/sources.yaml`)."""
    schema = _described(TypeAdapter(list[Source]).json_schema())
    return {"$schema": DIALECT, "title": "briefgen source registry", **schema}


def _without_title(schema: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in schema.items() if key != "title"}


def _described(schema: dict[str, Any], top: str | None = None) -> dict[str, Any]:
    """The schema with each model property's docstring as its description."""
    docs = _field_docs()
    parts = [(name, part) for name, part in schema.get("$defs", {}).items()]
    if top:
        parts.append((top, schema))
    for name, part in parts:
        for field, prop in part.get("properties", {}).items():
            if field in docs.get(name, {}):
                prop.setdefault("description", docs[name][field])
    return schema


def _field_docs() -> dict[str, dict[str, str]]:
    """Attribute docstrings by model name and field, inherited ones included."""
    own: dict[str, dict[str, str]] = {}
    for module in (models.base, models.registry, models.edition):
        for node in ast.parse(inspect.getsource(module)).body:
            if isinstance(node, ast.ClassDef):
                own[node.name] = dict(_docstrings(node.body))
    found = {}
    for name, cls in vars(models).items():
        if isinstance(cls, type) and issubclass(cls, BaseModel):
            found[name] = {
                field: doc
                for base in reversed(cls.__mro__)
                for field, doc in own.get(base.__name__, {}).items()
            }
    return found


def _docstrings(body: list[ast.stmt]) -> list[tuple[str, str]]:
    """(field, docstring) for each `field: type [= default]` followed by a string."""
    return [
        (first.target.id, inspect.cleandoc(second.value.value))
        for first, second in itertools.pairwise(body)
        if isinstance(first, ast.AnnAssign)
        and isinstance(first.target, ast.Name)
        and isinstance(second, ast.Expr)
        and isinstance(second.value, ast.Constant)
        and isinstance(second.value.value, str)
    ]

"""The library entry points the CLI calls, and tests too: check and build."""

from __future__ import annotations

from pathlib import Path

from briefgen import validate, workspace
from briefgen.validate import ValidEdition


def check(paths: list[Path]) -> list[ValidEdition]:
    """Validate the editions PATHs stand for; raise InvalidNotes listing every problem."""
    return validate.check(workspace.resolve(paths))

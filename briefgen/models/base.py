"""The base of every notes model."""

from __future__ import annotations

from pydantic import (
    BaseModel,
    ConfigDict,
)


class Strict(BaseModel):
    """Base for every notes model: unknown keys are errors and models are immutable."""

    # No `use_attribute_docstrings`: it reads and tokenizes this file's source at import,
    # about 30 ms of every `check`; schema.py puts the docstrings in the schema instead.
    model_config = ConfigDict(extra="forbid", frozen=True)

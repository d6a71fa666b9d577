"""What `check` says about the registry itself: texts changed since they were registered,
and sources still waiting for a grade.

A stored text is the ground a quote is verified on. Edited after registration (a typo
"fixed", a sentence tidied), it can verify a quote against words the source never
printed, so its hash is compared with the `sha256:` written when it was registered. A
source added by `source add` has no reliability grade until the analyst reads it; the
registry may hold it meanwhile, and check lists it, so it is not forgotten.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from briefgen.errors import Problem
from briefgen.load import Loaded, LoadError, load_yaml, read_regular
from briefgen.models import Registry, Source
from briefgen.workspace import REGISTRY


def registry_warnings(
    topic_dir: Path, registry: Registry, text_bytes: int, max_bytes: int | None = None
) -> list[Problem]:
    """`sources.yaml:line: [i].key: …` for each changed text and each ungraded source.
    Only texts the registry accepted are read (inside the topic folder, within the cap)."""
    if registry.unreadable or not registry.sources:
        return []
    try:
        loaded = load_yaml(topic_dir / REGISTRY, max_bytes)
    except LoadError:
        return []  # already reported as a problem
    index_of = {
        item.get("id"): i for i, item in enumerate(loaded.data or []) if isinstance(item, dict)
    }
    warnings: list[Problem] = []
    for source in registry.sources.values():
        index = index_of.get(source.id, 0)
        if source.reliability is None:
            warnings.append(_at(loaded, index, "reliability", _ungraded(source)))
        changed = _changed(registry, source, text_bytes) if source.sha256 else None
        if changed:
            warnings.append(_at(loaded, index, "sha256", changed))
    return warnings


def _at(loaded: Loaded, index: int, key: str, message: str) -> Problem:
    line = loaded.lines.get((index, key)) or loaded.line((index, "id"))
    return Problem(loaded.path, line, f"[{index}].{key}", message)


def _ungraded(source: Source) -> str:
    return (
        f"{source.id!r} has no reliability grade yet; set 'reliability:' (A-F) once you have "
        "judged the source (a brief cannot cite it until then)"
    )


def _changed(registry: Registry, source: Source, text_bytes: int) -> str | None:
    """Why the stored text does not match its hash, or None when it does."""
    if source.text is None:
        return "'sha256:' without 'text:': there is no stored text to check; drop it"
    passage = registry.texts.get(source.id)
    if passage is None:
        return None  # a text outside the topic, missing or too big is a problem already
    path = passage if isinstance(passage, Path) else passage.path
    try:
        digest = hashlib.sha256(read_regular(path, text_bytes)).hexdigest()
    except OSError:
        return None  # a missing or unreadable text is reported as a problem already
    if source.sha256 is None or digest == source.sha256:
        return None
    return (
        f"{source.text} has changed since it was registered (its sha256 is now "
        f"{digest[:12]}…, not {source.sha256[:12]}…): a quote may be verified against words "
        "the source never printed; restore the text as registered, or record the new "
        f"version with `briefgen source add TOPIC FILE --update {source.id}`"
    )

"""Raw notes → models, collecting every problem in every file before raising once.

Pydantic does the checking; this module turns its errors into `file:line: where: what`
with a hint at the fix (the nearest valid key, the scale to pick from, the quoting
that stops YAML from reading `no` as false).
"""

from __future__ import annotations

import datetime as dt
import difflib
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic_core import ErrorDetails

from briefgen import config, sourcing
from briefgen.caps import Limits, limits
from briefgen.errors import InvalidNotes, Problem
from briefgen.estimates import quantities
from briefgen.intake.integrity import registry_warnings
from briefgen.judgments import continuity, lint
from briefgen.judgments.scales import SCALES
from briefgen.load import Loaded, LoadError, Loc, TooBig, load_yaml, read_text
from briefgen.models import Edition, Registry, Source
from briefgen.quotes import Passage
from briefgen.quotes.passages import PassageError, lines_of
from briefgen.workspace import REGISTRY, EditionFile

_SOURCES = TypeAdapter(list[Source])


@dataclass(frozen=True)
class ValidEdition:
    """An edition that passed every check, with the registry its citations refer to."""

    file: EditionFile
    edition: Edition
    registry: Registry
    warnings: tuple[Problem, ...] = ()
    """What is valid but worth a word (a figure entered twice), `file:line: where: what`."""


def check(
    files: list[EditionFile],
    max_bytes: int | None = None,
    caps: Limits | None = None,
    strict: bool = False,
) -> list[ValidEdition]:
    """Validate the editions and their topics' registries; raise InvalidNotes listing all.
    `max_bytes` caps each notes file (default: load.MAX_BYTES); `caps` the fields, URLs
    and source texts (default: briefgen.toml's [notes]); `strict` makes warnings errors."""
    caps = caps or limits()
    problems: list[Problem] = []
    registries: dict[Path, Registry] = {}
    registry_warned: dict[Path, list[Problem]] = {}  # told with the topic's first edition
    valid: list[ValidEdition] = []
    for file in files:
        if file.topic_dir not in registries:
            registry, found = load_registry(file.topic_dir, max_bytes, caps)
            registries[file.topic_dir] = registry
            problems.extend(found)
            registry_warned[file.topic_dir] = registry_warnings(
                file.topic_dir, registry, caps.text_bytes, max_bytes
            )
        registry = registries[file.topic_dir]
        edition, found, warned = _load_edition(file.path, registry, max_bytes, caps)
        problems.extend(found)
        if edition is not None:  # texts changed since registered, sources to grade
            warned = (*registry_warned.pop(file.topic_dir, ()), *warned)
        if strict:
            problems.extend(warned)
            warned = ()
        if edition is not None:
            valid.append(ValidEdition(file, edition, registries[file.topic_dir], warned))
    problems += continuity.problems(files, valid, max_bytes, caps)  # moves, judgments due
    if problems:
        raise InvalidNotes(problems)
    return valid


def load_registry(
    topic_dir: Path, max_bytes: int | None = None, caps: Limits | None = None
) -> tuple[Registry, list[Problem]]:
    """Read `sources.yaml`; return the valid sources and the problems with the rest."""
    caps = caps or limits()
    path = topic_dir / REGISTRY
    try:
        loaded = load_yaml(path, max_bytes)
    except LoadError as error:
        return Registry([], {}, unreadable=True), [error.problem]
    if not isinstance(loaded.data, list):
        message = "expected a list of sources (each item starting with '- id:')"
        return Registry([], {}, unreadable=True), [Problem(path, 1, "", message)]
    sources, problems = _valid_sources(loaded, caps)
    problems += _derivation_problems(loaded, sources)
    texts, text_problems = _source_texts(loaded, sources, topic_dir, caps)
    valid = {source.id for source in sources}
    broken = {item.get("id") for item in loaded.data if isinstance(item, dict)} - valid
    broken_ids = frozenset(i for i in broken if isinstance(i, str))
    registry = Registry(sources, texts, broken_ids, caps.text_bytes, topic_dir)
    text_problems += _same_texts(loaded, registry)
    return registry, [*problems, *text_problems]


def _same_texts(loaded: Loaded, registry: Registry) -> list[Problem]:
    """One text under two ids would count one article as two sources; a wire copy two
    outlets printed says so with `derives_from`."""
    index_of = _entry_index(loaded)
    problems = []
    for first, second in registry.quotes.same_text():
        a, b = registry[first], registry[second]
        if a.derives_from in (b.id, b.derives_from) or b.derives_from == a.id:
            continue
        message = (
            f"{second!r} has the same text as {first!r}: one article registered twice counts "
            f"as two sources; keep one id, or write 'derives_from: {first}' if one outlet "
            "printed the other's copy"
        )
        problems.append(_located(loaded, (index_of.get(second, 0), "text"), message))
    return problems


def _valid_sources(loaded: Loaded, caps: Limits) -> tuple[list[Source], list[Problem]]:
    problems: list[Problem] = []
    sources: list[Source] = []
    first_line: dict[str, int] = {}
    for index, item in enumerate(loaded.data):
        try:
            source = Source.model_validate(item, context={"limits": caps})
        except ValidationError as error:
            problems.extend(_problems(loaded, error, prefix=(index,), model=Source))
            continue
        line = loaded.line((index, "id"))
        if source.id in first_line:
            message = f"duplicate source id {source.id!r} (first on line {first_line[source.id]})"
            problems.append(Problem(loaded.path, line, f"[{index}].id", message))
            continue
        first_line[source.id] = line
        sources.append(source)
    return sources, problems


def _entry_index(loaded: Loaded) -> dict[Any, int]:
    """Each registry entry's position by its id, to place a problem at the entry's line."""
    return {item.get("id"): i for i, item in enumerate(loaded.data) if isinstance(item, dict)}


def _derivation_problems(loaded: Loaded, sources: list[Source]) -> list[Problem]:
    index_of = _entry_index(loaded)
    return [
        _located(loaded, (index_of.get(source_id, 0), "derives_from"), message)
        for source_id, message in sourcing.derivation_problems(sources)
    ]


def _source_texts(
    loaded: Loaded, sources: list[Source], topic_dir: Path, caps: Limits
) -> tuple[dict[str, Passage], list[Problem]]:
    """Resolve each source's text file, which must exist inside the topic folder, be a
    regular file within the size cap (known before reading), be UTF-8, and hold the
    `lines:` the entry names."""
    index_of = _entry_index(loaded)
    texts: dict[str, Passage] = {}
    problems: list[Problem] = []
    root = topic_dir.resolve()
    for source in sources:
        if source.text is None:
            continue
        path = (topic_dir / source.text).resolve()
        passage = Passage(path, *(source.lines or (None, None)))
        loc: Loc = (index_of.get(source.id, 0), "text")
        if not path.is_relative_to(root):
            message = f"{source.text!r} is outside the topic folder; keep source texts in it"
        elif not path.is_file():
            message = f"no file {source.text!r} in {topic_dir}; fix the path or remove the key"
        elif unreadable := _unreadable(passage, source.text, caps):
            message = unreadable
            loc = (loc[0], "lines") if unreadable.startswith("lines:") else loc
        else:
            texts[source.id] = passage
            continue
        problems.append(Problem(loaded.path, loaded.line(loc), _where(loc), message))
    return texts, problems


def _unreadable(passage: Passage, name: str, caps: Limits) -> str | None:
    """Why a source text cannot serve quote checks, or None."""
    try:
        lines_of(read_text(passage.path, caps.text_bytes), passage)
    except TooBig as error:
        return caps.text_problem(name, error.size)
    except UnicodeDecodeError:
        return f"{name!r} is not UTF-8 text; save it as UTF-8"
    except OSError as error:
        return f"cannot read {name!r}: {error.strerror or error}; fix the path or remove the key"
    except PassageError as error:
        return f"lines: {name!r}: {error}"
    return None


def load_edition(
    path: Path, registry: Registry, max_bytes: int | None = None, caps: Limits | None = None
) -> tuple[Edition | None, list[Problem]]:
    """Read and validate one edition against its topic's registry."""
    edition, problems, _ = _load_edition(path, registry, max_bytes, caps)
    return edition, problems


def _load_edition(
    path: Path, registry: Registry, max_bytes: int | None, caps: Limits | None
) -> tuple[Edition | None, list[Problem], tuple[Problem, ...]]:
    """The edition, its problems, and its warnings (quantities.duplicates)."""
    try:
        loaded = load_yaml(path, max_bytes)
    except LoadError as error:
        return None, [error.problem], ()
    if not isinstance(loaded.data, dict):
        message = "expected a mapping of keys (title:, edition:, ...)"
        return None, [Problem(path, 1, "", message)], ()
    edition_date = loaded.data.get("edition")
    context = {
        "registry": registry,
        "edition": edition_date if type(edition_date) is dt.date else None,
        "limits": caps or limits(),
        "scale": SCALES[config.load(EditionFile(path).workspace).brief.scale],
    }
    try:
        edition = Edition.model_validate(loaded.data, context=context)
    except ValidationError as error:
        return None, _problems(loaded, error, prefix=(), model=Edition), ()
    problems = _at_lines(loaded, quantities.group_findings(edition.estimates))
    warnings = _at_lines(loaded, quantities.duplicates(edition.estimates))
    sourcing_notes = [
        *sourcing.thin_key_judgments(edition, registry),
        *sourcing.unverified_quotes(edition, registry),
        *lint.warnings(edition),  # estimative language
    ]
    warnings += [_located(loaded, loc, message) for loc, message in sourcing_notes]
    return edition, problems, tuple(warnings)


def _located(loaded: Loaded, loc: Loc, message: str) -> Problem:
    return Problem(loaded.path, loaded.line(loc), _where(loc), message)


def _at_lines(loaded: Loaded, findings: list[quantities.Finding]) -> list[Problem]:
    """Findings on estimates[i].field, at the line where the field (else the item) is."""
    return [
        _located(loaded, ("estimates", finding.index, finding.field), finding.message)
        for finding in findings
    ]


# --- pydantic errors → problems -------------------------------------------------------


def _problems(
    loaded: Loaded, error: ValidationError, prefix: Loc, model: type[BaseModel]
) -> list[Problem]:
    problems = []
    for detail in error.errors(include_url=False):
        loc = _data_loc(detail["loc"])
        full = (*prefix, *loc)
        message = _message(detail, model, loc, loaded.written.get(full))
        problems.append(Problem(loaded.path, loaded.line(full), _where(full), message))
    return problems


def _data_loc(loc: tuple[Any, ...]) -> Loc:
    """Drop the validator names pydantic puts into some locations (`function-after[...]`)."""
    return tuple(part for part in loc if isinstance(part, int) or "[" not in str(part))


def _where(loc: Loc) -> str:
    """`("situation", 2, "cite")` → `situation[2].cite`."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else str(part)
    return text


def _message(
    detail: ErrorDetails, model: type[BaseModel], loc: Loc, written: str | None = None
) -> str:
    kind, value, field = detail["type"], detail.get("input"), _last_key(loc)
    if kind == "missing" and field == "cite":
        return "no citation; every line must cite at least one source (cite: [source-id])"
    if kind == "missing":
        return f"required; add '{field}:'"
    if kind == "extra_forbidden":
        return _unknown_key(model, loc)
    if kind == "too_short" and field == "cite":
        return "no citation; every line must cite at least one source (cite: [source-id])"
    if kind == "too_short":
        return f"is empty; write at least one item under '{field}:'"
    if kind == "too_long":
        return f"has {len(value)} items; keep it to {detail.get('ctx', {}).get('max_length')}"
    if kind == "literal_error":
        return f"{value!r} is not allowed; use one of: {detail['ctx']['expected']}"
    if kind in ("string_type", "str_type") and written is not None:
        return (
            f'YAML read {written!r} as {_show(value)}, not as text; put it in quotes: "{written}"'
        )
    if kind in ("string_type", "str_type"):
        return _not_text(value)
    if kind == "string_pattern_mismatch":
        return f"{value!r} has characters that are not allowed here"
    if kind in ("list_type", "model_type", "dict_type", "model_attributes_type"):
        return f"expected {'a list' if kind == 'list_type' else 'a mapping'}, got {_show(value)}"
    message = detail["msg"]
    return message.removeprefix("Value error, ").removeprefix("Assertion failed, ")


def _not_text(value: Any) -> str:
    if isinstance(value, bool):
        return (
            f"expected text, got {str(value).lower()} (YAML reads yes/no/on/off as true/false); "
            "put the value in quotes"
        )
    if isinstance(value, int | float | dt.date):
        return f"expected text, got {_show(value)}; put the value in quotes"
    return f"expected text, got {_show(value)}"


def _show(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing (an empty value)"
    return f"{type(value).__name__} {value!r}"


def _last_key(loc: Loc) -> str:
    return next((str(part) for part in reversed(loc) if isinstance(part, str)), "")


def _unknown_key(model: type[BaseModel], loc: Loc) -> str:
    key = str(loc[-1])
    owner = _model_at(model, loc[:-1])
    known = list(owner.model_fields) if owner else []
    near = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    if near:
        return f"unknown key {key!r}; did you mean {near[0]!r}?"
    return f"unknown key {key!r}; allowed here: {', '.join(known)}"


def _model_at(model: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    """The model class that describes the data at `loc`, following lists and optionals."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        field = current.model_fields.get(part) if _is_model(current) else None
        if field is None:
            return None
        current = _inner_model(field.annotation)
    return current if _is_model(current) else None


def _inner_model(annotation: Any) -> Any:
    if _is_model(annotation):
        return annotation
    origin = typing.get_origin(annotation)
    if origin is None:
        return None
    if origin is typing.Annotated:
        return _inner_model(typing.get_args(annotation)[0])
    for arg in typing.get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _is_model(value: Any) -> bool:
    return isinstance(value, type) and issubclass(value, BaseModel) and value is not types.NoneType

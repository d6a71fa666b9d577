"""Read notes files: YAML in, plain data out, remembering the line of every key and item.

PyYAML's safe composer gives each node its position; constructing the data ourselves
from those nodes keeps a map from each data path (`("situation", 2, "cite", 0)`) to
its line, so that any later problem can be reported as `file:line`. Only the safe
tags are honoured, duplicate keys are errors (YAML would keep the last silently), and
aliases are refused: notes have no need for them and they make an alias bomb possible.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from briefgen.errors import Problem

try:  # the C parser is 5–10× faster; fall back where libyaml is missing
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

Loc = tuple[str | int, ...]

MAX_BYTES = 4 * 1024 * 1024
MAX_DEPTH = 32
_COLLECTION_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}


@dataclass
class Loaded:
    """One notes file: its data, and the line of each path in it."""

    path: Path
    data: Any
    lines: dict[Loc, int] = field(default_factory=dict)

    def line(self, loc: Loc) -> int:
        """The line of `loc`, or of its nearest ancestor that has one (a missing key)."""
        for end in range(len(loc), -1, -1):
            line = self.lines.get(tuple(loc[:end]))
            if line is not None:
                return line
        return 1


class LoadError(Exception):
    """A notes file that cannot be read as YAML at all."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def load_yaml(path: Path) -> Loaded:
    """Parse one YAML file; raise LoadError with file and line when it cannot be read."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise LoadError(Problem(path, 1, "", f"cannot read the file: {error.strerror}")) from None
    if len(raw) > MAX_BYTES:
        message = f"file is {len(raw):,} bytes, over the {MAX_BYTES:,}-byte limit for notes"
        raise LoadError(Problem(path, 1, "", message))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise LoadError(Problem(path, line, "", "not UTF-8 text; save the file as UTF-8")) from None
    loaded = Loaded(path, None)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        loaded.data = _Builder(loader, loaded).build(node, (), 0) if node is not None else None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        what = " ".join(filter(None, [error.context, error.problem]))
        raise LoadError(Problem(path, line, "", f"YAML syntax error: {what}")) from None
    except yaml.YAMLError as error:
        raise LoadError(Problem(path, 1, "", f"YAML error: {error}")) from None
    finally:
        loader.dispose()
    return loaded


class _Builder:
    """Turn a composed node tree into dicts, lists and scalars, recording lines."""

    def __init__(self, loader: Any, loaded: Loaded) -> None:
        self.loader = loader
        self.loaded = loaded
        self.seen: set[int] = set()

    def build(self, node: yaml.Node, loc: Loc, depth: int) -> Any:
        self.loaded.lines.setdefault(loc, node.start_mark.line + 1)
        if depth > MAX_DEPTH:
            raise self._error(node, f"nested more than {MAX_DEPTH} levels deep")
        if id(node) in self.seen:
            raise self._error(node, "aliases (*name) are not allowed in notes; repeat the value")
        self.seen.add(id(node))
        if not isinstance(node, yaml.ScalarNode) and node.tag not in _COLLECTION_TAGS:
            raise self._error(node, f"the tag {node.tag} is not allowed in notes; remove it")
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, loc, depth)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*loc, i), depth + 1) for i, item in enumerate(node.value)]
        return self._scalar(node)

    def _mapping(self, node: yaml.MappingNode, loc: Loc, depth: int) -> dict[str, Any]:
        self.loader.flatten_mapping(node)
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = self._scalar(key_node)
            if not isinstance(key, str):
                key = str(key).lower() if isinstance(key, bool) else str(key)
            if key in result:
                first = self.loaded.lines[(*loc, key)]
                raise self._error(key_node, f"duplicate key {key!r} (first on line {first})")
            self.loaded.lines[(*loc, key)] = key_node.start_mark.line + 1
            result[key] = self.build(value_node, (*loc, key), depth + 1)
        return result

    def _scalar(self, node: yaml.Node) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            raise self._error(node, "a key must be plain text")
        return self.loader.construct_object(node, deep=False)

    def _error(self, node: yaml.Node, message: str) -> yaml.MarkedYAMLError:
        return yaml.MarkedYAMLError(problem=message, problem_mark=node.start_mark)

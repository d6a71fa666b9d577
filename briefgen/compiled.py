"""Templates compiled once a process, and handed back by the children that compile them.

Compiling a template to Python is most of what rendering it costs: 30 ms for the brief's
HTML, 45 ms for the DOCX's parts (docxtpl compiles each XML part it fills), against
6–9 ms to render them. Every render runs in a bounded child (bounded.py), whose work is
lost when it exits, so a build of twenty editions compiled the same templates forty
times. Here each compiled template is kept under a key of its source and of everything
in the environment that Jinja's compiler reads; a child hands the ones it compiled back
with its result (`bounded.carry_back`), and the children forked after it start with
them. Nothing is kept on disk: a compiled template is code, and the output folder is not
a place to load code from.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
import types
from collections.abc import Callable
from typing import Any

from briefgen import bounded

Key = tuple[object, ...]

KEEP = 64
"""How many compiled templates a process keeps (a build uses a handful)."""

_compiled: dict[Key, types.CodeType] = {}
_made_by: dict[Key, int] = {}
"""Which process compiled each template: a child hands back only its own."""


def compile_once(
    env: Any,
    source: str,
    name: str | None,
    filename: str | None,
    defer_init: bool,
    compile_: Callable[[], types.CodeType],
) -> types.CodeType:
    """`compile_()`'s code for `source` in `env`, compiled once a process. An environment
    whose compiled code cannot be keyed (a `finalize` that is not a module's function)
    compiles each time."""
    key = _key(env, source, name, filename, defer_init)
    if key is None:
        return compile_()
    code = _compiled.get(key)
    if code is None:
        code = compile_()
        if len(_compiled) >= KEEP:
            _forget(next(iter(_compiled)))
        _compiled[key] = code
        _made_by[key] = os.getpid()
    return code


def _forget(key: Key) -> None:
    _compiled.pop(key, None)
    _made_by.pop(key, None)


def _key(env: Any, source: str, name: str | None, filename: str | None, defer: bool) -> Key | None:
    """What the compiled code depends on: the source, its names, and the environment's
    compile-time settings. Jinja folds constant output through `finalize` and the
    autoescape setting while compiling, and its lexer follows the delimiters and
    whitespace options; filters and tests are looked up when the template runs."""
    finalize = env.finalize
    if finalize is not None and not _module_function(finalize):
        return None
    autoescape = env.autoescape(name) if callable(env.autoescape) else env.autoescape
    lexing = tuple(
        getattr(env, option)
        for option in (
            "block_start_string", "block_end_string", "variable_start_string",
            "variable_end_string", "comment_start_string", "comment_end_string",
            "line_statement_prefix", "line_comment_prefix", "trim_blocks", "lstrip_blocks",
            "newline_sequence", "keep_trailing_newline",
        )
    )  # fmt: skip
    return (
        hashlib.sha256(source.encode("utf-8", "surrogatepass")).hexdigest(),
        name,
        filename,
        defer,
        f"{type(env).__module__}.{type(env).__qualname__}",
        f"{env.code_generator_class.__module__}.{env.code_generator_class.__qualname__}",
        env.sandboxed,
        env.optimized,
        env.is_async,
        bool(autoescape),
        None if finalize is None else f"{finalize.__module__}.{finalize.__qualname__}",
        lexing,
        tuple(sorted(env.extensions)),
    )


def _module_function(function: object) -> bool:
    """Whether `function` is a module's own function, which its module and name name
    alone (not a closure, a lambda or a method, whose names can repeat)."""
    module = sys.modules.get(getattr(function, "__module__", None) or "")
    name = getattr(function, "__qualname__", "")
    return isinstance(function, types.FunctionType) and getattr(module, name, None) is function


def _take() -> dict[Key, bytes]:
    """In a child, after its call: the templates it compiled itself, as marshal data."""
    here = os.getpid()
    return {key: marshal.dumps(_compiled[key]) for key, pid in _made_by.items() if pid == here}


def _keep(made: object) -> None:
    """In the parent: keep what a child compiled, for the children forked after it."""
    if not isinstance(made, dict):
        return
    for key, data in made.items():
        if key not in _compiled and len(_compiled) < KEEP:
            _compiled[key] = marshal.loads(data)


bounded.carry_back(_take, _keep)

"""One Jinja environment for every template: the user's folders first, then the defaults.

Templates are data, not code: the environment is sandboxed, autoescapes HTML, and fails
on an undefined variable (StrictUndefined) instead of rendering a blank. A user template
can extend the default it replaces with the `default:` prefix
(`{% extends "default:brief.html.j2" %}`); `user:` names only the user's folders, so the
default stylesheet can include a user's `brief.css` after itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path, PurePath
from types import CodeType
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from briefgen.bounded import bounded
from briefgen.compiled import compile_once
from briefgen.errors import BriefgenError, display_path
from briefgen.workspace import (
    ASSET_SUFFIXES,
    TEMPLATE_SUFFIXES,
    default_templates,
    search_path,
    usable_by_templates,
)


class _Environment(SandboxedEnvironment):
    """The sandbox, compiling each template once a process (briefgen/compiled.py)."""

    def compile(
        self,
        source: str | jinja2.nodes.Template,
        name: str | None = None,
        filename: str | None = None,
        raw: bool = False,
        defer_init: bool = False,
    ) -> Any:
        if raw:
            return super().compile(source, name, filename, True, defer_init)

        def compile_() -> CodeType:
            return super(_Environment, self).compile(source, name, filename, False, defer_init)

        if not isinstance(source, str):
            return compile_()
        return compile_once(self, source, name, filename, defer_init, compile_)


class _Confined(jinja2.FileSystemLoader):
    """A FileSystemLoader that loads only templates and assets (by suffix), never a hidden
    file or anything under a hidden folder, and will not follow a symlink out of its
    folders (it checks before it reads, so the outside file is never opened)."""

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        pieces = jinja2.loaders.split_template_path(template)
        if not usable_by_templates(PurePath(*pieces)):
            if not any(Path(folder, *pieces).exists() for folder in self.searchpath):
                raise jinja2.TemplateNotFound(template)
            raise jinja2.exceptions.SecurityError(
                f"template {template!r}: templates may include only templates and assets "
                f"({', '.join(sorted(TEMPLATE_SUFFIXES | ASSET_SUFFIXES))}), never a "
                "hidden file"
            )
        for folder in self.searchpath:
            candidate = Path(folder, *pieces)
            if candidate.is_file() and not _confined(candidate, Path(folder)):
                raise jinja2.exceptions.SecurityError(
                    f"{candidate}: a link to a file outside the template folders, or to a "
                    "hidden one"
                )
        return super().get_source(environment, template)


def _confined(path: Path, folder: Path) -> bool:
    """Whether `path`, once links are followed, is still a usable file of `folder`."""
    real, root = path.resolve(), folder.resolve()
    return real.is_relative_to(root) and usable_by_templates(real.relative_to(root))


def environment(user_dirs: Sequence[Path] = ()) -> SandboxedEnvironment:
    """The locked-down environment every renderer uses."""
    defaults = _Confined(default_templates())
    users = _Confined([d for d in user_dirs if d.is_dir()])
    loader = jinja2.ChoiceLoader(
        [
            jinja2.PrefixLoader({"default": defaults, "user": users}, delimiter=":"),
            _Confined(search_path(user_dirs)),
        ]
    )
    env = _Environment(
        loader=loader,
        autoescape=jinja2.select_autoescape(["html", "htm", "xml", "html.j2", "xml.j2"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["longdate"] = long_date
    return env


def long_date(value: dt.date) -> str:
    """`19 January 2025`: unambiguous in every English-speaking office."""
    return f"{value.day} {value:%B %Y}"


def render(env: jinja2.Environment, name: str, **context: object) -> str:
    """Render a template within a time and memory bound; a template error becomes a
    message naming the template and line."""
    return bounded(lambda: _render(env, name, context), what=name)


def _render(env: jinja2.Environment, name: str, context: dict[str, object]) -> str:
    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateSyntaxError as error:
        where = f"{error.filename or error.name}:{error.lineno}"
        raise BriefgenError(f"{where}: template syntax error: {error.message}") from None
    except jinja2.TemplateNotFound as error:
        place = _template_place(error, name)
        found = f"template {error.name!r} not found in {_folders(env)}"
        raise BriefgenError(found if place == name else f"{place}: {found}") from None
    except (jinja2.UndefinedError, jinja2.exceptions.SecurityError) as error:
        raise BriefgenError(f"{_template_place(error, name)}: {error}") from None
    except OverflowError as error:  # the sandbox's range() limit
        raise BriefgenError(f"{_template_place(error, name)}: {error}") from None
    except RecursionError as error:
        raise BriefgenError(
            f"{_template_place(error, name)}: a macro or include calls itself without end"
        ) from None


def _template_place(error: BaseException, name: str) -> str:
    """`file:line` of a runtime error inside a template, from the traceback Jinja rewrites."""
    place = name
    tb = error.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".j2", ".html", ".css", ".xml")):
            place = f"{filename}:{tb.tb_lineno}"
        tb = tb.tb_next
    return place


def _folders(env: jinja2.Environment) -> str:
    loader = env.loader
    assert isinstance(loader, jinja2.ChoiceLoader)
    fs = loader.loaders[-1]
    assert isinstance(fs, jinja2.FileSystemLoader)
    return ", ".join(str(p) for p in fs.searchpath)


def locate(url: str, user_dirs: Sequence[Path]) -> list[str]:
    """Where in the user's templates a URL is written: `path:line` for each line naming
    its file name, in templates, stylesheets and SVG images (the fetcher only sees the
    resolved URL, not the text that asked)."""
    name = url.rstrip("/").rsplit("/", 1)[-1] or url
    places = [
        f"{display_path(path)}:{number}"
        for folder in user_dirs
        if folder.is_dir()
        for path in sorted(folder.rglob("*"))
        if path.suffix in (".j2", ".css", ".html", ".htm", ".svg")
        and path.is_file()
        and _confined(path, folder)  # never open a file a link points to outside
        for number, line in enumerate(_lines(path), start=1)
        if name in line
    ]
    return places or ["a template"]


def _lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []

"""`briefgen templates`: export the defaults, list what is in use, check a user's templates.

An office customises by copying one default and changing it; these functions tell it
which file wins, and catch a broken template before a build does — above all a Word
template, whose Jinja tags Word splits across runs whenever someone edits inside one.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import jinja2
from jinja2 import meta

from briefgen.errors import BriefgenError, Problem, display_path
from briefgen.load import is_regular, read_text
from briefgen.templating import environment
from briefgen.workspace import default_templates

VARIABLES = {"brief", "titles", "version", "charts"}
"""What every brief template may use (see docs/templates.md); loops add their own names."""

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)


@dataclass(frozen=True)
class InUse:
    """A template name, the file that serves it, and why that one."""

    name: str
    path: Path
    origin: str


def defaults() -> list[Path]:
    """The default templates, in the order the docs describe them."""
    return sorted(p for p in default_templates().iterdir() if p.is_file())


def export(target: Path, force: bool = False) -> list[Path]:
    """Copy the defaults into `target`; refuse to overwrite unless forced, and refuse,
    forced or not, to write through a symbolic link: a link planted in a shared folder
    would otherwise make the export create or overwrite a file elsewhere."""
    sources = defaults()
    entries = [target / p.name for p in sources]
    links = [p for p in [target, *entries] if p.is_symlink()]
    if links:
        names = ", ".join(display_path(p) for p in links)
        raise BriefgenError(
            f"{names}: a symbolic link; briefgen never writes through one, so that it "
            "writes only where you asked. Remove the link, or export into another folder"
        )
    odd = [p for p in entries if p.exists() and not p.is_file()]
    if odd:
        names = ", ".join(display_path(p) for p in odd)
        raise BriefgenError(f"{names}: not a regular file; remove it, or export elsewhere")
    clashes = [p for p in entries if p.exists()]
    if clashes and not force:
        names = ", ".join(display_path(p) for p in clashes)
        raise BriefgenError(f"{names} already exist; use --force to overwrite them")
    try:
        target.mkdir(parents=True, exist_ok=True)
        return [_copy(source, target / source.name) for source in sources]
    except OSError as error:
        raise BriefgenError(f"{display_path(target)}: cannot export into it: {error}") from None


def _copy(source: Path, target: Path) -> Path:
    """Copy one file, opening the target with O_NOFOLLOW (a link swapped in since the
    check is refused by the system) and only if it is, or becomes, a regular file."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
    descriptor = os.open(target, flags, 0o644)
    with os.fdopen(descriptor, "wb") as stream:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise BriefgenError(f"{display_path(target)}: not a regular file; not overwritten")
        stream.truncate(0)
        stream.write(source.read_bytes())
    return target


def in_use(user_dirs: Sequence[Path]) -> list[InUse]:
    """For each template the build uses, the file that serves it."""
    rows = []
    for default in defaults():
        user = next((d / default.name for d in user_dirs if (d / default.name).is_file()), None)
        if user is None:
            rows.append(InUse(default.name, default, "default"))
        elif default.name == "brief.css":
            rows.append(InUse(default.name, user, "yours, applied after the default"))
        else:
            rows.append(InUse(default.name, user, "yours, replacing the default"))
    return rows


def check(user_dirs: Sequence[Path]) -> list[Problem]:
    """Every problem in the user's templates: Jinja syntax, unknown variables, and Word
    tags that docxtpl cannot read."""
    env = environment(user_dirs)
    problems: list[Problem] = []
    for folder in (d for d in user_dirs if d.is_dir()):
        for path in sorted(folder.rglob("*.j2")):
            problems.extend(_check_jinja(env, path))
        for path in sorted(folder.rglob("*.docx")):
            problems.extend(check_docx(env, path))
    return problems


def _check_jinja(env: jinja2.Environment, path: Path) -> list[Problem]:
    try:
        env.parse(read_text(path), path.name, str(path))
    except jinja2.TemplateSyntaxError as error:
        return [Problem(path, error.lineno, "", f"template syntax error: {error.message}")]
    except UnicodeDecodeError:
        return [Problem(path, 1, "", "not UTF-8 text; save the template as UTF-8")]
    except OSError as error:  # a FIFO, a device: never read (it would block)
        return [Problem(path, 1, "", f"cannot read it: {error.strerror}")]
    return []


def check_docx(env: jinja2.Environment, path: Path) -> list[Problem]:
    """Parse a Word template the way docxtpl will, and say where it would fail."""
    from docxtpl import DocxTemplate

    if not is_regular(path):  # a FIFO would block the zip reader for ever
        return [Problem(path, 1, "", "not a regular file; give a Word document")]
    try:
        template = DocxTemplate(str(path))
        template.init_docx()
        parts = {"document": template.get_xml()}
    except Exception as error:  # a corrupt or non-Word file: any parser error is the user's
        return [Problem(path, 1, "", f"cannot open it as a Word document: {error}")]
    for index, section in enumerate(template.docx.sections):
        parts[f"header {index + 1}"] = section.header._element.xml
        parts[f"footer {index + 1}"] = section.footer._element.xml
    from briefgen.render.docx import FILTERS, TEXT_FILTERS

    env.filters.update({name: str for name in (*FILTERS, *TEXT_FILTERS)})  # to parse only
    problems: list[Problem] = []
    for part, xml in parts.items():
        split = _split_tags(xml)
        try:
            tree = env.parse(template.patch_xml(xml))
        except jinja2.TemplateSyntaxError as error:
            hint = f"; Word split these tags across runs: {', '.join(split)}" if split else ""
            message = f"{part}: Jinja syntax error: {error.message}{hint}"
            problems.append(Problem(path, 1, "", message + _retype))
            continue
        unknown = meta.find_undeclared_variables(tree) - VARIABLES
        problems.extend(
            Problem(path, 1, "", f"{part}: unknown variable {name!r}; available: "
                    f"{', '.join(sorted(VARIABLES))}")
            for name in sorted(unknown)
        )  # fmt: skip
    return problems


_retype = " (retype each tag in one go, without changing its formatting midway)"


def _split_tags(xml: str) -> list[str]:
    """Tags whose text Word spread over several runs, paragraph by paragraph."""
    split = []
    for paragraph in ElementTree.fromstring(xml).iter(f"{W}p"):
        pieces = [t.text or "" for t in paragraph.iter(f"{W}t")]
        text, bounds, position = "".join(pieces), [], 0
        for piece in pieces:
            position += len(piece)
            bounds.append(position)
        for match in _TAG.finditer(text):
            inside = [b for b in bounds[:-1] if match.start() < b < match.end()]
            if inside:
                split.append(match.group(0))
    return split

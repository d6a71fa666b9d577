"""`briefgen.toml`: a workspace's defaults, validated like the notes.

Everything here is a default: an edition's own `author:` or `marking:` wins over the
workspace's, and a command-line flag wins over both, but only when the user gave it.
Secrets never live here: the SMTP password comes from the environment or from a file
this config names.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from briefgen import workspace
from briefgen.errors import BriefgenError, InvalidNotes, Problem
from briefgen.house import ORDER, SECTIONS, House

if TYPE_CHECKING:
    import tomllib

FILENAME = "briefgen.toml"
ORDERABLE = ORDER
"""Sections a `sections = [...]` list may order (charts always follow the estimates)."""


class _Table(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class BriefConfig(_Table):
    """[brief]: what every brief of the workspace says unless its edition says otherwise."""

    author: str | None = None
    marking: str | None = None
    organisation: str | None = None
    """The title block's issuing office, product line, contact and distribution."""
    product_line: str | None = None
    contact: str | None = None
    distribution: str | None = None
    sections: list[str] = Field(default_factory=lambda: list(ORDERABLE))
    """The order of the sections; leave one out to drop it (not `sources`)."""
    titles: dict[str, str] = Field(default_factory=dict)
    """Section titles by section id, e.g. `key-judgments = "Bottom line"`."""
    scale: Literal["icd203", "phia"] = "icd203"
    """The likelihood yardstick: ICD 203 (US) or PHIA (UK); `check` holds judgments to it."""

    @field_validator("sections")
    @classmethod
    def _known_sections(cls, value: list[str]) -> list[str]:
        unknown = [name for name in value if name not in ORDERABLE]
        if unknown:
            raise ValueError(f"unknown section {unknown[0]!r}; use: {', '.join(ORDERABLE)}")
        if len(set(value)) != len(value):
            raise ValueError("a section is listed twice")
        if "sources" not in value:
            raise ValueError("'sources' cannot be left out: every line links to it")
        return value

    @field_validator("titles")
    @classmethod
    def _known_titles(cls, value: dict[str, str]) -> dict[str, str]:
        unknown = [name for name in value if name not in SECTIONS]
        if unknown:
            raise ValueError(f"unknown section {unknown[0]!r}; use: {', '.join(SECTIONS)}")
        return value

    def house(self) -> House:
        """The defaults as the assembler takes them."""
        return House(
            author=self.author,
            marking=self.marking or "UNCLASSIFIED",
            organisation=self.organisation,
            product_line=self.product_line,
            contact=self.contact,
            distribution=self.distribution,
            sections=tuple(self.sections),
            titles=dict(self.titles),
        )


class BuildConfig(_Table):
    """[build]: defaults for `briefgen build`."""

    output: Path | None = None
    formats: list[Literal["pdf", "docx", "html"]] | None = None
    templates: Path | None = None
    charts: bool = True


class SmtpConfig(_Table):
    """[smtp]: the outgoing mail server. The password is never written here."""

    host: str | None = None
    port: Annotated[int, Field(ge=1, le=65535)] | None = None
    security: Literal["starttls", "ssl", "none"] = "starttls"
    user: str | None = None
    password_file: Path | None = None
    """A file holding only the password (keep it out of git, mode 600)."""
    timeout: Annotated[float, Field(gt=0, le=600)] = 30.0


class MailConfig(_Table):
    """[mail]: the message around the brief."""

    sender: str | None = Field(default=None, alias="from")
    subject: str | None = None
    """A Jinja template for the subject; default `<title> — <edition date>`."""
    max_size_mb: Annotated[float, Field(gt=0)] = 10.0
    lists: dict[str, list[str]] = Field(default_factory=dict)
    """Named distribution lists, used with `briefgen mail --list NAME`."""


class NotesConfig(_Table):
    """[notes]: limits on the notes files."""

    max_file_mb: Annotated[float, Field(gt=0, le=1024)] = 4.0
    """The largest notes file read; a bigger one is refused before it is parsed."""
    max_text_mb: Annotated[float, Field(gt=0, le=1024)] = 20.0
    """The largest source text read for quote checks; a bigger one is refused unread."""
    max_field_chars: Annotated[int, Field(ge=100, le=10_000_000)] = 5_000
    """The longest text a note field may hold, in characters."""
    max_url_chars: Annotated[int, Field(ge=100, le=100_000)] = 2_000
    """The longest web address a source may have, in characters."""
    number_locale: Literal["en", "de", "fr"] = "en"
    """How the notes write numbers: en `12,000.5`, de `12.000,5`, fr `12 000,5`; a number
    in another style is refused (`12.000` could be twelve or twelve thousand)."""


class CheckConfig(_Table):
    """[check]: how strict validation is."""

    strict: bool = False
    """Refuse what is otherwise a warning (unverified quotes, thin key judgments), in
    `check` and in every command that validates, as `check --strict` does."""


class SignConfig(_Table):
    """[sign]: the key `build --sign` signs PDFs with. The password is never written
    here, nor taken from the command line: BRIEFGEN_SIGN_PASSWORD, or `password_file`."""

    pkcs12: Path | None = None
    """The PKCS#12 file (.p12/.pfx) with the signer's key and certificate chain."""
    password_file: Path | None = None
    """A file holding only the PKCS#12 password (keep it out of git, mode 600)."""


class Config(_Table):
    """The whole `briefgen.toml`."""

    notes: NotesConfig = NotesConfig()
    check: CheckConfig = CheckConfig()
    brief: BriefConfig = BriefConfig()
    build: BuildConfig = BuildConfig()
    smtp: SmtpConfig = SmtpConfig()
    mail: MailConfig = MailConfig()
    sign: SignConfig = SignConfig()
    root: Path = Path()
    """The folder the file was found in; relative paths in it are relative to here."""

    def path(self, value: Path | None) -> Path | None:
        """A path from the file, made relative to the file's folder."""
        if value is None:
            return None
        value = value.expanduser()
        return value if value.is_absolute() else self.root / value


class UserBuildConfig(_Table):
    """[build] of the user's own config."""

    templates: Path | None = None
    """A template folder for every workspace that names none; it may be outside them."""


class UserSmtpConfig(_Table):
    """[smtp] of the user's own config."""

    trusted_hosts: list[str] = []
    """SMTP servers this user lets a workspace's briefgen.toml send their password to."""


class UserConfig(_Table):
    """The user's own `~/.config/briefgen/briefgen.toml`."""

    build: UserBuildConfig = UserBuildConfig()
    smtp: UserSmtpConfig = UserSmtpConfig()


def load(folder: Path) -> Config:
    """The workspace's `briefgen.toml`, or the defaults when there is none; a template
    folder the workspace does not name comes from the user's own config.

    A build asks for it per edition and per stage; the parsed file is reused for as long
    as the file is unchanged (same size and modification time)."""
    path = folder / FILENAME
    config = Config(root=folder) if not path.is_file() else _load(folder, *_version(path))
    if config.build.templates is not None:
        return config
    templates = user_templates(folder)
    if templates is None:
        return config
    return config.model_copy(
        update={"build": config.build.model_copy(update={"templates": templates})}
    )


def _version(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_mtime_ns, stat.st_size


@functools.lru_cache(maxsize=16)
def _load(folder: Path, mtime_ns: int, size: int) -> Config:
    path = folder / FILENAME
    data, lines = _read_toml(path)
    try:
        config = Config.model_validate({**data, "root": folder})
    except ValidationError as error:
        raise InvalidNotes([_problem(path, lines, d) for d in error.errors()]) from None
    _refuse_templates_outside(config, path, lines)
    return config


def _read_toml(path: Path) -> tuple[dict[str, Any], list[str]]:
    """The file's tables and its lines, or the problem with the line it is on."""
    import tomllib  # only when there is a file to read

    try:
        text = path.read_text(encoding="utf-8")
        return tomllib.loads(text), text.splitlines()
    except tomllib.TOMLDecodeError as error:
        problem = Problem(path, _toml_line(error), "", f"TOML syntax error: {error}")
        raise InvalidNotes([problem]) from None
    except (OSError, UnicodeDecodeError) as error:
        raise BriefgenError(f"{path}: cannot read it: {error}") from None


def _refuse_templates_outside(config: Config, path: Path, lines: list[str]) -> None:
    """A workspace's briefgen.toml travels with the workspace (in git, in a colleague's
    commit), so it may name only template folders inside the workspace: a template folder
    is a place the PDF renderer reads from, and `/etc` or `~/.ssh` must not become one."""
    folder = config.path(config.build.templates)
    if folder is None:
        return
    if not folder.resolve().is_relative_to(config.root.resolve()):
        message = (
            f"{folder} is outside the workspace; a workspace's {FILENAME} may name only "
            "template folders inside it. Give an outside folder with --templates, or as "
            f"[build] templates in your own {user_config_file()}"
        )
    else:
        message = workspace.template_folder_problem(folder, config.root) or ""
    if message:
        line = _line_of(lines, ["build", "templates"])
        raise InvalidNotes([Problem(path, line, "build.templates", message)])


def user_config_file() -> Path:
    """The user's own settings: `~/.config/briefgen/briefgen.toml` (or under
    $XDG_CONFIG_HOME). No workspace can change it; it may hold `[build] templates`, a
    template folder used by every workspace that names none, and `[smtp] trusted_hosts`,
    the servers a workspace may send the user's SMTP password to."""
    return workspace.user_config_folder() / FILENAME


def user_templates(root: Path) -> Path | None:
    """The template folder the user's own config names, if any, checked as a folder
    outside `root` must be."""
    path = user_config_file()
    if not path.is_file():
        return None
    templates = _user_config(path, *_version(path)).build.templates
    if templates is None:
        return None
    folder = path.parent / templates.expanduser()
    problem = workspace.template_folder_problem(folder, root)
    if problem:
        raise BriefgenError(f"{path}: [build] templates = {str(folder)!r}: {problem}")
    return folder


def user_trusted_smtp_hosts() -> list[str]:
    """The SMTP hosts the user's own config trusts with their password (lowercased)."""
    path = user_config_file()
    if not path.is_file():
        return []
    return [host.lower() for host in _user_config(path, *_version(path)).smtp.trusted_hosts]


@functools.lru_cache(maxsize=4)
def _user_config(path: Path, mtime_ns: int, size: int) -> UserConfig:
    data, lines = _read_toml(path)
    try:
        return UserConfig.model_validate(data)
    except ValidationError as error:
        raise InvalidNotes([_problem(path, lines, d) for d in error.errors()]) from None


def _toml_line(error: tomllib.TOMLDecodeError) -> int:
    """The line tomllib names in its message ("... (at line 4, column 7)"); Python 3.11
    keeps no `lineno` on the error."""
    found = re.search(r"\(at line (\d+), column \d+\)", str(error))
    return int(found.group(1)) if found else getattr(error, "lineno", None) or 1


def _problem(path: Path, lines: list[str], detail: Mapping[str, Any]) -> Problem:
    loc = [str(part) for part in detail["loc"]]
    message = detail["msg"].removeprefix("Value error, ")
    if detail["type"] == "extra_forbidden":
        message = "unknown key; see the README for what briefgen.toml may hold"
    return Problem(path, _line_of(lines, loc), ".".join(loc), message)


def _line_of(lines: list[str], loc: list[str]) -> int:
    """The line of `[table]` then `key =` (tomllib keeps no positions; this finds most)."""
    start = 0
    for number, line in enumerate(lines):
        if loc and line.strip() in (f"[{loc[0]}]", f"[{'.'.join(loc[:2])}]"):
            start = number
    for number in range(start, len(lines)):
        key = lines[number].split("=", 1)[0].strip().strip('"')
        if "=" in lines[number] and key in loc:
            return number + 1
    return start + 1


def smtp_env(config: SmtpConfig) -> SmtpConfig:
    """The SMTP settings with BRIEFGEN_SMTP_HOST/PORT/SECURITY/USER from the environment
    taking precedence over the file, as deployment tools expect."""
    updates: dict[str, object] = {}
    for key in ("host", "port", "security", "user"):
        value = os.environ.get(f"BRIEFGEN_SMTP_{key.upper()}")
        if value:
            updates[key] = value
    if not updates:
        return config
    try:
        return SmtpConfig.model_validate({**config.model_dump(), **updates})
    except ValidationError as error:
        first = error.errors()[0]
        raise BriefgenError(
            f"BRIEFGEN_SMTP_{str(first['loc'][0]).upper()}: {first['msg']}"
        ) from None

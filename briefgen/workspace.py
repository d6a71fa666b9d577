"""Find the notes: which edition files a PATH on the command line stands for.

A workspace holds `sources/<topic>/`; a topic folder holds `sources.yaml` (the source
registry) and one YAML file per edition, named so that they sort by date (`2025-W04.yaml`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePath

from briefgen.errors import BriefgenError
from briefgen.periods import Period, parse_period

REGISTRY = "sources.yaml"
_WEEK_NAME = re.compile(r"^\d{4}-W\d{2}$")
SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class EditionFile:
    """An edition's notes file and the topic it belongs to."""

    path: Path

    @property
    def topic_dir(self) -> Path:
        return self.path.parent

    @property
    def topic(self) -> str:
        return self.topic_dir.name

    @property
    def workspace(self) -> Path:
        """The folder holding `sources/`: templates and output are looked up from here."""
        parent = self.topic_dir.parent
        return parent.parent if parent.name == "sources" else parent


def is_topic(folder: Path) -> bool:
    return (folder / REGISTRY).is_file()


def editions_of(topic_dir: Path) -> list[Path]:
    """The topic's edition files, oldest first (their names sort by date)."""
    return sorted(p for p in topic_dir.iterdir() if p.suffix in SUFFIXES and p.name != REGISTRY)


def topics_in(workspace: Path) -> list[Path]:
    root = workspace / "sources" if (workspace / "sources").is_dir() else workspace
    return sorted(p for p in root.iterdir() if p.is_dir() and is_topic(p))


def resolve(paths: list[Path], *, default: Path | None = None) -> list[EditionFile]:
    """Turn command-line PATHs into edition files.

    An edition file stands for itself, a topic folder for its latest edition, and a
    workspace (or no PATH: `./sources`) for every edition of every topic.
    """
    if not paths:
        paths = [default or Path("sources")]
    found: list[Path] = []
    for path in paths:
        found.extend(_resolve_one(path))
    for path in found:
        _refuse_links_out(path)
    unique = dict.fromkeys(p.resolve() for p in found)
    return [EditionFile(p) for p in unique]


def every_edition(paths: Sequence[Path]) -> list[Path]:
    """PATHs as `check` reads them: a topic folder stands for every edition in it, where
    `resolve` (what build, mail and export read) takes its latest. An error in an older
    edition is then found when the topic is checked, not weeks later when `new`, `diff`
    or the next edition's continuity checks read it. Other PATHs pass as they are."""
    expanded: list[Path] = []
    for path in paths:
        editions = editions_of(path) if path.is_dir() and is_topic(path) else []
        expanded.extend(editions or [path])  # a topic with no edition: resolve says so
    return expanded


def _refuse_links_out(path: Path) -> None:
    """An edition, or its topic folder, that is a symlink out of its workspace is refused:
    briefgen reads only notes that live in the workspace."""
    root = EditionFile(path.absolute()).workspace.resolve()
    if not path.resolve().is_relative_to(root):
        raise BriefgenError(
            f"{path}: a link to notes outside the workspace ({root}); copy them in instead"
        )


def _resolve_one(path: Path) -> list[Path]:
    if not path.exists():
        raise BriefgenError(
            f"{path}: no such file or folder; give an edition file, a topic folder or a workspace"
        )
    if not path.is_file() and not path.is_dir():  # a FIFO would block its reader for ever
        raise BriefgenError(f"{path}: not a regular file (a pipe, device or socket); give a file")
    if path.is_file():
        if path.suffix not in SUFFIXES or path.name == REGISTRY:
            raise BriefgenError(
                f"{path}: not an edition file; give a YAML edition such as "
                "sources/nk-russia/2025-W04.yaml"
            )
        if not is_topic(path.parent):
            raise BriefgenError(
                f"{path}: no {REGISTRY} beside it; an edition lives in a topic "
                f"folder with the topic's {REGISTRY}"
            )
        return [path]
    if is_topic(path):
        editions = editions_of(path)
        if not editions:
            raise BriefgenError(f"{path}: the topic has no edition yet")
        return editions[-1:]
    topics = topics_in(path)
    if not topics:
        raise BriefgenError(f"{path}: no topics found (a topic is a folder with a {REGISTRY})")
    return [edition for topic in topics for edition in editions_of(topic)]


def latest_only(files: list[EditionFile]) -> list[EditionFile]:
    """The latest edition of each topic among `files`."""
    latest: dict[Path, EditionFile] = {}
    for file in files:
        if file.topic_dir not in latest or file.path.name > latest[file.topic_dir].path.name:
            latest[file.topic_dir] = file
    return list(latest.values())


def of_week(files: list[EditionFile], week: Period) -> list[EditionFile]:
    """The editions whose period overlaps the ISO week; files named by week are matched by
    name, others by the `period:` they declare."""
    chosen = []
    for file in files:
        if file.path.stem == week.label or _declared_period_overlaps(file.path, week):
            chosen.append(file)
    if not chosen:
        raise BriefgenError(f"no edition covers {week.label} ({week.describe()})")
    return chosen


def _declared_period_overlaps(path: Path, week: Period) -> bool:
    from briefgen.load import LoadError, load_yaml  # only for files not named by week

    if _WEEK_NAME.match(path.stem):
        return False
    try:
        data = load_yaml(path).data
        period = parse_period(data.get("period")) if isinstance(data, dict) else None
    except (LoadError, ValueError):
        return False  # `check` reports it; selection just does not pick it
    return isinstance(period, Period) and period.start <= week.end and week.start <= period.end


def week_option(text: str) -> Period:
    """The ISO week a `--week` option names, or an error that says what to write."""
    try:
        period: Period = parse_period(text)
    except ValueError as error:
        raise BriefgenError(f"--week {text}: {error}") from None
    if period.iso_week is None:
        raise BriefgenError(f"--week {text}: give an ISO week such as 2025-W04")
    return period


def default_templates() -> Path:
    """The packaged defaults: inside the installed package, or `templates/` beside a source
    checkout. Found from this file, not importlib.resources (6 ms more on every command,
    and the renderers need the templates and fonts as real files anyway)."""
    packaged = Path(__file__).resolve().parent / "templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "templates"


def search_path(user_dirs: Sequence[Path]) -> list[Path]:
    """The folders templates are looked up in, first match wins."""
    return [*(d for d in user_dirs if d.is_dir()), default_templates()]


# --- what templates may use, and where template folders may be ------------------------------

ASSET_SUFFIXES = frozenset(
    {".css", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".ttf", ".otf", ".woff", ".woff2"}
)
"""What the PDF renderer may fetch from a template folder: stylesheets, images, fonts."""
TEMPLATE_SUFFIXES = frozenset({".j2", ".html", ".htm", ".xml", ".txt", ".docx"})
"""What Jinja and docxtpl may load from a template folder, besides the assets."""
SYSTEM_FOLDERS = ("/etc", "/usr", "/var", "/proc", "/sys", "/dev", "/boot", "/root", "/bin")
"""Folders no template folder may be in (with /sbin, /run and every /lib*): a template folder
is a place the PDF renderer reads from, and these hold the machine's secrets and devices."""


def is_hidden(relative: PurePath) -> bool:
    """A dotfile, or anything under a dot-folder (`.git/`, `.ssh/`, `.smtp-password`):
    never a template or an asset, often a secret."""
    return any(part.startswith(".") for part in relative.parts)


def usable_by_templates(relative: PurePath, *, assets_only: bool = False) -> bool:
    """Whether a file at `relative` (inside a template folder) is one templates may use.

    The build cache hashes exactly these, the Jinja loader loads only these, and the PDF
    renderer fetches only the assets among them: nothing else under a template folder is
    ever opened (a folder named by mistake may hold anything)."""
    allowed = ASSET_SUFFIXES if assets_only else ASSET_SUFFIXES | TEMPLATE_SUFFIXES
    return not is_hidden(relative) and relative.suffix.lower() in allowed


def user_config_folder() -> Path:
    """`$XDG_CONFIG_HOME/briefgen` (else `~/.config/briefgen`): the user's own settings,
    which no workspace can change."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base).expanduser() / "briefgen"


def template_folder_problem(folder: Path, workspace: Path) -> str | None:
    """Why `folder` cannot be a template folder of `workspace`, or None.

    Inside the workspace, any folder but a hidden one will do. Outside it, not `/`, a
    system folder, the home folder or one above it, nor a hidden folder (the user's own
    config folder excepted): a template folder is a fetch root for the PDF renderer."""
    given = Path(os.path.abspath(folder.expanduser()))
    real, root = given.resolve(), workspace.resolve()
    if real.is_relative_to(root):
        return _HIDDEN if is_hidden(real.relative_to(root)) else None
    home = Path.home().resolve()
    if real == Path("/") or home.is_relative_to(real):
        return "the root folder, the home folder or a folder above it"
    if _in_system_folder(real) and not real.is_relative_to(home):
        return "a system folder"
    hidden = is_hidden(PurePath(*given.parts[1:])) or is_hidden(PurePath(*real.parts[1:]))
    if hidden and not real.is_relative_to(user_config_folder().resolve()):
        return _HIDDEN
    return None


_HIDDEN = "a hidden folder (its name or a parent's starts with '.')"


def _in_system_folder(real: Path) -> bool:
    top = real.parts[1] if len(real.parts) > 1 else ""
    return (
        any(real.is_relative_to(folder) for folder in SYSTEM_FOLDERS)
        or top.startswith("lib")
        or top in ("sbin", "run")
    )


def checked_template_folder(folder: Path, workspace: Path) -> Path:
    """`folder`, if it may be a template folder of `workspace` (see template_folder_problem);
    else an error that says why and what to do."""
    problem = template_folder_problem(folder, workspace)
    if problem:
        raise BriefgenError(
            f"{folder}: refused as a template folder: {problem}; templates and their "
            "assets belong in the workspace's templates/ or a folder of their own"
        )
    return folder

"""Read notes files: YAML in, plain data out, remembering the line of every key and item.

PyYAML's safe parser gives each event its position; building the data ourselves from
those events keeps a map from each data path (`("situation", 2, "cite", 0)`) to its
line, so that any later problem can be reported as `file:line`. Only the safe tags are
honoured, duplicate keys are errors (YAML would keep the last silently), and anchors and
aliases are refused: notes have no need for them and they make an alias bomb possible.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import yaml

from briefgen import yamlerrors
from briefgen.errors import Problem

try:  # the C parser is 5–10× faster; fall back where libyaml is missing
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

Loc = tuple[str | int, ...]

MAX_BYTES = 4_000_000
"""The default cap on a notes file (4 MB); [notes] max_file_mb in briefgen.toml changes it."""
MAX_DEPTH = 32
_COLLECTION_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}


@dataclass
class Loaded:
    """One notes file: its data, and the line of each path in it."""

    path: Path
    data: Any
    lines: dict[Loc, int]
    written: dict[Loc, str] = field(default_factory=dict)
    """How a scalar that YAML did not read as text was written (`NO`, `12:30`, `1e3`), so
    a message can quote the analyst's own characters."""

    def line(self, loc: Loc) -> int:
        """The line of `loc`, or of its nearest ancestor that has one (a missing key)."""
        for end in range(len(loc), -1, -1):
            line = self.lines.get(tuple(loc[:end]))
            if line is not None:
                return line
        return 1


TOO_DEEP = f"nested more than {MAX_DEPTH} levels deep; notes need a handful of levels"
"""The one message for too deep a file, whichever of libyaml or briefgen notices first."""


class LoadError(Exception):
    """A notes file that cannot be read as YAML at all."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


class NotRegularFile(OSError):
    """A path briefgen was asked to read that is a pipe, a device, a socket or a folder."""


class TooBig(OSError):
    """A file over the cap its reader set; `size` is at least what it holds."""

    def __init__(self, path: Path, size: int) -> None:
        super().__init__(f"{path}: {size:,} bytes or more")
        self.size = size


_KINDS = {
    stat.S_IFIFO: "a named pipe (FIFO)",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
    stat.S_IFDIR: "a folder",
}


def read_regular(path: Path, max_bytes: int | None = None) -> bytes:
    """The bytes of `path` if it is a regular file (symlinks followed), else
    NotRegularFile; TooBig past `max_bytes`. Every file briefgen reads goes through here:
    a FIFO would block a plain `open()` for ever and /dev/zero never ends, so the path is
    checked before it is opened and the opened file again (it may have been swapped)."""
    _refuse_irregular(path, os.stat(path).st_mode)
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        status = os.fstat(fd)
        _refuse_irregular(path, status.st_mode)
        if max_bytes is not None and status.st_size > max_bytes:
            raise TooBig(path, status.st_size)
        with os.fdopen(fd, "rb", closefd=False) as stream:
            data = stream.read() if max_bytes is None else stream.read(max_bytes + 1)
    finally:
        os.close(fd)
    if max_bytes is not None and len(data) > max_bytes:  # it grew while we read
        raise TooBig(path, len(data))
    return data


def read_text(path: Path, max_bytes: int | None = None) -> str:
    """`read_regular`, decoded as UTF-8 (UnicodeDecodeError if it is not)."""
    return read_regular(path, max_bytes).decode("utf-8")


def is_regular(path: Path) -> bool:
    """True for a regular file or a symlink to one (what `read_regular` accepts)."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def _refuse_irregular(path: Path, mode: int) -> None:
    if not stat.S_ISREG(mode):
        kind = _KINDS.get(stat.S_IFMT(mode), "not a file")
        raise NotRegularFile(0, f"not a regular file but {kind}; give a plain file", str(path))


def load_yaml(path: Path, max_bytes: int | None = None) -> Loaded:
    """Parse one YAML file; raise LoadError with file and line when it cannot be read."""
    max_bytes = max_bytes or MAX_BYTES
    try:
        raw = read_regular(path, max_bytes)
    except TooBig as error:
        message = (
            f"file is {error.size:,} bytes, over the {max_bytes:,}-byte limit for notes "
            "([notes] max_file_mb in briefgen.toml)"
        )
        raise LoadError(Problem(path, 1, "", message)) from None
    except OSError as error:
        raise LoadError(Problem(path, 1, "", f"cannot read the file: {error.strerror}")) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise LoadError(Problem(path, line, "", "not UTF-8 text; save the file as UTF-8")) from None
    loaded = Loaded(path, None, {})
    loader = _Loader(text)
    try:
        builder = _Builder(loader, loaded.lines, loaded.written)
        builder.source = text.splitlines() if _MAYBE_CUT.search(text) else []
        loaded.data = builder.run()
    except yaml.MarkedYAMLError as error:
        line = _error_line(error, text)
        what = " ".join(filter(None, [error.context, error.problem]))
        if "nesting depth" in what:  # libyaml >= 0.2.5 stops deep nesting before we can
            raise LoadError(Problem(path, line, "", TOO_DEEP)) from None
        if not isinstance(error, _NotesError):  # the parser's words, made a user's
            line, what = yamlerrors.explain(error, text, line)
        raise LoadError(Problem(path, line, "", f"YAML syntax error: {what}")) from None
    except yaml.reader.ReaderError as error:
        line = text[: error.position].count("\n") + 1
        message = f"character U+{error.character:04X} is not allowed in YAML; remove it"
        raise LoadError(Problem(path, line, "", message)) from None
    except yaml.YAMLError as error:
        raise LoadError(Problem(path, 1, "", f"YAML error: {error}")) from None
    finally:
        loader.dispose()
    return loaded


def _error_line(error: yaml.MarkedYAMLError, text: str) -> int:
    """The line to show: where the problem is, or where its construct opened if at the end."""
    problem, context = error.problem_mark, error.context_mark
    at_end = problem is not None and problem.line >= text.count("\n")
    mark = context if (at_end and context is not None) or problem is None else problem
    return mark.line + 1 if mark is not None else 1


@dataclass
class _Frame:
    """An open mapping or sequence while the event stream is read."""

    value: dict[str, Any] | list[Any]
    loc: Loc
    key: str | None = None  # a mapping's key that waits for its value


class _Builder:
    """Build plain data from the parser's event stream, recording the line of every path.

    Working from events rather than a composed node tree keeps nesting iterative (a
    deeply nested file is refused at MAX_DEPTH instead of exhausting the C stack) and
    lets anchors and aliases be refused at their own line.
    """

    def __init__(self, loader: Any, lines: dict[Loc, int], written: dict[Loc, str]) -> None:
        self.loader = loader
        self.lines = lines
        self.written = written
        self.stack: list[_Frame] = []
        self.root: Any = None
        self.documents = 0
        self.source: list[str] = []
        """The file's lines, to see a comment that cut a text short."""

    def run(self) -> Any:
        check, get = self.loader.check_event, self.loader.get_event
        while check():
            event = get()
            kind = type(event)  # a 100× notes file is 100,000 events: scalars first
            if kind is yaml.ScalarEvent:
                self._place(event, self._scalar(event))
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                self.stack.pop()
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                self._open(event)
            else:
                self._other(event)
        return self.root

    def _other(self, event: yaml.Event) -> None:
        if isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                raise _error(event, "more than one YAML document (---) in the file; keep one")
        elif isinstance(event, yaml.AliasEvent):
            raise _error(event, "aliases (*name) are not allowed in notes; repeat the value")

    def _open(self, event: yaml.CollectionStartEvent) -> None:
        _refuse_anchor(event)
        if event.tag not in (None, "!", *_COLLECTION_TAGS):
            raise _error(event, f"the tag {event.tag} is not allowed in notes; remove it")
        value: dict[str, Any] | list[Any] = {} if isinstance(event, yaml.MappingStartEvent) else []
        loc = self._place(event, value)
        self.stack.append(_Frame(value, loc))

    def _check_depth(self, event: yaml.NodeEvent) -> None:
        if len(self.stack) > MAX_DEPTH:
            raise _error(event, TOO_DEEP)

    def _place(self, event: yaml.NodeEvent, value: Any) -> Loc:
        """Put a value where it belongs: the root, a list's next item, a key or its value."""
        line = _line(event)
        if not self.stack:
            self.root = value
            self.lines.setdefault((), line)
            return ()
        frame = self.stack[-1]
        if isinstance(frame.value, dict) and frame.key is None:
            frame.key = self._key(event, value, frame)
            return frame.loc
        self._check_depth(event)
        if isinstance(frame.value, list):
            loc = (*frame.loc, len(frame.value))
            frame.value.append(value)
        else:
            key = frame.key
            assert key is not None  # a mapping's value comes after its key
            loc = (*frame.loc, key)
            frame.value[key] = value
            frame.key = None
        self.lines.setdefault(loc, line)
        if isinstance(event, yaml.ScalarEvent) and not isinstance(value, str):
            self.written[loc] = event.value
        return loc

    def _key(self, event: yaml.NodeEvent, value: Any, frame: _Frame) -> str:
        if not isinstance(event, yaml.ScalarEvent):
            raise _error(event, "a key must be plain text")
        key = str(value).lower() if isinstance(value, bool) else str(value)
        assert isinstance(frame.value, dict)
        if key in frame.value:
            first = self.lines[(*frame.loc, key)]
            raise _error(event, f"duplicate key {key!r} (first on line {first})")
        self.lines[(*frame.loc, key)] = _line(event)
        return key

    def _scalar(self, event: yaml.ScalarEvent) -> Any:
        _refuse_anchor(event)
        if not event.style and self.source:  # plain: None, or '' from libyaml
            self._refuse_cut(event)
        tag = event.tag
        if tag is None or tag == "!":
            tag = self.loader.resolve(yaml.ScalarNode, event.value, event.implicit)
        if tag == _STR:  # most of a notes file: no constructor needed (and nothing kept)
            return event.value
        node = yaml.ScalarNode(tag, event.value, _mark(event), None, event.style)
        try:
            return self.loader.construct_object(node, deep=False)
        except ValueError:  # 2025-02-30, which YAML resolves as a timestamp: the text,
            return event.value  # so the model says it is no day at its line, with the rest

    def _refuse_cut(self, event: yaml.ScalarEvent) -> None:
        """`text: Issue #5 was raised` is the text `Issue` and a comment: YAML drops the
        rest without a word. A comment hard after text (` #5`, no space after `#`) is
        almost always such a cut, so it is refused with the fix."""
        end = cast("yaml.Mark | None", event.end_mark)  # libyaml's marks read the same
        if end is None or end.line >= len(self.source):
            return
        line, column = self.source[end.line], end.column
        if line.startswith(" #", column) and line[column + 2 : column + 3] not in ("", " ", "#"):
            fix = yamlerrors.quoted(self.source, end.line)
            cut = f"ends at {event.value[-30:]!r}" if event.value else "is empty"
            message = (
                f"' #' inside unquoted text starts a comment, so the text {cut}; "
                f"{yamlerrors.QUOTE_IT}{fix} (a comment has a space after '#')"
            )
            raise _NotesError(problem=message, problem_mark=end)


_STR = "tag:yaml.org,2002:str"
_MAYBE_CUT = re.compile(r" #[^ #\r\n]")
"""What `_refuse_cut` looks for, anywhere in the file: without it (most notes), no plain
scalar is looked at (a 100× notes file: 30 ms of 250)."""


def _refuse_anchor(event: yaml.NodeEvent) -> None:
    if event.anchor is not None:
        raise _error(event, "anchors (&name) are not allowed in notes; repeat the value")


class _NotesError(yaml.MarkedYAMLError):
    """What briefgen refuses in YAML that the parser accepts (a duplicate key, an alias):
    its message is already the user's."""


def _error(event: yaml.Event, message: str) -> yaml.MarkedYAMLError:
    return _NotesError(problem=message, problem_mark=_mark(event))


def _mark(event: yaml.Event) -> yaml.Mark | None:
    """Where an event starts (libyaml's marks are of its own type, read the same way)."""
    return cast("yaml.Mark | None", event.start_mark)


def _line(event: yaml.Event) -> int:
    """The 1-based line an event starts on (the parser always marks it)."""
    mark = event.start_mark
    return mark.line + 1 if mark is not None else 1


def top_level_scalar(path: Path, key: str, max_bytes: int | None = None) -> Any:
    """The value of `key` in the top-level mapping of a YAML file, parsed only as far as
    that key (an edition's `edition:` is on its second line); None when the file cannot
    be read, has no such key, or its value is not a plain scalar. For a quick look at
    many files (which editions share a date) without building their data."""
    try:
        text = read_text(path, max_bytes or MAX_BYTES)
    except (OSError, UnicodeDecodeError):
        return None
    loader = _Loader(text)
    try:
        return _find_top_level(loader, key)
    except (yaml.YAMLError, ValueError):
        return None
    finally:
        loader.dispose()


def _find_top_level(loader: Any, key: str) -> Any:
    depth, expect_key, wanted = 0, True, False
    while loader.check_event():
        event = loader.get_event()
        kind = type(event)
        if kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
            if (depth == 0 and kind is yaml.SequenceStartEvent) or (depth == 1 and wanted):
                return None  # not a mapping at the top, or the value is a collection
            depth += 1
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            depth -= 1
            expect_key = expect_key or depth == 1
        elif depth == 1 and kind is yaml.ScalarEvent:
            if not expect_key and wanted:
                return _Builder(loader, {}, {})._scalar(event)
            wanted = expect_key and event.value == key
            expect_key = not expect_key
        elif depth == 1 and kind is yaml.AliasEvent:
            return None
    return None

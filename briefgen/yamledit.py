"""Edit a YAML file's text in place: drop list items and keys, replace a scalar, add a
comment, and leave every other character as the analyst wrote it.

Why not load and dump with a round-trip library: ruamel.yaml keeps comments, but its
emitter rewraps every plain multi-line scalar to its own width (and leaves a trailing
space on each wrapped line): on the sample's W08 that is 63 changed lines before any
edit. Here the parser (PyYAML's pure-Python composer, whose marks count characters) only
says where each node starts and ends; the edits are made on those lines, so comments,
key order, quoting, blank lines and line breaks of what is kept are the file's own.

Which comments go with a dropped item: those on its lines, those after it indented
deeper than its `-`, and those directly above it (no blank line between) at or left of
its `-`. A comment separated by a blank line, or above the list's key, stays.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

_COMMENT = re.compile(r"^\s*#")


@dataclass(frozen=True)
class _Span:
    """Whole lines [start, end) that belong to a node, and the lines of comments directly
    above it that go with it."""

    lead: int
    start: int
    end: int


class Editor:
    """One file's text and its top-level mapping, with the edits asked for so far."""

    def __init__(self, text: str) -> None:
        self.source = text
        self.lines = text.splitlines(keepends=True)
        self.newline = "\r\n" if self.lines and self.lines[0].endswith("\r\n") else "\n"
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        if not isinstance(root, yaml.MappingNode) or root.flow_style:
            raise ValueError("the file is not a block mapping of keys")
        self.root = root
        self.out: list[list[str]] = [[line] for line in self.lines]
        self.deleted: set[int] = set()

    # --- what the file holds ------------------------------------------------------------

    def node(self, key: str) -> yaml.Node | None:
        """The value of a top-level key, or None."""
        found = self._entry(key)
        return found[1] if found else None

    def _entry(self, key: str) -> tuple[yaml.ScalarNode, yaml.Node] | None:
        for key_node, value in self.root.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
                return key_node, value
        return None

    def _is_comment(self, line: int) -> bool:
        return bool(_COMMENT.match(self.lines[line]))

    def _is_blank(self, line: int) -> bool:
        return not self.lines[line].strip()

    def _indent(self, line: int) -> int:
        text = self.lines[line]
        return len(text) - len(text.lstrip(" "))

    def _last_line(self, node: yaml.Node) -> int:
        """The last line holding `node`'s own characters (a block collection's end mark
        lies at the next token, past comments and blank lines)."""
        while isinstance(node, yaml.CollectionNode) and not node.flow_style and node.value:
            last = node.value[-1]
            node = last[1] if isinstance(node, yaml.MappingNode) else last
        end = node.end_mark
        line = end.line
        before = self.lines[line][: end.column] if line < len(self.lines) else ""
        if line > node.start_mark.line and not before.strip():
            line -= 1
        while line > node.start_mark.line and self._is_blank(line):
            line -= 1
        return line

    def _span(self, first: int, last: int, column: int, floor: int) -> _Span:
        """Lines first..last, the deeper-indented comments right after them, and the
        comments right above at or left of `column` (not above line `floor`)."""
        end = last + 1
        while end < len(self.lines) and self._is_comment(end) and self._indent(end) > column:
            end += 1
        lead = first
        while lead - 1 >= floor and self._is_comment(lead - 1) and self._indent(lead - 1) <= column:
            lead -= 1
        return _Span(lead, first, end)

    def _key_spans(self) -> dict[str, _Span]:
        spans: dict[str, _Span] = {}
        floor = 0
        for key_node, value in self.root.value:
            span = self._span(key_node.start_mark.line, self._last_line(value), 0, floor)
            spans[str(key_node.value)] = span
            floor = span.end
        return spans

    def _item_spans(self, key: str) -> tuple[list[_Span], int]:
        """The spans of a block list's items, and the column of their `-`."""
        entry = self._entry(key)
        assert entry is not None and isinstance(entry[1], yaml.SequenceNode)
        seq = entry[1]
        column = seq.start_mark.column
        spans: list[_Span] = []
        floor = entry[0].start_mark.line + 1
        for item in seq.value:
            dash = self._dash_line(item.start_mark.line, column)
            span = self._span(dash, self._last_line(item), column, floor)
            spans.append(span)
            floor = span.end
        return spans, column

    def _dash_line(self, line: int, column: int) -> int:
        """The line of an item's `-` (above its node when written `-` then a new line)."""
        while line > 0:
            text = self.lines[line]
            if text[column : column + 1] == "-" and not text[:column].strip():
                return line
            line -= 1
        return line

    # --- edits --------------------------------------------------------------------------

    def replace_scalar(self, key: str, value: str) -> None:
        """Give a top-level scalar a new value, in its own quoting style; a comment after
        it on its line stays."""
        node = self.node(key)
        if not isinstance(node, yaml.ScalarNode):
            raise ValueError(f"{key}: not a scalar")
        quote = node.style if node.style in ('"', "'") else ""
        self._replace(node, f"{quote}{value}{quote}")

    def _replace(self, node: yaml.Node, text: str) -> None:
        """Put `text` where `node` is written; what is before and after it stays."""
        start, end = node.start_mark, node.end_mark
        head = self.lines[start.line][: start.column]
        tail = self.lines[end.line][end.column :] if end.line < len(self.lines) else ""
        self.out[start.line] = [f"{head}{text}{tail}"]
        for line in range(start.line + 1, min(end.line + 1, len(self.lines))):
            self._delete(line)

    def drop_items(self, key: str, drop: set[int]) -> None:
        """Drop the items of a top-level list by index, with their comments."""
        node = self.node(key)
        if not drop or not isinstance(node, yaml.SequenceNode):
            return
        if len(drop) == len(node.value):
            self.empty(key)
        elif node.flow_style:  # `[a, b, c]`: the kept items as written, between brackets
            kept = [self.source[n.start_mark.index : n.end_mark.index] for n in node.value]
            self._replace(node, f"[{', '.join(t for i, t in enumerate(kept) if i not in drop)}]")
        else:
            spans, _ = self._item_spans(key)
            for index in drop:
                for line in range(spans[index].lead, spans[index].end):
                    self._delete(line)

    def comment_above_item(self, key: str, index: int, comment: str | None, mark: str) -> None:
        """A comment line just above a list item's `-`, at its indentation, in place of
        one that begins with `mark` there (None: only that one goes)."""
        spans, column = self._item_spans(key)
        start = spans[index].start
        if start and self.lines[start - 1].strip().startswith(f"# {mark}"):
            self._delete(start - 1)
        if comment is not None:
            self.out[start] = [f"{' ' * column}# {comment}{self.newline}", *self.out[start]]

    def empty(self, key: str, hint: str | None = None) -> None:
        """`key: []`, its items and their comments gone; comments above the key stay, and
        `hint` is put just above it unless it is there already."""
        entry = self._entry(key)
        assert entry is not None
        span = self._key_spans()[key]
        for line in range(span.start, span.end):
            self._delete(line)
        lines = [f"{key}: []{self._eol_comment(*entry)}{self.newline}"]
        above = self.lines[span.start - 1].strip() if span.start else ""
        if hint and above != f"# {hint}":
            lines.insert(0, f"# {hint}{self.newline}")
        self.out[span.start] = lines
        self.deleted.discard(span.start)

    def drop_key(self, key: str) -> None:
        """Drop a top-level key, its value and its comments."""
        span = self._key_spans().get(key)
        if span is not None:
            for line in range(span.lead, span.end):
                self._delete(line)

    def drop_item_key(self, key: str, index: int, name: str) -> bool:
        """Drop `name:` (its value and comments) from item `index` of a top-level block
        list of mappings; False, with nothing changed, where that cannot be done in place
        (a flow-style item, or `name:` written on the item's `-` line)."""
        node = self.node(key)
        if not isinstance(node, yaml.SequenceNode) or node.flow_style:
            return False
        item = node.value[index]
        if not isinstance(item, yaml.MappingNode) or item.flow_style:
            return False
        spans, _ = self._item_spans(key)
        floor = spans[index].start + 1
        for key_node, value in item.value:
            if key_node.value != name:
                continue
            line = key_node.start_mark.line
            if line <= spans[index].start:
                return False
            span = self._span(line, self._last_line(value), key_node.start_mark.column, floor)
            for drop in range(span.lead, span.end):
                self._delete(drop)
            return True
        return False

    def drop_lines(self, start: int, end: int) -> None:
        """Drop whole lines [start, end) (a banner a tool wrote)."""
        for line in range(start, end):
            self._delete(line)

    def _eol_comment(self, key: yaml.ScalarNode, value: yaml.Node) -> str:
        """The comment at the end of a key's line (`key:  # note`), kept when the value
        goes."""
        line, column = key.start_mark.line, key.end_mark.column
        if value.end_mark.line == line:
            column = value.end_mark.column
        elif value.start_mark.line == line:
            return ""
        found = re.match(r"\s*:?\s*(#.*?)\s*$", self.lines[line][column:])
        return f"  {found.group(1)}" if found else ""

    def _delete(self, line: int) -> None:
        self.out[line] = []
        self.deleted.add(line)

    def text(self) -> str:
        """The edited text; where a drop leaves two blank lines meeting, one goes."""
        for line in sorted(self.deleted):
            after = line + 1
            if after in self.deleted or after >= len(self.lines):
                continue
            before = max((n for n in range(line) if n not in self.deleted), default=None)
            if before is not None and self._blank_out(before) and self._blank_out(after):
                self._delete(after)
        return "".join(part for chunk in self.out for part in chunk)

    def _blank_out(self, line: int) -> bool:
        return self.out[line] == [self.lines[line]] and self._is_blank(line)

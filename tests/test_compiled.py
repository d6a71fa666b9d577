"""Templates compiled once a process, and handed back by the bounded children that
compile them (briefgen/compiled.py): the next render reuses the code, and nothing a
template's output depends on is ever taken from another template or setting."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jinja2
import pytest

from briefgen import compiled, templating
from briefgen.bounded import bounded
from briefgen.errors import BriefgenError


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str | None]]:
    """The names of the templates Jinja compiles, in this process and in any child
    forked from it (each child returns its own list); the memo starts empty."""
    monkeypatch.setattr(compiled, "_compiled", {})
    monkeypatch.setattr(compiled, "_made_by", {})
    names: list[str | None] = []
    plain = jinja2.Environment.compile

    def compile_(self: Any, source: Any, name: Any = None, *args: Any, **kwargs: Any) -> Any:
        names.append(name)
        return plain(self, source, name, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", compile_)
    yield names


def folder(tmp_path: Path, text: str) -> Path:
    tmp_path.mkdir(exist_ok=True)
    (tmp_path / "note.html.j2").write_text(text, encoding="utf-8")
    return tmp_path


def in_child(user: Path, counted: list[str | None], **context: object) -> tuple[str, int]:
    """Render note.html.j2 in a bounded child: its output, and how many templates the
    child compiled."""

    def call() -> tuple[str, int]:
        before = len(counted)
        text = templating._render(templating.environment([user]), "note.html.j2", context)
        return text, len(counted) - before

    return bounded(call, what="note.html.j2")


def test_a_child_hands_back_what_it_compiled_and_the_next_child_reuses_it(
    tmp_path: Path, counted: list[str | None]
) -> None:
    user = folder(tmp_path / "t", "<p>{{ who }} {{ 2 * 3 }}</p>")
    assert in_child(user, counted, who="first") == ("<p>first 6</p>", 1)
    assert not counted  # compiled in the child, not here
    assert in_child(user, counted, who="second <b>") == ("<p>second &lt;b&gt; 6</p>", 0)


def test_an_edited_template_is_compiled_again(tmp_path: Path, counted: list[str | None]) -> None:
    user = folder(tmp_path / "t", "<p>{{ who }}</p>")
    assert in_child(user, counted, who="a") == ("<p>a</p>", 1)
    folder(tmp_path / "t", "<div>{{ who }}</div>")
    assert in_child(user, counted, who="a") == ("<div>a</div>", 1)


def test_each_finalize_has_its_own_code(tmp_path: Path, counted: list[str | None]) -> None:
    """Jinja applies `finalize` to constant output while it compiles: code compiled
    under one finalize must never serve another."""
    env = templating.environment([])
    env.finalize = upper
    assert env.from_string("{{ 'abc' }}-{{ x }}").render(x="d") == "ABC-D"
    env = templating.environment([])
    assert env.from_string("{{ 'abc' }}-{{ x }}").render(x="d") == "abc-d"
    env.finalize = lambda value: f"[{value}]"  # a closure: compiled every time
    assert env.from_string("{{ 'abc' }}-{{ x }}").render(x="d") == "[abc]-[d]"
    assert env.from_string("{{ 'abc' }}-{{ x }}").render(x="d") == "[abc]-[d]"
    assert counted == [None] * 4
    assert len(compiled._compiled) == 2


def upper(value: object) -> str:
    return str(value).upper()


def test_autoescape_and_whitespace_settings_are_part_of_the_key(
    counted: list[str | None],
) -> None:
    escaping = templating.environment([])
    assert escaping.from_string("{{ '<i>' }}{{ x }}").render(x="<b>") == "&lt;i&gt;&lt;b&gt;"
    plain = templating.environment([])
    plain.autoescape = False
    assert plain.from_string("{{ '<i>' }}{{ x }}").render(x="<b>") == "<i><b>"
    loose = templating.environment([])
    loose.trim_blocks = False
    assert loose.from_string("{% if 1 %}\nx{% endif %}").render() == "\nx"
    assert escaping.from_string("{% if 1 %}\nx{% endif %}").render() == "x"
    assert len(counted) == 4


def test_a_syntax_error_still_names_its_line_every_time(
    tmp_path: Path, counted: list[str | None]
) -> None:
    user = folder(tmp_path / "t", "<p>\n{{ who </p>")
    for _ in range(2):
        with pytest.raises(BriefgenError, match=r"note\.html\.j2:2: template syntax error"):
            in_child(user, counted, who="a")
    assert not compiled._compiled


def test_the_memo_keeps_at_most_keep_templates(counted: list[str | None]) -> None:
    env = templating.environment([])
    for number in range(compiled.KEEP + 10):
        assert env.from_string(f"{number}{{{{ x }}}}").render(x="!") == f"{number}!"
    assert len(compiled._compiled) == compiled.KEEP
    assert env.from_string("0{{ x }}").render(x="?") == "0?"  # forgotten, compiled again
    assert len(counted) == compiled.KEEP + 11

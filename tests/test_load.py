"""Reading notes files: safe YAML only, with the line of every key and item."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import briefgen.load
from briefgen.load import MAX_DEPTH, TOO_DEEP, Loaded, LoadError, load_yaml


def write(tmp_path: Path, text: str | bytes, name: str = "notes.yaml") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def load_error(tmp_path: Path, text: str | bytes) -> LoadError:
    path = write(tmp_path, text)
    with pytest.raises(LoadError) as info:
        load_yaml(path)
    assert info.value.problem.path == path
    assert info.value.problem.where == ""
    return info.value


NESTED = """\
title: x
items:
  - text: first
    cite: [a, b]
  - text: second
    cite:
      - source: c
        quote: words
meta: {k: v}
"""


@pytest.fixture
def nested(tmp_path: Path) -> Loaded:
    return load_yaml(write(tmp_path, NESTED))


def test_data(nested: Loaded) -> None:
    assert nested.data == {
        "title": "x",
        "items": [
            {"text": "first", "cite": ["a", "b"]},
            {"text": "second", "cite": [{"source": "c", "quote": "words"}]},
        ],
        "meta": {"k": "v"},
    }


@pytest.mark.parametrize(
    ("loc", "line"),
    [
        ((), 1),
        (("title",), 1),
        (("items",), 2),
        (("items", 0), 3),
        (("items", 0, "text"), 3),
        (("items", 0, "cite"), 4),
        (("items", 0, "cite", 1), 4),
        (("items", 1), 5),
        (("items", 1, "cite"), 6),
        (("items", 1, "cite", 0), 7),
        (("items", 1, "cite", 0, "source"), 7),
        (("items", 1, "cite", 0, "quote"), 8),
        (("meta", "k"), 9),
    ],
)
def test_line_of_each_key_and_item(nested: Loaded, loc: tuple[str | int, ...], line: int) -> None:
    assert nested.line(loc) == line


@pytest.mark.parametrize(
    ("loc", "line"),
    [
        (("items", 1, "estimator"), 5),  # a missing key: its item's line
        (("items", 1, "cite", 0, "extra", 3), 7),
        (("items", 7), 2),
        (("nowhere",), 1),
    ],
)
def test_line_falls_back_to_the_nearest_ancestor(
    nested: Loaded, loc: tuple[str | int, ...], line: int
) -> None:
    assert nested.line(loc) == line


def test_empty_file_is_none(tmp_path: Path) -> None:
    loaded = load_yaml(write(tmp_path, ""))
    assert loaded.data is None
    assert loaded.line(("anything",)) == 1


def test_keys_are_text(tmp_path: Path) -> None:
    loaded = load_yaml(write(tmp_path, "1: a\ntrue: b\nno: c\n"))
    assert loaded.data == {"1": "a", "true": "b", "false": "c"}
    assert loaded.line(("false",)) == 3


def test_scalars_keep_their_yaml_types(tmp_path: Path) -> None:
    import datetime as dt

    loaded = load_yaml(write(tmp_path, "a: 2025-01-13\nb: no\nc: 1e3\nd: '7'\ne: ~\n"))
    assert loaded.data == {"a": dt.date(2025, 1, 13), "b": False, "c": "1e3", "d": "7", "e": None}


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    assert load_yaml(write(tmp_path, b"\xef\xbb\xbfa: 1\n")).data == {"a": 1}


# --- syntax errors ----------------------------------------------------------------------


def test_syntax_error_has_the_right_line(tmp_path: Path) -> None:
    error = load_error(tmp_path, "title: x\nitems:\n  - text: Note: a colon\n")
    assert error.problem.line == 3
    assert error.problem.message == (
        "YAML syntax error: a colon followed by a space (': ') inside unquoted text starts "
        'a new key in YAML; put the whole text in double quotes (a " inside it is written '
        '\\"): - text: "Note: a colon"'
    )


def test_unclosed_flow_sequence(tmp_path: Path) -> None:
    error = load_error(tmp_path, "a: 1\nb: [1\nc: 2\n")
    assert error.problem.line == 3
    assert error.problem.message.startswith("YAML syntax error: while parsing a flow sequence")


def test_tab_indentation(tmp_path: Path) -> None:
    error = load_error(tmp_path, "a: 1\nb:\n\t- x\n")
    assert error.problem.line == 3
    assert "a tab character; YAML indents with spaces only" in error.problem.message


def test_unclosed_quote_is_reported_where_it_opens(tmp_path: Path) -> None:
    error = load_error(tmp_path, 'a: "unterminated\nb: 2\n')
    assert error.problem.line == 1


def test_two_documents(tmp_path: Path) -> None:
    error = load_error(tmp_path, "a: 1\n---\nb: 2\n")
    assert error.problem.line == 2
    assert "more than one YAML document (---) in the file; keep one" in error.problem.message


def test_str_of_load_error_is_the_problem(tmp_path: Path) -> None:
    error = load_error(tmp_path, "a: [\n")
    assert str(error) == str(error.problem)
    assert str(error).endswith(f"notes.yaml:{error.problem.line}: {error.problem.message}")


# --- duplicate keys ---------------------------------------------------------------------


def test_duplicate_key_names_both_lines(tmp_path: Path) -> None:
    error = load_error(tmp_path, "a: 1\nb: 2\na: 3\n")
    assert error.problem.line == 3
    assert error.problem.message == "YAML syntax error: duplicate key 'a' (first on line 1)"


def test_duplicate_nested_key(tmp_path: Path) -> None:
    error = load_error(tmp_path, "items:\n  - text: a\n    cite: [x]\n    text: b\n")
    assert error.problem.line == 4
    assert "duplicate key 'text' (first on line 2)" in error.problem.message


def test_same_key_in_sibling_items_is_fine(tmp_path: Path) -> None:
    loaded = load_yaml(write(tmp_path, "- text: a\n- text: b\n"))
    assert loaded.data == [{"text": "a"}, {"text": "b"}]


# --- tags, aliases ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("template", "tag"),
    [
        ('a: !!python/object/apply:os.system ["touch {marker}"]\n', "python/object/apply"),
        ('a: !!python/object/new:os.system ["touch {marker}"]\n', "python/object/new"),
        ("a: !!python/object/apply:os.system\n  args: ['touch {marker}']\n", "python/object"),
        ("a: !!python/name:os.system\n", "python/name:os.system"),
        ("a: !!python/module:os\n", "python/module:os"),
        ('a: !!python/object:subprocess.Popen {{args: ["touch", "{marker}"]}}\n', "Popen"),
    ],
)
def test_python_tags_are_refused_and_nothing_runs(tmp_path: Path, template: str, tag: str) -> None:
    marker = tmp_path / "ran"
    error = load_error(tmp_path, template.format(marker=marker))
    assert error.problem.line == 1
    assert tag in error.problem.message
    assert not marker.exists()


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("a: !foo 1\n", 1),
        ("a: !foo [1]\n", 1),
        ("!foo\na: 1\n", 1),
        ("a: 1\nb: !secret {x: 1}\n", 2),
        ("a:\n  - 1\n  - !!set {x, y}\n", 3),
        ("a: !!omap [{x: 1}]\n", 1),
    ],
)
def test_custom_and_unsafe_collection_tags_are_refused(
    tmp_path: Path, text: str, line: int
) -> None:
    error = load_error(tmp_path, text)
    assert error.problem.line == line
    assert "tag" in error.problem.message


def test_a_standard_scalar_tag_is_fine(tmp_path: Path) -> None:
    assert load_yaml(write(tmp_path, "a: !!str 1\n")).data == {"a": "1"}


def test_anchor_is_refused_where_it_is_defined(tmp_path: Path) -> None:
    error = load_error(tmp_path, "a: &x 1\nb: *x\n")
    assert "anchors (&name) are not allowed in notes; repeat the value" in error.problem.message
    assert error.problem.line == 1


def test_alias_error_is_on_the_alias_line(tmp_path: Path) -> None:
    error = load_error(tmp_path, "a: 1\nb: *x\n")
    assert "aliases (*name) are not allowed in notes; repeat the value" in error.problem.message
    assert error.problem.line == 2


def test_merge_key_alias_is_refused(tmp_path: Path) -> None:
    error = load_error(tmp_path, "base: &b {x: 1}\nc:\n  <<: *b\n")
    assert "anchors (&name) are not allowed" in error.problem.message


def test_alias_bomb_is_refused(tmp_path: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 10)]
    error = load_error(tmp_path, "\n".join(lines) + "\n")
    assert "anchors (&name) are not allowed" in error.problem.message


def test_complex_key_is_refused(tmp_path: Path) -> None:
    error = load_error(tmp_path, "[1]: a\n")
    assert error.problem.message == "YAML syntax error: a key must be plain text"


# --- encoding, size, depth ---------------------------------------------------------------


def test_non_utf8_file_names_the_line(tmp_path: Path) -> None:
    error = load_error(tmp_path, b"a: 1\nb: caf\xe9\n")
    assert error.problem.line == 2
    assert error.problem.message == "not UTF-8 text; save the file as UTF-8"


def test_utf16_file_is_refused(tmp_path: Path) -> None:
    error = load_error(tmp_path, "a: 1\n".encode("utf-16"))
    assert error.problem.line == 1
    assert "not UTF-8" in error.problem.message


def test_oversized_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(briefgen.load, "MAX_BYTES", 10)
    error = load_error(tmp_path, "title: more than ten bytes\n")
    assert error.problem.line == 1
    assert error.problem.message == (
        "file is 27 bytes, over the 10-byte limit for notes ([notes] max_file_mb in briefgen.toml)"
    )


def test_file_at_the_size_limit_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(briefgen.load, "MAX_BYTES", 5)
    assert load_yaml(write(tmp_path, "a: 1\n")).data == {"a": 1}


def test_unreadable_file(tmp_path: Path) -> None:
    folder = tmp_path / "notes.yaml"
    folder.mkdir()  # a folder where the file should be
    with pytest.raises(LoadError) as info:
        load_yaml(folder)
    assert info.value.problem.line == 1
    assert info.value.problem.message.startswith("cannot read the file:")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(LoadError) as info:
        load_yaml(tmp_path / "missing.yaml")
    assert info.value.problem.message == "cannot read the file: No such file or directory"


def nested_mappings(levels: int) -> str:
    return "".join(f"{'  ' * i}k{i}:\n" for i in range(levels)) + f"{'  ' * levels}leaf\n"


def test_nesting_up_to_the_limit_is_read(tmp_path: Path) -> None:
    loaded = load_yaml(write(tmp_path, nested_mappings(MAX_DEPTH)))
    assert loaded.line(tuple(f"k{i}" for i in range(MAX_DEPTH))) == MAX_DEPTH


def test_nesting_past_the_limit_is_refused(tmp_path: Path) -> None:
    # the root mapping is level 0 on line 1; the node at level MAX_DEPTH + 1 is on line 34
    error = load_error(tmp_path, nested_mappings(MAX_DEPTH + 5))
    assert error.problem.message == f"YAML syntax error: {TOO_DEEP}"
    assert error.problem.line == MAX_DEPTH + 2


def test_one_level_past_the_limit_is_refused(tmp_path: Path) -> None:
    error = load_error(tmp_path, nested_mappings(MAX_DEPTH + 1))
    assert "nested more than" in error.problem.message


def test_deep_flow_nesting_is_refused(tmp_path: Path) -> None:
    error = load_error(tmp_path, "[" * 1000 + "]" * 1000)
    assert error.problem.line == 1
    assert "nested more than" in error.problem.message


def test_very_deep_nesting_does_not_crash(tmp_path: Path) -> None:
    path = write(tmp_path, "[" * 100_000 + "]" * 100_000)
    script = (
        "import sys\nfrom pathlib import Path\nfrom briefgen.load import LoadError, load_yaml\n"
        "try:\n    load_yaml(Path(sys.argv[1]))\nexcept LoadError as e:\n    print(e.problem)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(path)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, f"exit {done.returncode}: {done.stderr[-500:]}"
    assert "nested more than" in done.stdout


def test_impossible_date_is_not_a_crash(tmp_path: Path) -> None:
    path = write(tmp_path, "a: 1\nb: 2025-02-30\n")
    try:
        load_yaml(path)
    except LoadError as error:
        assert error.problem.line == 2


# --- frictions a new user hits, through the command line ---------------------------------

W08 = "sources/nk-russia/2025-W08.yaml"


@pytest.fixture
def sample(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the sample workspace as the working directory; returns W08's path."""
    from conftest import sample_copy

    return sample_copy(tmp_path, monkeypatch) / W08


def check(*paths: str) -> Result:
    from briefgen.cli import main

    return CliRunner().invoke(main, ["check", *paths])


def replace(path: Path, old: str, new: str) -> int:
    """Replace the first `old` in the file; the 1-based line it was on."""
    text = path.read_text(encoding="utf-8")
    at = text.index(old)
    path.write_text(text[:at] + new + text[at + len(old) :], encoding="utf-8")
    return text.count("\n", 0, at) + 1


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "  - text: The NIS has said that since",
            "  - text: The NIS has said: since",
            "a colon followed by a space (': ') inside unquoted text starts a new key in YAML;"
            ' put the whole text in double quotes (a " inside it is written \\")',
        ),
        (
            "    estimate: about 10,000\n",
            "    estimate: about #10,000\n",
            "' #' inside unquoted text starts a comment, so the text ends at 'about'; put the "
            'whole text in double quotes (a " inside it is written \\"): estimate: "about '
            "#10,000\" (a comment has a space after '#')",
        ),
        (
            "    estimator: US Defense Secretary Lloyd Austin",
            "\testimator: US Defense Secretary Lloyd Austin",
            "a tab character; YAML indents with spaces only: replace the tab with spaces",
        ),
        (
            '"although a lot of Koreans have been killed"',
            '"although a lot of Koreans have been killed',
            'the quote " that opens this text is never closed, so YAML reads on to the next " '
            "(line ",
        ),
        (
            "    caveat: A prisoner's words, given while held; the text",
            '    caveat: "A prisoner\'s words" given while held; the text',
            "the text begins with a quote mark, so YAML ends it at the closing one and the "
            "rest of the line is left over",
        ),
        (
            "  - text: Neither North Korea nor Russia",
            "  - text: @Neither North Korea nor Russia",
            "YAML does not let a value begin with '@' (it is syntax there); put the whole text "
            "in double quotes",
        ),
    ],
    ids=["colon", "hash", "tab", "unclosed-quote", "starts-with-a-quote", "at-sign"],
)
def test_yaml_mistakes_say_where_and_to_quote(
    sample: Path, old: str, new: str, message: str
) -> None:
    line = replace(sample, old, new)
    result = check(W08)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{W08}:{line}: YAML syntax error: {message}"), result.stderr
    assert "Traceback" not in result.output


def test_an_impossible_date_is_a_date_problem_and_hides_nothing(sample: Path) -> None:
    date = replace(sample, "    as_of: 2024-10-30", "    as_of: 2025-02-30")
    term = replace(sample, "    likelihood: unlikely", "    likelihood: unlikelyish")
    result = check(W08)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert (
        f"{W08}:{date}: estimates[0].as_of: '2025-02-30' is not a day of the calendar" in (lines[0])
    )
    assert lines[1].startswith(f"{W08}:{term}: outlook[2].likelihood:")
    assert lines[-1] == "2 problems in 1 file."


def test_an_impossible_edition_date_is_reported_at_its_line(sample: Path) -> None:
    line = replace(sample, "edition: 2025-02-23", "edition: 2025-02-30")
    result = check(W08)
    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"{W08}:{line}: edition: '2025-02-30' is not a day of the calendar"
    ), result.stderr


def test_check_on_a_topic_checks_every_edition_build_takes_the_latest(sample: Path) -> None:
    from briefgen.cli import main

    result = check("sources/nk-russia")
    assert result.exit_code == 0, result.output
    assert "3 editions valid" in result.output
    w03 = "sources/nk-russia/2025-W03.yaml"
    line = replace(Path(w03), "confidence: moderate", "confidence: middling")
    result = check("sources/nk-russia")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{w03}:{line}: "), result.stderr
    assert check(W08).exit_code == 0  # an edition file is still itself alone
    built = CliRunner().invoke(main, ["build", "sources/nk-russia", "-f", "html", "--no-charts"])
    assert built.exit_code == 0, built.output
    assert sorted(p.name for p in Path("output").glob("*.html")) == ["2025-02-23-nk-russia.html"]

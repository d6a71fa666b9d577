"""A template that never ends, or eats memory, is stopped with a message."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen import bounded, pipeline
from briefgen.errors import BriefgenError

FOREVER = """{% extends "default:brief.html.j2" %}
{% block letterhead %}
{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}
{% endblock %}
"""
GREEDY = """{% extends "default:brief.html.j2" %}
{% block letterhead %}{{ "x" * 4000000000 }}{% endblock %}
"""


def template(workspace: Path, text: str) -> None:
    (workspace / "templates").mkdir()
    (workspace / "templates" / "brief.html.j2").write_text(text, encoding="utf-8")


def test_a_loop_that_never_ends_is_stopped(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bounded, "SECONDS", 1.0)
    template(workspace, FOREVER)
    with pytest.raises(BriefgenError, match=r"brief\.html\.j2: rendering took longer than 1 s"):
        pipeline.build([], pipeline.BuildOptions(formats=["html"]))
    assert not (workspace / "output").exists()


def test_a_template_that_eats_memory_is_stopped(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bounded, "MEGABYTES", 256)
    template(workspace, GREEDY)
    with pytest.raises(BriefgenError, match=r"brief\.html\.j2: rendering needed more than 256 MB"):
        pipeline.build([], pipeline.BuildOptions(formats=["html"]))


def test_errors_inside_the_bound_keep_their_message(workspace: Path) -> None:
    template(workspace, '{% extends "default:brief.html.j2" %}{% block letterhead %}'
             "{{ brief.nothing }}{% endblock %}")  # fmt: skip
    with pytest.raises(BriefgenError, match=r"templates/brief\.html\.j2:1: .*'nothing'"):
        pipeline.build([], pipeline.BuildOptions(formats=["html"]))


def test_results_come_back_from_the_bound() -> None:
    assert bounded.bounded(lambda: "é" * 3, what="x") == "ééé"

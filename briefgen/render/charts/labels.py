"""Each mark's label (its reading and its estimator), and where it goes.

Labels are never cut: an estimator's name is shortened only by `short_estimator`'s rule
(a trailing lower-case clause), then wrapped. Placement is greedy, in order of date:
candidates sit beside the mark or beside the whole group of marks that share its date,
right or left, at the mark's height or nudged up or down, and each costs what it covers,
what of it leaves the axes, and the leader line it needs.
"""

from __future__ import annotations

import datetime as dt
import math
import textwrap
from typing import Any

from briefgen.render.charts.geometry import (
    Segment,
    crosses,
    inflate,
    outside,
    overlap,
    segments_cross,
)
from briefgen.render.charts.marks import Mark
from briefgen.render.charts.style import INK, LABEL_PT, LABEL_WIDTH, MUTED, Box
from briefgen.render.timeline import position


def short_estimator(estimator: str) -> str:
    """Drop a trailing clause: `Wi Sung-lac, member of the committee` → `Wi Sung-lac`.

    Only a clause that starts in lower case is dropped, so that a list of estimators
    (`US, South Korean and Ukrainian intelligence`) stays whole.
    """
    name = " ".join(estimator.split())
    head, sep, tail = name.partition(", ")
    return head if sep and head and tail[:1].islower() else name


def mark_label(estimator: str, width: int = LABEL_WIDTH) -> str:
    """The estimator as a chart label: shortened by `short_estimator`, wrapped at `width`
    characters, never cut (a cut name can read as another estimator). A word longer than
    `width` is broken across lines, every character kept: whole, it would run off the
    chart."""
    name = short_estimator(estimator)
    lines = textwrap.wrap(name, width, break_on_hyphens=False)
    return "\n".join(lines) or "(unattributed)"


def label_text(m: Mark, width: int = LABEL_WIDTH) -> str:
    """A mark's label: its reading over its estimator."""
    return f"{m.reading}\n{mark_label(m.row.estimator, width)}"


def place_labels(
    ax: Any,
    marks: list[Mark],
    boxes: list[Box],
    texts: dict[int, str],
    sizes: dict[int, tuple[float, float]],
    gap: float,
) -> None:
    """Put each label where it costs least; one not beside its mark gets a thin leader."""
    px = ax.figure.dpi / 72
    obstacles = [inflate(box, 1.5 * px) for box in boxes]
    cluster = _clusters(marks, boxes)
    placed: list[Box] = []
    leaders: list[Segment] = []
    inverse = ax.transData.inverted()
    for i in sorted(range(len(marks)), key=lambda i: (marks[i].x, -marks[i].anchor)):
        m = marks[i]
        ay = ax.transData.transform((m.x, m.anchor))[1]
        others = [o for j, o in enumerate(obstacles) if j != i]
        best: tuple[float, Box, str, Segment | None] | None = None
        for rank, (side, at_cluster, shift) in enumerate(CANDIDATES):
            edge = cluster[i] if at_cluster else (boxes[i][0], boxes[i][2])
            cand = _candidate(side, edge, ay + shift * sizes[id(m)][1], sizes[id(m)], gap)
            leader = _leader(boxes[i], ay, cand, side, gap, px)
            cost = _cost(cand, leader, others, placed, leaders, ax.bbox) + rank * 0.002 * _area(
                cand
            )
            if best is None or cost < best[0]:
                best = (cost, cand, side, leader)
        assert best is not None
        _, cand, side, leader = best
        placed.append(inflate(cand, 2.5 * px))
        tx, ty = inverse.transform(
            (cand[0] if side == "right" else cand[2], (cand[1] + cand[3]) / 2)
        )
        ax.text(tx, ty, texts[id(m)], ha="left" if side == "right" else "right", va="center",
                fontsize=LABEL_PT, color=INK, linespacing=1.15, zorder=5)  # fmt: skip
        if leader is not None:
            leaders.append(leader)
            (lx0, ly0), (lx1, ly1) = inverse.transform([leader[:2], leader[2:]])
            ax.plot([lx0, lx1], [ly0, ly1], color=MUTED, lw=0.5, zorder=2)


CANDIDATES = [
    (side, at_cluster, shift)
    for shift in (0.0, 0.35, -0.35, 0.7, -0.7, 1.05, -1.05, 1.4, -1.4, 1.8, -1.8, 2.3, -2.3, 3, -3)
    for at_cluster in (False, True)
    for side in ("right", "left")
]
"""(side, beside the date's whole group, shift in label heights), best first."""


def _clusters(marks: list[Mark], boxes: list[Box]) -> dict[int, tuple[float, float]]:
    """For each mark, the left and right edges of all the marks drawn at its date."""
    groups: dict[dt.date, list[int]] = {}
    for i, m in enumerate(marks):
        groups.setdefault(position(m.row.as_of), []).append(i)
    return {
        i: (min(boxes[j][0] for j in members), max(boxes[j][2] for j in members))
        for members in groups.values()
        for i in members
    }


def _candidate(
    side: str, edge: tuple[float, float], cy: float, size: tuple[float, float], gap: float
) -> Box:
    w, h = size
    if side == "right":
        return (edge[1] + gap, cy - h / 2, edge[1] + gap + w, cy + h / 2)
    return (edge[0] - gap - w, cy - h / 2, edge[0] - gap, cy + h / 2)


def _area(box: Box) -> float:
    return (box[2] - box[0]) * (box[3] - box[1])


def _cost(
    cand: Box,
    leader: Segment | None,
    obstacles: list[Box],
    placed: list[Box],
    leaders: list[Segment],
    frame: Any,
) -> float:
    """What a candidate costs: covering marks most, other labels less, leaving the axes,
    and a leader line by its length and by what it crosses."""
    area = _area(cand)
    cost = sum(overlap(cand, o) for o in obstacles) * 30
    cost += sum(overlap(cand, p) for p in placed) * 4
    cost += outside(cand, (frame.x0, frame.y0, frame.x1, frame.y1)) * 8
    if leader is not None:
        crossed = sum(crosses(leader, o) for o in [*obstacles, *placed])
        crossed += sum(segments_cross(leader, other) for other in leaders)
        height = cand[3] - cand[1]
        cost += crossed * 0.6 * area + 0.05 * height * math.dist(leader[:2], leader[2:])
    return cost


def _leader(box: Box, ay: float, label: Box, side: str, gap: float, px: float) -> Segment | None:
    """The line from a mark to its label, or None when the label sits right beside it."""
    start = box[2] if side == "right" else box[0]
    edge = label[0] - px if side == "right" else label[2] + px
    if abs(edge - start) <= gap + px and label[1] <= ay <= label[3]:
        return None
    near = min(max(ay, label[1] + 3 * px), label[3] - 3 * px)
    return (start, ay, edge, near)

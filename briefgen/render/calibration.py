"""The desk's calibration chart: how often judgments of each likelihood band came true,
against the probability the band stands for (`briefgen record TOPIC --chart FILE`).

A well-calibrated desk's points lie on the diagonal. Each band with scored judgments is
a point at (the band's midpoint, the share that happened), its size and label giving how
many were scored, so that a band resting on one judgment is not read as a finding. The
same house style as the estimate charts (render/charts/style.py): a fresh Figure, no
pyplot, SVG with its text kept as text.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any, cast

from briefgen.render import fonts
from briefgen.render.charts.style import ACCENT, CM, GRID, INK, LABEL_PT, MUTED, RC, TICK_PT

if TYPE_CHECKING:
    from briefgen.judgments.record import Record


def calibration_svg(record: Record) -> str:
    """The chart as an SVG document; bands with no scored judgment are left out."""
    import matplotlib.style
    from matplotlib import rc_context
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure

    fonts.register_with_matplotlib()
    buffer = io.StringIO()
    with matplotlib.style.context("default"), rc_context(cast(Any, RC)):
        figure = Figure(figsize=(11 * CM, 9 * CM))
        FigureCanvasSVG(figure)
        _draw(figure.add_axes((0.14, 0.14, 0.8, 0.78)), record)
        figure.savefig(buffer, format="svg", facecolor="white", metadata={"Date": None})
    # WeasyPrint and browsers read the family list either way; keep it as the charts do.
    return buffer.getvalue().replace("', '", "','")


def _draw(ax: Any, record: Record) -> None:
    ax.plot([0, 100], [0, 100], color=GRID, lw=1.2, zorder=1)
    for band in record.bands:
        if band.observed is None:
            continue
        x, y = band.probability * 100, band.observed * 100
        ax.scatter([x], [y], s=18 + 14 * band.scored, color=ACCENT, zorder=3)
        ax.annotate(
            f"{band.term} ({band.scored})",
            (x, y),
            xytext=(6, 4),
            textcoords="offset points",
            fontsize=LABEL_PT,
            color=INK,
        )
    ax.set_xlim(0, 100)
    ax.set_ylim(-3, 103)
    ax.set_xlabel("stated probability (band midpoint, %)", fontsize=TICK_PT, color=MUTED)
    ax.set_ylabel("judgments that happened (%)", fontsize=TICK_PT, color=MUTED)
    ax.tick_params(labelsize=TICK_PT, colors=MUTED)
    brier = "no judgment scored yet" if record.brier is None else f"Brier {record.brier:.3f}"
    ax.set_title(f"{record.topic}: calibration · {brier}", fontsize=TICK_PT + 1, color=INK)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)

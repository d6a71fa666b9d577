"""Time chart_svg per chart over the W04/W08 sample charts, in-process, after a warm-up
(issue 18: the cost of drawing the key). Usage: .venv/bin/python scripts/time_charts.py"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from briefgen import pipeline
from briefgen.render import charts

SAMPLES = Path(__file__).resolve().parent.parent / "sources" / "nk-russia"


def main(rounds: int = 5) -> None:
    """Median milliseconds per chart_svg call over `rounds` passes of every sample chart."""
    groups = []
    for name in ("2025-W04.yaml", "2025-W08.yaml"):
        (valid,) = pipeline.check([SAMPLES / name])
        groups += [g for g in pipeline.brief_of(valid).estimates if charts.wants_chart(g)]
    for group in groups:  # warm-up: imports, fonts, caches
        charts.chart_svg(group)
    times = []
    for _ in range(rounds):
        for group in groups:
            start = time.perf_counter()
            charts.chart_svg(group)
            times.append(time.perf_counter() - start)
    print(
        f"{len(groups)} charts x {rounds}: median {statistics.median(times) * 1000:.1f} ms, "
        f"mean {statistics.mean(times) * 1000:.1f} ms per chart_svg"
    )


if __name__ == "__main__":
    main()

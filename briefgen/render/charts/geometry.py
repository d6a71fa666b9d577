"""Rectangles and segments in display pixels, for placing labels where they cover nothing."""

from __future__ import annotations

Segment = tuple[float, float, float, float]
"""A line from (x0, y0) to (x1, y1), in display pixels."""


def crosses(segment: Segment, box: tuple[float, ...]) -> bool:
    """Whether a segment passes through a rectangle (Liang–Barsky clipping)."""
    x0, y0, x1, y1 = segment
    dx, dy = x1 - x0, y1 - y0
    t0, t1 = 0.0, 1.0
    for p, q in ((-dx, x0 - box[0]), (dx, box[2] - x0), (-dy, y0 - box[1]), (dy, box[3] - y0)):
        if p == 0:
            if q < 0:
                return False
            continue
        r = q / p
        if p < 0:
            t0 = max(t0, r)
        else:
            t1 = min(t1, r)
        if t0 > t1:
            return False
    return t1 - t0 > 1e-6


def segments_cross(a: Segment, b: Segment) -> bool:
    """Whether two segments properly intersect."""

    def turn(p: tuple[float, float], q: tuple[float, float], r: tuple[float, float]) -> float:
        return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])

    p1, p2, p3, p4 = (a[0], a[1]), (a[2], a[3]), (b[0], b[1]), (b[2], b[3])
    d1, d2 = turn(p3, p4, p1), turn(p3, p4, p2)
    d3, d4 = turn(p1, p2, p3), turn(p1, p2, p4)
    return d1 * d2 < 0 and d3 * d4 < 0


def inflate(box: tuple[float, float, float, float], by: float) -> tuple[float, float, float, float]:
    return (box[0] - by, box[1] - by, box[2] + by, box[3] + by)


def overlap(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    """The area two rectangles share."""
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0


def outside(box: tuple[float, ...], frame: tuple[float, ...]) -> float:
    """The area of `box` that lies outside `frame`."""
    area = (box[2] - box[0]) * (box[3] - box[1])
    return area - overlap(box, frame)

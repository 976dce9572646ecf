"""Geometry of the Progress page's server-rendered SVG charts (pure: the template draws them).

Coordinates are in a fixed viewBox; the SVG scales to the width of the screen (390 px phones
included) and its colours come from CSS classes, so the dark theme needs no second chart.
"""

from dataclasses import dataclass

WIDTH, HEIGHT = 320, 160
LEFT, RIGHT, TOP, BOTTOM = 34, 8, 8, 20


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    label: str
    value: int
    passed: bool


@dataclass(frozen=True)
class LineChart:
    points: list[Point]
    pass_y: float
    ticks: list[tuple[float, int]]  # (y, value)

    @property
    def path(self) -> str:
        return " ".join(
            f"{'M' if i == 0 else 'L'}{p.x:.1f},{p.y:.1f}" for i, p in enumerate(self.points)
        )


def _y(value: float, low: float, high: float) -> float:
    return TOP + (HEIGHT - TOP - BOTTOM) * (high - value) / (high - low)


def score_chart(mocks, *, scaled_min: int, scaled_pass: int, scaled_max: int) -> LineChart:
    """Scaled score per mock, left to right, with the pass line."""
    span = WIDTH - LEFT - RIGHT
    step = span / max(1, len(mocks) - 1)
    points = [
        Point(
            LEFT + (step * i if len(mocks) > 1 else span / 2),
            _y(m.scaled_score, scaled_min, scaled_max),
            f"{m.finished_at:%b %d}",
            m.scaled_score,
            bool(m.passed),
        )
        for i, m in enumerate(mocks)
    ]
    ticks = [(_y(v, scaled_min, scaled_max), v) for v in (scaled_min, scaled_pass, scaled_max)]
    return LineChart(points, _y(scaled_pass, scaled_min, scaled_max), ticks)


@dataclass(frozen=True)
class Bar:
    y: float
    width: float
    label: str
    percent: int
    below: bool


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    pass_x: float
    height: int
    bar_height: int = 14


BAR_LEFT, BAR_ROW = 4, 34


def share_chart(shares, *, pass_percent: int) -> BarChart:
    """One horizontal bar per area, its label above it, and the pass share as a line."""
    span = WIDTH - BAR_LEFT - RIGHT
    bars = [
        Bar(
            TOP + BAR_ROW * i,
            span * s.percent / 100,
            s.label,
            s.percent,
            s.answered > 0 and s.percent < pass_percent,
        )
        for i, s in enumerate(shares)
    ]
    return BarChart(bars, BAR_LEFT + span * pass_percent / 100, TOP + BAR_ROW * len(bars) + 4)

"""The recording statistics chart: harassment and stalking records per month as grouped SVG bars.

Laid out here so the template only places numbers; colours and the stalking hatching come from
classes in static/app/app.css (CSP style-src 'self': no inline styles). The table beside the chart
is its text alternative.
"""

import math
from dataclasses import dataclass
from datetime import date

from django.utils.formats import date_format

WIDTH, HEIGHT = 480, 260
LEFT, RIGHT, TOP, BOTTOM = 36, 6, 14, 32
MAX_LABELS = 6  # month labels under the axis; every n-th month when there are more


@dataclass(frozen=True)
class Bar:
    x: str
    y: str
    width: str
    height: str
    series: str  # "harassment" or "stalking": the CSS modifier
    label: str


@dataclass(frozen=True)
class AxisLabel:
    x: str
    text: str


@dataclass(frozen=True)
class MonthChart:
    width: int
    height: int
    bars: list[Bar]
    labels: list[AxisLabel]
    top_value: int
    axis_left: int
    axis_right: int
    axis_top: int
    baseline: int
    label_y: int
    description: str


def _month(day: date) -> str:
    return date_format(day, "F Y")


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def month_chart(months: list) -> MonthChart | None:
    """`months` have .month (a date), .harassment and .stalking, oldest first."""
    if not months:
        return None
    top = max(max(m.harassment, m.stalking) for m in months) or 1
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_width / len(months)
    bar_width = slot * 0.38
    step = math.ceil(len(months) / MAX_LABELS)
    bars, labels = [], []
    for n, figures in enumerate(months):
        start = LEFT + n * slot + slot * 0.12
        for offset, series, value in ((0, "harassment", figures.harassment), (1, "stalking", figures.stalking)):
            height = plot_height * value / top
            bars.append(
                Bar(
                    x=f"{start + offset * bar_width:.1f}",
                    y=f"{TOP + plot_height - height:.1f}",
                    width=f"{bar_width:.1f}",
                    height=f"{height:.1f}",
                    series=series,
                    label=f"{_month(figures.month)}: {_plural(value, series + ' record')}",
                )
            )
        if n % step == 0:
            labels.append(AxisLabel(x=f"{LEFT + (n + 0.5) * slot:.1f}", text=date_format(figures.month, "M y")))
    harassment = sum(m.harassment for m in months)
    stalking = sum(m.stalking for m in months)
    description = (
        f"{_plural(len(months), 'month')} from {_month(months[0].month)} to {_month(months[-1].month)}: "
        f"{_plural(harassment, 'harassment record')} and {_plural(stalking, 'stalking record')} in all. "
        "The table gives the numbers for each month."
    )
    return MonthChart(
        width=WIDTH,
        height=HEIGHT,
        bars=bars,
        labels=labels,
        top_value=top,
        axis_left=LEFT,
        axis_right=WIDTH - RIGHT,
        axis_top=TOP,
        baseline=TOP + plot_height,
        label_y=HEIGHT - 10,
        description=description,
    )

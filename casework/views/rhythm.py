"""The incident rhythm chart: contacts per week drawn as SVG bars, laid out here so the template
only places numbers (no inline styles: colours come from classes in app.css)."""

from dataclasses import dataclass
from datetime import date

from django.utils.formats import date_format

from casework.selectors import WeekCount

WIDTH, HEIGHT = 720, 200
LEFT, RIGHT, TOP, BOTTOM = 44, 8, 12, 28


@dataclass(frozen=True)
class Bar:
    x: str
    y: str
    width: str
    height: str
    week_start: date
    contacts: int
    label: str


@dataclass(frozen=True)
class RhythmChart:
    width: int
    height: int
    bars: list[Bar]
    max_contacts: int
    axis_left: int
    axis_right: int
    axis_top: int
    baseline: int
    label_y: int
    description: str


def _week(day: date) -> str:
    return date_format(day, "j M Y")


def rhythm_chart(weeks: list[WeekCount]) -> RhythmChart | None:
    if not weeks:
        return None
    top = max(w.contacts for w in weeks) or 1
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_width / len(weeks)
    gap = slot * 0.2 if slot > 4 else 0
    bars = []
    for n, week in enumerate(weeks):
        height = plot_height * week.contacts / top
        noun = "contact" if week.contacts == 1 else "contacts"
        bars.append(
            Bar(
                x=f"{LEFT + n * slot + gap / 2:.1f}",
                y=f"{TOP + plot_height - height:.1f}",
                width=f"{slot - gap:.1f}",
                height=f"{height:.1f}",
                week_start=week.week_start,
                contacts=week.contacts,
                label=f"Week of {_week(week.week_start)}: {week.contacts} {noun}",
            )
        )
    busiest = max(weeks, key=lambda w: w.contacts)
    description = (
        f"{len(weeks)} week{'s' if len(weeks) != 1 else ''} from {_week(weeks[0].week_start)} to "
        f"{_week(weeks[-1].week_start)}. Busiest week: {_week(busiest.week_start)}, with {busiest.contacts} contacts. "
        f"Most recent week: {weeks[-1].contacts} contacts."
    )
    return RhythmChart(
        width=WIDTH,
        height=HEIGHT,
        bars=bars,
        max_contacts=top,
        axis_left=LEFT,
        axis_right=WIDTH - RIGHT,
        axis_top=TOP,
        baseline=TOP + plot_height,
        label_y=HEIGHT - 8,
        description=description,
    )

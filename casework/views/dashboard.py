"""The supervisor's dashboard: the figures of casework/dashboard.py, each a link to its list, and a
bar chart of open cases by stage laid out here so the template only places numbers (no inline
styles; the data table beside it is its text alternative)."""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts import policy
from accounts.models import User
from accounts.policy import Action
from casework.dashboard import Figure, dashboard_figures, extra_sections

WIDTH, ROW, GAP = 460, 24, 6
LABEL_WIDTH, RIGHT, TOP = 190, 30, 4


@dataclass(frozen=True)
class StageBar:
    label: str
    count: int
    x: int
    y: str
    width: str
    height: int
    label_y: str
    value_x: str


@dataclass(frozen=True)
class StageChart:
    width: int
    height: int
    bars: list[StageBar]
    axis_x: int
    axis_bottom: int
    description: str


def may_see_dashboard(user: User) -> bool:
    return policy.role_may(user, Action.SUPERVISE_CASE) or policy.role_may(user, Action.RECORD_CRIME)


def stage_chart(figures: list[Figure]) -> StageChart:
    top = max((f.count for f in figures), default=0) or 1
    plot = WIDTH - LABEL_WIDTH - RIGHT
    bars = []
    for n, figure in enumerate(figures):
        y = TOP + n * (ROW + GAP)
        length = plot * figure.count / top
        bars.append(
            StageBar(
                label=figure.label,
                count=figure.count,
                x=LABEL_WIDTH,
                y=f"{y:.1f}",
                width=f"{length:.1f}",
                height=ROW,
                label_y=f"{y + ROW / 2 + 5:.1f}",
                value_x=f"{LABEL_WIDTH + length + 6:.1f}",
            )
        )
    total = sum(f.count for f in figures)
    busiest = max(figures, key=lambda f: f.count) if figures else None
    description = f"{total} open case{'s' if total != 1 else ''}" + (
        f"; the most at {busiest.label.lower()} ({busiest.count})." if busiest and busiest.count else "."
    )
    height = TOP * 2 + len(figures) * (ROW + GAP) - GAP
    return StageChart(
        width=WIDTH,
        height=height,
        bars=bars,
        axis_x=LABEL_WIDTH,
        axis_bottom=height - TOP,
        description=description,
    )


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    if not may_see_dashboard(request.user):
        raise Http404("No such page.")
    figures = dashboard_figures(request.user)
    workload = [
        {"officer": cases.label, "cases": cases, "alerts": alerts}
        for cases, alerts in zip(figures["officer_open_cases"], figures["officer_open_alerts"], strict=True)
    ]
    return render(
        request,
        "casework/dashboard.html",
        {
            "figures": figures,
            "extra_sections": extra_sections(request.user),
            "chart": stage_chart(figures["cases_by_stage"]),
            "workload": workload,
            "open_cases": sum(f.count for f in figures["cases_by_stage"]),
            "overdue_alerts": sum(f.count for f in figures["overdue_alerts"]),
        },
    )

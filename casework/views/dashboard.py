"""The supervisor's dashboard: the figures of casework/dashboard.py, each a link to its list, and a
bar chart of open cases by stage laid out here so the template only places numbers (no inline
styles; the data table beside it is its text alternative)."""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts import audit, policy
from accounts.models import User
from accounts.policy import Action
from casework.dashboard import Figure, dashboard_figures, extra_sections, needs_attention, registered_list
from casework.selectors import case_list_for_user

# Room for "Charging advice requested" at 16 px (static/app/app.css: .app-rhythm-chart--natural).
WIDTH, ROW, GAP = 480, 24, 6
LABEL_WIDTH, RIGHT, TOP = 230, 40, 4


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


def _not_zero(figures: list[Figure]) -> list[Figure]:
    return [figure for figure in figures if figure.count]


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """What needs attention today first; then the figures, each table showing only its rows that are
    not zero (a wall of zeros hid what mattered), and no table at all when every row is zero."""
    if not may_see_dashboard(request.user):
        raise Http404("No such page.")
    figures = dashboard_figures(request.user)
    workload = [
        {"officer": cases.label, "cases": cases, "alerts": alerts}
        for cases, alerts in zip(figures["officer_open_cases"], figures["officer_open_alerts"], strict=True)
    ]
    sections = [(section, _not_zero(rows)) for section, rows in extra_sections(request.user)]
    return render(
        request,
        "casework/dashboard.html",
        {
            "attention": needs_attention(request.user, figures),
            "shown": {name: _not_zero(rows) for name, rows in figures.items()},
            "extra_sections": [(section, rows) for section, rows in sections if rows],
            "chart": stage_chart(_not_zero(figures["cases_by_stage"])),
            "workload": workload,
            "open_cases": sum(f.count for f in figures["cases_by_stage"]),
            "overdue_alerts": sum(f.count for f in figures["overdue_alerts"]),
        },
    )


PER_PAGE = 100


@login_required
@require_GET
def figure_list(request: HttpRequest) -> HttpResponse:
    """The rows behind one figure of another app's dashboard section (casework.dashboard.FigureList),
    over the open cases the user may see."""
    if not policy.role_may(request.user, Action.VIEW_CASE):
        raise Http404("No such page.")
    shown = registered_list(request.GET.get("show", ""))
    if shown is None:
        raise Http404("No such list.")
    open_cases = case_list_for_user(request.user, status="open").order_by()
    rows = shown.rows(open_cases, timezone.now()).select_related("case", "case__officer")
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    audit.consulted_many(rows.model, [row.pk for row in page.object_list], detail=f"dashboard list {shown.key}")
    singular, plural = shown.nouns
    return render(
        request,
        "casework/figure_list.html",
        {
            "shown": shown,
            "page": page,
            "rows": [
                {"case": row.case, "link": shown.row_link(row), "cells": shown.cells(row)} for row in page.object_list
            ],
            "total": f"{page.paginator.count} {singular if page.paginator.count == 1 else plural}",
            "page_query": f"show={shown.key}",
        },
    )

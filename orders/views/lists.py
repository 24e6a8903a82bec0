"""The lists behind the dashboard's protection figures: each shows the rows its figure counts, from the
same queryset (orders/dashboard.py), over the open cases the user may see."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts import audit, policy
from accounts.policy import Action
from casework.selectors import case_list_for_user
from orders.dashboard import LISTS

PER_PAGE = 100


@login_required
@require_GET
def protection_list(request: HttpRequest) -> HttpResponse:
    if not policy.role_may(request.user, Action.VIEW_CASE):
        raise Http404("No such page.")
    shown = LISTS.get(request.GET.get("show", ""))
    if shown is None:
        raise Http404("No such list.")
    open_cases = case_list_for_user(request.user, status="open").order_by()
    rows = shown.rows(open_cases, timezone.now()).select_related("case", "case__officer")
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    audit.consulted_many(rows.model, [row.pk for row in page.object_list], detail=f"protection list {shown.key}")
    singular, plural = shown.nouns
    return render(
        request,
        "orders/lists.html",
        {
            "shown": shown,
            "page": page,
            "rows": [{"case": row.case, "cells": shown.cells(row)} for row in page.object_list],
            "total": f"{page.paginator.count} {singular if page.paginator.count == 1 else plural}",
            "page_query": f"show={shown.key}",
        },
    )

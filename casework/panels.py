"""What other apps add to a case's pages, without casework depending on them.

An app registers, in its AppConfig.ready(), a tab in the case's sub-navigation and/or a panel on
the case page: a template and a function of (user, case) giving the panel's context. The case
page renders each panel with its own context, so no app's data leaks into another's template.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.urls import reverse


@dataclass(frozen=True)
class CaseTab:
    key: str
    label: str
    url_name: str  # takes the case id


@dataclass(frozen=True)
class CasePanel:
    template: str
    context: Callable[..., dict]  # (user, case) → context


_tabs: list[CaseTab] = []
_panels: list[CasePanel] = []


def register_tab(tab: CaseTab) -> None:
    if tab not in _tabs:
        _tabs.append(tab)


def register_panel(panel: CasePanel) -> None:
    if panel not in _panels:
        _panels.append(panel)


def extra_tabs(case) -> list[tuple[str, str, str]]:
    return [(tab.key, tab.label, reverse(tab.url_name, args=[case.pk])) for tab in _tabs]


def render_panels(request, case, base_context: dict) -> list[str]:
    return [
        render_to_string(panel.template, base_context | panel.context(request.user, case), request=request)
        for panel in _panels
    ]

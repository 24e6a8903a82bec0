from django.urls import path

from protocol.api import cps as cps_api
from protocol.api import decisions as decisions_api
from protocol.api import preparation as preparation_api

case = "cases/<int:case_id>/"
urlpatterns = [
    # The officer: preparation, checklist, sending (protocol/api/preparation.py)
    path(f"{case}handover/preparation/", preparation_api.PreparationApi.as_view(), name="api-handover-preparation"),
    path(f"{case}handover/checklist/", preparation_api.ChecklistApi.as_view(), name="api-handover-checklist"),
    path(f"{case}handover/lawyers/", preparation_api.CaseLawyersApi.as_view(), name="api-handover-lawyers"),
    path(f"{case}handovers/", preparation_api.CaseHandoversApi.as_view(), name="api-case-handovers"),
    # The decisions that move the case on (protocol/api/decisions.py)
    path(f"{case}decisions/", decisions_api.CaseDecisionsApi.as_view(), name="api-case-decisions"),
    # Charging requests, the action plan, the decision and plea decisions (protocol/api/cps.py)
    path("handovers/", cps_api.HandoverListApi.as_view(), name="api-handover-list"),
    path("handovers/<int:handover_id>/", cps_api.HandoverDetailApi.as_view(), name="api-handover-detail"),
    path("handovers/<int:handover_id>/actions/", cps_api.HandoverActionsApi.as_view(), name="api-handover-actions"),
    path("handovers/<int:handover_id>/decision/", cps_api.HandoverDecisionApi.as_view(), name="api-handover-decision"),
    path("handovers/<int:handover_id>/pleas/", cps_api.HandoverPleasApi.as_view(), name="api-handover-pleas"),
    path("cps-actions/<int:action_id>/answer/", cps_api.CpsActionAnswerApi.as_view(), name="api-cps-action-answer"),
]

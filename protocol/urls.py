"""The handover to the CPS: the protocol checklist and the officer's preparation, the charging requests
sent, and the prosecutor's queue, action plan, decision and plea decisions."""

from django.urls import path

from protocol.views import cps as cps_views
from protocol.views import decisions as decision_views
from protocol.views import preparation as preparation_views

app_name = "protocol"

case = "cases/<int:case_id>/"
urlpatterns = [
    # The officer: the checklist, the preparation, sending (protocol/views/preparation.py)
    path(f"{case}handover/", preparation_views.case_handover, name="case-handover"),
    path(f"{case}handover/preparation/", preparation_views.handover_preparation, name="handover-preparation"),
    path(f"{case}handover/send/", preparation_views.handover_send_view, name="handover-send"),
    # The decisions that move the case on: charge, no further action or out of court, the court's outcome
    path(f"{case}decisions/", decision_views.case_decisions, name="case-decisions"),
    # The prosecutor's queue, the handover page both sides see, actions, the decision (protocol/views/cps.py)
    path("cps/", cps_views.cps_queue, name="cps-queue"),
    path("handovers/<int:handover_id>/", cps_views.handover_detail, name="handover-detail"),
    path("handovers/<int:handover_id>/actions/new/", cps_views.handover_action_raise, name="handover-action-raise"),
    path("handovers/<int:handover_id>/decision/", cps_views.handover_decision, name="handover-decision"),
    path("handovers/<int:handover_id>/pleas/new/", cps_views.handover_plea, name="handover-plea"),
    path("cps-actions/<int:action_id>/answer/", cps_views.cps_action_answer, name="cps-action-answer"),
]

"""The handover to the CPS: the protocol checklist and the officer's preparation, the charging requests
sent, and the prosecutor's queue, action plan and decision."""

from django.urls import path  # noqa: F401  (used by the sections below)

app_name = "protocol"

case = "cases/<int:case_id>/"
urlpatterns = [
    # PREPARATION-URLS (protocol/views/preparation.py)
    # CPS-URLS (protocol/views/cps.py)
]

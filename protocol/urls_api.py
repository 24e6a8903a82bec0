from django.urls import path  # noqa: F401  (used by the sections below)

case = "cases/<int:case_id>/"
urlpatterns = [
    # PREPARATION-API-URLS (protocol/api/preparation.py)
    # CPS-API-URLS (protocol/api/cps.py)
]

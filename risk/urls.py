from django.urls import path

from risk import views

app_name = "risk"

case = "cases/<int:case_id>/"
assessment = f"{case}assessments/<int:assessment_id>/"
urlpatterns = [
    path("cases/", views.case_list, name="case-list"),
    path(case, views.case_risk, name="case-risk"),
    path(f"{case}assessments/new/", views.assessment_start, name="assessment-start"),
    path(assessment, views.assessment_detail, name="assessment"),
    path(f"{assessment}plan/", views.plan_add, name="plan-add"),
    path(f"{assessment}plan/<int:action_id>/done/", views.plan_done, name="plan-done"),
    path(f"{assessment}sign-off/", views.sign_off, name="sign-off"),
]

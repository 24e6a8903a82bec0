from django.urls import path

from orders import api

case = "cases/<int:case_id>/"
urlpatterns = [
    # Orders, their lifecycle and conditions
    path(f"{case}orders/", api.CaseOrdersApi.as_view(), name="api-case-orders"),
    path("orders/<int:order_id>/", api.OrderDetailApi.as_view(), name="api-order-detail"),
    path("orders/<int:order_id>/actions/", api.OrderActionApi.as_view(), name="api-order-action"),
    path("orders/<int:order_id>/conditions/", api.OrderConditionsApi.as_view(), name="api-order-conditions"),
    path(
        "orders/<int:order_id>/conditions/<int:condition_id>/consultation/",
        api.ConditionConsultationApi.as_view(),
        name="api-order-condition-consultation",
    ),
    # Breaches, and the system's proposals of breaches
    path("orders/<int:order_id>/breaches/", api.OrderBreachesApi.as_view(), name="api-order-breaches"),
    path(f"{case}breach-proposals/", api.CaseBreachProposalsApi.as_view(), name="api-case-breach-proposals"),
    path(
        "breach-proposals/<int:proposal_id>/actions/",
        api.ProposalActionApi.as_view(),
        name="api-breach-proposal-action",
    ),
    path("breaches/<int:breach_id>/substantive/", api.BreachSubstantiveApi.as_view(), name="api-breach-substantive"),
    # Bail and the route to court
    path(f"{case}bail/", api.CaseBailApi.as_view(), name="api-case-bail"),
    path("bail/<int:route_id>/actions/", api.BailActionApi.as_view(), name="api-bail-action"),
    path("bail/<int:route_id>/breaches/", api.BailBreachesApi.as_view(), name="api-bail-breaches"),
    # s.2B search warrants
    path(f"{case}search-warrants/", api.CaseSearchWarrantsApi.as_view(), name="api-case-search-warrants"),
    path("search-warrants/<int:warrant_id>/actions/", api.WarrantActionApi.as_view(), name="api-search-warrant-action"),
    # Which orders apply
    path(f"{case}order-eligibility/", api.OrderEligibilityApi.as_view(), name="api-order-eligibility"),
]

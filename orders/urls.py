from django.urls import path

from orders.views import documents, orders, routes

app_name = "orders"

case = "cases/<int:case_id>/"
urlpatterns = [
    # Protection: orders, conditions, breaches, proposals, eligibility, the victim told (orders/views/orders.py)
    path(case, orders.case_protection, name="case-protection"),
    path(f"{case}orders/new/", orders.order_create, name="order-create"),
    path(f"{case}orders/<int:order_id>/", orders.order_detail, name="order-detail"),
    path(f"{case}orders/<int:order_id>/transition/", orders.order_transition, name="order-transition"),
    path(f"{case}orders/<int:order_id>/conditions/new/", orders.condition_add, name="condition-add"),
    path(
        f"{case}orders/<int:order_id>/conditions/<int:condition_id>/consultation/",
        orders.condition_consultation,
        name="condition-consultation",
    ),
    path(f"{case}orders/<int:order_id>/notified/", orders.order_notified, name="order-notified"),
    path(f"{case}orders/<int:order_id>/breaches/new/", orders.breach_create, name="breach-create"),
    path(f"{case}breaches/<int:breach_id>/substantive/", orders.breach_substantive, name="breach-substantive"),
    path(f"{case}proposals/<int:proposal_id>/confirm/", orders.proposal_confirm, name="proposal-confirm"),
    path(f"{case}proposals/<int:proposal_id>/reject/", orders.proposal_reject, name="proposal-reject"),
    path(f"{case}notices/<int:notice_id>/", orders.notice_detail, name="notice-detail"),
    # Bail and warrants: the route to court, bail, extensions, s.2B search warrants (orders/views/routes.py)
    path(f"{case}bail-and-warrants/", routes.case_routes, name="case-routes"),
    path(f"{case}routes/new/", routes.route_create, name="route-create"),
    path(f"{case}routes/<int:route_id>/", routes.route_detail, name="route-detail"),
    path(f"{case}routes/<int:route_id>/review/", routes.route_review, name="route-review"),
    path(f"{case}routes/<int:route_id>/bail/extension/", routes.bail_extend, name="bail-extend"),
    path(f"{case}routes/<int:route_id>/bail/end/", routes.bail_end, name="bail-end"),
    path(f"{case}routes/<int:route_id>/bail/conditions/new/", routes.bail_condition_add, name="bail-condition-add"),
    path(f"{case}routes/<int:route_id>/bail/breaches/new/", routes.bail_breach_create, name="bail-breach-create"),
    path(f"{case}warrants/new/", routes.warrant_apply, name="warrant-apply"),
    path(f"{case}warrants/<int:warrant_id>/decision/", routes.warrant_decide, name="warrant-decide"),
    path(f"{case}warrants/<int:warrant_id>/execution/", routes.warrant_execute, name="warrant-execute"),
    # The court application of an SPO or interim SPO, as a PDF (orders/views/documents.py)
    path(f"{case}orders/<int:order_id>/application/", documents.order_application, name="order-application"),
    path(f"{case}orders/<int:order_id>/documents/", documents.order_documents, name="order-documents"),
]

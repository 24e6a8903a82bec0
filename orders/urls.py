from django.urls import path

from orders.views import orders, routes

app_name = "orders"

case = "cases/<int:case_id>/"
urlpatterns = [
    # Protection: orders, conditions, breaches, proposals, eligibility, the victim told (orders/views/orders.py)
    path(case, orders.case_protection, name="case-protection"),
    # Bail and warrants: the route to court, bail, extensions, s.2B search warrants (orders/views/routes.py)
    path(f"{case}bail-and-warrants/", routes.case_routes, name="case-routes"),
    # Lists behind the dashboard's protection figures (orders/views/lists.py)
]

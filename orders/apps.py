from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "orders"
    verbose_name = "Protective orders and bail"

    def ready(self) -> None:
        from accounts import audit
        from orders import models as m

        audit.register(
            m.ProtectiveOrder, m.SuspectRoute, m.BailExtension, m.Condition, m.Breach, m.BreachProposal,
            m.VictimNotice, m.SearchWarrant,
        )  # fmt: skip

        from casework import alerts
        from orders.services import breach_proposals_refresh

        alerts.register_refresher(breach_proposals_refresh)

        from casework import panels

        panels.register_tab(panels.CaseTab("protection", "Protection", "orders:case-protection"))
        panels.register_tab(panels.CaseTab("routes", "Bail and warrants", "orders:case-routes"))

from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "orders"
    verbose_name = "Protective orders and bail"

    def ready(self) -> None:
        from accounts import audit
        from orders import models as m

        audit.register(
            m.ProtectiveOrder, m.SuspectRoute, m.BailExtension, m.Condition, m.Breach, m.BreachProposal,
            m.VictimNotice, m.SearchWarrant, m.RestrainingOrderDecision,
        )  # fmt: skip

        from casework import alerts
        from orders.services import breach_proposals_refresh

        alerts.register_refresher(breach_proposals_refresh)

        from orders.selectors import escalation_contribution
        from risk.providers import register_provider

        register_provider(escalation_contribution)

        from casework import panels

        panels.register_tab(panels.CaseTab("protection", "Protection", "orders:case-protection"))
        panels.register_tab(panels.CaseTab("routes", "Bail and warrants", "orders:case-routes"))

        from casework.dashboard import register_lists, register_section
        from orders.dashboard import LISTS, SECTIONS

        for section in SECTIONS:
            register_section(section)
        register_lists(*LISTS.values())

        from casework.documents import register_document
        from orders.documents import SPO_APPLICATION, application_html, application_refusals, application_title

        register_document(SPO_APPLICATION, application_title, application_html, refusals=application_refusals)

        from orders.views.orders import protection_panel_context

        panels.register_panel(panels.CasePanel("orders/_protection_panel.html", protection_panel_context))

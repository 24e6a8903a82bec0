from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "risk"
    verbose_name = "Risk assessment"

    def ready(self) -> None:
        from accounts import audit
        from risk import models as m

        audit.register(m.RiskForm, m.RiskAssessment, m.RiskPlanAction, m.EscalationSnapshot)

        from risk import state

        state.connect()

        from casework import alerts
        from risk.services import escalation_refresh_case

        alerts.register_refresher(escalation_refresh_case)

        from casework import panels
        from risk.views import risk_panel_context

        panels.register_tab(panels.CaseTab("risk", "Risk", "risk:case-risk"))
        panels.register_panel(panels.CasePanel("risk/_risk_panel.html", risk_panel_context))

        from casework.dashboard import register_section
        from risk.dashboard import SECTIONS

        for section in SECTIONS:
            register_section(section)

from django.apps import AppConfig


class ProtocolConfig(AppConfig):
    name = "protocol"
    verbose_name = "Stalking protocol and CPS handover"

    def ready(self) -> None:
        from accounts import audit
        from protocol import models as m

        audit.register(m.HandoverPreparation, m.Handover, m.ActionItem)
        # HANDOVER-READY-ANCHOR: tabs, panels, documents, dashboard sections and refreshers register below
        # Helper K: the charging pack (PDF) a CPS lawyer granted VIEW_HANDOVER may read.
        from accounts.policy import Action
        from casework.documents import register_document
        from protocol.pack import CHARGING_PACK, pack_html, pack_title

        register_document(CHARGING_PACK, pack_title, pack_html, read_action=Action.VIEW_HANDOVER)
        # Helper C: the "Charging requests" dashboard section (protocol/alert_checks.py is found by its name).
        from casework.dashboard import register_section
        from protocol.dashboard import SECTIONS as CHARGING_SECTIONS

        for section in CHARGING_SECTIONS:
            register_section(section)
        # Helper P: the "Handover" case tab and the readiness panel on the case page.
        from casework import panels
        from protocol.views.preparation import handover_panel_context

        panels.register_tab(panels.CaseTab("handover", "Handover", "protocol:case-handover"))
        panels.register_panel(panels.CasePanel("protocol/_handover_panel.html", handover_panel_context))

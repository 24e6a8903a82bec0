from django.apps import AppConfig


class ProtocolConfig(AppConfig):
    name = "protocol"
    verbose_name = "Stalking protocol and CPS handover"

    def ready(self) -> None:
        from accounts import audit
        from protocol import models as m

        audit.register(m.HandoverPreparation, m.Handover, m.ActionItem, m.PleaDecision)

        # The charging pack (PDF): a CPS lawyer reads the packs of the requests sent to them, nothing else.
        from accounts.policy import Action
        from casework.documents import register_document
        from protocol.pack import CHARGING_PACK, pack_html, pack_title
        from protocol.selectors import handover_readable

        register_document(
            CHARGING_PACK, pack_title, pack_html, read_action=Action.VIEW_HANDOVER, source_readable=handover_readable
        )

        from casework.dashboard import register_lists, register_section
        from protocol.dashboard import LISTS, SECTIONS

        for section in SECTIONS:
            register_section(section)
        register_lists(*LISTS.values())

        # The "Handover" case tab and the readiness panel on the case page; the alert checks in
        # protocol/alert_checks.py are found by their module name.
        from casework import panels
        from protocol.views.preparation import handover_panel_context

        panels.register_tab(panels.CaseTab("handover", "Handover", "protocol:case-handover"))
        panels.register_panel(panels.CasePanel("protocol/_handover_panel.html", handover_panel_context))

from django.apps import AppConfig


class ProtocolConfig(AppConfig):
    name = "protocol"
    verbose_name = "Stalking protocol and CPS handover"

    def ready(self) -> None:
        from accounts import audit
        from protocol import models as m

        audit.register(m.HandoverPreparation, m.Handover, m.ActionItem)
        # HANDOVER-READY-ANCHOR: tabs, panels, documents, dashboard sections and refreshers register below

from django.apps import AppConfig


class ProtocolConfig(AppConfig):
    name = "protocol"
    verbose_name = "Stalking protocol and CPS handover"

    def ready(self) -> None:
        from accounts import audit
        from protocol import models as m

        audit.register(m.HandoverPreparation, m.Handover, m.ActionItem, m.PleaDecision, m.CaseDecision)

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

        # The moves of a case's stage that record a decision are made only here (casework.stages, ADR 0007).
        from casework import stages
        from casework.choices import CaseStage as S
        from protocol.services.decisions import finalise_guard

        decisions = "protocol:case-decisions"
        for owner in (
            stages.StageOwner(
                S.CHARGING_ADVICE_REQUESTED, frozenset(), "send a charging request to the CPS", "protocol:case-handover"
            ),
            stages.StageOwner(
                S.CHARGED,
                frozenset(),
                "record the charge (after the CPS's decision to charge, or a police charging decision where the "
                "police may charge the offence) with the restraining-order decision",
                decisions,
            ),
            stages.StageOwner(
                S.NO_FURTHER_ACTION,
                frozenset(),
                "record the decision with its reason and the victim told (a supervisor's agreement in a stalking or "
                "high-risk case)",
                decisions,
            ),
            stages.StageOwner(
                S.OUT_OF_COURT,
                frozenset(),
                "record the disposal with its reason and the victim told (a supervisor's agreement in a stalking or "
                "high-risk case)",
                decisions,
            ),
            stages.StageOwner(
                S.FINALISED,
                frozenset({S.AT_COURT}),
                "record the court's outcome with the restraining-order decision and the victim told",
                decisions,
            ),
        ):
            stages.register_owner(owner)
        stages.register_guard(S.FINALISED, finalise_guard)

        from django.conf import settings
        from django.core.exceptions import ImproperlyConfigured

        from protocol.choices import Offence

        if unknown := sorted(settings.POLICE_MAY_CHARGE_OFFENCES - set(Offence.values)):
            raise ImproperlyConfigured(f"POLICE_MAY_CHARGE_OFFENCES names unknown offences: {', '.join(unknown)}")

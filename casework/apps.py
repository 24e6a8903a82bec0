from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "casework"
    verbose_name = "Course of conduct"

    def ready(self) -> None:
        from accounts import audit
        from casework import models as m

        # TimelineEvent is derived from these records and not audited separately.
        audit.register(
            m.Case, m.CaseUserObjectPermission, m.Person, m.PersonAlias, m.PersonIdentifier, m.CaseParty,
            m.Incident, m.IncidentBatch, m.Evidence, m.EvidenceTask, m.VictimContact, m.Alert,
            m.SupportReferral, m.CaseDocument, m.SafetyPlanItem, m.PassedOnIncident, m.RetentionDecision,
        )  # fmt: skip
        from casework.panels import CasePanel, register_panel
        from casework.views.passed_on import passed_on_panel_context

        register_panel(CasePanel("casework/_passed_on_panel.html", passed_on_panel_context))

        # What the case page shows from every incident is stored and kept fresh after each change.
        from casework import alerts, selectors, summaries

        summaries.register_summary(selectors.INCIDENTS_SUMMARY, selectors.incidents_summary)
        alerts.register_refresher(summaries.summaries_refresh)

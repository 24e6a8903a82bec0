from django.apps import AppConfig


class RecordingConfig(AppConfig):
    name = "recording"
    verbose_name = "Crime recording"

    def ready(self) -> None:
        from accounts import audit
        from recording import models as m

        audit.register(m.CrimeRecord, m.Reclassification, m.RecordingReview, m.LegacyWarningNotice)

        from recording.selectors import escalation_contribution
        from risk.providers import register_provider

        register_provider(escalation_contribution)

        from casework import panels, summaries
        from recording.selectors import ADVICE_SUMMARY, advice_summary, stored_advice

        summaries.register_summary(ADVICE_SUMMARY, advice_summary)
        panels.register_tab(panels.CaseTab("recording", "Crime recording", "recording:case-records"))
        panels.register_panel(
            panels.CasePanel("recording/_advice_summary_panel.html", lambda user, case: {"advice": stored_advice(case)})
        )

        # Recording the crime is what moves a reported case to "recorded" (ADR 0007).
        from casework import stages
        from casework.choices import CaseStage

        stages.register_owner(
            stages.StageOwner(
                CaseStage.RECORDED,
                frozenset(),
                "record the crime on the Crime recording tab",
                "recording:case-records",
            )
        )

        from casework.dashboard import register_section
        from recording.dashboard import SECTIONS

        for section in SECTIONS:
            register_section(section)

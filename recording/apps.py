from django.apps import AppConfig


class RecordingConfig(AppConfig):
    name = "recording"
    verbose_name = "Crime recording"

    def ready(self) -> None:
        from accounts import audit
        from recording import models as m

        audit.register(m.CrimeRecord, m.Reclassification, m.RecordingReview, m.LegacyWarningNotice)

from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "casework"
    verbose_name = "Course of conduct"

    def ready(self) -> None:
        from accounts import audit
        from casework.models import Case, CaseUserObjectPermission

        audit.register(Case, CaseUserObjectPermission)

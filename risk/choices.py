from django.db import models


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    COMPLETED = "completed", "Completed"
    SIGNED_OFF = "signed_off", "Signed off"


class Grade(models.TextChoices):
    STANDARD = "standard", "Standard"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class EscalationLevel(models.TextChoices):
    NONE = "none", "None"
    RISING = "rising", "Rising"
    HIGH = "high", "High"
    CRITICAL = "critical", "Critical"


class PlanActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"

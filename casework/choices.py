from django.db import models


class CaseStage(models.TextChoices):
    REPORTED = "reported", "Reported"
    RECORDED = "recorded", "Recorded"
    UNDER_INVESTIGATION = "under_investigation", "Under investigation"
    CHARGING_ADVICE_REQUESTED = "charging_advice_requested", "Charging advice requested"
    CHARGED = "charged", "Charged"
    NO_FURTHER_ACTION = "no_further_action", "No further action"
    OUT_OF_COURT = "out_of_court", "Out-of-court disposal"
    AT_COURT = "at_court", "At court"
    FINALISED = "finalised", "Finalised"

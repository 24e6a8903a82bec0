from django.db import models


class Offence(models.TextChoices):
    """Offences a stalking or harassment file is charged under (domain.md §3.1, §5.6)."""

    PHA_S2 = "pha_s2", "Harassment (PHA 1997 s.2)"
    PHA_S2A = "pha_s2a", "Stalking (PHA 1997 s.2A)"
    PHA_S4 = "pha_s4", "Harassment: putting people in fear of violence (PHA 1997 s.4)"
    PHA_S4A_FEAR = "pha_s4a_fear", "Stalking involving fear of violence (PHA 1997 s.4A(1)(b)(i))"
    PHA_S4A_DISTRESS = "pha_s4a_distress", "Stalking causing serious alarm or distress (PHA 1997 s.4A(1)(b)(ii))"
    RESTRAINING_ORDER_BREACH = "ro_breach", "Breach of a restraining order (PHA 1997 s.5(5))"
    SPO_BREACH = "spo_breach", "Breach of a Stalking Protection Order (SPA 2019 s.8)"
    OTHER = "other", "Another offence (named in the note)"


# Accepting a plea to harassment where stalking was charged needs proper justification and consultation
# (protocol §8 item 5; domain.md §3.2, §8.2 item 5, §12 item 13).
STALKING_OFFENCES = frozenset({Offence.PHA_S2A, Offence.PHA_S4A_FEAR, Offence.PHA_S4A_DISTRESS})
HARASSMENT_OFFENCES = frozenset({Offence.PHA_S2, Offence.PHA_S4})


class Priority(models.TextChoices):
    """DG6 categories for a charging request sent through the digital interface (domain.md §7.4)."""

    RED = "red", "Red: suspect in custody or a remand decision needed"
    GREEN_PRIORITY = "green_priority", "Green priority"
    GREEN = "green", "Green"


class AnticipatedPlea(models.TextChoices):
    UNKNOWN = "", "Not known"
    GUILTY = "gap", "Guilty anticipated (GAP)"
    NOT_GUILTY = "ngap", "Not guilty anticipated (NGAP)"


class VpsStatus(models.TextChoices):
    """The Victim Personal Statement (Victims' Code): taken, or at least offered (domain.md §8.2 item 13)."""

    NOT_OFFERED = "", "Not offered yet"
    TAKEN = "taken", "Taken"
    OFFERED_LATER = "offered_later", "Offered; she will give it later"
    DECLINED = "declined", "Offered and declined"


class SpecialMeasures(models.TextChoices):
    """The MG2 assessment for a vulnerable or intimidated witness (YJCEA 1999; domain.md §9.5)."""

    NOT_ASSESSED = "", "Not assessed yet"
    NOT_NEEDED = "not_needed", "Assessed: none needed"
    NEEDED = "needed", "Assessed: measures sought (MG2)"
    DECLINED = "declined", "Offered; she declined them"


class HandoverStatus(models.TextChoices):
    AWAITING_DECISION = "awaiting_decision", "Awaiting the CPS decision"
    DECIDED = "decided", "Decided"
    WITHDRAWN = "withdrawn", "Withdrawn by the police"


class Decision(models.TextChoices):
    """The prosecutor's charging decision (MG3): every S&H decision is a CPS one (DG6, domain.md §7.4)."""

    CHARGE = "charge", "Charge"
    NFA_EVIDENTIAL = "nfa_evidential", "No further action: evidential stage not met"
    NFA_PUBLIC_INTEREST = "nfa_public_interest", "No further action: not in the public interest"
    OUT_OF_COURT = "out_of_court", "Out-of-court disposal"


class CodeTest(models.TextChoices):
    FULL_CODE = "full_code", "Full Code Test"
    THRESHOLD = "threshold", "Threshold Test (remand)"


class CaseDecisionKind(models.TextChoices):
    """A decision that moves the case on (casework.stages, ADR 0007)."""

    CHARGE = "charge", "Charged"
    NO_FURTHER_ACTION = "no_further_action", "No further action"
    OUT_OF_COURT = "out_of_court", "Out-of-court disposal"
    COURT_OUTCOME = "court_outcome", "Court outcome"


class ChargeBasis(models.TextChoices):
    CPS = "cps", "The CPS decided to charge"
    POLICE = "police", "Police charging decision (the police may charge this offence under DG6)"


class CourtResult(models.TextChoices):
    CONVICTED = "convicted", "Convicted"
    ACQUITTED = "acquitted", "Acquitted"

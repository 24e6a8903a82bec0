from django.db import models

from casework.choices import Behaviour, Channel, Place


class OrderType(models.TextChoices):
    RESTRAINING_ORDER_CONVICTION = "restraining_conviction", "Restraining order on conviction"
    RESTRAINING_ORDER_ACQUITTAL = "restraining_acquittal", "Restraining order on acquittal"
    INTERIM_SPO = "interim_spo", "Interim Stalking Protection Order"
    SPO = "spo", "Stalking Protection Order"
    DVPN = "dvpn", "Domestic Violence Protection Notice"
    DVPO = "dvpo", "Domestic Violence Protection Order"
    DAPN = "dapn", "Domestic Abuse Protection Notice"
    DAPO = "dapo", "Domestic Abuse Protection Order"
    NON_MOLESTATION = "non_molestation", "Non-molestation order"
    HARASSMENT_INJUNCTION = "harassment_injunction", "Harassment injunction"
    OTHER = "other", "Other order"


# Notices are given by a senior officer, not made by a court.
NOTICE_TYPES = frozenset({OrderType.DVPN, OrderType.DAPN})
SPO_TYPES = frozenset({OrderType.INTERIM_SPO, OrderType.SPO})


class OrderStatus(models.TextChoices):
    CONSIDERED = "considered", "Considered"
    NOT_PURSUED = "not_pursued", "Not pursued"
    DRAFTED = "drafted", "Drafted"
    APPLIED = "applied", "Applied for"
    GRANTED = "granted", "Granted"
    REFUSED = "refused", "Refused"
    IN_FORCE = "in_force", "In force"
    VARIED = "varied", "Varied (in force)"
    RENEWED = "renewed", "Renewed (in force)"
    DISCHARGED = "discharged", "Discharged"
    EXPIRED = "expired", "Expired"


# Statuses in which the order binds the respondent (from service, or grant when not yet served).
BINDING_STATUSES = frozenset({OrderStatus.GRANTED, OrderStatus.IN_FORCE, OrderStatus.VARIED, OrderStatus.RENEWED})
IN_FORCE_STATUSES = frozenset({OrderStatus.IN_FORCE, OrderStatus.VARIED, OrderStatus.RENEWED})


class DurationUnit(models.TextChoices):
    DAYS = "days", "Days"
    MONTHS = "months", "Months"
    YEARS = "years", "Years"


class ConditionKind(models.TextChoices):
    """The library of standard conditions; each has standard wording and checkable parts
    (orders/conditions.py). FREE is worded by the officer and checked only by what is ticked."""

    NO_CONTACT = "no_contact", "No contact, direct or indirect"
    EXCLUSION_ZONE = "exclusion_zone", "Exclusion zone"
    NO_PUBLISHING = "no_publishing", "Not to publish material about the victim"
    NO_FOLLOWING = "no_following", "Not to follow, watch or loiter"
    REQUIREMENT = "requirement", "Requirement (e.g. attend an intervention)"
    FREE = "free", "Other condition"


# Channels an incident can have that count as contact (everything but damage and watching).
CONTACT_CHANNELS = (
    Channel.IN_PERSON,
    Channel.PHONE_CALL,
    Channel.TEXT,
    Channel.EMAIL,
    Channel.SOCIAL_MEDIA,
    Channel.MESSAGING_APP,
    Channel.LETTER,
    Channel.GIFT,
    Channel.THIRD_PARTY,
)
ZONE_PLACES = (Place.VICTIM_HOME, Place.VICTIM_WORK, Place.SCHOOL)
# Channels by which he is physically at a place (what an exclusion zone forbids).
PRESENCE_CHANNELS = frozenset({Channel.IN_PERSON, Channel.LOITERING, Channel.PROPERTY_DAMAGE})
FOLLOWING_BEHAVIOURS = (Behaviour.FOLLOWING, Behaviour.LOITERING, Behaviour.WATCHING)


class ConsultationOutcome(models.TextChoices):
    NOT_CONSULTED = "not_consulted", "Not yet consulted"
    SUPPORTS = "supports", "Wants this condition"
    WANTS_CHANGES = "wants_changes", "Wants it changed"
    OPPOSES = "opposes", "Does not want it"
    COULD_NOT_CONTACT = "could_not_contact", "Could not be contacted"


class Route(models.TextChoices):
    """How the suspect was dealt with (domain.md §6)."""

    ARREST = "arrest", "Arrested"
    VOLUNTARY_INTERVIEW = "voluntary_interview", "Voluntary interview"
    RELEASED_UNDER_INVESTIGATION = "rui", "Released under investigation"
    PRE_CHARGE_BAIL = "pre_charge_bail", "Pre-charge bail"
    CHARGED_BAILED = "charged_bailed", "Charged and bailed"
    CHARGED_REMANDED = "charged_remanded", "Charged and remanded in custody"
    POSTAL_REQUISITION = "postal_requisition", "Postal requisition (written charge)"


# Routes after which no bail condition can protect the victim.
UNPROTECTED_ROUTES = frozenset(
    {Route.VOLUNTARY_INTERVIEW, Route.RELEASED_UNDER_INVESTIGATION, Route.POSTAL_REQUISITION}
)
BAIL_ROUTES = frozenset({Route.PRE_CHARGE_BAIL, Route.CHARGED_BAILED})


class BailAuthority(models.TextChoices):
    """Who authorised pre-charge bail or its extension (PCSC Act 2022 regime)."""

    CUSTODY_OFFICER = "custody_officer", "Custody officer"
    INSPECTOR = "inspector", "Inspector"
    SUPERINTENDENT = "superintendent", "Superintendent"
    COURT = "court", "Magistrates' court"


class NoticeEvent(models.TextChoices):
    """Events the victim must be told about."""

    GRANTED = "granted", "Order granted"
    SERVED = "served", "Order served"
    VARIED = "varied", "Order varied"
    RENEWED = "renewed", "Order renewed"
    DISCHARGED = "discharged", "Order discharged"
    BAIL_GRANTED = "bail_granted", "Bail conditions set"
    BAIL_CHANGED = "bail_changed", "Bail conditions changed"
    BAIL_ENDED = "bail_ended", "Bail ended"


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", "Awaiting the officer"
    CONFIRMED = "confirmed", "Confirmed as a breach"
    REJECTED = "rejected", "Not a breach"


class SubstantiveDecision(models.TextChoices):
    """After a breach: the officer's answer to "is this also a further offence?" (the inspection found
    breaches prosecuted alone while the stalking went on)."""

    NOT_YET = "", "Not yet considered"
    FURTHER_OFFENCE = "further_offence", "A further stalking or harassment offence is being recorded"
    PART_OF_EXISTING = "part_of_existing", "Included in the course of conduct already charged or under investigation"
    BREACH_ONLY = "breach_only", "Breach only: no further offence (reason given)"


class WarrantStatus(models.TextChoices):
    APPLIED = "applied", "Applied for"
    GRANTED = "granted", "Granted"
    REFUSED = "refused", "Refused"
    EXECUTED = "executed", "Executed"
    NOT_EXECUTED = "not_executed", "Not executed (expired)"


class RestrainingMoment(models.TextChoices):
    """When a restraining order is decided: at charge, and again at the verdict (PHA 1997 s.5A on acquittal;
    Sentencing Act 2020 s.360 on conviction; CPS guidance: consider it at charge and at every review)."""

    CHARGE = "charge", "At charge"
    CONVICTION = "conviction", "On conviction"
    ACQUITTAL = "acquittal", "On acquittal"

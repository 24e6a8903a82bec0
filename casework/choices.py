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


class OutcomeCode(models.IntegerChoices):
    """Home Office outcome types (domain.md §4.4). 0 "not yet assigned" is never an outcome."""

    CHARGED = 1, "1 Charged or summonsed"
    CAUTION_YOUTH = 2, "2 Caution – youth"
    CAUTION_ADULT = 3, "3 Caution – adult"
    TIC = 4, "4 Taken into consideration"
    OFFENDER_DIED = 5, "5 Offender died"
    PND = 6, "6 Penalty Notice for Disorder"
    CANNABIS_WARNING = 7, "7 Cannabis / khat warning"
    COMMUNITY_RESOLUTION = 8, "8 Community resolution"
    CPS_PUBLIC_INTEREST = 9, "9 Prosecution not in the public interest (CPS)"
    POLICE_PUBLIC_INTEREST = 10, "10 Formal action not in the public interest (police)"
    SUSPECT_UNDER_AGE = 11, "11 Prosecution prevented – suspect under age"
    SUSPECT_TOO_ILL = 12, "12 Prosecution prevented – suspect too ill"
    VICTIM_TOO_ILL = 13, "13 Prosecution prevented – victim or key witness dead or too ill"
    NO_SUSPECT_VICTIM_UNSUPPORTIVE = 14, "14 Evidential difficulties – suspect not identified; victim does not support"
    EVIDENTIAL_VICTIM_SUPPORTS = 15, "15 Evidential difficulties – victim supports action"
    EVIDENTIAL_VICTIM_UNSUPPORTIVE = 16, "16 Evidential difficulties – victim does not support action"
    TIME_LIMIT_EXPIRED = 17, "17 Prosecution time limit expired"
    NO_SUSPECT = 18, "18 Investigation complete – no suspect identified"
    NFIB_FILED = 19, "19 NFIB filed (fraud)"
    TRANSFERRED = 20, "20 Further investigation transferred to another body"
    POLICE_PUBLIC_INTEREST_FURTHER = 21, "21 Further investigation not in the public interest (police)"
    DIVERSIONARY = 22, "22 Diversionary, educational or intervention activity"


class PartyRole(models.TextChoices):
    VICTIM = "victim", "Victim"
    SUSPECT = "suspect", "Suspect"
    WITNESS = "witness", "Witness"
    CHILD = "child", "Child or dependant"
    THIRD_PARTY = "third_party", "Third party"


class Relationship(models.TextChoices):
    """The victim's relationship to the suspect."""

    CURRENT_PARTNER = "current_partner", "Current intimate partner"
    EX_PARTNER = "ex_partner", "Ex intimate partner"
    FAMILY = "family", "Family member"
    ACQUAINTANCE = "acquaintance", "Acquaintance"
    COLLEAGUE = "colleague", "Colleague"
    NEIGHBOUR = "neighbour", "Neighbour"
    STRANGER = "stranger", "Stranger"
    ONLINE_ONLY = "online_only", "Online-only contact"


# Relationships that make the case domestic abuse (Domestic Abuse Act 2021 s.2: personally connected).
DOMESTIC_RELATIONSHIPS = frozenset({Relationship.CURRENT_PARTNER, Relationship.EX_PARTNER, Relationship.FAMILY})


class Gender(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    OTHER = "other", "Other"
    NOT_KNOWN = "not_known", "Not known"


class Vulnerability(models.TextChoices):
    MENTAL_HEALTH = "mental_health", "Mental health"
    LEARNING_DISABILITY = "learning_disability", "Learning disability"
    PHYSICAL_DISABILITY = "physical_disability", "Physical disability"
    AGE = "age", "Age (under 18 or elderly)"
    LANGUAGE = "language", "Language or interpreter needed"
    PREGNANCY = "pregnancy", "Pregnancy"
    SUBSTANCE_USE = "substance_use", "Substance use"


class IdentifierKind(models.TextChoices):
    PHONE = "phone", "Phone number"
    EMAIL = "email", "E-mail address"
    HANDLE = "handle", "Social-media handle"
    VEHICLE = "vehicle", "Vehicle registration"
    ADDRESS = "address", "Address"


class Platform(models.TextChoices):
    FACEBOOK = "facebook", "Facebook"
    INSTAGRAM = "instagram", "Instagram"
    X = "x", "X (Twitter)"
    TIKTOK = "tiktok", "TikTok"
    SNAPCHAT = "snapchat", "Snapchat"
    WHATSAPP = "whatsapp", "WhatsApp"
    TELEGRAM = "telegram", "Telegram"
    LINKEDIN = "linkedin", "LinkedIn"
    OTHER = "other", "Other"


class Channel(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    PHONE_CALL = "phone_call", "Phone call"
    TEXT = "text", "Text message"
    EMAIL = "email", "E-mail"
    SOCIAL_MEDIA = "social_media", "Social media"
    MESSAGING_APP = "messaging_app", "Messaging app"
    LETTER = "letter", "Letter"
    GIFT = "gift", "Gift or parcel"
    THIRD_PARTY = "third_party", "Via a third party or children"
    ONLINE_PUBLICATION = "online_publication", "Online publication"
    TRACKING = "tracking", "Tracking, monitoring or account access"
    PROPERTY_DAMAGE = "property_damage", "Damage to property"
    LOITERING = "loitering", "Loitering, following or watching"


class Place(models.TextChoices):
    VICTIM_HOME = "victim_home", "Victim's home"
    VICTIM_WORK = "victim_work", "Victim's work"
    SCHOOL = "school", "School or nursery"
    PUBLIC = "public", "Public place"
    ONLINE = "online", "Online"


class Behaviour(models.TextChoices):
    """Acts associated with stalking, PHA 1997 s.2A(3)(a)–(g)."""

    FOLLOWING = "following", "(a) Following"
    CONTACTING = "contacting", "(b) Contacting or attempting to contact"
    PUBLISHING = "publishing", "(c) Publishing material about the victim or claiming to be them"
    MONITORING = "monitoring", "(d) Monitoring internet, e-mail or electronic communications"
    LOITERING = "loitering", "(e) Loitering"
    INTERFERING_PROPERTY = "interfering_property", "(f) Interfering with property"
    WATCHING = "watching", "(g) Watching or spying"


class Threat(models.TextChoices):
    VIOLENCE = "violence", "Violence"
    KILL = "kill", "To kill"
    SEXUAL = "sexual", "Sexual"
    SUICIDE = "suicide", "Suicide"
    CHILDREN_PETS = "children_pets", "To children or pets"


class Impact(models.TextChoices):
    """Effects on the victim's day-to-day life: evidence of "substantial adverse effect" (PHA s.4A)."""

    MOVED_HOME = "moved_home", "Moved home"
    CHANGED_JOB = "changed_job", "Changed or left job"
    CHANGED_ROUTE = "changed_route", "Changed route or routine"
    STOPPED_GOING_OUT = "stopped_going_out", "Stopped going out or seeing people"
    GAVE_UP_SOCIAL_MEDIA = "gave_up_social_media", "Gave up or restricted social media"
    EXTRA_SECURITY = "extra_security", "Installed extra security"
    HEALTH_HARM = "health_harm", "Harm to physical or mental health"
    CHILDCARE_CHANGED = "childcare_changed", "Changed childcare or school arrangements"


class EntryKind(models.TextChoices):
    """Intrusion into a place of hers (the S-DASH's "turns up unannounced" at its most serious)."""

    TRIED = "tried", "Tried to get in"
    ENTERED = "entered", "Got in"
    FORCED = "forced", "Forced entry"


class EntryPlace(models.TextChoices):
    HOME = "home", "Her home"
    BEDROOM = "bedroom", "Her bedroom"
    CAR = "car", "Her car"
    WORKPLACE = "workplace", "Her workplace"


class Circumstance(models.TextChoices):
    """Facts of an incident that otherwise live only in its narrative, for the escalation detector."""

    AT_NIGHT = "at_night", "At night"
    CHILDREN_PRESENT = "children_present", "Children present"
    DAMAGE = "damage", "Damage to her property"
    FOLLOWED_BY_VEHICLE = "followed_by_vehicle", "Followed by vehicle"
    TRACKING_SUSPECTED = "tracking_suspected", "Tracking device or spyware suspected"


class NewIdentityKind(models.TextChoices):
    """A new number, account or name he used (after she blocked the last one)."""

    PHONE = "phone", "New phone number"
    EMAIL = "email", "New e-mail address"
    ACCOUNT = "account", "New social-media account"
    ALIAS = "alias", "Another name"


class ReportedBy(models.TextChoices):
    VICTIM = "victim", "Victim"
    WITNESS = "witness", "Witness"
    THIRD_PARTY = "third_party", "Third party"
    ADVOCATE = "advocate", "Advocate"
    POLICE = "police", "Police (observed)"


class ReportMethod(models.TextChoices):
    EMERGENCY_CALL = "999", "999 call"
    NON_EMERGENCY_CALL = "101", "101 call"
    IN_PERSON = "in_person", "In person"
    ONLINE = "online", "Online report"
    VICTIM_LOG = "victim_log", "Victim's own log"
    OFFICER_VISIT = "officer_visit", "Officer visit"


class ContactMethod(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    PHONE = "phone", "Phone"
    EMAIL = "email", "E-mail"
    LETTER = "letter", "Letter"
    TEXT = "text", "Text message"
    VIDEO = "video", "Video call"


class TimelineKind(models.TextChoices):
    """What a timeline entry records. Other apps add their kinds here as they arrive."""

    CASE = "case", "Case"
    INCIDENT = "incident", "Incident"
    PERSON = "person", "Person"
    EVIDENCE = "evidence", "Evidence"
    CONTACT = "contact", "Victim contact"
    RECORDING = "recording", "Recording decision"
    RISK = "risk", "Risk assessment"
    ORDER = "order", "Order or bail"
    BREACH = "breach", "Breach"
    HANDOVER = "handover", "Handover"
    CHARGING = "charging", "Charging decision"
    WARRANT = "warrant", "Search warrant"


class AlertKind(models.TextChoices):
    """What an alert is about. Each kind has one check (see */alert_checks.py)."""

    VICTIM_UPDATE_OVERDUE = "victim_update_overdue", "Victim update overdue (Victims' Code)"
    VICTIM_NEVER_CONTACTED = "victim_never_contacted", "Victim not contacted since the report"
    EVIDENCE_DEADLINE = "evidence_deadline", "Evidence deadline approaching or missed"
    NO_CRIME_RECORD = "no_crime_record", "Course of conduct with no crime recorded"
    STALKING_RECORDED_AS_HARASSMENT = "stalking_recorded_as_harassment", "Recorded as harassment; looks like stalking"
    RISK_ASSESSMENT_MISSING = "risk_assessment_missing", "No risk assessment of the victim"
    HIGH_RISK_NOT_SIGNED_OFF = "high_risk_not_signed_off", "High-risk assessment awaiting supervisor sign-off"
    RISK_REVIEW_OVERDUE = "risk_review_overdue", "Risk review overdue"
    ESCALATION_ROSE = "escalation_rose", "Escalation rose since the last risk review"
    ESCALATION_FELL = "escalation_fell", "Escalation fell: review the risk"
    STALKING_QUESTIONS_MISSING = "stalking_questions_missing", "Stalking question yes, supplementary questions missing"
    VICTIM_NOT_REFERRED = "victim_not_referred", "Victim not referred to support services"
    ORDER_EXPIRING = "order_expiring", "Protective order expiring or past its expiry"
    BAIL_EXPIRING = "bail_expiring", "Bail expiring or past its end"
    ORDER_NOTIFICATION_MISSED = "order_notification_missed", "Respondent has not notified name and address"
    VICTIM_NOT_TOLD = "victim_not_told", "Victim not told of an order or bail change"
    ROUTE_AWAITING_REVIEW = "route_awaiting_review", "No bail conditions in a risky case: supervisor review"
    BREACH_PROPOSED = "breach_proposed", "Possible breach awaiting the officer's decision"
    BREACH_OFFENCE_NOT_CONSIDERED = "breach_offence_not_considered", "Breach recorded; further offence not considered"
    CPS_ACTION_OVERDUE = "cps_action_overdue", "CPS action item overdue"
    CHARGE_NOT_ACTED_ON = "charge_not_acted_on", "CPS authorised a charge; suspect not yet charged"
    PASSED_ON_NOT_REVIEWED = "passed_on_not_reviewed", "Incident passed on by the advocate awaiting review"
    LOOKED_UP_FROM_OUTSIDE = "looked_up_from_outside", "Victim looked up by someone outside the case"
    MARAC_REFERRAL_MISSING = "marac_referral_missing", "MARAC criteria met; no MARAC referral recorded"
    RESTRAINING_ORDER_UNDECIDED = "restraining_order_undecided", "Charge authorised; restraining order not decided"


class LookupKind(models.TextChoices):
    """How someone who cannot open a victim's case came upon her record."""

    SEARCH = "search", "Found her in a person search"
    LINK = "link", "Linked her to another case"
    READ = "read", "Read her record in another case"


class SupportService(models.TextChoices):
    """Where a victim can be referred for support (domain.md §10)."""

    STALKING_ADVOCATE = "stalking_advocate", "Independent stalking advocate (ISAC)"
    IDVA = "idva", "Independent domestic violence adviser (IDVA)"
    VICTIM_SUPPORT = "victim_support", "Victim Support or local victim service"
    NATIONAL_STALKING_HELPLINE = "national_stalking_helpline", "National Stalking Helpline"
    MARAC = "marac", "MARAC"
    CHILDRENS_SERVICES = "childrens_services", "Children's services"
    OTHER = "other", "Other specialist service"


class ReferralOutcome(models.TextChoices):
    REFERRED = "referred", "Referred"
    DECLINED = "declined", "Victim declined"


class PassedOnStatus(models.TextChoices):
    AWAITING = "awaiting", "Awaiting the officer's review"
    ACCEPTED = "accepted", "Accepted onto the course of conduct"
    DECLINED = "declined", "Not added"


class DocumentStatus(models.TextChoices):
    PENDING = "pending", "Being prepared"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class AlertSeverity(models.TextChoices):
    INFO = "info", "Information"
    WARNING = "warning", "Warning"
    URGENT = "urgent", "Urgent"


class AlertAudience(models.TextChoices):
    """Who must act on an alert."""

    OIC = "oic", "Officer in the case"
    SUPERVISOR = "supervisor", "Supervisor"
    REGISTRAR = "registrar", "Crime registrar"
    CPS_LAWYER = "cps_lawyer", "CPS lawyer"
    ADVOCATE = "advocate", "Advocate"


class RetentionGroup(models.TextChoices):
    """MoPI review groups (domain.md §11.2, unconfirmed; the periods are settings)."""

    PUBLIC_PROTECTION = "public_protection", "Public protection (group 1)"
    SERIOUS = "serious", "Serious offences (group 2)"
    OTHER = "other", "Other offences (group 3)"


class RetentionDecisionKind(models.TextChoices):
    RETAIN = "retain", "Retain"
    DISPOSE = "dispose", "Dispose"

"""HOCR classifications, offences and the offence look-up table (domain.md §3.1, §4.2, §4.3).

The tables at the bottom are configuration, not logic: a force checks them against the current
Home Office Crime Recording Rules and changes the data, not the rule engines that read it
(domain.md §12.16). Rows marked "unconfirmed" were not seen in a source during research
(domain.md §13): verify them before relying on them.
"""

from django.db import models


class Classification(models.TextChoices):
    """Home Office Counting Rules classification codes relevant to stalking and harassment."""

    HARASSMENT = "8L", "8L Harassment"
    RA_HARASSMENT = "8M", "8M Racially or religiously aggravated harassment"
    STALKING = "8Q", "8Q Stalking"
    MALICIOUS_COMMUNICATIONS = "8R", "8R Malicious communications"  # code unconfirmed (domain.md §13.3)
    CONTROLLING_COERCIVE = "8U", "8U Controlling or coercive behaviour"  # code unconfirmed (domain.md §13.3)
    ASSAULT_WITHOUT_INJURY = "105A", "105A Assault without injury"
    RA_ASSAULT_WITHOUT_INJURY = "105B", "105B Racially or religiously aggravated assault without injury"
    ASSAULT_WITH_INJURY = "8N", "8N Assault with injury"
    RA_ASSAULT_WITH_INJURY = "8P", "8P Racially or religiously aggravated assault with injury"
    ASSAULT_INTENT_SERIOUS_HARM = "5D", "5D Assault with intent to cause serious harm"
    THREATS_TO_KILL = "3B", "3B Threats to kill"
    PUBLIC_FEAR = "9A", "9A Public fear, alarm or distress"
    RA_PUBLIC_FEAR = "9B", "9B Racially or religiously aggravated public fear, alarm or distress"


UNCONFIRMED_CLASSIFICATIONS = frozenset({Classification.MALICIOUS_COMMUNICATIONS, Classification.CONTROLLING_COERCIVE})


class Offence(models.TextChoices):
    PHA_S2 = "pha_1997_s2", "Harassment (PHA 1997 s.2)"
    PHA_S2A = "pha_1997_s2a", "Stalking (PHA 1997 s.2A)"
    PHA_S4 = "pha_1997_s4", "Putting people in fear of violence (PHA 1997 s.4)"
    PHA_S4A = "pha_1997_s4a", "Stalking involving fear of violence or serious alarm or distress (PHA 1997 s.4A)"
    RA_HARASSMENT = "cda_1998_s32_s2", "Racially or religiously aggravated harassment (CDA 1998 s.32, PHA s.2)"
    RA_STALKING = "cda_1998_s32_s2a", "Racially or religiously aggravated stalking (CDA 1998 s.32, PHA s.2A)"
    RA_FEAR_OF_VIOLENCE = (
        "cda_1998_s32_s4",
        "Racially or religiously aggravated fear of violence (CDA 1998 s.32, PHA s.4)",
    )
    RA_STALKING_FEAR = (
        "cda_1998_s32_s4a",
        "Racially or religiously aggravated stalking with fear (CDA 1998 s.32, PHA s.4A)",
    )
    MALICIOUS_COMMUNICATIONS = "mca_1988_s1", "Malicious communications (MCA 1988 s.1)"
    IMPROPER_USE_NETWORK = "ca_2003_s127", "Improper use of a public communications network (CA 2003 s.127)"
    CONTROLLING_COERCIVE = "sca_2015_s76", "Controlling or coercive behaviour (SCA 2015 s.76)"
    COMMON_ASSAULT = "cja_1988_s39", "Common assault (CJA 1988 s.39)"
    RA_COMMON_ASSAULT = "cda_1998_s29_common", "Racially or religiously aggravated common assault (CDA 1998 s.29)"
    ABH = "oapa_1861_s47", "Assault occasioning actual bodily harm (OAPA 1861 s.47)"
    RA_ABH = "cda_1998_s29_s47", "Racially or religiously aggravated ABH (CDA 1998 s.29)"
    WOUNDING = "oapa_1861_s20", "Wounding or inflicting grievous bodily harm (OAPA 1861 s.20)"
    RA_WOUNDING = "cda_1998_s29_s20", "Racially or religiously aggravated wounding or GBH (CDA 1998 s.29)"
    WOUNDING_WITH_INTENT = "oapa_1861_s18", "Wounding or GBH with intent (OAPA 1861 s.18)"
    THREATS_TO_KILL = "oapa_1861_s16", "Threats to kill (OAPA 1861 s.16)"
    POA_S4 = "poa_1986_s4", "Fear or provocation of violence (POA 1986 s.4)"
    POA_S4A = "poa_1986_s4a", "Intentional harassment, alarm or distress (POA 1986 s.4A)"
    POA_S5 = "poa_1986_s5", "Harassment, alarm or distress (POA 1986 s.5)"
    RA_PUBLIC_ORDER = "cda_1998_s31", "Racially or religiously aggravated public order offence (CDA 1998 s.31)"


_C = Classification
_O = Offence

# Offence → HOCR classification. RA stalking under 8M is unconfirmed, as are the 8R and 8U codes.
OFFENCE_CLASSIFICATION: dict[str, str] = {
    _O.PHA_S2: _C.HARASSMENT,
    _O.PHA_S2A: _C.STALKING,
    _O.PHA_S4: _C.HARASSMENT,
    _O.PHA_S4A: _C.STALKING,
    _O.RA_HARASSMENT: _C.RA_HARASSMENT,
    _O.RA_STALKING: _C.RA_HARASSMENT,  # unconfirmed
    _O.RA_FEAR_OF_VIOLENCE: _C.RA_HARASSMENT,
    _O.RA_STALKING_FEAR: _C.RA_HARASSMENT,  # unconfirmed
    _O.MALICIOUS_COMMUNICATIONS: _C.MALICIOUS_COMMUNICATIONS,
    _O.IMPROPER_USE_NETWORK: _C.MALICIOUS_COMMUNICATIONS,
    _O.CONTROLLING_COERCIVE: _C.CONTROLLING_COERCIVE,
    _O.COMMON_ASSAULT: _C.ASSAULT_WITHOUT_INJURY,
    _O.RA_COMMON_ASSAULT: _C.RA_ASSAULT_WITHOUT_INJURY,
    _O.ABH: _C.ASSAULT_WITH_INJURY,
    _O.RA_ABH: _C.RA_ASSAULT_WITH_INJURY,
    _O.WOUNDING: _C.ASSAULT_WITH_INJURY,
    _O.RA_WOUNDING: _C.RA_ASSAULT_WITH_INJURY,
    _O.WOUNDING_WITH_INTENT: _C.ASSAULT_INTENT_SERIOUS_HARM,
    _O.THREATS_TO_KILL: _C.THREATS_TO_KILL,
    _O.POA_S4: _C.PUBLIC_FEAR,
    _O.POA_S4A: _C.PUBLIC_FEAR,
    _O.POA_S5: _C.PUBLIC_FEAR,
    _O.RA_PUBLIC_ORDER: _C.RA_PUBLIC_FEAR,
}

# Life imprisonment, as a number of months that outranks every fixed term in the principal crime rule.
LIFE_MONTHS = 10_000

# Offence → maximum sentence in months (for adults, on indictment where either way): the seriousness
# ranking of the principal crime rule (HOCR section F, Annex C). Ties are not broken (unconfirmed).
OFFENCE_MAX_MONTHS: dict[str, int] = {
    _O.PHA_S2: 6,
    _O.PHA_S2A: 6,
    _O.PHA_S4: 120,
    _O.PHA_S4A: 120,
    _O.RA_HARASSMENT: 24,
    _O.RA_STALKING: 24,
    _O.RA_FEAR_OF_VIOLENCE: 168,
    _O.RA_STALKING_FEAR: 168,
    _O.MALICIOUS_COMMUNICATIONS: 24,
    _O.IMPROPER_USE_NETWORK: 6,
    _O.CONTROLLING_COERCIVE: 60,
    _O.COMMON_ASSAULT: 6,
    _O.RA_COMMON_ASSAULT: 24,
    _O.ABH: 60,
    _O.RA_ABH: 84,
    _O.WOUNDING: 60,
    _O.RA_WOUNDING: 84,
    _O.WOUNDING_WITH_INTENT: LIFE_MONTHS,
    _O.THREATS_TO_KILL: 120,
    _O.POA_S4: 6,
    _O.POA_S4A: 6,
    _O.POA_S5: 0,  # fine only
    _O.RA_PUBLIC_ORDER: 24,
}

# Maximum sentences not seen in a source during research (domain.md §3.1, §13.4).
UNCONFIRMED_MAX_MONTHS = frozenset(
    {
        _O.RA_HARASSMENT,
        _O.RA_STALKING,
        _O.MALICIOUS_COMMUNICATIONS,
        _O.IMPROPER_USE_NETWORK,
        _O.CONTROLLING_COERCIVE,
        _O.RA_COMMON_ASSAULT,
        _O.RA_ABH,
        _O.RA_WOUNDING,
        _O.THREATS_TO_KILL,
        _O.POA_S4,
        _O.POA_S4A,
        _O.POA_S5,
        _O.RA_PUBLIC_ORDER,
    }
)

# The "stalking and harassment" offences (they set the case's stalking and harassment flags).
# Malicious communications sits in the ONS stalking-and-harassment group only per an unconfirmed
# source, so it is left out here.
STALKING_OFFENCES = frozenset({_O.PHA_S2A, _O.PHA_S4A, _O.RA_STALKING, _O.RA_STALKING_FEAR})
HARASSMENT_OFFENCES = frozenset({_O.PHA_S2, _O.PHA_S4, _O.RA_HARASSMENT, _O.RA_FEAR_OF_VIOLENCE})
STALKING_OR_HARASSMENT_OFFENCES = STALKING_OFFENCES | HARASSMENT_OFFENCES

# Offences that the 2017 inspection found recorded in place of harassment for a course of conduct.
MALICIOUS_COMMUNICATIONS_OFFENCES = frozenset({_O.MALICIOUS_COMMUNICATIONS, _O.IMPROPER_USE_NETWORK})

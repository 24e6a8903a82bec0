"""Which orders apply to a case now, and why (pure: the facts come from orders/selectors.py).

The inspection found restraining orders not sought and victims left with nothing between report and
court. The hints name what the law offers at this stage, and say plainly where it offers nothing."""

from dataclasses import dataclass

from casework.choices import CaseStage
from orders.choices import OrderType

PRE_CHARGE = frozenset({CaseStage.REPORTED, CaseStage.RECORDED, CaseStage.UNDER_INVESTIGATION,
                        CaseStage.CHARGING_ADVICE_REQUESTED})  # fmt: skip
AFTER_CHARGE = frozenset({CaseStage.CHARGED, CaseStage.AT_COURT})


@dataclass(frozen=True)
class CaseFacts:
    stage: str
    domestic_abuse: bool
    stalking: bool  # recorded as stalking, or s.2A behaviours in the course of conduct
    harassment: bool
    risk_grade: str | None
    regime: str  # "dvpn" or "dapn", per unit
    # Order types already in force or in progress (considered → granted), so hints do not repeat them.
    active_types: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Hint:
    order_type: str | None  # None for a gap: nothing is available
    title: str
    why: str
    already: bool = False


def order_hints(facts: CaseFacts) -> list[Hint]:
    hints: list[Hint] = []

    def add(order_type, why):
        title = OrderType(order_type).label
        hints.append(Hint(order_type, title, why, already=order_type in facts.active_types))

    open_case = facts.stage in PRE_CHARGE | AFTER_CHARGE
    if facts.stalking and open_case:
        urgency = " The risk is graded high: apply for an interim order now." if facts.risk_grade == "high" else ""
        add(
            OrderType.INTERIM_SPO,
            "Stalking behaviour is recorded. A chief officer may apply to the magistrates' court whatever the "
            "relationship, without the victim's consent and without waiting for a charge (Stalking Protection "
            f"Act 2019 ss.1, 5).{urgency}",
        )
        add(
            OrderType.SPO, "The full order to follow the interim order: at least 2 years, or until further order (s.3)."
        )
    if facts.domestic_abuse and open_case:
        if facts.regime == "dapn":
            add(
                OrderType.DAPN,
                "Domestic abuse: an inspector may give a notice at once; it obliges an application "
                "for a DAPO, heard within 48 hours (Domestic Abuse Act 2021 ss.22, 28–29).",
            )
        else:
            add(
                OrderType.DVPN,
                "Violence or threats of violence to an associated person: a superintendent may "
                "issue a notice; the DVPO hearing must follow within 48 hours (Crime and Security "
                "Act 2010 ss.24–27).",
            )
        add(OrderType.NON_MOLESTATION, "The victim can apply to the family court herself; tell her and her advocate.")
    if facts.stage in PRE_CHARGE | AFTER_CHARGE:
        add(
            OrderType.RESTRAINING_ORDER_CONVICTION,
            "Ask for it now, at charge: the prosecutor should request it on conviction for any offence "
            "(Sentencing Act 2020 s.360). Record the conditions the victim needs and her views on each.",
        )
        add(
            OrderType.RESTRAINING_ORDER_ACQUITTAL,
            "Prepare it with the conviction request: if he is acquitted the court can still protect her when "
            "necessary (PHA 1997 s.5A).",
        )
    if facts.harassment and not facts.stalking and not facts.domestic_abuse and facts.stage in PRE_CHARGE:
        hints.append(Hint(
            None,
            "No protective order before charge",
            "Harassment outside a domestic relationship and without stalking behaviour has no police-led order "
            "before charge. Bail conditions after arrest are the only protection: do not choose a voluntary "
            "interview or release under investigation without a reason. If stalking behaviour appears, an SPO "
            "becomes available.",
        ))  # fmt: skip
    return hints

"""REST API for protection: orders and their conditions, breaches and the system's breach proposals,
bail and the route to court, s.2B search warrants, and which orders apply to a case.

Thin, as casework/api.py: input serializers check shape, the services in orders/services.py enforce
the rules. Every record is reached through its case (`policy.access_case`: 404 alike for missing and
not yours); every read of personal data is audited."""

from contextlib import contextmanager

from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import audit, policy
from accounts.policy import Action
from casework.api import IncidentInputSerializer, IncidentOutput
from casework.choices import Behaviour, Channel, Place
from casework.services.incidents import incident_input_from_json
from config.errors import InvalidInput, Refusal
from config.input_contract import RecordDateField, RecordDateTimeField
from orders import choices as c
from orders import eligibility, lifecycle, selectors, services, zones
from orders.models import (
    BailExtension,
    Breach,
    BreachProposal,
    Condition,
    ProtectiveOrder,
    SearchWarrant,
    SuspectRoute,
)


def _in_visible_case(model, pk: int, user, action: Action = Action.VIEW_CASE):
    """A record of a case the user may act on, with its case loaded; 404 alike for missing and not yours."""
    obj = model.objects.filter(pk=pk).first()
    if obj is None:
        raise Http404(f"No such {model._meta.verbose_name}.")
    obj.case = policy.access_case(user, obj.case_id, action)
    return obj


@contextmanager
def _errors_named(**names: str):
    """Report a service's refusal under the names the request used (e.g. `reason`, not `rejection_reason`)."""
    try:
        yield
    except Refusal as exc:
        exc.errors = {names.get(key, key): messages for key, messages in exc.errors.items()}
        raise


def _require(fields: dict, *names: str) -> None:
    missing = {name: "This field is required." for name in names if fields.get(name) is None}
    if missing:
        raise InvalidInput(missing)


def _today_if_none(day):
    return day if day is not None else timezone.localdate()


# --- Conditions --------------------------------------------------------------------------------------


# A condition may run for years (an SPO until further order); its end is checked that far ahead.
CONDITION_YEARS_AHEAD = 100


class ConditionOutput(serializers.ModelSerializer):
    """A zone's address is sealed (orders/zones.py): given only where the view put the caller's
    `zone_sight` in the context and it shows it; else null, with `zone_address_withheld`."""

    protected_ids = serializers.SerializerMethodField()
    zone_address = serializers.SerializerMethodField(
        help_text="sealed: only for the officer in the case and the unit's supervisors, else null"
    )
    zone_address_withheld = serializers.SerializerMethodField()
    zone_warning = serializers.SerializerMethodField(
        help_text=f"'{zones.NEAR_WARNING}' when the zone's address is at or near an address of someone it protects"
    )

    class Meta:
        model = Condition
        fields = [
            "id", "kind", "wording", "channels", "zone_places", "zone_address", "zone_address_withheld",
            "zone_warning", "zone_radius_m", "zone_area", "behaviours", "starts_on", "ends_on", "rationale",
            "consultation", "consulted_on", "victim_view", "protected_ids",
        ]  # fmt: skip

    def get_protected_ids(self, condition) -> list[int]:
        return [p.pk for p in condition.protected_people.all()]

    def _shown(self) -> bool:
        sight = self.context.get("zone_sight")
        return sight is not None and sight.shown

    def get_zone_address(self, condition) -> str | None:
        return condition.zone_address if self._shown() or not condition.zone_address else None

    def get_zone_address_withheld(self, condition) -> bool:
        return bool(condition.zone_address) and not self._shown()

    def get_zone_warning(self, condition) -> str | None:
        if not (condition.zone_address and self._shown()):
            return None
        case_id = (condition.order or condition.bail).case_id
        near = zones.near_protected(condition.zone_address, [p.pk for p in condition.protected_people.all()], case_id)
        return zones.NEAR_WARNING if near else None


def _zones(user, case, conditions) -> dict:
    """The serializer context that shows the conditions' zone addresses if the user may see them
    (audited); the API reveals nothing on a stated reason: that is the order page's."""
    return {"zone_sight": zones.zone_sight(user, case, list(conditions), where=" (api)")}


class ConditionInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=c.ConditionKind.choices)
    rationale = serializers.CharField(default="", allow_blank=True, help_text="why this condition is needed")
    protected_ids = serializers.ListField(child=serializers.IntegerField(), default=list)
    wording = serializers.CharField(default="", allow_blank=True, help_text="default: the standard wording")
    channels = serializers.ListField(
        child=serializers.ChoiceField(choices=Channel.choices), required=False, help_text="default: the standard"
    )
    zone_places = serializers.ListField(
        child=serializers.ChoiceField(choices=Place.choices), required=False, help_text="default: the standard"
    )
    zone_address = serializers.CharField(max_length=300, default="", allow_blank=True)
    zone_radius_m = serializers.IntegerField(required=False, allow_null=True, default=None)
    zone_area = serializers.CharField(max_length=200, default="", allow_blank=True)
    behaviours = serializers.ListField(
        child=serializers.ChoiceField(choices=Behaviour.choices), required=False, help_text="default: the standard"
    )
    starts_on = RecordDateField(required=False, allow_null=True, default=None)
    ends_on = RecordDateField(required=False, allow_null=True, default=None, years_ahead=CONDITION_YEARS_AHEAD)
    consultation = serializers.ChoiceField(
        choices=c.ConsultationOutcome.choices, default=c.ConsultationOutcome.NOT_CONSULTED
    )
    consulted_on = RecordDateField(required=False, allow_null=True, default=None)
    victim_view = serializers.CharField(default="", allow_blank=True)
    zone_reason = serializers.CharField(
        default="", allow_blank=True, help_text="needed when the zone is at or near her address: why, knowingly"
    )


def _condition_add(user, fields: dict, **owner) -> Condition:
    condition_fields = {name: fields.get(name) for name in ConditionInput().fields}
    condition_fields["kind"] = condition_fields["kind"] or ""
    return services.condition_add(actor=user, **owner, **condition_fields)


class ConsultationInput(serializers.Serializer):
    consultation = serializers.ChoiceField(choices=c.ConsultationOutcome.choices)
    consulted_on = RecordDateField()
    victim_view = serializers.CharField(default="", allow_blank=True)


# --- Orders ------------------------------------------------------------------------------------------


class OrderOutput(serializers.ModelSerializer):
    protected_ids = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField(help_text="the lifecycle actions open from this status")
    conditions = ConditionOutput(many=True, read_only=True)

    class Meta:
        model = ProtectiveOrder
        fields = [
            "id", "order_type", "status", "respondent_id", "protected_ids", "follows_id", "court", "applicant",
            "grounds_acts", "grounds_risk", "grounds_necessity", "not_pursued_reason", "applied_on", "hearing_at",
            "decided_on", "refused_reason", "granted_on", "served_on", "until_further_order", "duration_value",
            "duration_unit", "expires_on", "ended_on", "end_reason", "notification_due_on",
            "respondent_notified_on", "created_at", "updated_at", "version", "allowed_actions", "conditions",
        ]  # fmt: skip

    def get_protected_ids(self, order) -> list[int]:
        return [p.pk for p in order.protected_people.all()]

    def get_allowed_actions(self, order) -> list[str]:
        return lifecycle.allowed_actions(order.status)


def _order_loaded(pk: int) -> ProtectiveOrder:
    return ProtectiveOrder.objects.prefetch_related("protected_people", "conditions__protected_people").get(pk=pk)


class OrderConsiderInput(serializers.Serializer):
    order_type = serializers.ChoiceField(choices=c.OrderType.choices)
    respondent_id = serializers.IntegerField(help_text="the suspect the order is against")
    protected_ids = serializers.ListField(child=serializers.IntegerField(), default=list)
    court = serializers.CharField(max_length=200, default="", allow_blank=True)
    applicant = serializers.CharField(max_length=200, default="", allow_blank=True)
    follows_id = serializers.IntegerField(
        required=False, allow_null=True, help_text="the interim order or notice this one follows"
    )


class CaseOrdersApi(APIView):
    @extend_schema(responses=OrderOutput(many=True))
    def get(self, request, case_id: int):
        case = policy.access_case(request.user, case_id)
        orders = selectors.orders_of_case(case)
        audit.consulted_many(ProtectiveOrder, [o.pk for o in orders], detail=f"orders of {case.reference}")
        context = _zones(request.user, case, [x for o in orders for x in o.conditions.all()])
        return Response(OrderOutput(orders, many=True, context=context).data)

    @extend_schema(request=OrderConsiderInput, responses={201: OrderOutput})
    def post(self, request, case_id: int):
        case = policy.access_case(request.user, case_id, Action.EDIT_CASE)
        data = OrderConsiderInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        follows = None
        if (follows_id := fields.pop("follows_id", None)) is not None:
            follows = case.orders.filter(pk=follows_id).first()
            if follows is None:
                raise InvalidInput({"follows_id": "Choose an earlier order of this case"})
        with _errors_named(follows="follows_id"):
            order = services.order_consider(actor=request.user, case=case, follows=follows, **fields)
        return Response(OrderOutput(_order_loaded(order.pk)).data, status=status.HTTP_201_CREATED)


class OrderDetailsInput(serializers.Serializer):
    version = serializers.IntegerField()
    court = serializers.CharField(max_length=200, allow_blank=True)
    applicant = serializers.CharField(max_length=200, allow_blank=True)
    grounds_acts = serializers.CharField(allow_blank=True)
    grounds_risk = serializers.CharField(allow_blank=True)
    grounds_necessity = serializers.CharField(allow_blank=True)
    hearing_at = RecordDateTimeField(allow_null=True)


class OrderDetailApi(APIView):
    """The order; PUT replaces its details (court, applicant, grounds, hearing), PATCH changes those given."""

    @extend_schema(responses=OrderOutput)
    def get(self, request, order_id: int):
        order = _in_visible_case(ProtectiveOrder, order_id, request.user)
        audit.consulted(order, detail=f"order in {order.case.reference}")
        loaded = _order_loaded(order.pk)
        context = _zones(request.user, order.case, loaded.conditions.all())
        return Response(OrderOutput(loaded, context=context).data)

    @extend_schema(request=OrderDetailsInput, responses={200: OrderOutput, 409: None})
    def put(self, request, order_id: int):
        return self._update(request, order_id, partial=False)

    @extend_schema(request=OrderDetailsInput(partial=True), responses={200: OrderOutput, 409: None})
    def patch(self, request, order_id: int):
        return self._update(request, order_id, partial=True)

    def _update(self, request, order_id: int, *, partial: bool):
        order = _in_visible_case(ProtectiveOrder, order_id, request.user, Action.EDIT_CASE)
        data = OrderDetailsInput(data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        _require(fields, "version")
        details = {name: fields.get(name, getattr(order, name)) for name in OrderDetailsInput().fields}
        details["expected_version"] = details.pop("version")
        order = services.order_update_details(actor=request.user, order=order, **details)
        return Response(OrderOutput(_order_loaded(order.pk)).data)


ORDER_ACTIONS = [*lifecycle.TRANSITIONS, "respondent_notified"]


class OrderActionInput(serializers.Serializer):
    action = serializers.ChoiceField(choices=ORDER_ACTIONS)
    version = serializers.IntegerField(required=False, help_text="needed for every action but respondent_notified")
    on = RecordDateField(required=False, allow_null=True, default=None, help_text="default today")
    reason = serializers.CharField(default="", allow_blank=True)
    until_further_order = serializers.BooleanField(default=False)
    duration_value = serializers.IntegerField(required=False, allow_null=True, default=None)
    duration_unit = serializers.ChoiceField(choices=[("", "none"), *c.DurationUnit.choices], default="")
    hearing_at = RecordDateTimeField(required=False, allow_null=True, default=None)


class OrderActionApi(APIView):
    """Move the order along its lifecycle (draft, not_pursue, apply, grant, refuse, serve, vary, renew,
    discharge, expire), or record that the respondent notified his name and address."""

    @extend_schema(request=OrderActionInput, responses={200: OrderOutput, 409: None})
    def post(self, request, order_id: int):
        order = _in_visible_case(ProtectiveOrder, order_id, request.user, Action.EDIT_CASE)
        data = OrderActionInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        action = fields.pop("action")
        if action == "respondent_notified":
            order = services.order_respondent_notified(actor=request.user, order=order, on=_today_if_none(fields["on"]))
        else:
            if "version" not in fields:
                raise InvalidInput({"version": "Give the version you are changing"})
            order = services.order_transition(
                actor=request.user, order=order, action=action, expected_version=fields.pop("version"), **fields
            )
        return Response(OrderOutput(_order_loaded(order.pk)).data)


class OrderConditionsApi(APIView):
    """Add a condition to the order: one from the standard library, or worded by you."""

    @extend_schema(request=ConditionInput, responses={201: ConditionOutput, 409: None})
    def post(self, request, order_id: int):
        order = _in_visible_case(ProtectiveOrder, order_id, request.user, Action.EDIT_CASE)
        data = ConditionInput(data=request.data)
        data.is_valid(raise_exception=True)
        condition = _condition_add(request.user, data.validated_data, order=order)
        context = _zones(request.user, order.case, [condition])
        return Response(ConditionOutput(condition, context=context).data, status=status.HTTP_201_CREATED)


class ConditionConsultationApi(APIView):
    """What the victim said about a condition of the order, and when."""

    @extend_schema(request=ConsultationInput, responses=ConditionOutput)
    def post(self, request, order_id: int, condition_id: int):
        order = _in_visible_case(ProtectiveOrder, order_id, request.user, Action.EDIT_CASE)
        condition = order.conditions.filter(pk=condition_id).first()
        if condition is None:
            raise Http404("No such condition.")
        data = ConsultationInput(data=request.data)
        data.is_valid(raise_exception=True)
        condition = services.condition_record_consultation(
            actor=request.user, condition=condition, **data.validated_data
        )
        return Response(ConditionOutput(condition, context=_zones(request.user, order.case, [condition])).data)


# --- Breaches and the system's proposals -------------------------------------------------------------


class BreachOutput(serializers.ModelSerializer):
    incident = IncidentOutput()
    recorded_by = serializers.CharField(source="recorded_by.username")

    class Meta:
        model = Breach
        fields = [
            "id", "order_id", "bail_id", "condition_id", "incident", "substantive_decision", "substantive_note",
            "substantive_decided_at", "recorded_by", "recorded_at",
        ]  # fmt: skip


class BreachInput(serializers.Serializer):
    condition_id = serializers.IntegerField(required=False, allow_null=True, help_text="the condition breached")
    incident = IncidentInputSerializer(help_text="what happened: it goes on the course of conduct")


class BreachEnvelope(serializers.Serializer):
    """What the view validates itself; the incident is parsed by the service's lean parser so its
    errors come out by field (the schema above documents it)."""

    condition_id = serializers.IntegerField(required=False, allow_null=True)
    incident = serializers.DictField()


class _BreachesApi(APIView):
    """Breaches of one order (or one bail); POST logs a breach: its incident goes on the course of conduct."""

    owner_model: type[ProtectiveOrder] | type[SuspectRoute] = ProtectiveOrder
    owner_field = "order"

    def _owner(self, request, owner_id: int, action: Action = Action.VIEW_CASE):
        owner = _in_visible_case(self.owner_model, owner_id, request.user, action)
        if isinstance(owner, SuspectRoute) and not owner.is_bail:
            raise Http404("That route has no bail to breach.")
        return owner

    def _list(self, request, owner_id: int):
        owner = self._owner(request, owner_id)
        breaches = list(owner.breaches.select_related("incident", "recorded_by").order_by("-incident__occurred_at"))
        label = f"{self.owner_field} {owner.pk} in {owner.case.reference}"
        audit.consulted_many(Breach, [b.pk for b in breaches], detail=f"breaches of {label}")
        return Response(BreachOutput(breaches, many=True).data)

    def _log(self, request, owner_id: int):
        owner = self._owner(request, owner_id, Action.EDIT_CASE)
        data = BreachEnvelope(data=request.data)
        data.is_valid(raise_exception=True)
        condition = None
        if (condition_id := data.validated_data.get("condition_id")) is not None:
            condition = owner.conditions.filter(pk=condition_id).first()
            if condition is None:
                raise InvalidInput({"condition_id": f"Choose a condition of this {self.owner_field}"})
        incident, errors = incident_input_from_json(data.validated_data["incident"])
        if errors:
            raise InvalidInput(errors)
        breach = services.breach_record(
            actor=request.user, case=owner.case, incident=incident, condition=condition, **{self.owner_field: owner}
        )
        return Response(BreachOutput(breach).data, status=status.HTTP_201_CREATED)


class OrderBreachesApi(_BreachesApi):
    @extend_schema(responses=BreachOutput(many=True))
    def get(self, request, order_id: int):
        return self._list(request, order_id)

    @extend_schema(request=BreachInput, responses={201: BreachOutput})
    def post(self, request, order_id: int):
        return self._log(request, order_id)


class BailBreachesApi(_BreachesApi):
    owner_model, owner_field = SuspectRoute, "bail"

    @extend_schema(responses=BreachOutput(many=True))
    def get(self, request, route_id: int):
        return self._list(request, route_id)

    @extend_schema(request=BreachInput, responses={201: BreachOutput})
    def post(self, request, route_id: int):
        return self._log(request, route_id)


class ProposalOutput(serializers.ModelSerializer):
    incident = IncidentOutput()
    order_id = serializers.IntegerField(source="condition.order_id", allow_null=True)
    bail_id = serializers.IntegerField(source="condition.bail_id", allow_null=True)
    condition_wording = serializers.CharField(source="condition.wording")
    decided_by = serializers.CharField(source="decided_by.username", allow_null=True)

    class Meta:
        model = BreachProposal
        fields = [
            "id", "incident", "condition_id", "condition_wording", "order_id", "bail_id", "reason", "status",
            "proposed_at", "decided_by", "decided_at", "rejection_reason", "breach_id",
        ]  # fmt: skip


class ProposalsOutput(serializers.Serializer):
    pending = ProposalOutput(many=True, help_text="awaiting the officer's decision, oldest first")
    decided = ProposalOutput(many=True, help_text="confirmed or rejected, newest first")


class ProposalActionInput(serializers.Serializer):
    action = serializers.ChoiceField(choices=["confirm", "reject"])
    reason = serializers.CharField(default="", allow_blank=True, help_text="why it is not a breach (reject)")


def _proposals():
    return BreachProposal.objects.select_related("incident", "condition", "decided_by")


class CaseBreachProposalsApi(APIView):
    """Incidents the system found against a condition in force: the officer confirms or rejects each."""

    @extend_schema(responses=ProposalsOutput)
    def get(self, request, case_id: int):
        case = policy.access_case(request.user, case_id)
        proposals = list(_proposals().filter(case=case))
        pending = sorted((p for p in proposals if p.status == c.ProposalStatus.PROPOSED), key=lambda p: p.proposed_at)
        decided = sorted((p for p in proposals if p.status != c.ProposalStatus.PROPOSED),
                         key=lambda p: p.decided_at, reverse=True)  # fmt: skip
        audit.consulted_many(BreachProposal, [p.pk for p in proposals], detail=f"breach proposals of {case.reference}")
        return Response(ProposalsOutput({"pending": pending, "decided": decided}).data)


class ProposalActionApi(APIView):
    @extend_schema(request=ProposalActionInput, responses={200: ProposalOutput, 409: None})
    def post(self, request, proposal_id: int):
        proposal = _in_visible_case(BreachProposal, proposal_id, request.user, Action.EDIT_CASE)
        data = ProposalActionInput(data=request.data)
        data.is_valid(raise_exception=True)
        if data.validated_data["action"] == "confirm":
            services.breach_proposal_confirm(actor=request.user, proposal=proposal)
        else:
            with _errors_named(rejection_reason="reason"):
                services.breach_proposal_reject(
                    actor=request.user, proposal=proposal, reason=data.validated_data["reason"]
                )
        return Response(ProposalOutput(_proposals().get(pk=proposal.pk)).data)


class SubstantiveInput(serializers.Serializer):
    decision = serializers.ChoiceField(choices=c.SubstantiveDecision.choices)
    note = serializers.CharField(default="", allow_blank=True, help_text="needed for breach_only: why no offence")


class BreachSubstantiveApi(APIView):
    """After a breach: is this also a further stalking or harassment offence?"""

    @extend_schema(request=SubstantiveInput, responses=BreachOutput)
    def post(self, request, breach_id: int):
        breach = _in_visible_case(Breach, breach_id, request.user, Action.EDIT_CASE)
        data = SubstantiveInput(data=request.data)
        data.is_valid(raise_exception=True)
        with _errors_named(substantive_decision="decision", substantive_note="note"):
            breach = services.breach_substantive_decide(actor=request.user, breach=breach, **data.validated_data)
        return Response(BreachOutput(breach).data)


# --- Bail and the route to court ---------------------------------------------------------------------


class ExtensionOutput(serializers.ModelSerializer):
    class Meta:
        model = BailExtension
        fields = ["id", "previous_end", "new_end", "authority", "authorised_on", "recorded_at"]


class RouteOutput(serializers.ModelSerializer):
    reviewed_by = serializers.CharField(source="reviewed_by.username", allow_null=True)
    review_status = serializers.SerializerMethodField()
    extensions = ExtensionOutput(many=True, read_only=True)
    conditions = ConditionOutput(many=True, read_only=True)

    class Meta:
        model = SuspectRoute
        fields = [
            "id", "suspect_id", "route", "occurred_on", "bail_start", "bail_end", "bail_authority", "bail_ended_on",
            "victim_views", "unprotected_reason", "needs_review", "review_status", "reviewed_by", "reviewed_at",
            "review_note", "note", "recorded_at", "extensions", "conditions",
        ]  # fmt: skip

    def get_review_status(self, route) -> str:
        """not_needed, awaiting (a supervisor's review of an unprotected route) or reviewed."""
        if not route.needs_review:
            return "not_needed"
        return "reviewed" if route.reviewed_at else "awaiting"


def _route_loaded(pk: int) -> SuspectRoute:
    return (
        SuspectRoute.objects.select_related("reviewed_by")
        .prefetch_related("extensions", "conditions__protected_people")
        .get(pk=pk)
    )


class RouteInput(serializers.Serializer):
    suspect_id = serializers.IntegerField()
    route = serializers.ChoiceField(choices=c.Route.choices)
    occurred_on = RecordDateField()
    bail_end = RecordDateField(required=False, allow_null=True, default=None)
    bail_authority = serializers.ChoiceField(choices=[("", "none"), *c.BailAuthority.choices], default="")
    victim_views = serializers.CharField(default="", allow_blank=True)
    unprotected_reason = serializers.CharField(
        default="", allow_blank=True, help_text="needed when the route leaves the victim without bail conditions"
    )
    note = serializers.CharField(default="", allow_blank=True)


class CaseBailApi(APIView):
    """How the suspect was dealt with each time (arrest, interview, RUI, bail, charge), with bail's
    extensions and conditions."""

    @extend_schema(responses=RouteOutput(many=True))
    def get(self, request, case_id: int):
        case = policy.access_case(request.user, case_id)
        routes = selectors.routes_of_case(case)
        audit.consulted_many(SuspectRoute, [r.pk for r in routes], detail=f"bail and routes of {case.reference}")
        context = _zones(request.user, case, [x for r in routes for x in r.conditions.all()])
        return Response(RouteOutput(routes, many=True, context=context).data)

    @extend_schema(request=RouteInput, responses={201: RouteOutput})
    def post(self, request, case_id: int):
        case = policy.access_case(request.user, case_id, Action.EDIT_CASE)
        data = RouteInput(data=request.data)
        data.is_valid(raise_exception=True)
        route = services.route_record(actor=request.user, case=case, **data.validated_data)
        return Response(RouteOutput(_route_loaded(route.pk)).data, status=status.HTTP_201_CREATED)


class BailActionInput(ConditionInput):
    """`review` (supervisors: note), `extend` (new_end, authority, authorised_on), `end` (ended_on,
    reason), `add_condition` (the condition's fields, as for an order's)."""

    action = serializers.ChoiceField(choices=["review", "extend", "end", "add_condition"])
    note = serializers.CharField(default="", allow_blank=True, help_text="the supervisor's review")
    new_end = RecordDateField(required=False, allow_null=True, default=None)
    authority = serializers.ChoiceField(choices=[("", "none"), *c.BailAuthority.choices], default="")
    authorised_on = RecordDateField(required=False, allow_null=True, default=None, help_text="default today")
    ended_on = RecordDateField(required=False, allow_null=True, default=None, help_text="default today")
    reason = serializers.CharField(default="", allow_blank=True, help_text="how bail ended")
    kind = serializers.ChoiceField(choices=c.ConditionKind.choices, required=False)


class BailActionApi(APIView):
    @extend_schema(request=BailActionInput, responses={200: RouteOutput, 409: None})
    def post(self, request, route_id: int):
        route = _in_visible_case(SuspectRoute, route_id, request.user, Action.EDIT_CASE)
        data = BailActionInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        action = fields["action"]
        if action == "review":
            with _errors_named(review_note="note"):
                services.route_review(actor=request.user, route=route, note=fields["note"])
        elif action == "extend":
            _require(fields, "new_end")
            services.bail_extend(
                actor=request.user, route=route, new_end=fields["new_end"], authority=fields["authority"],
                authorised_on=_today_if_none(fields["authorised_on"]),
            )  # fmt: skip
        elif action == "end":
            services.bail_end(
                actor=request.user, route=route, ended_on=_today_if_none(fields["ended_on"]), reason=fields["reason"]
            )
        else:
            _condition_add(request.user, fields, bail=route)
        return Response(RouteOutput(_route_loaded(route.pk)).data)


# --- Search warrants (PHA 1997 s.2B) -----------------------------------------------------------------


class WarrantOutput(serializers.ModelSerializer):
    evidence_ids = serializers.SerializerMethodField(help_text="exhibits seized")
    recorded_by = serializers.CharField(source="recorded_by.username")

    class Meta:
        model = SearchWarrant
        fields = [
            "id", "status", "premises", "grounds", "applied_on", "court", "decided_on", "refused_reason",
            "executed_on", "officers", "seized", "evidence_ids", "recorded_by", "recorded_at",
        ]  # fmt: skip

    def get_evidence_ids(self, warrant) -> list[int]:
        return [e.pk for e in warrant.seized_evidence.all()]


def _warrants():
    return SearchWarrant.objects.select_related("recorded_by").prefetch_related("seized_evidence")


class WarrantApplyInput(serializers.Serializer):
    premises = serializers.CharField(max_length=300, default="", allow_blank=True)
    grounds = serializers.CharField(default="", allow_blank=True, help_text="the offence and the material sought")
    court = serializers.CharField(max_length=200, default="", allow_blank=True)
    applied_on = RecordDateField(required=False, allow_null=True, default=None, help_text="default today")


class WarrantActionInput(serializers.Serializer):
    """`decide` (granted, decided_on, reason if refused) or `execute` (executed_on, officers, seized,
    evidence_ids)."""

    action = serializers.ChoiceField(choices=["decide", "execute"])
    granted = serializers.BooleanField(required=False, allow_null=True, default=None)
    decided_on = RecordDateField(required=False, allow_null=True, default=None, help_text="default today")
    reason = serializers.CharField(default="", allow_blank=True, help_text="why the court refused it")
    executed_on = RecordDateField(required=False, allow_null=True, default=None, help_text="default today")
    officers = serializers.CharField(max_length=300, default="", allow_blank=True)
    seized = serializers.CharField(default="", allow_blank=True)
    evidence_ids = serializers.ListField(child=serializers.IntegerField(), default=list)


class CaseSearchWarrantsApi(APIView):
    @extend_schema(responses=WarrantOutput(many=True))
    def get(self, request, case_id: int):
        case = policy.access_case(request.user, case_id)
        warrants = list(_warrants().filter(case=case).order_by("-applied_on", "-id"))
        audit.consulted_many(SearchWarrant, [w.pk for w in warrants], detail=f"search warrants of {case.reference}")
        return Response(WarrantOutput(warrants, many=True).data)

    @extend_schema(request=WarrantApplyInput, responses={201: WarrantOutput})
    def post(self, request, case_id: int):
        case = policy.access_case(request.user, case_id, Action.EDIT_CASE)
        data = WarrantApplyInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        fields["applied_on"] = _today_if_none(fields["applied_on"])
        warrant = services.warrant_apply(actor=request.user, case=case, **fields)
        return Response(WarrantOutput(_warrants().get(pk=warrant.pk)).data, status=status.HTTP_201_CREATED)


class WarrantActionApi(APIView):
    @extend_schema(request=WarrantActionInput, responses={200: WarrantOutput, 409: None})
    def post(self, request, warrant_id: int):
        warrant = _in_visible_case(SearchWarrant, warrant_id, request.user, Action.EDIT_CASE)
        data = WarrantActionInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        if fields["action"] == "decide":
            _require(fields, "granted")
            with _errors_named(refused_reason="reason"):
                services.warrant_decide(
                    actor=request.user, warrant=warrant, granted=fields["granted"],
                    decided_on=_today_if_none(fields["decided_on"]), reason=fields["reason"],
                )  # fmt: skip
        else:
            services.warrant_execute(
                actor=request.user, warrant=warrant, executed_on=_today_if_none(fields["executed_on"]),
                officers=fields["officers"], seized=fields["seized"], evidence_ids=fields["evidence_ids"],
            )  # fmt: skip
        return Response(WarrantOutput(_warrants().get(pk=warrant.pk)).data)


# --- Which orders apply ------------------------------------------------------------------------------


class HintOutput(serializers.Serializer):
    order_type = serializers.CharField(allow_null=True, help_text="null: a gap, where the law offers no order")
    title = serializers.CharField()
    why = serializers.CharField()
    already = serializers.BooleanField(help_text="an order of this type is already in progress or in force")


class OrderEligibilityApi(APIView):
    """The orders the law offers this case at its stage, and why; and where it offers nothing."""

    @extend_schema(responses=HintOutput(many=True))
    def get(self, request, case_id: int):
        case = policy.access_case(request.user, case_id)
        hints = eligibility.order_hints(selectors.case_protection_facts(case))
        audit.consulted(case, detail="order eligibility")
        return Response(HintOutput(hints, many=True).data)

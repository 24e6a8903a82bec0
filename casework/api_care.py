"""REST API for the advocate (journey 5): her referred victims, the victim-safe view of a case, adding a
safety plan measure, marking one done and passing on an incident the victim told her about.

Thin, as the pages in casework/views/care.py: what is shown is casework/victim_view.py and only that,
writes go through casework/services/care.py. For users whose role holds VIEW_VICTIM_SAFE only: everyone
else gets 404, as for a case that is missing or not theirs. Every read is audited. Serializer names
carry a "Care" prefix so the schema's components never clash; enum-like output fields are plain strings."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import audit, policy
from accounts.policy import Action
from casework import choices as c
from casework import victim_view
from casework.models import Case, Person
from casework.redaction import reader_redactor, redact_data
from casework.services import care
from config.input_contract import RecordDateField, RecordDateTimeField


def _access(user, case_id: int) -> Case:
    return policy.access_case(
        user, case_id, Action.VIEW_VICTIM_SAFE, queryset=Case.objects.select_related("unit", "officer")
    )


# --- Output ----------------------------------------------------------------------------------------


class CareReferredVictimOutput(serializers.Serializer):
    case_id = serializers.IntegerField()
    reference = serializers.CharField()
    officer = serializers.CharField(help_text="the officer in the case")
    unit = serializers.CharField()
    victim_id = serializers.IntegerField()
    victim = serializers.CharField(help_text="her name")
    referred_on = serializers.DateField()
    open_safety_items = serializers.IntegerField()
    passed_on_awaiting = serializers.IntegerField(help_text="incidents passed on awaiting the officer's review")


class CareContactDetailOutput(serializers.Serializer):
    kind = serializers.CharField(help_text="an IdentifierKind value")
    kind_label = serializers.CharField()
    value = serializers.CharField(allow_null=True, help_text="null when sealed and withheld")
    withheld = serializers.BooleanField()


class CareReferralOutput(serializers.Serializer):
    service = serializers.CharField(help_text="a SupportService value")
    service_label = serializers.CharField()
    organisation = serializers.CharField()
    outcome = serializers.CharField(help_text="a ReferralOutcome value")
    outcome_label = serializers.CharField()
    referred_on = serializers.DateField()
    ended_on = serializers.DateField(allow_null=True)


class CareConditionOutput(serializers.Serializer):
    kind_label = serializers.CharField()
    wording = serializers.CharField(help_text="addresses withheld")
    starts_on = serializers.DateField(allow_null=True)
    ends_on = serializers.DateField(allow_null=True)
    exclusion_zone = serializers.BooleanField(help_text="an exclusion zone, whose address is withheld")


class CareOrderOutput(serializers.Serializer):
    id = serializers.IntegerField()
    order_type = serializers.CharField(help_text="an OrderType value")
    order_type_label = serializers.CharField()
    status = serializers.CharField(help_text="an OrderStatus value")
    status_label = serializers.CharField()
    respondent = serializers.CharField(help_text="his name")
    applied_on = serializers.DateField(allow_null=True)
    granted_on = serializers.DateField(allow_null=True)
    served_on = serializers.DateField(allow_null=True)
    expires_on = serializers.DateField(allow_null=True)
    until_further_order = serializers.BooleanField()
    ended_on = serializers.DateField(allow_null=True)
    conditions = CareConditionOutput(many=True)


class CareBailOutput(serializers.Serializer):
    id = serializers.IntegerField()
    route_label = serializers.CharField()
    suspect = serializers.CharField(help_text="his name")
    bail_start = serializers.DateField(allow_null=True)
    bail_end = serializers.DateField(allow_null=True)
    bail_ended_on = serializers.DateField(allow_null=True)
    conditions = CareConditionOutput(many=True)


class CareIncidentOutput(serializers.Serializer):
    id = serializers.IntegerField()
    occurred_at = serializers.DateTimeField()
    channel = serializers.CharField(help_text="a Channel value")
    channel_label = serializers.CharField()
    count = serializers.IntegerField()


class CareRiskOutput(serializers.Serializer):
    grade = serializers.CharField(help_text="a risk Grade value")
    grade_label = serializers.CharField()
    assessed_on = serializers.DateField()


class CareSafetyPlanItemOutput(serializers.Serializer):
    id = serializers.IntegerField()
    risk = serializers.CharField()
    measure = serializers.CharField()
    owner = serializers.CharField()
    review_on = serializers.DateField(allow_null=True)
    done_on = serializers.DateField(allow_null=True)
    created_at = serializers.DateTimeField()


class CarePassedOnOutput(serializers.Serializer):
    id = serializers.IntegerField()
    occurred_at = serializers.DateTimeField()
    channel = serializers.CharField(help_text="a Channel value")
    channel_label = serializers.CharField()
    count = serializers.IntegerField()
    account = serializers.CharField()
    passed_on_at = serializers.DateTimeField()
    passed_on_by = serializers.CharField()
    status = serializers.CharField(help_text="awaiting, accepted or declined")
    status_label = serializers.CharField()
    decline_reason = serializers.CharField(help_text="why the officer did not add it (when declined)")
    decided_at = serializers.DateTimeField(allow_null=True)


class CareVictimOutput(serializers.Serializer):
    person_id = serializers.IntegerField()
    name = serializers.CharField()
    referrals = CareReferralOutput(many=True)
    contact_details = CareContactDetailOutput(many=True)
    orders = CareOrderOutput(many=True)
    bail = CareBailOutput(many=True)
    incidents = CareIncidentOutput(many=True)
    risk = CareRiskOutput(allow_null=True, help_text="her latest completed assessment; null if none")
    next_update_due = serializers.DateField(allow_null=True, help_text="her next Victims' Code update")
    safety_plan = CareSafetyPlanItemOutput(many=True)
    passed_on = CarePassedOnOutput(many=True)


class CareCaseOutput(serializers.Serializer):
    case_id = serializers.IntegerField()
    reference = serializers.CharField()
    stage = serializers.CharField(help_text="a CaseStage value")
    stage_label = serializers.CharField()
    officer = serializers.CharField(help_text="the officer in the case")
    officer_email = serializers.CharField()
    unit = serializers.CharField()
    suspects = serializers.ListField(child=serializers.CharField(), help_text="names only")
    victims = CareVictimOutput(many=True, help_text="only the victims referred to your organisation")


class CareSafetyPlanItemCreatedOutput(CareSafetyPlanItemOutput):
    case_id = serializers.IntegerField()
    victim_id = serializers.IntegerField()


class CarePassedOnCreatedOutput(serializers.Serializer):
    id = serializers.IntegerField()
    case_id = serializers.IntegerField()
    victim_id = serializers.IntegerField()
    occurred_at = serializers.DateTimeField()
    channel = serializers.CharField(help_text="a Channel value")
    count = serializers.IntegerField()
    account = serializers.CharField()
    passed_on_at = serializers.DateTimeField()
    status = serializers.CharField(help_text="awaiting, accepted or declined")


# --- Input -----------------------------------------------------------------------------------------


class CareSafetyPlanInput(serializers.Serializer):
    victim_id = serializers.IntegerField(help_text="a victim referred to your organisation")
    risk = serializers.CharField(help_text="what the measure protects her from")
    measure = serializers.CharField(help_text="what will be done")
    owner = serializers.CharField(required=False, allow_blank=True, default="", help_text="who does it")
    review_on = RecordDateField(required=False, allow_null=True, default=None)


class CareSafetyPlanDoneInput(serializers.Serializer):
    done_on = RecordDateField(required=False, allow_null=True, default=None, help_text="today if omitted")


class CarePassedOnInput(serializers.Serializer):
    victim_id = serializers.IntegerField(help_text="a victim referred to your organisation")
    occurred_at = RecordDateTimeField(help_text="when it happened; not in the future")
    channel = serializers.ChoiceField(choices=c.Channel.choices)
    count = serializers.IntegerField(default=1)
    account = serializers.CharField(help_text="what she said happened, in her words", trim_whitespace=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].validators = []  # NUL and length: the service refuses them (the input contract)


def _as_read(request, record, serializer) -> dict:
    """A record the advocate wrote, answered as the victim-safe view shows it (addresses withheld)."""
    return redact_data(serializer(record).data, reader_redactor(request.user, record.case))


# --- Views -----------------------------------------------------------------------------------------


class CareListApi(APIView):
    """The victims referred to your organisation, one row per case and victim."""

    pagination_class = PageNumberPagination

    @extend_schema(responses=CareReferredVictimOutput(many=True))
    def get(self, request):
        if not policy.role_may(request.user, Action.VIEW_VICTIM_SAFE):
            raise Http404("No such page.")
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(victim_view.referred_victims(request.user), request, view=self)
        audit.consulted_many(Person, sorted({row.victim_id for row in page}), detail="referred victims (API)")
        return paginator.get_paginated_response(CareReferredVictimOutput(page, many=True).data)


class CareCaseApi(APIView):
    """The victim-safe view of a case."""

    @extend_schema(responses=CareCaseOutput)
    def get(self, request, case_id: int):
        case = _access(request.user, case_id)
        view = victim_view.victim_safe_view(request.user, case)
        victim_view.record_consultation(case, view, via="API")
        return Response(CareCaseOutput(view).data)


class CareSafetyPlanApi(APIView):
    """Add a measure to a referred victim's safety plan."""

    @extend_schema(request=CareSafetyPlanInput, responses={201: CareSafetyPlanItemCreatedOutput})
    def post(self, request, case_id: int):
        case = _access(request.user, case_id)
        data = CareSafetyPlanInput(data=request.data)
        data.is_valid(raise_exception=True)
        item = care.safety_plan_item_add(actor=request.user, case=case, **data.validated_data)
        return Response(_as_read(request, item, CareSafetyPlanItemCreatedOutput), status=status.HTTP_201_CREATED)


class CareSafetyPlanDoneApi(APIView):
    """Mark a safety plan measure done (once; a second answers 409)."""

    @extend_schema(request=CareSafetyPlanDoneInput, responses=CareSafetyPlanItemCreatedOutput)
    def post(self, request, item_id: int):
        item = victim_view.safety_plan_item_access(request.user, item_id)
        data = CareSafetyPlanDoneInput(data=request.data)
        data.is_valid(raise_exception=True)
        item = care.safety_plan_item_done(actor=request.user, item=item, **data.validated_data)
        return Response(_as_read(request, item, CareSafetyPlanItemCreatedOutput))


class CarePassedOnApi(APIView):
    """Pass on an incident the victim told you about, for the officer to review."""

    @extend_schema(request=CarePassedOnInput, responses={201: CarePassedOnCreatedOutput})
    def post(self, request, case_id: int):
        case = _access(request.user, case_id)
        data = CarePassedOnInput(data=request.data)
        data.is_valid(raise_exception=True)
        item = care.passed_on_record(actor=request.user, case=case, **data.validated_data)
        return Response(_as_read(request, item, CarePassedOnCreatedOutput), status=status.HTTP_201_CREATED)

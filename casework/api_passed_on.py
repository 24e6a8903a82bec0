"""REST API for the officer's side of victim care: the case's referrals to support services (recording one
to an organisation with her consent to share, ending one) and the review of incidents the victim's advocate
passed on (accepting one onto the course of conduct, declining one with a reason the advocate sees).

Thin, as casework/api.py: input serializers check shape, casework/services/referrals.py and
casework/services/passed_on.py enforce the rules; every case is reached through the access policy (404
alike for missing and not yours); every read is audited. Choice-valued output fields are plain strings
with help text, so the schema names each choice set once."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import audit, policy
from accounts.policy import Action
from casework import choices as c
from casework.models import Case, PassedOnIncident, SupportReferral
from casework.services import passed_on as passed_on_services
from casework.services import referrals as referral_services
from config.input_contract import RecordDateField, RecordDateTimeField

# --- Referrals -----------------------------------------------------------------------------------


class ReferralRecordOutput(serializers.ModelSerializer):
    service = serializers.CharField(help_text="a SupportService value")
    outcome = serializers.CharField(help_text="a ReferralOutcome value: referred or declined")
    organisation = serializers.CharField(source="organisation.name", allow_null=True, default=None)
    recorded_by = serializers.CharField(source="recorded_by.username")

    class Meta:
        model = SupportReferral
        fields = [
            "id", "case_id", "victim_id", "service", "outcome", "referred_on", "note", "organisation_id",
            "organisation", "consent_to_share", "ended_on", "recorded_by", "recorded_at",
        ]  # fmt: skip


class ReferralRecordInput(serializers.Serializer):
    victim_id = serializers.IntegerField()
    service = serializers.ChoiceField(choices=c.SupportService.choices)
    outcome = serializers.ChoiceField(choices=c.ReferralOutcome.choices)
    referred_on = RecordDateField()
    note = serializers.CharField(allow_blank=True, default="", help_text="required when she declined")
    organisation_id = serializers.IntegerField(
        allow_null=True, default=None, help_text="a support organisation on this system (its advocates)"
    )
    consent_to_share = serializers.BooleanField(
        allow_null=True,
        default=None,
        help_text="she agrees to her details being shared with the organisation; required with an organisation",
    )


class ReferralEndInput(serializers.Serializer):
    ended_on = RecordDateField(help_text="the day the service stopped working with her")
    reason = serializers.CharField(max_length=referral_services.END_REASON_MAX)


class CaseReferralsApi(APIView):
    """The case's referrals to support and specialist services, newest first; recording one."""

    @extend_schema(responses=ReferralRecordOutput(many=True))
    def get(self, request, case_id: int):
        case = policy.access_case(request.user, case_id)
        referrals = list(
            case.support_referrals.select_related("organisation", "recorded_by").order_by("-referred_on", "-id")
        )
        audit.consulted_many(SupportReferral, [r.pk for r in referrals], detail=f"referrals of {case.reference}")
        return Response(ReferralRecordOutput(referrals, many=True).data)

    @extend_schema(request=ReferralRecordInput, responses={201: ReferralRecordOutput})
    def post(self, request, case_id: int):
        case = policy.access_case(request.user, case_id, Action.EDIT_CASE)
        data = ReferralRecordInput(data=request.data)
        data.is_valid(raise_exception=True)
        referral = referral_services.support_referral_record(actor=request.user, case=case, **data.validated_data)
        return Response(ReferralRecordOutput(referral).data, status=status.HTTP_201_CREATED)


class ReferralEndApi(APIView):
    """End a referral: the police who may change the case, or an advocate of the organisation she was
    referred to. The organisation's access to her ends at once."""

    @extend_schema(request=ReferralEndInput, responses=ReferralRecordOutput)
    def post(self, request, referral_id: int):
        referral = SupportReferral.objects.filter(pk=referral_id).first()
        case = Case.objects.select_related("unit__force").filter(pk=referral.case_id).first() if referral else None
        if case is None or not referral_services.may_end_referral(request.user, referral, case):
            raise Http404("No such referral.")
        data = ReferralEndInput(data=request.data)
        data.is_valid(raise_exception=True)
        referral = referral_services.support_referral_end(actor=request.user, referral=referral, **data.validated_data)
        return Response(ReferralRecordOutput(referral).data)


# --- Passed on by the advocate -------------------------------------------------------------------


class PassedOnReviewOutput(serializers.ModelSerializer):
    channel = serializers.CharField(help_text="a Channel value")
    status = serializers.CharField(help_text="a PassedOnStatus value: awaiting, accepted or declined")
    passed_on_by = serializers.CharField(source="passed_on_by.username")
    decided_by = serializers.CharField(source="decided_by.username", allow_null=True, default=None)

    class Meta:
        model = PassedOnIncident
        fields = [
            "id", "case_id", "victim_id", "occurred_at", "channel", "count", "account", "passed_on_by",
            "passed_on_at", "status", "incident_id", "decline_reason", "decided_by", "decided_at",
        ]  # fmt: skip


class PassedOnReviewAcceptInput(serializers.Serializer):
    """Adjustments to the incident as passed on; a field left out keeps what the advocate passed on (when,
    how, how many, her account as the narrative) or the incident's default."""

    occurred_at = RecordDateTimeField(required=False)
    occurred_until = RecordDateTimeField(required=False, allow_null=True)
    channel = serializers.ChoiceField(choices=c.Channel.choices, required=False)
    count = serializers.IntegerField(required=False)
    place = serializers.ChoiceField(choices=c.Place.choices, required=False, allow_blank=True)
    behaviours = serializers.ListField(child=serializers.CharField(), required=False, help_text="Behaviour values")
    threats = serializers.ListField(child=serializers.CharField(), required=False, help_text="Threat values")
    weapon = serializers.CharField(required=False, allow_blank=True)
    injury = serializers.BooleanField(required=False)
    victim_feared_violence = serializers.BooleanField(required=False)
    impacts = serializers.ListField(child=serializers.CharField(), required=False, help_text="Impact values")
    narrative = serializers.CharField(required=False, allow_blank=True)
    reported_at = RecordDateTimeField(required=False, help_text="default: when the advocate passed it on")
    report_method = serializers.ChoiceField(choices=c.ReportMethod.choices, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # NUL and length are the incident service's to refuse, in the words of every way in.
        for name in ("weapon", "narrative"):
            self.fields[name].validators = []


class PassedOnReviewDeclineInput(serializers.Serializer):
    reason = serializers.CharField(help_text="why it is not added; the advocate sees it")


class CasePassedOnApi(APIView):
    """What advocates passed on in the case: awaiting review first (oldest first), then the decided."""

    @extend_schema(responses=PassedOnReviewOutput(many=True))
    def get(self, request, case_id: int):
        case = policy.access_case(request.user, case_id)
        items = list(passed_on_services.passed_on_of(case))
        audit.consulted_many(PassedOnIncident, [i.pk for i in items], detail=f"passed on, {case.reference}")
        return Response(PassedOnReviewOutput(items, many=True).data)


class PassedOnAcceptApi(APIView):
    """Accept onto the course of conduct: the incident is recorded (on the timeline, counted) and linked.
    Once: a second decision answers 409."""

    @extend_schema(request=PassedOnReviewAcceptInput, responses=PassedOnReviewOutput)
    def post(self, request, item_id: int):
        item = passed_on_services.passed_on_access(request.user, item_id, Action.EDIT_CASE)
        data = PassedOnReviewAcceptInput(data=request.data)
        data.is_valid(raise_exception=True)
        passed_on_services.passed_on_accept(actor=request.user, item=item, **data.validated_data)
        item = PassedOnIncident.objects.select_related("passed_on_by", "decided_by").get(pk=item.pk)
        return Response(PassedOnReviewOutput(item).data)


class PassedOnDeclineApi(APIView):
    """Do not add it, with the reason the advocate sees. Once: a second decision answers 409."""

    @extend_schema(request=PassedOnReviewDeclineInput, responses=PassedOnReviewOutput)
    def post(self, request, item_id: int):
        item = passed_on_services.passed_on_access(request.user, item_id, Action.EDIT_CASE)
        data = PassedOnReviewDeclineInput(data=request.data)
        data.is_valid(raise_exception=True)
        item = passed_on_services.passed_on_decline(actor=request.user, item=item, reason=data.validated_data["reason"])
        return Response(PassedOnReviewOutput(item).data)

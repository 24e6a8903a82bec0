"""Recording API: crime records, the live advice, the audit queue and statistics."""

from datetime import timedelta

from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import audit, policy
from accounts.policy import Action
from casework.models import Case, Person
from config.errors import InvalidInput, Refusal
from recording import selectors, services
from recording.advice import Advice
from recording.choices import Classification, Offence
from recording.models import CrimeRecord, LegacyNoticeReview, LegacyNoticeType, LegacyWarningNotice, ReviewDecision


class CrimeRecordOutput(serializers.ModelSerializer):
    recorded_by = serializers.CharField(source="recorded_by.username")

    class Meta:
        model = CrimeRecord
        fields = [
            "id", "crime_number", "classification", "offence", "is_principal", "rationale", "override_reason",
            "recorded_by", "recorded_at", "version",
        ]  # fmt: skip


class CrimeRecordInput(serializers.Serializer):
    offence = serializers.ChoiceField(choices=Offence.choices)
    classification = serializers.ChoiceField(choices=Classification.choices, required=False)
    is_principal = serializers.BooleanField(default=True)
    rationale = serializers.CharField()
    override_reason = serializers.CharField(required=False, default="", allow_blank=True)


class ReclassifyInput(serializers.Serializer):
    version = serializers.IntegerField()
    offence = serializers.ChoiceField(choices=Offence.choices)
    classification = serializers.ChoiceField(choices=Classification.choices, required=False)
    reason = serializers.CharField()
    override_reason = serializers.CharField(required=False, default="", allow_blank=True)


class CaseCrimeRecordsApi(APIView):
    """A counting-rule conflict answers 400 with `warnings`; resubmit with `override_reason` to keep it."""

    @extend_schema(responses=CrimeRecordOutput(many=True))
    def get(self, request, case_id: int):
        case = policy.access_case(request.user, case_id)
        records = list(case.crime_records.select_related("recorded_by").order_by("-is_principal", "recorded_at"))
        audit.consulted_many(CrimeRecord, [r.pk for r in records], detail=f"crime records of {case.reference}")
        return Response(CrimeRecordOutput(records, many=True).data)

    @extend_schema(request=CrimeRecordInput, responses={201: CrimeRecordOutput})
    def post(self, request, case_id: int):
        case = policy.access_case(request.user, case_id)
        data = CrimeRecordInput(data=request.data)
        data.is_valid(raise_exception=True)
        record = services.crime_record_create(actor=request.user, case=case, **data.validated_data)
        return Response(CrimeRecordOutput(record).data, status=status.HTTP_201_CREATED)


class CrimeRecordReclassifyApi(APIView):
    @extend_schema(request=ReclassifyInput, responses={200: CrimeRecordOutput, 409: None})
    def post(self, request, case_id: int, record_id: int):
        case = policy.access_case(request.user, case_id)
        record = case.crime_records.filter(pk=record_id).select_related("case").first()
        if record is None:
            raise Http404("No such crime record.")
        data = ReclassifyInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        record = services.crime_record_reclassify(
            actor=request.user, record=record, expected_version=fields.pop("version"), **fields
        )
        return Response(CrimeRecordOutput(record).data)


def advice_as_data(advice: Advice) -> dict:
    def reasons(items):
        return [{"text": r.text, "incident_ids": list(r.incident_ids)} for r in items]

    return {
        "course_of_conduct": advice.course_of_conduct,
        "occasions": advice.occasions,
        "contacts": advice.contacts,
        "span_days": advice.span_days,
        "four": [{"marker": m.name, "present": m.present, "reasons": reasons(m.reasons)} for m in advice.four],
        "behaviours": {name: list(ids) for name, ids in advice.behaviours.items()},
        "s4": {"present": advice.s4.present, "reasons": reasons(advice.s4.reasons)},
        "s4a": {"present": advice.s4a.present, "reasons": reasons(advice.s4a.reasons)},
        "suggestions": [
            {
                "classification": s.classification,
                "offence": s.offence,
                "headline": s.headline,
                "reasons": reasons(s.reasons),
            }
            for s in advice.suggestions
        ],
    }


class RecordingAdviceApi(APIView):
    """The live stalking identification aid for the case, every reason citing incidents."""

    @extend_schema(responses=dict)
    def get(self, request, case_id: int):
        case = policy.access_case(request.user, case_id)
        audit.consulted(case, detail="recording advice")
        return Response(advice_as_data(selectors.case_advice(case)))


class QueueEntryOutput(serializers.Serializer):
    case_id = serializers.IntegerField(source="case.pk")
    case_reference = serializers.CharField(source="case.reference")
    crime_number = serializers.CharField(source="record.crime_number")
    classification = serializers.CharField(source="record.classification")
    strength = serializers.IntegerField()
    suggestion = serializers.SerializerMethodField()

    def get_suggestion(self, entry) -> str:
        return entry.advice.suggestions[0].headline if entry.advice.suggestions else ""


class AuditQueueApi(APIView):
    @extend_schema(responses=QueueEntryOutput(many=True))
    def get(self, request):
        if not policy.role_may(request.user, Action.RECORD_CRIME):
            raise Http404
        entries = selectors.audit_queue(request.user)
        audit.consulted_many(Case, [e.case.pk for e in entries], detail="recording audit queue")
        return Response(QueueEntryOutput(entries, many=True).data)


class DecisionInput(serializers.Serializer):
    decision = serializers.ChoiceField(choices=ReviewDecision.choices)
    reason = serializers.CharField()
    offence = serializers.ChoiceField(choices=Offence.choices, required=False, default="")


class AuditQueueDecisionApi(APIView):
    @extend_schema(request=DecisionInput, responses={201: None})
    def post(self, request, case_id: int):
        case = policy.access_case(request.user, case_id, Action.RECORD_CRIME)
        data = DecisionInput(data=request.data)
        data.is_valid(raise_exception=True)
        review = services.recording_review_decide(actor=request.user, case=case, **data.validated_data)
        return Response({"decision": review.decision, "decided_at": review.decided_at}, status=status.HTTP_201_CREATED)


class StatisticsQuery(serializers.Serializer):
    months = serializers.IntegerField(min_value=1, max_value=60, default=12)
    unit = serializers.CharField(required=False, default="", help_text="a unit code; all units you can see if empty")


class StatisticsApi(APIView):
    @extend_schema(parameters=[StatisticsQuery], responses=dict)
    def get(self, request):
        if not policy.role_may(request.user, Action.RECORD_CRIME):
            raise Http404
        query = StatisticsQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        since = (timezone.localdate() - timedelta(days=31 * query.validated_data["months"])).replace(day=1)
        rows = selectors.recording_statistics(request.user, since=since, unit=query.validated_data["unit"])
        unit = query.validated_data["unit"]
        outcomes = {m.month: m.counts for m in selectors.outcome_statistics(request.user, since=since, unit=unit)}
        return Response(
            [
                {"month": r.month, "harassment": r.harassment, "stalking": r.stalking, "ratio": r.ratio,
                 "reclassified": r.reclassified, "reviewed": r.reviewed, "outcomes": outcomes.get(r.month, {})}
                for r in rows
            ]
        )  # fmt: skip


class RecordSearchQuery(serializers.Serializer):
    classification = serializers.ChoiceField(choices=Classification.choices, required=False)
    offence = serializers.ChoiceField(choices=Offence.choices, required=False)
    principal = serializers.ChoiceField(choices=["any", "principal", "secondary"], default="any")


class RecordSearchOutput(CrimeRecordOutput):
    case_id = serializers.IntegerField()
    case_reference = serializers.CharField(source="case.reference")

    class Meta(CrimeRecordOutput.Meta):
        fields = ["case_id", "case_reference", *CrimeRecordOutput.Meta.fields]


class CrimeRecordSearchApi(APIView):
    """Crime records across the cases the user may see, secondary ones included: stalking that is not
    the principal crime can still be found and counted."""

    pagination_class = PageNumberPagination

    @extend_schema(parameters=[RecordSearchQuery], responses=RecordSearchOutput(many=True))
    def get(self, request):
        query = RecordSearchQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        records = CrimeRecord.objects.filter(
            case__in=Case.objects.filter(policy.cases_where(request.user, Action.VIEW_CASE))
        )
        if params.get("classification"):
            records = records.filter(classification=params["classification"])
        if params.get("offence"):
            records = records.filter(offence=params["offence"])
        if params["principal"] != "any":
            records = records.filter(is_principal=params["principal"] == "principal")
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(
            records.select_related("case", "recorded_by").order_by("-recorded_at", "-id"), request, view=self
        )
        audit.consulted_many(CrimeRecord, [r.pk for r in page], detail="crime record search")
        return paginator.get_paginated_response(RecordSearchOutput(page, many=True).data)


class LegacyNoticeInput(serializers.Serializer):
    recipient_id = serializers.IntegerField()
    notice_type = serializers.ChoiceField(choices=LegacyNoticeType.choices)
    issued_on = serializers.DateField()
    issuing_force = serializers.CharField(max_length=120)
    note = serializers.CharField(required=False, default="", allow_blank=True)
    late_reason = serializers.CharField(
        required=False, default="", allow_blank=True, help_text="needed when dated on or after the cut-off"
    )


class LegacyNoticeOutput(serializers.ModelSerializer):
    class Meta:
        model = LegacyWarningNotice
        fields = [
            "id", "case_id", "recipient_id", "notice_type", "issued_on", "issuing_force", "note", "recorded_at",
            "late_reason", "review", "review_note", "reviewed_at",
        ]  # fmt: skip


class LegacyNoticesApi(APIView):
    """Warnings (PINs) issued before this system, recorded as history. Nothing here issues one."""

    @extend_schema(responses=LegacyNoticeOutput(many=True))
    def get(self, request, case_id: int):
        case = policy.access_case(request.user, case_id)
        notices = list(case.legacy_notices.order_by("issued_on", "id"))
        audit.consulted_many(LegacyWarningNotice, [n.pk for n in notices], detail=f"notices in {case.reference}")
        return Response(LegacyNoticeOutput(notices, many=True).data)

    @extend_schema(request=LegacyNoticeInput, responses={201: LegacyNoticeOutput})
    def post(self, request, case_id: int):
        case = policy.access_case(request.user, case_id, Action.EDIT_CASE)
        data = LegacyNoticeInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        recipient = Person.objects.filter(pk=fields.pop("recipient_id")).first()
        if recipient is None:  # refused as someone outside the case is: the answer tells no one who exists
            raise InvalidInput({"recipient_id": services.RECIPIENT_NOT_A_SUSPECT})
        try:
            notice = services.legacy_notice_record(actor=request.user, case=case, recipient=recipient, **fields)
        except Refusal as exc:
            exc.errors = {"recipient_id" if k == "recipient" else k: v for k, v in exc.errors.items()}
            raise
        return Response(LegacyNoticeOutput(notice).data, status=status.HTTP_201_CREATED)


class LegacyNoticeReviewInput(serializers.Serializer):
    accepted = serializers.BooleanField(help_text="true: accepted as history; false: rejected")
    note = serializers.CharField(allow_blank=True, default="")


class LegacyNoticeReviewQueueApi(APIView):
    """A registrar's queue: notices dated on or after the cut-off, awaiting review, in their force."""

    @extend_schema(responses=LegacyNoticeOutput(many=True))
    def get(self, request):
        if not policy.role_may(request.user, Action.REVIEW_LEGACY_NOTICES):
            raise Http404("No such page.")
        cases = Case.objects.filter(policy.cases_where(request.user, Action.REVIEW_LEGACY_NOTICES))
        notices = list(
            LegacyWarningNotice.objects.filter(case__in=cases, review=LegacyNoticeReview.AWAITING).order_by(
                "recorded_at", "id"
            )
        )
        audit.consulted_many(LegacyWarningNotice, [n.pk for n in notices], detail="legacy notices awaiting review")
        return Response(LegacyNoticeOutput(notices, many=True).data)


class LegacyNoticeReviewApi(APIView):
    @extend_schema(request=LegacyNoticeReviewInput, responses=LegacyNoticeOutput)
    def post(self, request, notice_id: int):
        notice = LegacyWarningNotice.objects.filter(pk=notice_id).select_related("case").first()
        if notice is None:
            raise Http404("No such notice.")
        policy.access_case(request.user, notice.case_id, Action.REVIEW_LEGACY_NOTICES)
        data = LegacyNoticeReviewInput(data=request.data)
        data.is_valid(raise_exception=True)
        notice = services.legacy_notice_review(actor=request.user, notice=notice, **data.validated_data)
        return Response(LegacyNoticeOutput(notice).data)

"""Recording API: crime records, the live advice, the audit queue and statistics."""

from datetime import timedelta

from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import audit, policy
from accounts.policy import Action
from casework.models import Case
from recording import selectors, services
from recording.advice import Advice
from recording.choices import Classification, Offence
from recording.models import CrimeRecord, ReviewDecision


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


class StatisticsApi(APIView):
    @extend_schema(parameters=[StatisticsQuery], responses=dict)
    def get(self, request):
        if not policy.role_may(request.user, Action.RECORD_CRIME):
            raise Http404
        query = StatisticsQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        since = (timezone.localdate() - timedelta(days=31 * query.validated_data["months"])).replace(day=1)
        rows = selectors.recording_statistics(request.user, since=since)
        return Response(
            [
                {"month": r.month, "harassment": r.harassment, "stalking": r.stalking, "ratio": r.ratio,
                 "reclassified": r.reclassified, "reviewed": r.reviewed}
                for r in rows
            ]
        )  # fmt: skip

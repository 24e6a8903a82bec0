"""REST API for the officer's side of the handover: the preparation of the file, the protocol checklist,
and the case's charging requests (listing them, and sending one).

Thin, as orders/api.py: input serializers check shape, protocol/services/preparation.py enforces the
rules. Every endpoint is reached through its case (`policy.access_case`: 404 alike for missing and not
yours; a case page, so VIEW_CASE: a CPS lawyer never reaches these); every read is audited."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import audit, policy
from accounts.models import User
from accounts.policy import Action
from config.errors import InvalidInput
from protocol import checklist as cl
from protocol import choices as c
from protocol.models import Handover, HandoverPreparation
from protocol.selectors import case_handovers, cps_lawyers, handover_facts, preparation_of
from protocol.services.preparation import PREPARATION_FIELDS, handover_send, preparation_save


class PreparationOutput(serializers.ModelSerializer):
    updated_by = serializers.CharField(source="updated_by.username")

    class Meta:
        model = HandoverPreparation
        fields = ["case_id", *PREPARATION_FIELDS, "version", "updated_by", "updated_at"]


class PreparationInput(serializers.Serializer):
    """The whole preparation: a field left out is saved blank."""

    version = serializers.IntegerField(min_value=0, help_text="the version you edited; 0 when none was saved yet")
    offences = serializers.ListField(
        child=serializers.CharField(), default=list, help_text="protocol.choices.Offence values proposed"
    )
    headline = serializers.CharField(allow_blank=True, default="", trim_whitespace=False)
    key_witnesses = serializers.CharField(allow_blank=True, default="", trim_whitespace=False)
    interview_summary = serializers.CharField(allow_blank=True, default="", trim_whitespace=False)
    anticipated_plea = serializers.ChoiceField(choices=c.AnticipatedPlea.choices, allow_blank=True, default="")
    compensation = serializers.CharField(allow_blank=True, default="", trim_whitespace=False)
    vps = serializers.ChoiceField(choices=c.VpsStatus.choices, allow_blank=True, default="")
    vps_on = serializers.DateField(allow_null=True, default=None)
    vps_summary = serializers.CharField(allow_blank=True, default="", trim_whitespace=False)
    special_measures = serializers.ChoiceField(choices=c.SpecialMeasures.choices, allow_blank=True, default="")
    special_measures_detail = serializers.CharField(allow_blank=True, default="", trim_whitespace=False)
    special_measures_on = serializers.DateField(allow_null=True, default=None)
    witness_issues = serializers.CharField(allow_blank=True, default="", trim_whitespace=False)
    suspect_risk = serializers.CharField(allow_blank=True, default="", trim_whitespace=False)
    confidential_notes = serializers.CharField(allow_blank=True, default="", trim_whitespace=False)
    spo_not_sought_reason = serializers.CharField(allow_blank=True, default="", trim_whitespace=False)


def _preparation_body(case, prep: HandoverPreparation | None) -> dict:
    if prep is None:
        empty = {
            name: [] if name == "offences" else None if name in ("vps_on", "special_measures_on") else ""
            for name in PREPARATION_FIELDS
        }
        return {"case_id": case.pk, **empty, "version": 0, "updated_by": None, "updated_at": None}
    return PreparationOutput(prep).data


class PreparationApi(APIView):
    """The officer's preparation of the file (MG5, the victim, MG6). Version 0 means none is saved yet."""

    @extend_schema(responses=PreparationOutput)
    def get(self, request, case_id: int):
        case = policy.access_case(request.user, case_id, Action.VIEW_CASE)
        prep = preparation_of(case)
        audit.consulted(prep or case, detail=f"handover preparation of {case.reference}")
        return Response(_preparation_body(case, prep))

    @extend_schema(request=PreparationInput, responses={200: PreparationOutput, 409: None})
    def put(self, request, case_id: int):
        case = policy.access_case(request.user, case_id, Action.EDIT_CASE)
        data = PreparationInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        version = fields.pop("version")
        prep = preparation_save(actor=request.user, case=case, expected_version=version, **fields)
        return Response(PreparationOutput(prep).data)


class ChecklistItemOutput(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    protocol_ref = serializers.CharField()
    status = serializers.CharField(help_text="met, missing or not_applicable")
    detail = serializers.CharField()
    blocks_handover = serializers.BooleanField()
    fix_url_name = serializers.CharField()


class ChecklistOutput(serializers.Serializer):
    ready = serializers.BooleanField(help_text="no item missing")
    missing = serializers.IntegerField()
    blocking = serializers.IntegerField(help_text="missing items that only a supervisor may send without")
    items = ChecklistItemOutput(many=True)


class ChecklistApi(APIView):
    """The national stalking protocol checklist of the case: each item met, missing or not applicable."""

    @extend_schema(responses=ChecklistOutput)
    def get(self, request, case_id: int):
        case = policy.access_case(request.user, case_id, Action.VIEW_CASE)
        items = cl.evaluate(handover_facts(case))
        audit.consulted(case, detail="protocol checklist")
        missing = cl.missing_items(items)
        body = {
            "ready": not missing,
            "missing": len(missing),
            "blocking": len(cl.blocking_items(items)),
            "items": items,
        }
        return Response(ChecklistOutput(body).data)


class PackOutput(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    title = serializers.CharField()


class HandoverOutput(serializers.ModelSerializer):
    lawyer = serializers.CharField(source="lawyer.username")
    sent_by = serializers.CharField(source="sent_by.username")
    pack = PackOutput(allow_null=True)
    status = serializers.CharField(help_text="protocol.choices.HandoverStatus")
    decision = serializers.CharField(help_text="protocol.choices.Decision; blank until decided")
    code_test = serializers.CharField(help_text="protocol.choices.CodeTest; blank until decided")
    priority = serializers.CharField(help_text="protocol.choices.Priority")

    class Meta:
        model = Handover
        fields = [
            "id", "case_id", "lawyer_id", "lawyer", "priority", "note", "status", "sent_by", "sent_at", "pack",
            "missing_at_send", "override_reason", "decision", "code_test", "offences_charged",
            "decision_rationale", "decided_at", "version",
        ]  # fmt: skip


class LawyerOutput(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()
    cps_area = serializers.CharField(source="cps_area.code", help_text="the code of the lawyer's CPS area")
    cps_area_name = serializers.CharField(source="cps_area.name")

    class Meta:
        model = User
        fields = ["id", "name", "username", "cps_area", "cps_area_name"]

    def get_name(self, lawyer: User) -> str:
        return lawyer.get_full_name() or lawyer.username


class LawyerFilter(serializers.Serializer):
    cps_area = serializers.SlugField(required=False, default="", help_text="a CPS area's code: its lawyers only")


class CaseLawyersApi(APIView):
    """The CPS lawyers this case's charging request may be sent to (their `id` is the `lawyer_id` to send),
    for those who may send one (GRANT_ACCESS on the case: 404 to others, as the case itself)."""

    pagination_class = None

    @extend_schema(parameters=[LawyerFilter], responses=LawyerOutput(many=True))
    def get(self, request, case_id: int):
        case = policy.access_case(request.user, case_id, Action.GRANT_ACCESS)
        query = LawyerFilter(data=request.query_params)
        query.is_valid(raise_exception=True)
        lawyers = list(cps_lawyers(query.validated_data["cps_area"]))
        audit.consulted_many(User, [lawyer.pk for lawyer in lawyers], detail=f"CPS lawyers for {case.reference}")
        return Response(LawyerOutput(lawyers, many=True).data)


class HandoverSendInput(serializers.Serializer):
    lawyer_id = serializers.IntegerField(help_text="one of the case's handover/lawyers/")
    priority = serializers.ChoiceField(choices=c.Priority.choices)
    note = serializers.CharField(allow_blank=True, default="", trim_whitespace=False)
    override_reason = serializers.CharField(
        allow_blank=True, default="", help_text="supervisors only, when blocking checklist items are missing"
    )


class CaseHandoversApi(APIView):
    """The case's charging requests, newest first; POST sends a new one to a CPS lawyer."""

    @extend_schema(responses=HandoverOutput(many=True))
    def get(self, request, case_id: int):
        case = policy.access_case(request.user, case_id, Action.VIEW_CASE)
        handovers = case_handovers(case)
        audit.consulted_many(Handover, [h.pk for h in handovers], detail=f"charging requests of {case.reference}")
        return Response(HandoverOutput(handovers, many=True).data)

    @extend_schema(request=HandoverSendInput, responses={201: HandoverOutput})
    def post(self, request, case_id: int):
        case = policy.access_case(request.user, case_id, Action.EDIT_CASE)
        data = HandoverSendInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        lawyer = User.objects.filter(pk=fields.pop("lawyer_id")).first()
        if lawyer is None:
            raise InvalidInput({"lawyer_id": "Choose a CPS lawyer"})
        try:
            handover = handover_send(actor=request.user, case=case, lawyer=lawyer, **fields)
        except InvalidInput as exc:
            if "lawyer" in exc.errors:
                exc.errors["lawyer_id"] = exc.errors.pop("lawyer")
            raise
        return Response(HandoverOutput(handover).data, status=status.HTTP_201_CREATED)

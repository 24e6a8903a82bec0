"""REST API for the prosecutor's side of a handover: the user's charging requests (a lawyer's queue, or
those the police may see), one request with its action plan and plea decisions, raising and answering
actions, the charging decision, and a decision on a plea.

Thin, as orders/api.py: input serializers check shape, protocol/services/cps.py enforces the rules and
decides who may see what (404 alike for missing and not yours); every read is audited. Serializer names
carry a "Cps" prefix so the schema's components never clash with the preparation API's."""

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import audit
from casework.redaction import reader_redactors, redact_data
from protocol import choices as c
from protocol import selectors
from protocol.models import ActionItem, Handover, PleaDecision
from protocol.services import cps


class ReaderRedacted(serializers.ModelSerializer):
    """Every text of the answer withheld of the case's victims' addresses and sealed details unless the
    reader may see them (casework.redaction.reader_redactors): the lawyer reads what the pack prints.
    Views pass `redactors` (case id → redactor) in the context."""

    def to_representation(self, instance):
        return redact_data(super().to_representation(instance), self.context["redactors"][instance.case_id])


def _redactors(request, *records) -> dict:
    return {"redactors": reader_redactors(request.user, {r.case.pk: r.case for r in records}.values())}


class CpsActionItemOutput(ReaderRedacted):
    class Meta:
        model = ActionItem
        fields = [
            "id", "handover_id", "request", "due_on", "raised_by_id", "raised_at", "answer", "answered_by_id",
            "answered_at",
        ]  # fmt: skip


class CpsPleaDecisionOutput(ReaderRedacted):
    offence_charged = serializers.CharField(read_only=True, help_text="an Offence value: the offence charged")
    offence_pleaded = serializers.CharField(read_only=True, help_text="an Offence value: the plea offered to")

    class Meta:
        model = PleaDecision
        fields = [
            "id", "handover_id", "case_id", "offence_charged", "offence_pleaded", "accepted", "rationale",
            "approved_by", "victim_consulted_on", "victim_view", "police_consulted_on", "police_view",
            "decided_by_id", "decided_at",
        ]  # fmt: skip


class CpsHandoverOutput(ReaderRedacted):
    """A charging request with its action plan. `decision` and `offences_charged` are plain strings here
    (the values of the decision input) so the schema names each choice set once."""

    case_reference = serializers.CharField(source="case.reference", read_only=True)
    decision = serializers.CharField(read_only=True, help_text="a Decision value, or blank while awaiting")
    offences_charged = serializers.ListField(child=serializers.CharField(), read_only=True)
    open_actions = serializers.SerializerMethodField(help_text="actions of the plan not yet answered")
    action_items = serializers.SerializerMethodField(help_text="the prosecutor's action plan, in the order raised")
    plea_decisions = serializers.SerializerMethodField(help_text="decisions on pleas to lesser offences, in order")

    class Meta:
        model = Handover
        fields = [
            "id", "case_id", "case_reference", "lawyer_id", "priority", "note", "status", "sent_by_id", "sent_at",
            "pack_id", "missing_at_send", "override_reason", "decision", "code_test", "offences_charged",
            "decision_rationale", "decided_by_id", "decided_at", "version", "open_actions", "action_items",
            "plea_decisions",
        ]  # fmt: skip

    def _items(self, handover) -> list[ActionItem]:
        return sorted(handover.action_items.all(), key=lambda item: (item.raised_at, item.pk))

    def get_open_actions(self, handover) -> int:
        return sum(1 for item in self._items(handover) if item.answered_at is None)

    @extend_schema_field(CpsActionItemOutput(many=True))
    def get_action_items(self, handover) -> list[dict]:
        return CpsActionItemOutput(self._items(handover), many=True, context=self.context).data

    @extend_schema_field(CpsPleaDecisionOutput(many=True))
    def get_plea_decisions(self, handover) -> list[dict]:
        pleas = sorted(handover.plea_decisions.all(), key=lambda plea: (plea.decided_at, plea.pk))
        return CpsPleaDecisionOutput(pleas, many=True, context=self.context).data


class CpsActionRaiseInput(serializers.Serializer):
    request = serializers.CharField(help_text="what the police must do or supply")
    due_on = serializers.DateField(help_text="the date it is due")


class CpsActionAnswerInput(serializers.Serializer):
    answer = serializers.CharField(help_text="what was done or supplied")


class CpsDecisionInput(serializers.Serializer):
    decision = serializers.ChoiceField(choices=c.Decision.choices)
    code_test = serializers.ChoiceField(
        choices=c.CodeTest.choices, default="", allow_blank=True, help_text="required for a charge"
    )
    offences_charged = serializers.ListField(
        child=serializers.CharField(),
        default=list,
        help_text="Offence values (as the preparation's offences); required for a charge",
    )
    rationale = serializers.CharField()


class CpsPleaInput(serializers.Serializer):
    offence_charged = serializers.CharField(help_text="an Offence value: one of the offences charged")
    offence_pleaded = serializers.CharField(help_text="an Offence value: the lesser offence the plea is offered to")
    accepted = serializers.BooleanField(help_text="whether the prosecutor accepts the plea")
    rationale = serializers.CharField(help_text="the justification for the decision")
    approved_by = serializers.CharField(
        default="", allow_blank=True, max_length=200,
        help_text="the senior prosecutor who approved; required to accept harassment on a stalking charge",
    )  # fmt: skip
    victim_consulted_on = serializers.DateField(
        default=None, allow_null=True, help_text="required to accept harassment on a stalking charge"
    )
    victim_view = serializers.CharField(
        default="", allow_blank=True, help_text="required to accept harassment on a stalking charge"
    )
    police_consulted_on = serializers.DateField(
        default=None, allow_null=True, help_text="required to accept harassment on a stalking charge"
    )
    police_view = serializers.CharField(
        default="", allow_blank=True, help_text="required to accept harassment on a stalking charge"
    )


class HandoverListApi(APIView):
    """The user's charging requests: a lawyer's queue, or the police's visible ones; awaiting a decision
    first, red first, oldest first."""

    pagination_class = PageNumberPagination

    @extend_schema(responses=CpsHandoverOutput(many=True))
    def get(self, request):
        paginator = self.pagination_class()
        handovers = selectors.handover_queue(request.user).prefetch_related("action_items", "plea_decisions")
        page = paginator.paginate_queryset(handovers, request, view=self)
        audit.consulted_many(Handover, [h.pk for h in page], detail="charging requests")
        output = CpsHandoverOutput(page, many=True, context=_redactors(request, *page))
        return paginator.get_paginated_response(output.data)


class HandoverDetailApi(APIView):
    @extend_schema(responses=CpsHandoverOutput)
    def get(self, request, handover_id: int):
        handover = selectors.handover_access(request.user, handover_id)
        audit.consulted(handover, detail=f"charging request {handover.pk} of {handover.case.reference}")
        return Response(CpsHandoverOutput(handover, context=_redactors(request, handover)).data)


class HandoverActionsApi(APIView):
    """The prosecutor raises an action of the plan (only the lawyer the request was sent to)."""

    @extend_schema(request=CpsActionRaiseInput, responses={201: CpsActionItemOutput})
    def post(self, request, handover_id: int):
        handover = selectors.handover_access(request.user, handover_id)
        data = CpsActionRaiseInput(data=request.data)
        data.is_valid(raise_exception=True)
        item = cps.action_raise(actor=request.user, handover=handover, **data.validated_data)
        return Response(
            CpsActionItemOutput(item, context=_redactors(request, item)).data, status=status.HTTP_201_CREATED
        )


class CpsActionAnswerApi(APIView):
    """The police answer an action (only those who may change the case; once)."""

    @extend_schema(request=CpsActionAnswerInput, responses=CpsActionItemOutput)
    def post(self, request, action_id: int):
        item = selectors.action_access(request.user, action_id)
        data = CpsActionAnswerInput(data=request.data)
        data.is_valid(raise_exception=True)
        item = cps.action_answer(actor=request.user, item=item, answer=data.validated_data["answer"])
        return Response(CpsActionItemOutput(item, context=_redactors(request, item)).data)


class HandoverDecisionApi(APIView):
    """The prosecutor's charging decision, once (a second answers 409)."""

    @extend_schema(request=CpsDecisionInput, responses=CpsHandoverOutput)
    def post(self, request, handover_id: int):
        handover = selectors.handover_access(request.user, handover_id)
        data = CpsDecisionInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        handover = cps.handover_decide(
            actor=request.user,
            handover=handover,
            decision=fields["decision"],
            code_test=fields["code_test"],
            offences_charged=fields["offences_charged"],
            rationale=fields["rationale"],
        )
        return Response(CpsHandoverOutput(handover, context=_redactors(request, handover)).data)


class HandoverPleasApi(APIView):
    """The prosecutor's decision on a plea to a lesser offence, after a charge (only the lawyer the request
    was sent to). Accepting harassment on a stalking charge needs the approval and the consultations."""

    @extend_schema(request=CpsPleaInput, responses={201: CpsPleaDecisionOutput})
    def post(self, request, handover_id: int):
        handover = selectors.handover_access(request.user, handover_id)
        data = CpsPleaInput(data=request.data)
        data.is_valid(raise_exception=True)
        plea = cps.plea_decide(actor=request.user, handover=handover, **data.validated_data)
        return Response(
            CpsPleaDecisionOutput(plea, context=_redactors(request, plea)).data, status=status.HTTP_201_CREATED
        )

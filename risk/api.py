"""Risk API: form versions, assessments (draft → answers → complete → sign off), the plan, escalation."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import audit, policy
from accounts.policy import Action
from casework.models import Person
from config.errors import InvalidInput, Refusal
from risk import selectors, services
from risk.choices import Grade
from risk.models import RiskAssessment, RiskForm, RiskPlanAction


class RiskFormOutput(serializers.ModelSerializer):
    class Meta:
        model = RiskForm
        fields = ["id", "key", "version", "kind", "title", "definition", "loaded_at"]


class RiskFormsApi(APIView):
    @extend_schema(responses=RiskFormOutput(many=True))
    def get(self, request):
        if not policy.role_may(request.user, Action.VIEW_CASE):
            raise Http404
        return Response(RiskFormOutput(RiskForm.objects.order_by("kind", "loaded_at"), many=True).data)


class PlanActionOutput(serializers.ModelSerializer):
    class Meta:
        model = RiskPlanAction
        fields = ["id", "risk", "action", "owner", "due_on", "status"]


class AssessmentOutput(serializers.ModelSerializer):
    forms = serializers.SlugRelatedField(slug_field="key", many=True, read_only=True)
    plan = PlanActionOutput(source="plan_actions", many=True, read_only=True)

    class Meta:
        model = RiskAssessment
        fields = [
            "id", "victim_id", "status", "forms", "answers", "yes_count", "actuarial_grade", "judgement_grade",
            "judgement_rationale", "grade", "police_callouts_12m", "marac_criteria", "marac_referral_required",
            "children_at_risk", "safety_advice", "contact_arrangement", "assessor_id", "started_at", "completed_at",
            "signed_off_by_id", "signed_off_at", "next_review_due", "escalation_level", "plan", "version",
        ]  # fmt: skip


class AssessmentStartInput(serializers.Serializer):
    victim_id = serializers.IntegerField()
    kinds = serializers.ListField(child=serializers.CharField(), help_text="e.g. dash, stalking_supplementary")


class AnswerInput(serializers.Serializer):
    answer = serializers.ChoiceField(choices=["yes", "no", "not_known", "declined", ""])
    details = serializers.CharField(required=False, default="", allow_blank=True)


class AssessmentActionInput(serializers.Serializer):
    action = serializers.ChoiceField(choices=["answer", "complete", "sign_off"])
    version = serializers.IntegerField(required=False)
    answers = serializers.DictField(child=AnswerInput(), required=False, default=dict)
    children_at_risk = serializers.CharField(required=False, allow_blank=True, allow_null=True, default=None)
    judgement_grade = serializers.ChoiceField(choices=[("", "none"), *Grade.choices], required=False, default="")
    judgement_rationale = serializers.CharField(required=False, default="", allow_blank=True)
    police_callouts_12m = serializers.IntegerField(min_value=0, max_value=999, required=False, default=0)  # as the form
    previous_marac_within_12m = serializers.BooleanField(required=False, default=False)
    safety_advice = serializers.CharField(required=False, default="", allow_blank=True)
    contact_arrangement = serializers.CharField(required=False, default="", allow_blank=True)
    next_review_due = serializers.DateField(required=False, allow_null=True, default=None)


class CaseAssessmentsApi(APIView):
    @extend_schema(responses=AssessmentOutput(many=True))
    def get(self, request, case_id: int):
        case = policy.access_case(request.user, case_id)
        assessments = list(case.risk_assessments.prefetch_related("forms", "plan_actions").order_by("-started_at"))
        audit.consulted_many(RiskAssessment, [a.pk for a in assessments], detail=f"risk of {case.reference}")
        return Response(AssessmentOutput(assessments, many=True).data)

    @extend_schema(request=AssessmentStartInput, responses={201: AssessmentOutput})
    def post(self, request, case_id: int):
        case = policy.access_case(request.user, case_id, Action.EDIT_CASE)
        data = AssessmentStartInput(data=request.data)
        data.is_valid(raise_exception=True)
        victim = Person.objects.filter(pk=data.validated_data["victim_id"]).first()
        if victim is None:  # refused as someone outside the case is: the answer tells no one who exists
            raise InvalidInput({"victim_id": services.NOT_A_VICTIM})
        try:
            assessment = services.risk_assessment_start(
                actor=request.user, case=case, victim=victim, kinds=data.validated_data["kinds"]
            )
        except Refusal as exc:
            exc.errors = {"victim_id" if k == "victim" else k: v for k, v in exc.errors.items()}
            raise
        return Response(AssessmentOutput(assessment).data, status=status.HTTP_201_CREATED)


class AssessmentActionApi(APIView):
    """`answer` saves answers as you go; `complete` applies the hard rules; `sign_off` is for supervisors."""

    @extend_schema(request=AssessmentActionInput, responses=AssessmentOutput)
    def post(self, request, case_id: int, assessment_id: int):
        case = policy.access_case(request.user, case_id)
        assessment = case.risk_assessments.filter(pk=assessment_id).select_related("case").first()
        if assessment is None:
            raise Http404("No such assessment.")
        data = AssessmentActionInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        if fields["action"] == "sign_off":
            assessment = services.risk_assessment_sign_off(actor=request.user, assessment=assessment)
        elif "version" not in fields:
            raise serializers.ValidationError({"version": ["Give the version you are changing"]})
        elif fields["action"] == "answer":
            assessment = services.risk_assessment_answer(
                actor=request.user,
                assessment=assessment,
                expected_version=fields["version"],
                answers=fields["answers"],
                children_at_risk=fields["children_at_risk"],
            )
        else:
            assessment = services.risk_assessment_complete(
                actor=request.user,
                assessment=assessment,
                expected_version=fields["version"],
                judgement_grade=fields["judgement_grade"],
                judgement_rationale=fields["judgement_rationale"],
                police_callouts_12m=fields["police_callouts_12m"],
                previous_marac_within_12m=fields["previous_marac_within_12m"],
                safety_advice=fields["safety_advice"],
                contact_arrangement=fields["contact_arrangement"],
                next_review_due=fields["next_review_due"],
            )
        return Response(AssessmentOutput(assessment).data)


class PlanActionInput(serializers.Serializer):
    assessment_id = serializers.IntegerField()
    risk = serializers.CharField(max_length=300)
    action = serializers.CharField()
    owner = serializers.CharField(max_length=200)
    due_on = serializers.DateField()


class CaseRiskPlanApi(APIView):
    @extend_schema(responses=PlanActionOutput(many=True))
    def get(self, request, case_id: int):
        case = policy.access_case(request.user, case_id)
        actions = list(RiskPlanAction.objects.filter(assessment__case=case).order_by("due_on", "id"))
        audit.consulted_many(RiskPlanAction, [a.pk for a in actions], detail=f"risk plan of {case.reference}")
        return Response(PlanActionOutput(actions, many=True).data)

    @extend_schema(request=PlanActionInput, responses={201: PlanActionOutput})
    def post(self, request, case_id: int):
        case = policy.access_case(request.user, case_id, Action.EDIT_CASE)
        data = PlanActionInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        assessment = case.risk_assessments.filter(pk=fields.pop("assessment_id")).first()
        if assessment is None:
            raise serializers.ValidationError({"assessment_id": ["No such assessment in this case"]})
        action = services.risk_plan_action_add(actor=request.user, assessment=assessment, **fields)
        return Response(PlanActionOutput(action).data, status=status.HTTP_201_CREATED)


class CaseEscalationApi(APIView):
    @extend_schema(responses=dict)
    def get(self, request, case_id: int):
        case = policy.access_case(request.user, case_id)
        history = list(case.escalation_snapshots.order_by("-computed_at", "-id")[:50])
        audit.consulted(case, detail="escalation")
        current = history[0] if history else None
        return Response(
            {
                "level": current.level if current else "none",
                "score": current.score if current else 0,
                "reasons": current.reasons if current else [],
                "signals": current.signals if current else [],
                "rules_version": current.rules_version if current else "",
                "meaning": selectors.level_meaning(current),
                "history": [
                    {"level": s.level, "score": s.score, "computed_at": s.computed_at, "fell_from": s.fell_from}
                    for s in history
                ],
                "trajectory": [
                    {"completed_at": a.completed_at, "grade": a.grade, "yes_count": a.yes_count}
                    for a in selectors.risk_trajectory(case)
                ],
            }
        )

"""REST API for the course of conduct. Thin: parse with an input serializer, call one service or
selector, answer with an output serializer. Every case is reached through `policy.access_case`
(404 alike for missing and not yours); every read of personal data is audited."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.pagination import CursorPagination, PageNumberPagination
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import audit, policy
from accounts.policy import Action
from casework import choices as c
from casework import selectors
from casework.models import Case, CaseParty, Evidence, Incident, IncidentBatch, Person, VictimContact
from casework.services import cases as case_services
from casework.services import contacts as contact_services
from casework.services import evidence as evidence_services
from casework.services import incidents as incident_services
from casework.services import lookups as lookups_services
from casework.services import people as people_services
from casework.timeline import TimelineFilters, timeline_page
from config.errors import InvalidInput
from config.input_contract import MAX_TEXT, RecordDateTimeField, text_error

# --- Cases ---------------------------------------------------------------------------------------


class CaseOutput(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code")
    officer = serializers.CharField(source="officer.username")

    class Meta:
        model = Case
        fields = [
            "id", "reference", "title", "unit", "officer", "stage", "outcome_code", "is_domestic_abuse",
            "is_stalking", "is_harassment", "is_hate", "is_vulnerable_victim", "is_repeat_victim",
            "is_repeat_suspect", "created_at", "updated_at", "version",
        ]  # fmt: skip


class CaseCreateInput(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    officer = serializers.CharField(required=False, help_text="username of the OIC; defaults to you")
    is_stalking = serializers.BooleanField(default=False)
    is_harassment = serializers.BooleanField(default=False)
    is_hate = serializers.BooleanField(default=False)


class CaseUpdateInput(serializers.Serializer):
    version = serializers.IntegerField()
    title = serializers.CharField(max_length=200)
    is_stalking = serializers.BooleanField()
    is_harassment = serializers.BooleanField()
    is_hate = serializers.BooleanField()


class CaseListFilters(serializers.Serializer):
    mine = serializers.BooleanField(default=False)
    stage = serializers.ChoiceField(choices=c.CaseStage.choices, required=False)
    flag = serializers.ChoiceField(
        choices=["is_domestic_abuse", "is_stalking", "is_harassment", "is_repeat_victim", "is_repeat_suspect"],
        required=False,
    )
    search = serializers.CharField(required=False, max_length=100)
    sort = serializers.ChoiceField(choices=list(selectors.CASE_SORTS), default="newest")


def _user_by_username(username: str, field: str):
    from accounts.models import User

    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise InvalidInput({field: f"No active user called {username!r}"})
    return user


class CaseListApi(APIView):
    pagination_class = PageNumberPagination

    @extend_schema(parameters=[CaseListFilters], responses=CaseOutput(many=True))
    def get(self, request):
        filters = CaseListFilters(data=request.query_params)
        filters.is_valid(raise_exception=True)
        cases = selectors.case_list_for_user(request.user, **filters.validated_data)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(cases, request, view=self)
        audit.consulted_many(Case, [case.pk for case in page])
        return paginator.get_paginated_response(CaseOutput(page, many=True).data)

    @extend_schema(request=CaseCreateInput, responses={201: CaseOutput})
    def post(self, request):
        data = CaseCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        if "officer" in fields:
            fields["officer"] = _user_by_username(fields["officer"], "officer")
        case = case_services.case_open(actor=request.user, **fields)
        return Response(CaseOutput(case).data, status=status.HTTP_201_CREATED)


class CaseDetailApi(APIView):
    @extend_schema(responses=CaseOutput)
    def get(self, request, case_id: int):
        case = policy.access_case(request.user, case_id)
        audit.consulted(case)
        return Response(CaseOutput(case).data)

    @extend_schema(request=CaseUpdateInput, responses={200: CaseOutput, 409: None})
    def patch(self, request, case_id: int):
        case = policy.access_case(request.user, case_id, Action.EDIT_CASE)
        data = CaseUpdateInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        case = case_services.case_update(
            actor=request.user, case=case, expected_version=fields.pop("version"), **fields
        )
        return Response(CaseOutput(case).data)


class CaseTransitionInput(serializers.Serializer):
    version = serializers.IntegerField()
    to_stage = serializers.ChoiceField(choices=c.CaseStage.choices)
    outcome_code = serializers.ChoiceField(choices=c.OutcomeCode.choices, required=False, allow_null=True)


class CaseTransitionApi(APIView):
    @extend_schema(request=CaseTransitionInput, responses={200: CaseOutput, 409: None})
    def post(self, request, case_id: int):
        case = policy.access_case(request.user, case_id, Action.EDIT_CASE)
        data = CaseTransitionInput(data=request.data)
        data.is_valid(raise_exception=True)
        case = case_services.case_transition(
            actor=request.user,
            case=case,
            to_stage=data.validated_data["to_stage"],
            expected_version=data.validated_data["version"],
            outcome_code=data.validated_data.get("outcome_code"),
        )
        return Response(CaseOutput(case).data)


# --- People --------------------------------------------------------------------------------------


class IdentifierField(serializers.Serializer):
    kind = serializers.ChoiceField(choices=c.IdentifierKind.choices)
    value = serializers.CharField(max_length=300)
    platform = serializers.ChoiceField(choices=c.Platform.choices, required=False, default="")
    sealed = serializers.BooleanField(default=False)


class PersonInput(serializers.Serializer):
    first_name = serializers.CharField(max_length=100, allow_blank=True, default="")
    last_name = serializers.CharField(max_length=100, allow_blank=True, default="")
    date_of_birth = serializers.DateField(required=False, allow_null=True)
    date_of_birth_is_approximate = serializers.BooleanField(default=False)
    gender = serializers.ChoiceField(choices=c.Gender.choices, default=c.Gender.NOT_KNOWN)
    vulnerabilities = serializers.ListField(
        child=serializers.ChoiceField(choices=c.Vulnerability.choices), default=list
    )
    aliases = serializers.ListField(child=serializers.CharField(max_length=200), default=list)
    identifiers = IdentifierField(many=True, default=list)


class PartyAddInput(serializers.Serializer):
    person_id = serializers.IntegerField(required=False, help_text="link an existing person, or give `person`")
    person = PersonInput(required=False)
    role = serializers.ChoiceField(choices=c.PartyRole.choices)
    relationship_to_suspect = serializers.ChoiceField(choices=c.Relationship.choices, required=False, default="")

    def validate(self, attrs):
        if ("person_id" in attrs) == ("person" in attrs):
            raise serializers.ValidationError("Give either person_id (to link someone) or person (to create them)")
        return attrs


class IdentifierOutput(serializers.Serializer):
    kind = serializers.CharField()
    value = serializers.CharField()
    platform = serializers.CharField()
    sealed = serializers.BooleanField()


class PersonOutput(serializers.ModelSerializer):
    class Meta:
        model = Person
        fields = [
            "id", "first_name", "last_name", "date_of_birth", "date_of_birth_is_approximate", "gender",
            "vulnerabilities", "version",
        ]  # fmt: skip


class PartyOutput(serializers.ModelSerializer):
    person = PersonOutput()
    identifiers = serializers.SerializerMethodField()

    class Meta:
        model = CaseParty
        fields = [
            "id",
            "role",
            "relationship_to_suspect",
            "victims_code_enhanced",
            "update_every_working_days",
            "person",
            "identifiers",
        ]

    def get_identifiers(self, party) -> list[dict]:
        details = self.context["contact_details"].get(party.person_id, [])
        return [
            {
                "kind": d.identifier.kind,
                "value": d.identifier.value if d.shown else None,
                "platform": d.identifier.platform,
                "sealed": d.identifier.sealed,
            }
            for d in details
        ]


class CasePeopleApi(APIView):
    @extend_schema(responses=PartyOutput(many=True))
    def get(self, request, case_id: int):
        case = policy.access_case(request.user, case_id)
        parties = selectors.case_parties(case)
        details = {p.person_id: selectors.person_contact_details(request.user, p.person, case) for p in parties}
        for party in parties:
            audit.consulted(party.person, detail=f"seen in {case.reference}")
            lookups_services.outside_lookup_record(
                actor=request.user, person=party.person, how=c.LookupKind.READ, through_case=case
            )
        return Response(PartyOutput(parties, many=True, context={"contact_details": details}).data)

    @extend_schema(request=PartyAddInput, responses={201: PartyOutput})
    def post(self, request, case_id: int):
        case = policy.access_case(request.user, case_id, Action.EDIT_CASE)
        data = PartyAddInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        with transaction.atomic():
            if "person" in fields:
                person_fields = dict(fields["person"])
                person_fields["identifiers"] = [
                    people_services.IdentifierInput(**i) for i in person_fields["identifiers"]
                ]
                person = people_services.person_create(actor=request.user, case=case, **person_fields)
            else:
                person = Person.objects.filter(pk=fields["person_id"]).first()
                if person is None:
                    raise InvalidInput({"person_id": "No such person"})
            party = people_services.party_add(
                actor=request.user,
                case=case,
                person=person,
                role=fields["role"],
                relationship_to_suspect=fields["relationship_to_suspect"],
            )
        details = {person.pk: selectors.person_contact_details(request.user, person, case)}
        return Response(PartyOutput(party, context={"contact_details": details}).data, status=status.HTTP_201_CREATED)


class PersonIdentifiersApi(APIView):
    """A contact detail or identifier the person gave this case; sealed, it is this case's alone."""

    @extend_schema(request=IdentifierField, responses={201: IdentifierOutput})
    def post(self, request, case_id: int, person_id: int):
        case = policy.access_case(request.user, case_id, Action.EDIT_CASE)
        party = CaseParty.objects.filter(case=case, person_id=person_id).select_related("person").first()
        if party is None:
            raise Http404("No such person in this case.")
        data = IdentifierField(data=request.data)
        data.is_valid(raise_exception=True)
        row = people_services.person_identifier_add(
            actor=request.user,
            case=case,
            person=party.person,
            identifier=people_services.IdentifierInput(**data.validated_data),
        )
        return Response(IdentifierOutput(row).data, status=status.HTTP_201_CREATED)


class PersonSearchInput(serializers.Serializer):
    search = serializers.CharField(required=False, allow_blank=True, default="", help_text="name")
    date_of_birth = serializers.DateField(required=False)
    phone = serializers.CharField(required=False)
    email = serializers.CharField(required=False)
    handle = serializers.CharField(required=False)
    vehicle = serializers.CharField(required=False)


class ElsewhereOutput(serializers.Serializer):
    cases = serializers.IntegerField(help_text="cases of other units the person is known in")
    contact_units = serializers.ListField(child=serializers.CharField(), help_text="whom to ask about them")


class CandidateOutput(serializers.Serializer):
    id = serializers.IntegerField(source="person.pk")
    first_name = serializers.CharField(source="person.first_name")
    last_name = serializers.CharField(source="person.last_name")
    year_of_birth = serializers.IntegerField(allow_null=True)
    known_to_you = serializers.BooleanField(help_text="in a case you may open; otherwise only the fields above")
    person = serializers.SerializerMethodField(help_text="the person's details, when known to you")
    score = serializers.IntegerField()
    reasons = serializers.ListField(child=serializers.CharField())
    elsewhere = ElsewhereOutput()

    @extend_schema_field(PersonOutput(allow_null=True))
    def get_person(self, candidate) -> dict | None:
        return PersonOutput(candidate.person).data if candidate.known_to_you else None


class PersonSearchApi(APIView):
    """Existing people who may be the one being added (the duplicate search), ranked with reasons."""

    @extend_schema(parameters=[PersonSearchInput], responses=CandidateOutput(many=True))
    def get(self, request):
        if not policy.role_may(request.user, Action.EDIT_CASE):
            raise PermissionDenied("Only officers and supervisors search for people")
        data = PersonSearchInput(data=request.query_params)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        words = fields["search"].split()
        first, last = (" ".join(words[:-1]), words[-1]) if words else ("", "")
        identifiers = [(kind, fields[kind]) for kind in ("phone", "email", "handle", "vehicle") if fields.get(kind)]
        if not (words or identifiers):
            raise InvalidInput({"search": "Give a name or an identifier to search for"})
        candidates = selectors.person_candidates(
            request.user,
            first_name=first,
            last_name=last,
            date_of_birth=fields.get("date_of_birth"),
            identifiers=identifiers,
        )
        lookups_services.person_search_found(actor=request.user, candidates=candidates)
        return Response(CandidateOutput(candidates, many=True).data)


# --- Incidents -----------------------------------------------------------------------------------


class IncidentInputSerializer(serializers.Serializer):
    """The shape of an incident; its values are checked by the service (`incident_errors`), the one
    validator of every way in, so the API, the batch, the CSV and the forms refuse alike."""

    occurred_at = RecordDateTimeField(help_text="ISO 8601; without an offset, UK local time")
    occurred_until = RecordDateTimeField(required=False, allow_null=True)
    reported_at = RecordDateTimeField(required=False, allow_null=True)
    victim_id = serializers.IntegerField(required=False, allow_null=True)
    reported_by = serializers.ChoiceField(choices=c.ReportedBy.choices, default=c.ReportedBy.VICTIM)
    report_method = serializers.ChoiceField(choices=c.ReportMethod.choices, default=c.ReportMethod.IN_PERSON)
    channel = serializers.ChoiceField(choices=c.Channel.choices)
    place = serializers.ChoiceField(choices=c.Place.choices, required=False, default="")
    behaviours = serializers.ListField(child=serializers.ChoiceField(choices=c.Behaviour.choices), default=list)
    threats = serializers.ListField(child=serializers.ChoiceField(choices=c.Threat.choices), default=list)
    weapon = serializers.CharField(required=False, default="", allow_blank=True, trim_whitespace=False)
    injury = serializers.BooleanField(default=False)
    victim_feared_violence = serializers.BooleanField(default=False)
    impacts = serializers.ListField(child=serializers.ChoiceField(choices=c.Impact.choices), default=list)
    count = serializers.IntegerField(default=1)
    narrative = serializers.CharField(required=False, default="", allow_blank=True, trim_whitespace=False)
    entry = serializers.ChoiceField(choices=c.EntryKind.choices, required=False, default="", allow_blank=True)
    entry_place = serializers.ChoiceField(choices=c.EntryPlace.choices, required=False, default="", allow_blank=True)
    circumstances = serializers.ListField(child=serializers.ChoiceField(choices=c.Circumstance.choices), default=list)
    new_identity_kind = serializers.ChoiceField(
        choices=c.NewIdentityKind.choices, required=False, default="", allow_blank=True
    )
    new_identity = serializers.CharField(required=False, default="", allow_blank=True, trim_whitespace=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # NUL and length are the service's to refuse, in its words (the framework's check would answer first).
        for name in incident_services.TEXT_LIMITS:
            self.fields[name].validators = []


class IncidentUpdateInput(IncidentInputSerializer):
    version = serializers.IntegerField()


class IncidentOutput(serializers.ModelSerializer):
    class Meta:
        model = Incident
        fields = [
            "id", "victim_id", "occurred_at", "occurred_until", "reported_at", "reported_by", "report_method",
            "channel", "place", "behaviours", "threats", "weapon", "injury", "victim_feared_violence", "impacts",
            "count", "narrative", "batch_id", "number", "entry", "entry_place", "circumstances",
            "new_identity_kind", "new_identity", "created_at", "version",
        ]  # fmt: skip


class IncidentCursor(CursorPagination):
    ordering = ("-occurred_at", "-id")
    page_size = 50


class CaseIncidentsApi(APIView):
    pagination_class = IncidentCursor

    @extend_schema(responses=IncidentOutput(many=True))
    def get(self, request, case_id: int):
        case = policy.access_case(request.user, case_id)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(Incident.objects.filter(case=case), request, view=self)
        audit.consulted_many(Incident, [i.pk for i in page], detail=f"incidents of {case.reference}")
        return paginator.get_paginated_response(IncidentOutput(page, many=True).data)

    @extend_schema(request=IncidentInputSerializer, responses={201: IncidentOutput})
    def post(self, request, case_id: int):
        case = policy.access_case(request.user, case_id, Action.EDIT_CASE)
        data = IncidentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        incident = incident_services.incident_record(
            actor=request.user, case=case, data=incident_services.IncidentInput(**data.validated_data)
        )
        return Response(IncidentOutput(incident).data, status=status.HTTP_201_CREATED)


class IncidentDetailApi(APIView):
    @extend_schema(request=IncidentUpdateInput, responses={200: IncidentOutput, 409: None})
    def put(self, request, case_id: int, incident_id: int):
        case = policy.access_case(request.user, case_id, Action.EDIT_CASE)
        incident = Incident.objects.filter(case=case, pk=incident_id).select_related("case").first()
        if incident is None:
            raise Http404("No such incident.")
        data = IncidentUpdateInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        version = fields.pop("version")
        incident = incident_services.incident_update(
            actor=request.user,
            incident=incident,
            expected_version=version,
            data=incident_services.IncidentInput(**fields),
        )
        return Response(IncidentOutput(incident).data)


class IncidentBatchInput(serializers.Serializer):
    client_key = serializers.CharField(max_length=100)
    incidents = IncidentInputSerializer(many=True, allow_empty=False, max_length=incident_services.MAX_BATCH)


MAX_BATCH = incident_services.MAX_BATCH


class IncidentBatchEnvelope(serializers.Serializer):
    """What the batch view validates itself; each row is parsed by the service's lean parser (the
    schema above documents the rows)."""

    client_key = serializers.CharField(max_length=100)
    incidents = serializers.ListField(allow_empty=False, max_length=MAX_BATCH)  # rows: parsed below


class IncidentBatchOutput(serializers.Serializer):
    batch_id = serializers.IntegerField(source="batch.pk")
    client_key = serializers.CharField(source="batch.client_key")
    incident_count = serializers.IntegerField(source="batch.incident_count")
    created = serializers.BooleanField()


class IncidentBatchApi(APIView):
    """Many incidents in one request, all or none; a retry with the same client_key adds nothing."""

    @extend_schema(request=IncidentBatchInput, responses={201: IncidentBatchOutput, 200: IncidentBatchOutput})
    def post(self, request, case_id: int):
        case = policy.access_case(request.user, case_id, Action.EDIT_CASE)
        key = request.data.get("client_key") if isinstance(request.data, dict) else None
        if isinstance(key, str) and text_error(key, incident_services.CLIENT_KEY_MAX) is None:
            existing = IncidentBatch.objects.filter(case=case, client_key=key.strip()).first()
            if existing is not None:  # a retry: answer before validating the rows again
                return Response(IncidentBatchOutput(incident_services.BatchResult(existing, created=False)).data)
        data = IncidentBatchEnvelope(data=request.data)
        data.is_valid(raise_exception=True)
        rows, row_errors = [], []
        for n, raw in enumerate(data.validated_data["incidents"], start=1):
            parsed, errors = incident_services.incident_input_from_json(raw)
            rows.append(parsed)
            row_errors += [f"Row {n}: {name}: {message}" for name, message in errors.items()]
        if row_errors:
            raise InvalidInput({"rows": row_errors})
        result = incident_services.incidents_record_batch(
            actor=request.user, case=case, client_key=data.validated_data["client_key"], rows=rows
        )
        return Response(
            IncidentBatchOutput(result).data, status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK
        )


# --- Evidence and contacts -----------------------------------------------------------------------


class EvidenceOutput(serializers.ModelSerializer):
    uploaded_by = serializers.CharField(source="uploaded_by.username")

    class Meta:
        model = Evidence
        fields = [
            "id", "exhibit_reference", "description", "original_name", "content_type", "size", "sha256",
            "incident_id", "uploaded_by", "uploaded_at",
        ]  # fmt: skip


class EvidenceUploadInput(serializers.Serializer):
    file = serializers.FileField()
    description = serializers.CharField(max_length=300)
    incident_id = serializers.IntegerField(required=False, allow_null=True)


class CaseEvidenceApi(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(responses=EvidenceOutput(many=True))
    def get(self, request, case_id: int):
        case = policy.access_case(request.user, case_id)
        evidence = list(case.evidence.select_related("uploaded_by").order_by("uploaded_at", "id"))
        audit.consulted_many(Evidence, [e.pk for e in evidence], detail=f"exhibits of {case.reference}")
        return Response(EvidenceOutput(evidence, many=True).data)

    @extend_schema(request={"multipart/form-data": EvidenceUploadInput}, responses={201: EvidenceOutput})
    def post(self, request, case_id: int):
        case = policy.access_case(request.user, case_id, Action.EDIT_CASE)
        evidence_services.refuse_oversized_request(request)  # before request.data reads the body
        data = EvidenceUploadInput(data=request.data)
        data.is_valid(raise_exception=True)
        incident = None
        if data.validated_data.get("incident_id"):
            incident = Incident.objects.filter(case=case, pk=data.validated_data["incident_id"]).first()
            if incident is None:
                raise InvalidInput({"incident_id": "Choose an incident in this case"})
        evidence = evidence_services.evidence_upload(
            actor=request.user,
            case=case,
            upload=data.validated_data["file"],
            description=data.validated_data["description"],
            incident=incident,
        )
        return Response(EvidenceOutput(evidence).data, status=status.HTTP_201_CREATED)


class ContactOutput(serializers.ModelSerializer):
    contacted_by = serializers.CharField(source="contacted_by.username")

    class Meta:
        model = VictimContact
        fields = ["id", "victim_id", "contacted_at", "method", "summary", "next_update_due", "contacted_by"]


class ContactInput(serializers.Serializer):
    victim_id = serializers.IntegerField()
    contacted_at = RecordDateTimeField()
    method = serializers.ChoiceField(choices=c.ContactMethod.choices)
    summary = serializers.CharField(max_length=MAX_TEXT)


class CaseContactsApi(APIView):
    @extend_schema(responses=ContactOutput(many=True))
    def get(self, request, case_id: int):
        case = policy.access_case(request.user, case_id)
        contacts = list(case.victim_contacts.select_related("contacted_by").order_by("-contacted_at", "-id"))
        audit.consulted_many(VictimContact, [x.pk for x in contacts], detail=f"contacts of {case.reference}")
        return Response(ContactOutput(contacts, many=True).data)

    @extend_schema(request=ContactInput, responses={201: ContactOutput})
    def post(self, request, case_id: int):
        case = policy.access_case(request.user, case_id, Action.EDIT_CASE)
        data = ContactInput(data=request.data)
        data.is_valid(raise_exception=True)
        contact = contact_services.victim_contact_record(actor=request.user, case=case, **data.validated_data)
        return Response(ContactOutput(contact).data, status=status.HTTP_201_CREATED)


# --- Timeline ------------------------------------------------------------------------------------


class TimelineQuery(serializers.Serializer):
    cursor = serializers.CharField(required=False)
    kind = serializers.MultipleChoiceField(choices=c.TimelineKind.choices, required=False)
    channel = serializers.ChoiceField(choices=c.Channel.choices, required=False)
    person = serializers.IntegerField(required=False)
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)


class TimelineEventOutput(serializers.Serializer):
    id = serializers.IntegerField()
    occurred_at = serializers.DateTimeField()
    kind = serializers.CharField()
    summary = serializers.CharField()
    channel = serializers.CharField()
    person_id = serializers.IntegerField(allow_null=True)
    count = serializers.IntegerField()
    source_type = serializers.CharField()
    source_id = serializers.CharField()


class TimelinePage(serializers.Serializer):
    next = serializers.CharField(allow_null=True)
    results = TimelineEventOutput(many=True)


class CaseTimelineApi(APIView):
    """The course of conduct, newest first, keyset-paginated: `next` is the cursor of the next page.

    Rows are plain dicts from one indexed query, rendered without per-row serializer work.
    """

    @extend_schema(parameters=[TimelineQuery, OpenApiParameter("kind", str, many=True)], responses=TimelinePage)
    def get(self, request, case_id: int):
        case = policy.access_case(request.user, case_id, queryset=Case.objects.only("id", "unit_id", "officer_id"))
        query = TimelineQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        filters = TimelineFilters(
            kinds=tuple(sorted(params.get("kind", ()))),
            channel=params.get("channel", ""),
            person_id=params.get("person"),
            date_from=params.get("date_from"),
            date_to=params.get("date_to"),
        )
        rows, next_cursor = timeline_page(case.pk, filters=filters, cursor=params.get("cursor"))
        audit.consulted(case, detail="timeline")
        return Response({"next": next_cursor, "results": rows})

"""Generated documents (PDFs) in the API: a document's state, and asking for it again.

Reading follows the document's kind (casework.documents.document_access: a CPS lawyer reads only the
packs of the requests sent to them); asking again needs EDIT_CASE, as the first request did."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import policy
from casework.choices import DocumentStatus
from casework.documents import document_access, document_again
from casework.models import CaseDocument


class DocumentOutput(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField(help_text="empty until the document is ready")

    class Meta:
        model = CaseDocument
        fields = [
            "id", "case_id", "kind", "title", "status", "error", "requested_at", "ready_at", "size", "pages",
            "sha256", "download_url",
        ]  # fmt: skip

    def get_download_url(self, document: CaseDocument) -> str:
        if document.status != DocumentStatus.READY:
            return ""
        return reverse("casework:document-download", args=[document.pk])


class DocumentDetailApi(APIView):
    @extend_schema(responses=DocumentOutput)
    def get(self, request, document_id: int):
        # Not audited, as the status fragment: the title and state only, polled while it is prepared.
        return Response(DocumentOutput(document_access(request.user, document_id)).data)


class DocumentAgainApi(APIView):
    @extend_schema(request=None, responses={201: DocumentOutput})
    def post(self, request, document_id: int):
        document = document_access(request.user, document_id)
        policy.access_case(request.user, document.case_id, policy.Action.EDIT_CASE)
        again = document_again(actor=request.user, document=document)
        return Response(DocumentOutput(again).data, status=status.HTTP_201_CREATED)

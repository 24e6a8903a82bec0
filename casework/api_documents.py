"""Generated documents (PDFs) in the API: a document's state, and asking for it again.

Reading follows the document's kind (casework.documents.document_access: a CPS lawyer reads only the
packs of the requests sent to them); asking again needs EDIT_CASE, as the first request did. The PDF
itself is downloaded here too, so a client holding a token (which the page's download would send to the
log-in page) gets it, audited as a disclosure as on the page."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import policy
from casework.choices import DocumentStatus
from casework.documents import document_access, document_again
from casework.models import CaseDocument
from casework.views.documents import document_file_response


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
        return reverse("api-document-download", args=[document.pk])


class DocumentDetailApi(APIView):
    @extend_schema(responses=DocumentOutput)
    def get(self, request, document_id: int):
        # Not audited, as the status fragment: the title and state only, polled while it is prepared.
        return Response(DocumentOutput(document_access(request.user, document_id)).data)


class DocumentDownloadApi(APIView):
    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="the PDF, as an attachment"),
            404: OpenApiResponse(description="no such document, not yours, or not ready yet"),
        }
    )
    def get(self, request, document_id: int):
        return document_file_response(request.user, document_id)

    def perform_content_negotiation(self, request, force=False):
        # A client asking for application/pdf gets the PDF (a plain Django response), not 406; errors stay JSON.
        return super().perform_content_negotiation(request, force=True)


class DocumentAgainApi(APIView):
    @extend_schema(request=None, responses={201: DocumentOutput})
    def post(self, request, document_id: int):
        document = document_access(request.user, document_id)
        policy.access_case(request.user, document.case_id, policy.Action.EDIT_CASE)
        again = document_again(actor=request.user, document=document)
        return Response(DocumentOutput(again).data, status=status.HTTP_201_CREATED)

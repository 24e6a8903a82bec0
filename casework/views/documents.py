"""Generated documents: the status fragment htmx polls while the worker renders, the download, and
asking for one again."""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from accounts import audit, policy
from casework.choices import DocumentStatus
from casework.documents import document_access, document_again
from config.errors import Refusal

# htmx stops polling when it gets this status (htmx 2: "286 Stop Polling").
STOP_POLLING = 286
_UNSAFE_IN_FILENAME = re.compile(r"[^A-Za-z0-9._-]+")


@require_GET
def document_status(request: HttpRequest, document_id: int) -> HttpResponse:
    """The document's status, polled every 2 s while it is being prepared. Not audited: it shows only
    the document's title and state, and a poll every 2 s would bury the audit trail."""
    if not request.user.is_authenticated:
        # Signed out while polling (the session expired): stop, rather than swap a log-in page in.
        return HttpResponse(status=STOP_POLLING) if request.htmx else redirect_to_login(request.get_full_path())
    return render(request, "casework/_document_status.html", {"document": document_access(request.user, document_id)})


@login_required
@require_GET
def document_download(request: HttpRequest, document_id: int) -> FileResponse:
    return document_file_response(request.user, document_id)


def document_file_response(user, document_id: int) -> FileResponse:
    """The PDF as an attachment, audited as a disclosure to the user; the page's download and the API's
    (casework/api_documents.py, with a token) both answer with it."""
    document = document_access(user, document_id)
    if document.status != DocumentStatus.READY:
        raise Http404("The document is not ready.")
    handle = document.file.open("rb")
    audit.disclosed(
        document,
        recipient=f"downloaded by {user.get_username()}",
        detail=f"{document.title}, {document.case.reference}, sha256 {document.sha256[:12]}",
    )
    name = _UNSAFE_IN_FILENAME.sub("-", f"{document.case.reference}-{document.kind}-{document.pk}")
    response = FileResponse(handle, as_attachment=True, filename=f"{name}.pdf", content_type="application/pdf")
    response["X-Content-Type-Options"] = "nosniff"
    # Even if a browser rendered it, the file could run no script and reach no origin.
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def document_again_view(request: HttpRequest, document_id: int) -> HttpResponse:
    """ "Prepare again": the same document from its record, for those who may request it (EDIT_CASE;
    404 to those who may only read it). Back to the page the button was on."""
    document = document_access(request.user, document_id)
    policy.access_case(request.user, document.case_id, policy.Action.EDIT_CASE)
    try:
        again = document_again(actor=request.user, document=document)
    except Refusal as exc:
        messages.error(request, f"{document.title} cannot be prepared again. {exc.message}")
    else:
        messages.success(request, f"{again.title}: being prepared again. The download link appears when it is ready.")
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = reverse("casework:case-detail", args=[document.case_id])
    return redirect(back)

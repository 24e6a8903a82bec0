"""Virus scanning of uploads by ClamAV's daemon (clamd) over its Unix socket, when CLAMD_SOCKET is set.

Without it uploads are accepted unscanned, each with a warning in the log. With it, a file clamd finds
infected is refused, and so is every upload while clamd cannot be asked (fail closed: evidence is
opened by officers, prosecutors and courts)."""

import logging
import socket
import struct

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from config.errors import InvalidInput, Refusal

logger = logging.getLogger(__name__)
CHUNK = 64 * 1024


class ScannerUnavailable(Refusal):
    status_code = 503


def _clamd_verdict(upload: UploadedFile) -> str:
    """clamd's answer for the file, e.g. 'stream: OK' or 'stream: Eicar-Signature FOUND'."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.settimeout(settings.CLAMD_TIMEOUT_SECONDS)
        conn.connect(settings.CLAMD_SOCKET)
        conn.sendall(b"zINSTREAM\0")
        upload.seek(0)
        for chunk in upload.chunks(CHUNK):
            conn.sendall(struct.pack("!L", len(chunk)) + chunk)
        conn.sendall(struct.pack("!L", 0))
        reply = b""
        while not reply.endswith(b"\0"):
            part = conn.recv(4096)
            if not part:
                break
            reply += part
    upload.seek(0)
    return reply.rstrip(b"\0").decode(errors="replace").strip()


def scan(upload: UploadedFile) -> None:
    """Refuse the upload if clamd finds it infected or cannot be asked; skip, with a warning, if no
    scanner is configured."""
    if not settings.CLAMD_SOCKET:
        logger.warning("Upload %r accepted without a virus scan: CLAMD_SOCKET is not set.", upload.name)
        return
    try:
        verdict = _clamd_verdict(upload)
    except OSError as exc:
        logger.error("clamd at %s could not scan %r: %s", settings.CLAMD_SOCKET, upload.name, exc)
        raise ScannerUnavailable({"file": "The virus scanner is not answering: try again in a few minutes"}) from exc
    if verdict.endswith("FOUND"):
        found = verdict.removeprefix("stream:").removesuffix("FOUND").strip()
        logger.warning("Upload %r refused: clamd found %s.", upload.name, found)
        raise InvalidInput({"file": f"The file contains a virus or malware ({found}) and was not stored"})
    if not verdict.endswith("OK"):
        logger.error("clamd at %s answered %r for %r.", settings.CLAMD_SOCKET, verdict, upload.name)
        raise ScannerUnavailable({"file": "The virus scanner could not check the file: try again in a few minutes"})

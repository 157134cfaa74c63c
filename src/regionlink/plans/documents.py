"""Dossier documents: accepted by what they contain, stored under random names, served as
downloads only.

The type is decided by the file's bytes, never by its name or the browser's claim: an HTML
page renamed .pdf is refused. Downloads are attachments with nosniff and a sandbox policy,
so even a file that slipped through cannot run as a page on this site.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import unicodedata
import zipfile
from pathlib import PurePosixPath, PureWindowsPath

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import FileResponse
from django.utils.translation import gettext as _

from regionlink.audit import services as audit
from regionlink.audit.services import snapshot
from regionlink.core.text import nfc
from regionlink.plans.errors import PlanError
from regionlink.plans.errors import PlanErrorCode as Code
from regionlink.plans.models import DocumentType, Plan, PlanDocument
from regionlink.plans.permissions import Action
from regionlink.plans.services import authorise

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MAGIC = (
    (b"%PDF-", ".pdf", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", ".png", "image/png"),
    (b"\xff\xd8\xff", ".jpg", "image/jpeg"),
    (b"II*\x00", ".tif", "image/tiff"),
    (b"MM\x00*", ".tif", "image/tiff"),
)
OOXML = (
    ("wordprocessingml.document.main", ".docx", "application/vnd.openxmlformats-officedocument"
     ".wordprocessingml.document"),
    ("spreadsheetml.sheet.main", ".xlsx", "application/vnd.openxmlformats-officedocument"
     ".spreadsheetml.sheet"),
)  # fmt: skip
GEOJSON_TYPES = {"FeatureCollection", "Feature", "Polygon", "MultiPolygon", "LineString"}
GEOJSON_TYPES |= {"MultiLineString", "Point", "MultiPoint", "GeometryCollection"}
ALLOWED = "PDF, DOCX, XLSX, DOC, XLS, PNG, JPEG, TIFF, GeoJSON, ZIP (shapefile)"


def max_bytes() -> int:
    return int(settings.PLAN_DOCUMENT_MAX_MB) * 1024 * 1024


def _zip_kind(data) -> tuple[str, str] | None:
    try:
        with zipfile.ZipFile(data) as archive:
            names = archive.namelist()
            if "[Content_Types].xml" in names:
                types = archive.read("[Content_Types].xml").decode("utf-8", "replace")
                if "macroEnabled" in types:
                    return None  # Office files with macros are refused
                for marker, ext, mime in OOXML:
                    if marker in types:
                        return ext, mime
                return None
            if any(n.lower().endswith(".shp") for n in names):
                return ".zip", "application/zip"
    except (zipfile.BadZipFile, KeyError, OSError):
        return None
    return None


def _geojson_kind(data) -> tuple[str, str] | None:
    try:
        parsed = json.loads(data.read().decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        return None
    if isinstance(parsed, dict) and parsed.get("type") in GEOJSON_TYPES:
        return ".geojson", "application/geo+json"
    return None


def sniff(uploaded_file, original_name: str = "") -> tuple[str, str] | None:
    """(extension, content type) of an accepted file from its bytes; None if refused."""
    uploaded_file.seek(0)
    head = uploaded_file.read(16)
    uploaded_file.seek(0)
    try:
        for magic, ext, mime in MAGIC:
            if head.startswith(magic):
                return ext, mime
        if head.startswith(OLE):
            if original_name.lower().endswith(".xls"):
                return ".xls", "application/vnd.ms-excel"
            return ".doc", "application/msword"
        if head.startswith(b"PK\x03\x04"):
            return _zip_kind(uploaded_file)
        if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
            return _geojson_kind(uploaded_file)
        return None
    finally:
        uploaded_file.seek(0)


def clean_name(name: str) -> str:
    """The original name for display and download: NFC, no folders or control characters."""
    base = PureWindowsPath(PurePosixPath(str(name or "")).name).name
    base = "".join(ch for ch in nfc(base) if unicodedata.category(ch)[0] != "C")
    base = base.strip(" .")[:200]
    return base or "tai-lieu"


def _digest(uploaded_file) -> str:
    sha = hashlib.sha256()
    uploaded_file.seek(0)
    for chunk in iter(lambda: uploaded_file.read(1024 * 1024), b""):
        sha.update(chunk)
    uploaded_file.seek(0)
    return sha.hexdigest()


def _check_file(uploaded_file, name: str) -> tuple[str, str]:
    size = uploaded_file.size
    if not size:
        raise PlanError(Code.FILE_EMPTY, _("Tệp “%(name)s” rỗng.") % {"name": name}, "file")
    if size > max_bytes():
        text = _("Tệp “%(name)s” có %(size)s MB, vượt giới hạn %(limit)s MB: nén hoặc tách tệp.")
        params = {
            "name": name,
            "size": f"{size / 1024 / 1024:.1f}".replace(".", ","),
            "limit": settings.PLAN_DOCUMENT_MAX_MB,
        }
        raise PlanError(Code.FILE_TOO_LARGE, text % params, "file")
    kind = sniff(uploaded_file, name)
    if kind is None:
        text = _(
            "Tệp “%(name)s” không phải là loại tài liệu được chấp nhận (%(allowed)s); "
            "nội dung tệp được kiểm tra, không dựa vào phần mở rộng."
        )
        raise PlanError(
            Code.FILE_TYPE_NOT_ALLOWED, text % {"name": name, "allowed": ALLOWED}, "file"
        )
    return kind


@transaction.atomic
def upload_document(
    *, actor, plan: Plan, doc_type, title, uploaded_file, is_public=False
) -> PlanDocument:
    """Add a dossier document to the plan's current version after checking its content."""
    authorise(actor, Action.EDIT, plan)
    if doc_type not in DocumentType.values:
        text = _("Loại tài liệu “%(type)s” không có trong hồ sơ quy hoạch.")
        raise PlanError(Code.UNKNOWN_DOCUMENT_TYPE, text % {"type": doc_type}, "doc_type")
    name = clean_name(getattr(uploaded_file, "name", ""))
    ext, content_type = _check_file(uploaded_file, name)
    document = PlanDocument(
        plan=plan,
        version=plan.current_version(),
        stage=plan.stage,
        doc_type=doc_type,
        title=nfc(title)[:300] or str(DocumentType(doc_type).label),
        original_name=name,
        content_type=content_type,
        size=uploaded_file.size,
        sha256=_digest(uploaded_file),
        is_public=is_public,
        uploaded_by=actor,
    )
    # A random name: nothing the uploader chose reaches the file system.
    document.file.save(secrets.token_hex(16) + ext, uploaded_file, save=False)
    document.save()
    after = snapshot(document, exclude=["file"])
    audit.record(actor=actor, action="plans.upload_document", obj=document, after=after)
    return document


def document_response(document: PlanDocument) -> FileResponse:
    """The document as a download: never rendered inline, never sniffed, sandboxed."""
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


def as_upload(data: bytes, name: str) -> ContentFile:
    """Bytes as an uploaded file (for imports, the demo and tests)."""
    return ContentFile(data, name=name)


__all__ = ["as_upload", "clean_name", "document_response", "sniff", "upload_document"]

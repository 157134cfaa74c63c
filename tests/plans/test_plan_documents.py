"""Dossier documents are accepted by their content, size-limited, stored under random names
and always served as downloads."""

import hashlib
import io
import zipfile

import pytest
import test_plan_lifecycle_world as world
from django.contrib.auth.models import AnonymousUser

from regionlink.audit.models import AuditEvent
from regionlink.plans import documents
from regionlink.plans.errors import PlanError
from regionlink.plans.models import DocumentType, Stage
from regionlink.plans.permissions import document_visible


@pytest.fixture
def people(reference_organisations):
    return world.build_people()


@pytest.fixture
def plan(people):
    return world.provincial_plan(people.lamdong_editor)


def ooxml(content_type: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", f'<Types><Override ContentType="{content_type}"/>')
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


DOCX = ooxml("application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml")
DOCM = ooxml("application/vnd.ms-word.document.macroEnabled.main+xml")


def refused(people, plan, data, name) -> PlanError:
    with pytest.raises(PlanError) as error:
        world.upload(people.lamdong_editor, plan, DocumentType.REPORT_FULL, data=data, name=name)
    assert plan.documents.count() == 0
    return error.value


def test_a_pdf_is_stored_under_a_random_name_with_its_digest(people, plan):
    document = world.upload(
        people.lamdong_editor, plan, DocumentType.OUTLINE, name="../../Đề cương\x00 QH.pdf"
    )
    assert document.content_type == "application/pdf"
    assert document.sha256 == hashlib.sha256(world.PDF).hexdigest()
    assert document.size == len(world.PDF)
    assert document.original_name == "Đề cương QH.pdf"
    assert document.file.name.startswith("plans/") and document.file.name.endswith(".pdf")
    assert "cuong" not in document.file.name
    assert (document.stage, document.version) == (Stage.OUTLINE, plan.current_version())
    assert AuditEvent.objects.filter(action="plans.upload_document").count() == 1


@pytest.mark.parametrize(
    ("data", "name", "mime"),
    [
        (DOCX, "bao-cao.docx", "wordprocessingml.document"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "ban-do.png", "image/png"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 20,
            "bang.xls",
            "application/vnd.ms-excel",
        ),
        (b'{"type": "FeatureCollection", "features": []}', "ranh-gioi.json", "geo+json"),
    ],
)
def test_office_files_images_and_maps_are_accepted(people, plan, data, name, mime):
    document = world.upload(people.lamdong_editor, plan, DocumentType.MAP, data=data, name=name)
    assert mime in document.content_type


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"<!DOCTYPE html><html><script>alert(1)</script></html>", "bao-cao.pdf"),
        (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>', "ban-do.png"),
        (b"MZ\x90\x00\x03\x00\x00\x00", "quyet-dinh.pdf"),
        (b"#!/bin/sh\nrm -rf /\n", "to-trinh.docx"),
        (DOCM, "bao-cao.docx"),
        (b'{"not": "geojson"}', "ban-do.geojson"),
    ],
)
def test_active_content_is_refused_whatever_its_name(people, plan, data, name):
    error = refused(people, plan, data, name)
    assert error.code == "file_type_not_allowed"
    assert name in error.message and "PDF" in error.message


def test_a_file_over_the_limit_is_refused_naming_the_limit(people, plan, settings):
    settings.PLAN_DOCUMENT_MAX_MB = 1
    error = refused(people, plan, world.PDF + b"0" * (1024 * 1024), "bao-cao.pdf")
    assert error.code == "file_too_large"
    assert "giới hạn 1 MB" in error.message


def test_an_empty_file_is_refused(people, plan):
    assert refused(people, plan, b"", "rong.pdf").code == "file_empty"


def test_the_download_is_an_attachment_never_sniffed_and_sandboxed(people, plan):
    document = world.upload(people.lamdong_editor, plan, DocumentType.OUTLINE, name="Đề cương.pdf")
    response = documents.document_response(document)
    assert response["Content-Disposition"].startswith("attachment;")
    assert (
        "filename*=utf-8''%C4%90%E1%BB%81%20c%C6%B0%C6%A1ng.pdf" in response["Content-Disposition"]
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == world.PDF


def test_the_public_sees_a_posted_draft_and_the_published_decision_only(people, plan):
    anonymous = AnonymousUser()
    world.walk(people.lamdong_editor, people.lamdong_approver, plan, Stage.CONSULTATION)
    draft = plan.documents.get(doc_type=DocumentType.DRAFT)
    outline = plan.documents.get(doc_type=DocumentType.OUTLINE)
    assert document_visible(anonymous, draft)
    assert not document_visible(anonymous, outline)

    world.walk(people.lamdong_editor, people.lamdong_approver, plan, Stage.PUBLICATION)
    decision = plan.documents.get(doc_type=DocumentType.DECISION)
    appraisal = plan.documents.get(doc_type=DocumentType.APPRAISAL_REPORT)
    assert document_visible(anonymous, decision)
    assert document_visible(people.lamdong_viewer, appraisal)


def test_the_public_does_not_see_unmarked_documents_of_a_published_plan(people, plan):
    world.walk(people.lamdong_editor, people.lamdong_approver, plan, Stage.PUBLICATION)
    appraisal = plan.documents.get(doc_type=DocumentType.APPRAISAL_REPORT)
    assert not document_visible(AnonymousUser(), appraisal)

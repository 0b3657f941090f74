"""Item 6 of issue #12: evidence files live outside MEDIA_ROOT under random names and leave only through
the permission-checked download view (X-Accel-Redirect / X-Sendfile in production)."""

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import Client

from ocop.core.models import ActivityLog
from ocop.evaluation import domain
from ocop.evaluation.enums import EvidenceKind
from ocop.evaluation.models import Evidence
from tests.evaluation.conftest import PDF, demo_set, draft, pdf, product, round_  # noqa: F401

pytestmark = pytest.mark.integration

RANDOM_NAME = re.compile(r"dossiers/\d+/[0-9a-f]{32}\.pdf")


@pytest.fixture
def evidence(draft, producer):  # noqa: F811
    return domain.add_evidence(
        draft, pdf("Giấy đăng ký kinh doanh.pdf"), actor=producer, kind=EvidenceKind.BUSINESS_REGISTRATION
    )


def _url(evidence):
    return f"/office/evaluation/dossiers/{evidence.dossier_id}/evidence/{evidence.pk}/"


def test_evidence_is_stored_privately_under_a_random_name(evidence):
    name = evidence.file.name
    assert (
        bool(RANDOM_NAME.fullmatch(name)),
        (Path(settings.PRIVATE_MEDIA_ROOT) / name).read_bytes() == PDF,
        (Path(settings.MEDIA_ROOT) / name).exists(),
        Client().get(f"/media/{name}").status_code,
    ) == (True, True, False, 404)
    with pytest.raises(ValueError):
        evidence.file.url  # noqa: B018  (a private file has no URL to hand out)


def test_dev_server_never_serves_the_dossier_folder_of_media(admin_units):
    default_storage.save("dossiers/7/photo-20250101120000000000.pdf", ContentFile(PDF))
    default_storage.save("products/7/anh.jpg", ContentFile(b"\xff\xd8 photo"))
    client = Client()
    responses = []
    for url in (
        "/media/dossiers/7/photo-20250101120000000000.pdf",
        "/media/./dossiers/7/photo-20250101120000000000.pdf",
        "/media/DOSSIERS/7/photo-20250101120000000000.pdf",
        "/media/products/7/anh.jpg",
    ):
        response = client.get(url)
        response.close()
        responses.append(response)
    assert [r.status_code for r in responses] == [404, 404, 404, 200]


def test_evidence_download_checks_scope_and_sends_the_file(
    evidence, client_for, producer, other_province_officer, other_producer
):
    owner = client_for(producer).get(_url(evidence))
    body = b"".join(owner.streaming_content)
    owner.close()
    assert (
        owner.status_code,
        body,
        owner["Content-Disposition"],
        owner["Cache-Control"],
    ) == (
        200,
        PDF,
        "attachment; filename*=utf-8''Gi%E1%BA%A5y%20%C4%91%C4%83ng%20k%C3%BD%20kinh%20doanh.pdf",
        "private, no-store",
    )
    assert [
        client_for(other_province_officer).get(_url(evidence)).status_code,
        client_for(other_producer).get(_url(evidence)).status_code,
        Client().get(_url(evidence)).status_code,
    ] == [404, 404, 302]


def test_evidence_download_hands_over_to_nginx_or_caddy(evidence, client_for, producer, settings):
    settings.PRIVATE_FILES_SERVER = "x-accel-redirect"
    response = client_for(producer).get(_url(evidence))
    assert (
        response.status_code,
        response["X-Accel-Redirect"],
        response.content,
        response["Content-Type"],
    ) == (
        200,
        f"/_private/{evidence.file.name}",
        b"",
        "application/pdf",
    )


def test_evidence_download_hands_over_with_x_sendfile(evidence, client_for, producer, settings):
    settings.PRIVATE_FILES_SERVER = "x-sendfile"
    response = client_for(producer).get(_url(evidence))
    assert (response.status_code, response["X-Sendfile"], response.content) == (
        200,
        str(Path(settings.PRIVATE_MEDIA_ROOT) / evidence.file.name),
        b"",
    )


def test_old_public_evidence_is_moved_to_private_storage(evidence):
    old = f"dossiers/{evidence.dossier_id}/photo-20250101120000000000.pdf"
    default_storage.save(old, ContentFile(b"%PDF-1.4 old"))
    Evidence.objects.filter(pk=evidence.pk).update(file=old)
    call_command("move_private_files", stdout=io.StringIO())
    evidence.refresh_from_db()
    assert (
        bool(RANDOM_NAME.fullmatch(evidence.file.name)),
        (Path(settings.PRIVATE_MEDIA_ROOT) / evidence.file.name).read_bytes(),
        default_storage.exists(old),
        ActivityLog.objects.get(action="evaluation.evidence.moved_private").data,
    ) == (True, b"%PDF-1.4 old", False, {"files": 1})
    call_command("move_private_files", stdout=io.StringIO())
    assert ActivityLog.objects.filter(action="evaluation.evidence.moved_private").count() == 1

"""Issue #12, items 1 and 3, and #14: what a tax code, a move or a rename must not let anyone do.

1. An import matches tax codes only within the importing officer's scope; a producer's tax code is
   changed by the office (a producer's change is a request).
3. A producer's move to another commune/province is a request the office approves; certificates stay
   in the scope of the province that issued them.
#14. After certification, a product's name, set and code change only through the office."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext

from ocop.certificates.importer import import_products
from ocop.certificates.models import Certificate
from ocop.core.locking import token_of
from ocop.core.models import ActivityLog
from ocop.registry.enums import ChangeRequestStatus, ProducerStatus
from ocop.registry.models import ChangeRequest, Producer

from ..factories import CertificateFactory, ProducerFactory, ProductFactory, unit
from ..registry.xlsx import row, workbook_bytes

pytestmark = pytest.mark.integration

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def genuine(producer_org):
    """A Bến Tre product with its genuine 4★ certificate, in force in 2024."""
    product = ProductFactory(producer=producer_org, name="Kẹo dừa sữa")
    return CertificateFactory(
        product=product,
        number="83-00001-2023",
        star=4,
        decision_date=datetime.date(2023, 3, 1),
        issued_on=datetime.date(2023, 3, 1),
        expires_on=datetime.date(2026, 3, 1),
    )


def _attack_row(producer_org, **extra):
    """A Tiền Giang row carrying the Bến Tre producer's tax code (its own province and commune)."""
    return row(
        **{
            "Tên sản phẩm": "Kẹo dừa sữa",
            "Chủ thể": producer_org.name,
            "Mã số thuế": producer_org.tax_code,
            "Tỉnh": "82",
            "Huyện": "",
            "Xã": "28249",
            "Hạng sao": 5,
            "Số quyết định": "99/QĐ-UBND",
            "Ngày quyết định": "01/06/2024",
            **extra,
        }
    )


# --- Item 1: cross-province certificates by import -------------------------------------------------


def test_import_row_with_another_provinces_tax_code_is_a_row_error(
    other_province_officer, producer_org, genuine, tmp_path
):
    path = tmp_path / "tien-giang.xlsx"
    path.write_bytes(workbook_bytes([_attack_row(producer_org)]))

    result = import_products(str(path), actor=other_province_officer)

    assert result.error_lines() == [
        f"Dòng 2: mã số thuế «{producer_org.tax_code}» là của một chủ thể nằm ngoài phạm vi quản lý của tài khoản"
    ]
    genuine.refresh_from_db()
    assert (list(Certificate.objects.all()), genuine.superseded_on) == ([genuine], None)


def test_import_page_refuses_the_cross_province_row(
    client_for, other_province_officer, producer_org, genuine
):
    client = client_for(other_province_officer)
    content = workbook_bytes([_attack_row(producer_org)])

    preview = client.post(
        reverse("backoffice:import_products"),
        {"file": SimpleUploadedFile("tg.xlsx", content, content_type=XLSX)},
    )

    assert preview.context["result"].error_lines() == [
        f"Dòng 2: mã số thuế «{producer_org.tax_code}» là của một chủ thể nằm ngoài phạm vi quản lý của tài khoản"
    ]
    assert reverse("backoffice:import_confirm") not in preview.content.decode()
    assert list(Certificate.objects.all()) == [genuine]


def test_import_row_matching_a_producer_awaiting_approval_is_a_row_error(province_officer, tmp_path):
    squatter = ProducerFactory(tax_code="1300123456", status=ProducerStatus.PENDING)
    path = tmp_path / "ben-tre.xlsx"
    path.write_bytes(workbook_bytes([row()]))

    result = import_products(str(path), actor=province_officer)

    assert result.error_lines() == [
        "Dòng 2: mã số thuế «1300123456» là của một chủ thể tự đăng ký chưa được văn phòng OCOP duyệt; "
        "duyệt hồ sơ chủ thể trước khi nhập"
    ]
    assert (Certificate.objects.count(), squatter.products.count()) == (0, 0)


def _producer_post(producer, **changes):
    data = {
        "name": producer.name,
        "kind": producer.kind,
        "tax_code": producer.tax_code,
        "commune": producer.commune_id,
        "representative": producer.representative,
        "lock_token": token_of(producer),
    }
    data.update(changes)
    return data


def test_producer_cannot_set_its_own_tax_code(client_for, producer, producer_org):
    before = producer_org.tax_code
    url = reverse("backoffice:producer_edit", args=[producer_org.pk])

    response = client_for(producer).post(url, _producer_post(producer_org, tax_code="0312345678"))

    producer_org.refresh_from_db()
    request = ChangeRequest.objects.get()
    assert response.status_code == 302
    assert producer_org.tax_code == before
    assert (request.status, request.product, request.changes["tax_code"]["to"]) == (
        ChangeRequestStatus.PENDING,
        None,
        "0312345678",
    )
    assert (
        ActivityLog.objects.filter(
            action="registry.producer.change_requested", object_id=str(producer_org.pk)
        ).count()
        == 1
    )


# --- Item 3: a producer moving itself to another province ------------------------------------------


def test_producer_moving_to_another_province_is_only_a_request(
    client_for, producer, producer_org, province_officer, other_province_officer, genuine
):
    url = reverse("backoffice:producer_edit", args=[producer_org.pk])
    cert_url = reverse("backoffice:certificate_detail", args=[genuine.pk])

    response = client_for(producer).post(url, _producer_post(producer_org, commune=unit("28249").pk))

    producer_org.refresh_from_db()
    assert response.status_code == 302
    assert producer_org.commune == unit("28756")
    assert ChangeRequest.objects.get().changes["commune"]["to"] == unit("28249").pk
    assert client_for(province_officer).get(cert_url).status_code == 200
    assert client_for(other_province_officer).get(cert_url).status_code == 404


def test_certificates_stay_with_the_issuing_province_after_an_approved_move(
    client_for, producer, producer_org, province_officer, other_province_officer, genuine
):
    client_for(producer).post(
        reverse("backoffice:producer_edit", args=[producer_org.pk]),
        _producer_post(producer_org, commune=unit("28249").pk),
    )
    request = ChangeRequest.objects.get()

    response = client_for(province_officer).post(
        reverse("backoffice:change_request_decide", args=[request.pk]), {"action": "approve"}
    )

    producer_org.refresh_from_db()
    request.refresh_from_db()
    assert response.status_code == 302
    assert (producer_org.commune, request.status, request.decided_by) == (
        unit("28249"),
        ChangeRequestStatus.APPROVED,
        province_officer,
    )
    cert_url = reverse("backoffice:certificate_detail", args=[genuine.pk])
    assert client_for(province_officer).get(cert_url).status_code == 200
    assert province_officer.has_perm("certificates.manage_certificate", genuine)
    assert client_for(other_province_officer).get(cert_url).status_code == 404
    assert not other_province_officer.has_perm("certificates.manage_certificate", genuine)
    log = ActivityLog.objects.get(action="registry.producer.change_approved")
    assert (log.actor, log.data["request"], log.object_id) == (
        province_officer,
        request.pk,
        str(producer_org.pk),
    )


def test_officer_cannot_move_a_producer_out_of_its_province(client_for, province_officer, producer_org):
    url = reverse("backoffice:producer_edit", args=[producer_org.pk])

    response = client_for(province_officer).post(url, _producer_post(producer_org, commune=unit("28249").pk))

    producer_org.refresh_from_db()
    assert response.status_code == 403
    assert escape(gettext("This commune is outside your province.")) in response.content.decode()
    assert producer_org.commune == unit("28756")


# --- #14: a certified product's name changes only through the office -------------------------------


def _product_post(product, **changes):
    data = {
        "name": product.name,
        "product_set": product.product_set,
        "status": product.status,
        "code": product.code,
        "lock_token": token_of(product),
    }
    data.update(changes)
    return data


def test_producer_renaming_a_certified_product_is_a_request(client_for, producer, genuine):
    product = genuine.product
    url = reverse("backoffice:product_edit", args=[product.pk])

    response = client_for(producer).post(
        url, _product_post(product, name="Kẹo dừa siêu hạng", product_set=1, description="Mới")
    )

    product.refresh_from_db()
    request = ChangeRequest.objects.get()
    assert response.status_code == 302
    assert (product.name, product.product_set, product.description) == ("Kẹo dừa sữa", 7, "Mới")
    assert (request.product, set(request.changes)) == (product, {"name", "product_set"})


def test_producer_renames_a_product_not_yet_certified_at_once(client_for, producer, producer_org):
    product = ProductFactory(producer=producer_org, name="Kẹo dừa")

    client_for(producer).post(
        reverse("backoffice:product_edit", args=[product.pk]), _product_post(product, name="Kẹo dừa non")
    )

    product.refresh_from_db()
    assert (product.name, ChangeRequest.objects.count()) == ("Kẹo dừa non", 0)


def test_office_refusal_leaves_the_product_as_rated(client_for, producer, province_officer, genuine):
    product = genuine.product
    client_for(producer).post(
        reverse("backoffice:product_edit", args=[product.pk]), _product_post(product, name="Tên khác")
    )
    request = ChangeRequest.objects.get()
    url = reverse("backoffice:change_request_decide", args=[request.pk])

    no_reason = client_for(province_officer).post(url, {"action": "refuse", "note": ""})
    refused = client_for(province_officer).post(
        url, {"action": "refuse", "note": "Tên chưa được hội đồng đánh giá"}
    )

    product.refresh_from_db()
    request.refresh_from_db()
    assert (no_reason.status_code, refused.status_code) == (400, 302)
    assert (product.name, request.status, request.note) == (
        "Kẹo dừa sữa",
        ChangeRequestStatus.REFUSED,
        "Tên chưa được hội đồng đánh giá",
    )
    assert ActivityLog.objects.filter(action="registry.product.change_refused").count() == 1


# --- The change request pages: role and scope -------------------------------------------------------


@pytest.fixture
def pending_move(producer, producer_org):
    from ocop.registry import domain

    domain.update_producer(producer_org, actor=producer, commune=unit("28249"))
    return ChangeRequest.objects.get()


def test_change_request_pages_wrong_role_is_403(client_for, producer, commune_officer, pending_move):
    detail = reverse("backoffice:change_request", args=[pending_move.pk])
    decide = reverse("backoffice:change_request_decide", args=[pending_move.pk])
    listing = reverse("backoffice:change_request_list")

    codes = [
        client_for(producer).get(listing).status_code,
        client_for(producer).get(detail).status_code,
        client_for(producer).post(decide, {"action": "approve"}).status_code,
        client_for(commune_officer).get(detail).status_code,
    ]

    pending_move.refresh_from_db()
    assert codes == [403, 403, 403, 403]
    assert pending_move.status == ChangeRequestStatus.PENDING


def test_change_request_pages_other_province_is_404(client_for, other_province_officer, pending_move):
    client = client_for(other_province_officer)

    detail = client.get(reverse("backoffice:change_request", args=[pending_move.pk]))
    decide = client.post(
        reverse("backoffice:change_request_decide", args=[pending_move.pk]), {"action": "approve"}
    )
    listing = client.get(reverse("backoffice:change_request_list"))

    pending_move.refresh_from_db()
    assert (detail.status_code, decide.status_code) == (404, 404)
    assert list(listing.context["page"].object_list) == []
    assert pending_move.status == ChangeRequestStatus.PENDING
    assert Producer.objects.get(pk=pending_move.producer_id).commune == unit("28756")


def test_change_request_list_shows_the_provinces_pending_requests(client_for, province_officer, pending_move):
    response = client_for(province_officer).get(reverse("backoffice:change_request_list"))

    assert list(response.context["page"].object_list) == [pending_move]
    assert "Chờ văn phòng duyệt" in response.content.decode()


def test_a_new_request_replaces_the_pending_one(producer, producer_org, pending_move):
    from ocop.registry import domain

    domain.update_producer(producer_org, actor=producer, commune=unit("28762"))

    pending_move.refresh_from_db()
    latest = ChangeRequest.objects.exclude(pk=pending_move.pk).get()
    assert (pending_move.status, latest.status) == (ChangeRequestStatus.REPLACED, ChangeRequestStatus.PENDING)


def test_a_handled_request_cannot_be_approved_again(client_for, province_officer, pending_move):
    url = reverse("backoffice:change_request_decide", args=[pending_move.pk])
    client_for(province_officer).post(url, {"action": "refuse", "note": "Không"})

    again = client_for(province_officer).post(url, {"action": "approve"})

    assert again.status_code == 409
    assert Producer.objects.get(pk=pending_move.producer_id).commune == unit("28756")

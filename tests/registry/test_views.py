import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ocop.core.locking import token_of
from ocop.core.models import ActivityLog
from ocop.registry.enums import ProducerStatus
from ocop.registry.models import Producer, Product

from ..factories import ProducerFactory, ProductFactory, unit

pytestmark = pytest.mark.integration


def _producer_data(commune, **extra):
    data = {
        "name": "Hợp tác xã Kẹo dừa Mỹ An",
        "kind": "cooperative",
        "tax_code": "1300999999",
        "commune": commune.pk,
        "representative": "Nguyễn Văn A",
    }
    data.update(extra)
    return data


def test_producer_list_shows_only_the_officers_province(client_for, vinh_long_officer, producer_org):
    other = ProducerFactory(commune=unit("28249"))  # Tiền Giang
    response = client_for(vinh_long_officer).get(reverse("backoffice:producer_list"))
    assert list(response.context["page"].object_list) == [producer_org]
    assert other.name not in response.content.decode()


def test_producer_list_search_ignores_diacritics(client_for, vinh_long_officer, producer_org):
    ProducerFactory(name="Công ty TNHH Bánh phồng Sơn Đốc")
    response = client_for(vinh_long_officer).get(reverse("backoffice:producer_list"), {"q": "hop tac XA dua"})
    assert list(response.context["page"].object_list) == [producer_org]


def test_producer_list_htmx_renders_only_results(client_for, vinh_long_officer, producer_org):
    response = client_for(vinh_long_officer).get(reverse("backoffice:producer_list"), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="results">')
    assert "<html" not in body


def test_producer_list_query_count_is_constant(client_for, vinh_long_officer, django_assert_num_queries):
    client = client_for(vinh_long_officer)
    ProducerFactory()
    # session, user, roles, count, page of producers with communes
    with django_assert_num_queries(5):
        client.get(reverse("backoffice:producer_list"))
    ProducerFactory.create_batch(2)
    with django_assert_num_queries(5):
        client.get(reverse("backoffice:producer_list"))


def test_producer_detail_of_other_province_is_404(client_for, other_province_officer, producer_org):
    response = client_for(other_province_officer).get(
        reverse("backoffice:producer_detail", args=[producer_org.pk])
    )
    assert response.status_code == 404


def test_commune_officer_can_view_but_not_edit(client_for, commune_officer, producer_org):
    client = client_for(commune_officer)
    assert client.get(reverse("backoffice:producer_detail", args=[producer_org.pk])).status_code == 200
    assert client.get(reverse("backoffice:producer_edit", args=[producer_org.pk])).status_code == 403


def test_producer_edits_own_profile_and_change_is_logged(client_for, producer, producer_org):
    data = _producer_data(
        producer_org.commune,
        name="HTX Dừa Xanh Lương Quới",
        tax_code=producer_org.tax_code,
        lock_token=token_of(producer_org),
    )
    response = client_for(producer).post(reverse("backoffice:producer_edit", args=[producer_org.pk]), data)
    assert response.status_code == 302
    producer_org.refresh_from_db()
    assert (producer_org.name, producer_org.name_folded) == (
        "HTX Dừa Xanh Lương Quới",
        "htx dua xanh luong quoi",
    )
    log = ActivityLog.objects.get(action="registry.producer.updated")
    assert log.actor == producer
    assert log.data["changes"]["name"][1] == "HTX Dừa Xanh Lương Quới"


def test_producer_cannot_open_another_producer(client_for, producer, other_producer):
    url = reverse("backoffice:producer_edit", args=[other_producer.producer.pk])
    assert client_for(producer).get(url).status_code == 404


def test_province_officer_creates_producer_with_bad_tax_code_gets_message(
    client_for, vinh_long_officer, ben_tre
):
    commune = unit("28804")
    response = client_for(vinh_long_officer).post(
        reverse("backoffice:producer_create"), _producer_data(commune, tax_code="12AB")
    )
    assert response.status_code == 200
    assert "tax_code" in response.context["form"].errors
    assert Producer.objects.count() == 0


def test_province_officer_cannot_create_producer_in_other_province(client_for, vinh_long_officer):
    response = client_for(vinh_long_officer).post(
        reverse("backoffice:producer_create"), _producer_data(unit("28249"))
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Xã này nằm ngoài tỉnh của bạn."
    ] or response.context["form"].non_field_errors() == ["This commune is outside your province."]
    assert Producer.objects.count() == 0


def test_province_officer_creates_producer_and_links_both_maps(client_for, vinh_long_officer):
    response = client_for(vinh_long_officer).post(
        reverse("backoffice:producer_create"), _producer_data(unit("28804"))
    )
    producer = Producer.objects.get()
    assert response.url == reverse("backoffice:producer_detail", args=[producer.pk])
    assert (producer.legacy_commune.code, producer.current_commune.province.code) == ("28804", "86")


def test_producer_creates_product_with_gtin_check(client_for, producer, producer_org):
    url = reverse("backoffice:product_create", args=[producer_org.pk])
    client = client_for(producer)
    bad = client.post(url, {"name": "Kẹo dừa", "product_set": 7, "gtin": "8934567890125", "status": "active"})
    assert "gtin" in bad.context["form"].errors
    good = client.post(
        url, {"name": "Kẹo dừa", "product_set": 7, "gtin": "8934567890120", "status": "active"}
    )
    product = Product.objects.get()
    assert good.url == reverse("backoffice:product_detail", args=[product.pk])
    assert (product.producer, product.gtin) == (producer_org, "8934567890120")
    assert ActivityLog.objects.filter(action="registry.product.created", actor=producer).count() == 1


def test_pending_producer_cannot_add_products(client_for, producer, producer_org):
    producer_org.status = ProducerStatus.PENDING
    producer_org.save()
    response = client_for(producer).post(
        reverse("backoffice:product_create", args=[producer_org.pk]),
        {"name": "X", "product_set": 7, "status": "active"},
    )
    assert response.status_code == 302
    assert Product.objects.count() == 0


def test_product_photo_that_lies_about_its_type_is_refused(client_for, producer, producer_org):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile(
        "photo.jpg", b"<html><script>alert(1)</script></html>", content_type="image/jpeg"
    )
    response = client_for(producer).post(
        reverse("backoffice:product_create", args=[producer_org.pk]),
        {"name": "Kẹo dừa", "product_set": 7, "status": "active", "photo": fake},
    )
    assert "photo" in response.context["form"].errors
    assert Product.objects.count() == 0


def test_province_officer_approves_pending_producer(client_for, vinh_long_officer):
    pending = ProducerFactory(status=ProducerStatus.PENDING)
    client_for(vinh_long_officer).post(
        reverse("backoffice:producer_status", args=[pending.pk]), {"status": "active"}
    )
    pending.refresh_from_db()
    assert pending.status == ProducerStatus.ACTIVE
    log = ActivityLog.objects.get(action="registry.producer.active")
    assert log.data == {"from": "pending", "to": "active", "reason": ""}


def test_producer_cannot_approve_itself(client_for, producer, producer_org):
    producer_org.status = ProducerStatus.PENDING
    producer_org.save()
    response = client_for(producer).post(
        reverse("backoffice:producer_status", args=[producer_org.pk]), {"status": "active"}
    )
    assert response.status_code == 403
    producer_org.refresh_from_db()
    assert producer_org.status == ProducerStatus.PENDING


def test_history_visible_to_province_officer_not_to_other(
    client_for, vinh_long_officer, other_province_officer
):
    product = ProductFactory()
    url = reverse("backoffice:history", args=["product", product.pk])
    assert client_for(vinh_long_officer).get(url).status_code == 200
    assert client_for(other_province_officer).get(url).status_code == 404


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("backoffice:producer_list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_current_map_officer_sees_legacy_ben_tre_producer(client_for, producer_org, admin_units):
    from ocop.accounts.enums import Role

    from ..factories import UserFactory, with_role

    officer = with_role(UserFactory(), Role.PROVINCE_OFFICER, unit=unit("86", map="current"))
    response = client_for(officer).get(reverse("backoffice:producer_detail", args=[producer_org.pk]))
    assert response.status_code == 200


def test_geo_picker_searches_without_diacritics(client, admin_units):
    province = unit("83")
    response = client.get(
        reverse("backoffice:geo_picker"), {"map": "legacy", "province": province.pk, "q": "tan thach"}
    )
    assert [c.code for c in response.context["communes"]] == ["28804"]


def test_product_list_shows_todays_star_in_constant_queries(
    client_for, vinh_long_officer, django_assert_num_queries
):
    import datetime

    from ocop.core.dates import today

    from ..factories import CertificateFactory

    client = client_for(vinh_long_officer)
    start = today() - datetime.timedelta(days=10)
    CertificateFactory(star=4, issued_on=start, expires_on=start + datetime.timedelta(days=900))
    # session, user, roles, count, page of products (with today's star as a subquery)
    with django_assert_num_queries(5):
        response = client.get(reverse("backoffice:product_list"))
    assert [p.current_star for p in response.context["page"]] == [4]
    CertificateFactory(star=3, issued_on=start - datetime.timedelta(days=2000), expires_on=start)  # expired
    ProductFactory()
    with django_assert_num_queries(5):
        response = client.get(reverse("backoffice:product_list"))
    assert sorted(p.current_star or 0 for p in response.context["page"]) == [0, 0, 4]


def test_product_edit_form_query_count(
    client_for, vinh_long_officer, producer_org, django_assert_num_queries
):
    """Issue #16: the producer's communes, which the permission rules read, come with the product."""
    product = ProductFactory(producer=producer_org)
    client = client_for(vinh_long_officer)
    # session, user, roles, the product with its producer and communes, pending change requests
    with django_assert_num_queries(5):
        response = client.get(reverse("backoffice:product_edit", args=[product.pk]))
    assert response.status_code == 200


def test_product_save_reads_the_communes_with_the_lock(client_for, vinh_long_officer, producer_org):
    """Issue #16: the save's locked re-read brings the producer's communes (the rules read them), so
    the save reads no commune on its own; it still logs and publishes."""
    product = ProductFactory(producer=producer_org, packaging="Hộp giấy")
    data = {
        "name": product.name,
        "product_set": product.product_set,
        "status": product.status,
        "packaging": "Hũ thủy tinh",
        "lock_token": token_of(product),
    }
    client = client_for(vinh_long_officer)
    with CaptureQueriesContext(connection) as captured:
        response = client.post(reverse("backoffice:product_edit", args=[product.pk]), data)
    assert response.status_code == 302
    assert not [q for q in captured.captured_queries if 'FROM "geo_adminunit"' in q["sql"]]
    assert Product.objects.get(pk=product.pk).packaging == "Hũ thủy tinh"
    assert ActivityLog.objects.filter(action="registry.product.updated", object_id=str(product.pk)).exists()

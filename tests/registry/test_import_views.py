"""The import page: upload, preview with every bad row, confirm; permissions and scope; bad files."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils.translation import gettext

from ocop.certificates.models import Certificate
from ocop.core.models import ActivityLog
from ocop.registry.models import Producer, Product

from .xlsx import row, workbook_bytes

pytestmark = pytest.mark.integration

URL = reverse("backoffice:import_products")
CONFIRM = reverse("backoffice:import_confirm")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

ROWS = [
    row(),
    row(**{"Tên sản phẩm": "Kẹo dừa lá dứa", "Hạng sao": "3 sao"}),
]


def upload(client, content, name="danh-sach.xlsx"):
    return client.post(URL, {"file": SimpleUploadedFile(name, content, content_type=XLSX)})


def counts():
    return Producer.objects.count(), Product.objects.count(), Certificate.objects.count()


def test_anonymous_is_sent_to_login(client, admin_units):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_producer_gets_403(client_for, producer):
    client = client_for(producer)

    responses = [client.get(URL), upload(client, workbook_bytes(ROWS)), client.post(CONFIRM, {"token": "x"})]

    assert [r.status_code for r in responses] == [403, 403, 403]
    assert counts() == (1, 0, 0)  # only the producer persona's own organisation


def test_province_officer_previews_then_confirms(client_for, vinh_long_officer):
    client = client_for(vinh_long_officer)

    preview = upload(client, workbook_bytes(ROWS))

    assert preview.status_code == 200
    assert counts() == (0, 0, 0)
    result = preview.context["result"]
    assert (result.ok, result.dry_run, result.created) == (
        True,
        True,
        {"producers": 1, "products": 2, "certificates": 2},
    )
    token = preview.context["token"]
    assert token and f'value="{token}"' in preview.content.decode()
    assert "Phường Phú Khương, Thành phố Bến Tre, Tỉnh Bến Tre" in preview.content.decode()

    done = client.post(CONFIRM, {"token": token}, follow=True)

    assert done.redirect_chain == [(URL, 302)]
    assert counts() == (1, 2, 2)
    summary = ActivityLog.objects.get(action="registry.import.completed")
    assert (summary.actor, summary.data["created"]) == (
        vinh_long_officer,
        {"producers": 1, "products": 2, "certificates": 2},
    )
    assert [m.level_tag for m in done.context["messages"]] == ["success"]
    # The file is gone: confirming again imports nothing and says so.
    again = client.post(CONFIRM, {"token": token}, follow=True)
    assert counts() == (1, 2, 2)
    assert [str(m) for m in again.context["messages"]] == [
        gettext("The uploaded file is no longer available; please upload it again.")
    ]


def test_preview_lists_every_bad_row_and_offers_no_confirmation(client_for, vinh_long_officer):
    client = client_for(vinh_long_officer)
    rows = [
        row(),
        row(**{"Hạng sao": 7, "Tên sản phẩm": "Bánh"}),
        row(**{"Xã": "Không Có", "Tên sản phẩm": "Mứt"}),
    ]

    response = upload(client, workbook_bytes(rows))

    assert response.context["error_lines"] == [
        "Dòng 3: hạng sao «7» không hợp lệ (chỉ 3, 4 hoặc 5 sao)",
        "Dòng 4: không có xã «Không Có» thuộc Thành phố Bến Tre, Tỉnh Bến Tre (trước 01/07/2025)",
    ]
    body = response.content.decode()
    assert "Dòng 3: hạng sao «7» không hợp lệ (chỉ 3, 4 hoặc 5 sao)" in body
    assert CONFIRM not in body
    assert client.post(CONFIRM, {"token": "anything"}).status_code == 302
    assert counts() == (0, 0, 0)


def test_other_province_officer_cannot_import_rows_outside_their_province(client_for, dong_thap_officer):
    client = client_for(dong_thap_officer)

    response = upload(client, workbook_bytes(ROWS))

    assert response.context["error_lines"] == [
        "Dòng 2: Phường Phú Khương, Tỉnh Bến Tre nằm ngoài phạm vi quản lý của tài khoản",
        "Dòng 3: Phường Phú Khương, Tỉnh Bến Tre nằm ngoài phạm vi quản lý của tài khoản",
    ]
    assert [str(m) for m in response.context["messages"]] == [
        gettext("Nothing can be imported: correct the rows listed below and upload again.")
    ]
    assert CONFIRM not in response.content.decode()
    assert counts() == (0, 0, 0)


def test_province_officer_of_the_legacy_province_may_import_its_rows_after_the_reform(
    client_for, vinh_long_officer
):
    # A 2025-09 Vĩnh Long row in a commune that was Bến Tre's: inside the Bến Tre officer's scope.
    rows = [row(**{"Tỉnh": "Vĩnh Long", "Huyện": "", "Xã": "Phú Khương", "Ngày quyết định": "15/09/2025"})]

    response = upload(client_for(vinh_long_officer), workbook_bytes(rows))

    assert (response.context["result"].ok, response.context["error_lines"]) == (True, [])


def test_a_file_that_is_not_an_xlsx_is_refused_by_content(client_for, vinh_long_officer):
    client = client_for(vinh_long_officer)

    response = upload(client, b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n" * 20, name="danh-sach.xlsx")

    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        gettext("This file type is not accepted. Accepted: %(types)s.") % {"types": "XLSX"}
    ]
    assert "result" not in response.context
    assert counts() == (0, 0, 0)


def test_a_zip_that_is_not_a_workbook_is_refused(client_for, vinh_long_officer):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<broken")

    response = upload(client_for(vinh_long_officer), buffer.getvalue())

    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        gettext("The file is not a readable Excel workbook (.xlsx).")
    ]
    assert counts() == (0, 0, 0)


@override_settings(MAX_UPLOAD_MB=1)
def test_a_file_that_is_too_large_is_refused(client_for, vinh_long_officer):
    content = workbook_bytes(ROWS) + b"\0" * (1024 * 1024 + 1)

    response = upload(client_for(vinh_long_officer), content)

    assert response.context["form"].errors["file"] == [
        gettext("The file is too large (%(size)s MB); the limit is %(max)s MB.")
        % {"size": "1,0", "max": 1}  # decimal comma
    ]
    assert counts() == (0, 0, 0)


def test_a_missing_column_is_shown_on_the_form(client_for, vinh_long_officer):
    from .xlsx import HEADERS

    content = workbook_bytes(ROWS, headers=[h for h in HEADERS if h != "Xã*"])

    response = upload(client_for(vinh_long_officer), content)

    assert response.context["form"].errors["file"] == [
        gettext("Required columns are missing from the first row: %(columns)s.") % {"columns": "Xã"}
    ]


def test_menu_shows_import_to_province_officers_only(client_for, vinh_long_officer, producer):
    officer_page = client_for(vinh_long_officer).get(reverse("backoffice:home"))
    producer_page = client_for(producer).get(reverse("backoffice:home"))

    assert URL in officer_page.content.decode()
    assert URL not in producer_page.content.decode()

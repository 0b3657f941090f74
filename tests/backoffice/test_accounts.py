"""Staff accounts in the office: a provincial officer creates and edits the accounts of its province's
staff, gives and removes roles, resets passwords, deactivates; wrong role 403, other province 404."""

import pytest
from django.core import mail

from ocop.accounts.domain import profile_token
from ocop.accounts.enums import Role
from ocop.accounts.models import RoleAssignment, User
from ocop.core.models import ActivityLog
from tests.factories import PASSWORD, UserFactory, unit, with_role

pytestmark = pytest.mark.integration


def _actions(user):
    return list(
        ActivityLog.objects.filter(object_id=str(user.pk), action__startswith="accounts.")
        .order_by("id")
        .values_list("action", flat=True)
    )


def _messages(response):
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def staff(ben_tre):
    """A council member of Bến Tre, administered by the Bến Tre officer."""
    return with_role(
        UserFactory(username="hoidong1", email="hd1@example.vn"), Role.COUNCIL_MEMBER, unit=ben_tre
    )


@pytest.fixture
def vinh_long_officer(admin_units):
    return with_role(UserFactory(username="vinhlong"), Role.PROVINCE_OFFICER, unit=unit("86", map="current"))


def test_officer_creates_council_member_with_one_time_password(client_for, province_officer, ben_tre):
    response = client_for(province_officer).post(
        "/office/accounts/new/",
        {
            "username": "tran.b",
            "full_name": "Trần Văn B",
            "email": "",
            "role": Role.COUNCIL_MEMBER,
            "unit": str(ben_tre.pk),
            "method": "one_time",
            "password": "Mot-lan-2026!",
        },
    )
    user = User.objects.get(username="tran.b")
    assert (response.status_code, response.url) == (302, f"/office/accounts/{user.pk}/")
    assert list(user.roles.values_list("role", "unit")) == [(Role.COUNCIL_MEMBER, ben_tre.pk)]
    assert (user.must_change_password, user.check_password("Mot-lan-2026!")) == (True, True)
    assert _actions(user) == ["accounts.user.created"]


def test_one_time_password_forces_a_change_then_clears(client_for, province_officer, ben_tre):
    client_for(province_officer).post(
        "/office/accounts/new/",
        {
            "username": "tran.c",
            "full_name": "Trần Văn C",
            "role": Role.ADVISORY_MEMBER,
            "unit": str(ben_tre.pk),
            "method": "one_time",
            "password": "Mot-lan-2026!",
        },
    )
    user = User.objects.get(username="tran.c")
    client = client_for(user)
    assert client.get("/office/").url == "/accounts/password/change/"
    response = client.post(
        "/accounts/password/change/",
        {
            "old_password": "Mot-lan-2026!",
            "new_password1": "Cua-toi-2026!x",
            "new_password2": "Cua-toi-2026!x",
        },
    )
    user.refresh_from_db()
    assert (response.status_code, user.must_change_password, client.get("/office/").status_code) == (
        302,
        False,
        200,
    )
    assert _actions(user) == ["accounts.user.created", "accounts.user.password_changed"]


def test_create_with_email_mails_a_link(
    client_for, province_officer, producer_org, django_capture_on_commit_callbacks
):
    commune = producer_org.commune
    with django_capture_on_commit_callbacks(execute=True):
        client_for(province_officer).post(
            "/office/accounts/new/",
            {
                "username": "canbo.xa",
                "full_name": "Lê Thị D",
                "email": "d@example.vn",
                "role": Role.COMMUNE_OFFICER,
                "unit": str(commune.pk),
                "method": "email",
            },
        )
    user = User.objects.get(username="canbo.xa")
    assert (user.has_usable_password(), [m.to for m in mail.outbox]) == (False, [["d@example.vn"]])
    assert "/accounts/password/reset/" in mail.outbox[0].body


def test_create_bad_input_keeps_values_and_writes_nothing(
    client_for, province_officer, ben_tre, producer_org
):
    response = client_for(province_officer).post(
        "/office/accounts/new/",
        {
            "username": "canbo xa",
            "full_name": "Lê Thị D",
            "role": Role.COMMUNE_OFFICER,
            "unit": str(producer_org.commune.pk),
            "method": "email",
        },
    )
    assert (response.status_code, _messages(response)) == (
        200,
        ["Tên đăng nhập gồm 3 đến 150 chữ cái, chữ số và . _ - (không dấu cách, không dấu)."],
    )
    assert 'value="Lê Thị D"' in response.content.decode()
    assert User.objects.filter(full_name="Lê Thị D").count() == 0


def test_create_commune_officer_on_the_province_refused(client_for, province_officer, ben_tre):
    response = client_for(province_officer).post(
        "/office/accounts/new/",
        {
            "username": "canbo.e",
            "full_name": "Lê E",
            "email": "e@example.vn",
            "role": Role.COMMUNE_OFFICER,
            "unit": str(ben_tre.pk),
        },
    )
    assert _messages(response) == ["Đơn vị của cán bộ xã là một xã thuộc tỉnh của bạn."]
    assert not User.objects.filter(username="canbo.e").exists()


def test_create_unit_of_another_province_refused(client_for, province_officer, tien_giang):
    response = client_for(province_officer).post(
        "/office/accounts/new/",
        {
            "username": "canbo.f",
            "full_name": "Lê F",
            "email": "f@example.vn",
            "role": Role.COUNCIL_MEMBER,
            "unit": str(tien_giang.pk),
        },
    )
    assert _messages(response) == ["Chọn đơn vị của vai trò."]
    assert not User.objects.filter(username="canbo.f").exists()


def test_accounts_pages_refuse_commune_officer_403(client_for, commune_officer, staff):
    client = client_for(commune_officer)
    assert [
        client.get("/office/accounts/").status_code,
        client.get("/office/accounts/new/").status_code,
        client.get(f"/office/accounts/{staff.pk}/").status_code,
        client.post(f"/office/accounts/{staff.pk}/active/", {"active": "0", "confirm": "yes"}).status_code,
    ] == [403, 403, 403, 403]
    assert User.objects.get(pk=staff.pk).is_active is True


def test_account_of_other_province_404(client_for, other_province_officer, staff):
    client = client_for(other_province_officer)
    assert [
        client.get(f"/office/accounts/{staff.pk}/").status_code,
        client.post(f"/office/accounts/{staff.pk}/password/", {"method": "email"}).status_code,
    ] == [404, 404]
    assert _actions(staff) == []


def test_officer_cannot_touch_a_producer_or_another_officer(client_for, province_officer, producer, ben_tre):
    colleague = with_role(UserFactory(username="colleague"), Role.PROVINCE_OFFICER, unit=ben_tre)
    client = client_for(province_officer)
    assert [client.get(f"/office/accounts/{u.pk}/").status_code for u in (producer, colleague)] == [404, 404]


def test_list_shows_the_province_staff_only(client_for, province_officer, staff, tien_giang):
    with_role(UserFactory(username="tg"), Role.COUNCIL_MEMBER, unit=tien_giang)
    client = client_for(province_officer)
    client.get("/office/")
    response = client.get("/office/accounts/")
    assert list(response.context["accounts"]) == [staff]


def test_vinh_long_officer_sees_its_staff(client_for, vinh_long_officer, staff):
    vl = unit("86", map="current")
    mine = with_role(UserFactory(username="vl.hd"), Role.COUNCIL_MEMBER, unit=vl)
    response = client_for(vinh_long_officer).get("/office/accounts/")
    assert list(response.context["accounts"]) == [mine]


def test_edit_profile_logs_the_change(client_for, province_officer, staff):
    client_for(province_officer).post(
        f"/office/accounts/{staff.pk}/edit/",
        {"full_name": "Nguyễn Hội Đồng", "email": "moi@example.vn", "phone": "", "lock_token": profile_token(staff)},
    )
    staff.refresh_from_db()
    entry = ActivityLog.objects.get(action="accounts.user.updated")
    assert (staff.full_name, staff.email) == ("Nguyễn Hội Đồng", "moi@example.vn")
    assert set(entry.data["changed"]) == {"full_name", "email"}


def test_edit_bad_email_refused(client_for, province_officer, staff):
    response = client_for(province_officer).post(
        f"/office/accounts/{staff.pk}/edit/",
        {"full_name": "X", "email": "not-an-email", "lock_token": profile_token(staff)},
        follow=True,
    )
    assert _messages(response) == ["Nhập một địa chỉ email hợp lệ."]
    assert User.objects.get(pk=staff.pk).email == "hd1@example.vn"


def test_edit_from_a_stale_form_is_refused_and_keeps_the_first_save(client_for, province_officer, staff):
    """#12 item 8 (lost update): two tabs opened on one account; the second save is refused."""
    client = client_for(province_officer)
    opened = client.get(f"/office/accounts/{staff.pk}/").context["lock_token"]
    first = {"full_name": "Tab Một", "email": "hd1@example.vn", "phone": "", "lock_token": opened}
    client.post(f"/office/accounts/{staff.pk}/edit/", first)
    second = {"full_name": "Tab Hai", "email": "hai@example.vn", "phone": "", "lock_token": opened}
    response = client.post(f"/office/accounts/{staff.pk}/edit/", second, follow=True)
    staff.refresh_from_db()
    assert (staff.full_name, staff.email) == ("Tab Một", "hd1@example.vn")
    assert _messages(response)[-1].startswith("Có người đã lưu bản ghi này sau khi bạn mở biểu mẫu")
    assert ActivityLog.objects.filter(action="accounts.user.updated").count() == 1
    without = client.post(f"/office/accounts/{staff.pk}/edit/", {**second, "lock_token": ""}, follow=True)
    assert _messages(without)[-1].startswith("Có người đã lưu") and User.objects.get(pk=staff.pk).full_name == "Tab Một"


def test_give_and_remove_role(client_for, province_officer, staff, ben_tre):
    client = client_for(province_officer)
    client.post(
        f"/office/accounts/{staff.pk}/roles/", {"role": Role.ADVISORY_MEMBER, "unit": str(ben_tre.pk)}
    )
    advisory = RoleAssignment.objects.get(user=staff, role=Role.ADVISORY_MEMBER)
    client.post(f"/office/accounts/{staff.pk}/roles/{advisory.pk}/remove/")
    assert list(staff.roles.values_list("role", flat=True)) == [Role.COUNCIL_MEMBER]
    assert _actions(staff) == ["accounts.role.assigned", "accounts.role.removed"]


def test_last_role_cannot_be_removed(client_for, province_officer, staff):
    only = staff.roles.get()
    response = client_for(province_officer).post(
        f"/office/accounts/{staff.pk}/roles/{only.pk}/remove/", follow=True
    )
    assert _messages(response) == [
        "Đây là vai trò duy nhất của tài khoản; hãy khóa tài khoản thay vì xóa vai trò."
    ]
    assert staff.roles.count() == 1


def test_reset_password_by_mail_and_one_time(
    client_for, province_officer, staff, django_capture_on_commit_callbacks
):
    client = client_for(province_officer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/office/accounts/{staff.pk}/password/", {"method": "email"})
    client.post(
        f"/office/accounts/{staff.pk}/password/", {"method": "one_time", "password": "Tam-thoi-2026!"}
    )
    staff.refresh_from_db()
    assert (
        [m.to for m in mail.outbox],
        staff.must_change_password,
        staff.check_password("Tam-thoi-2026!"),
    ) == (
        [["hd1@example.vn"]],
        True,
        True,
    )
    assert [
        e.data["method"]
        for e in ActivityLog.objects.filter(action="accounts.user.password_reset").order_by("id")
    ] == [
        "email",
        "one_time",
    ]


def test_weak_one_time_password_refused(client_for, province_officer, staff):
    response = client_for(province_officer).post(
        f"/office/accounts/{staff.pk}/password/", {"method": "one_time", "password": "123"}, follow=True
    )
    staff.refresh_from_db()
    assert (len(_messages(response)), staff.check_password(PASSWORD), _actions(staff)) == (1, True, [])


def test_deactivate_needs_confirmation_then_blocks_login(client_for, province_officer, staff, client):
    officer = client_for(province_officer)
    refused = officer.post(f"/office/accounts/{staff.pk}/active/", {"active": "0"}, follow=True)
    assert (_messages(refused), User.objects.get(pk=staff.pk).is_active) == (
        ["Đánh dấu ô để xác nhận việc khóa tài khoản."],
        True,
    )
    officer.post(f"/office/accounts/{staff.pk}/active/", {"active": "0", "confirm": "yes"})
    assert User.objects.get(pk=staff.pk).is_active is False
    login = client.post("/accounts/login/", {"username": "hoidong1", "password": PASSWORD})
    assert (login.status_code, _actions(staff)) == (200, ["accounts.user.deactivated"])


def test_history_reads_as_sentences(client_for, province_officer, staff, ben_tre):
    client = client_for(province_officer)
    client.post(
        f"/office/accounts/{staff.pk}/roles/", {"role": Role.ADVISORY_MEMBER, "unit": str(ben_tre.pk)}
    )
    html = client.get(f"/office/accounts/{staff.pk}/").content.decode()
    assert "Đã giao vai trò (vai trò thành viên Tổ tư vấn; đơn vị Tỉnh Bến Tre)" in html
    assert "accounts.role.assigned" not in html

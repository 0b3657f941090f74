"""Office pages: scope (wrong province → 404, wrong role → 403), bad input as a message, query counts."""

import pytest

from ocop.evaluation import domain
from ocop.evaluation.models import Dossier
from ocop.evaluation.queries import dossiers_for

from .conftest import answers, complete_dossier

pytestmark = pytest.mark.integration


def test_dossier_page_for_owner(client_for, producer, draft):
    response = client_for(producer).get(f"/office/evaluation/dossiers/{draft.pk}/")
    assert (response.status_code, response.context["can_edit"], response.context["dossier"]) == (
        200,
        True,
        draft,
    )


def test_dossier_page_other_province_404(client_for, other_province_officer, draft):
    assert (
        client_for(other_province_officer).get(f"/office/evaluation/dossiers/{draft.pk}/").status_code == 404
    )


def test_dossier_page_other_producer_404(client_for, other_producer, draft):
    assert client_for(other_producer).get(f"/office/evaluation/dossiers/{draft.pk}/").status_code == 404


def test_submit_by_commune_officer_403(client_for, commune_officer, draft):
    response = client_for(commune_officer).post(f"/office/evaluation/dossiers/{draft.pk}/submit/")
    assert (response.status_code, Dossier.objects.get(pk=draft.pk).state) == (403, "draft")


def test_incomplete_submit_shows_message(client_for, producer, draft):
    response = client_for(producer).post(f"/office/evaluation/dossiers/{draft.pk}/submit/", follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert (
        Dossier.objects.get(pk=draft.pk).state,
        messages[0].startswith("Hồ sơ chưa đầy đủ") or messages[0].startswith("The dossier is incomplete"),
    ) == ("draft", True)


def test_scoring_page_bounded_queries(client_for, council_member, in_scoring, django_assert_max_num_queries):
    client = client_for(council_member)
    domain.save_scoresheet(in_scoring, actor=council_member, answers=answers(in_scoring.rubric.tree))
    with django_assert_max_num_queries(14):
        response = client.get(f"/office/evaluation/dossiers/{in_scoring.pk}/score/")
    assert (response.status_code, response.context["sheet"].member) == (200, council_member)


def test_scoring_page_producer_403(client_for, producer, in_scoring):
    assert client_for(producer).get(f"/office/evaluation/dossiers/{in_scoring.pk}/score/").status_code == 403


def test_score_post_bad_option_message(client_for, council_member, in_scoring):
    response = client_for(council_member).post(
        f"/office/evaluation/dossiers/{in_scoring.pk}/score/", {"c:1.1": "7-1", "action": "save"}, follow=True
    )
    assert ([m.level_tag for m in response.context["messages"]], in_scoring.scoresheets.count()) == (
        ["error"],
        0,
    )


def test_evidence_download_is_attachment(client_for, producer, draft):
    complete_dossier(draft, producer)
    evidence = draft.evidence.first()
    response = client_for(producer).get(f"/office/evaluation/dossiers/{draft.pk}/evidence/{evidence.pk}/")
    response.close()
    assert (response["Content-Type"], response["Content-Disposition"].startswith("attachment;")) == (
        "application/pdf",
        True,
    )


def test_practice_page_public(db):
    from django.test import Client

    response = Client().get("/practice/?set=QD1048-2019&product_set=1")
    assert (response.status_code, response.context["rubric"].criteria_set.code) == (200, "QD1048-2019")


def test_practice_score_partial_answers(db):
    from django.test import Client

    response = Client().post("/practice/QD1048-2019/1/score/", {"c:A1.1": "A1.1-3"}, HTTP_HX_REQUEST="true")
    assert (response.status_code, response.context["answered"], response.context["total_criteria"]) == (
        200,
        1,
        31,
    )


def test_round_minutes_pdf_for_officer_and_403_for_producer(client_for, province_officer, producer, round_):
    response = client_for(province_officer).get(f"/office/evaluation/rounds/{round_.pk}/minutes.pdf")
    assert (response.status_code, response["Content-Type"], response.content[:5]) == (
        200,
        "application/pdf",
        b"%PDF-",
    )
    assert client_for(producer).get(f"/office/evaluation/rounds/{round_.pk}/minutes.pdf").status_code == 403


def test_certificate_pdf_other_province_404(client_for, other_province_officer, producer_org):
    from tests.factories import CertificateFactory, ProductFactory

    certificate = CertificateFactory(product=ProductFactory(producer=producer_org))
    response = client_for(other_province_officer).get(
        f"/office/evaluation/certificates/{certificate.number}.pdf"
    )
    assert response.status_code == 404


def test_marking_notifications_read_is_logged_and_own_only(client_for, producer, commune_officer):
    from ocop.core.models import ActivityLog
    from ocop.evaluation.models import Notification

    mine = [Notification.objects.create(user=producer, verb="returned", title=f"N{i}") for i in range(2)]
    theirs = Notification.objects.create(user=commune_officer, verb="submitted", title="X")
    response = client_for(producer).post("/office/evaluation/notifications/")
    log = ActivityLog.objects.get(action="evaluation.notifications.read")
    assert (
        response.status_code,
        Notification.objects.filter(pk__in=[n.pk for n in mine], read_at__isnull=True).count(),
        Notification.objects.get(pk=theirs.pk).read_at,
        (log.actor, log.object_id, log.data),
    ) == (302, 0, None, (producer, str(producer.pk), {"count": 2}))


def test_marking_notifications_read_for_someone_else_is_refused(producer, commune_officer):
    from django.core.exceptions import PermissionDenied

    from ocop.evaluation.models import Notification

    Notification.objects.create(user=producer, verb="returned", title="N")
    with pytest.raises(PermissionDenied):
        domain.mark_notifications_read(producer, actor=commune_officer)
    assert Notification.objects.filter(read_at__isnull=True).count() == 1


def test_dossier_scope_needs_no_distinct(
    council_member, producer, province_officer, other_province_officer, in_scoring, django_assert_num_queries
):
    """Issue #16: the scope is two subqueries (own products, rounds the user sits on), no join on the
    memberships, so no SELECT DISTINCT over every column of the dossier page and scoresheet save; it
    keeps the same dossiers, each once."""
    for user, expected in (
        (council_member, [in_scoring]),
        (producer, [in_scoring]),
        (province_officer, [in_scoring]),
        (other_province_officer, []),
    ):
        scope = dossiers_for(user)
        assert (scope.query.distinct, list(scope)) == (False, expected)
    with django_assert_num_queries(1) as captured:
        dossiers_for(council_member).select_related("round", "product").get(pk=in_scoring.pk)
    assert "DISTINCT" not in captured.captured_queries[0]["sql"]

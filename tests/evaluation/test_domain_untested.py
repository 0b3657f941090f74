"""Domain functions of the dossier that had no test of their own: withdrawing a dossier, removing a
piece of evidence, closing the scoring of several dossiers at once. Each: the state it leaves, its log
row, and a refusal that changes nothing."""

import pytest
from django.core.exceptions import PermissionDenied

from ocop.core.errors import InvalidTransition
from ocop.core.models import ActivityLog
from ocop.evaluation import domain
from ocop.evaluation.enums import DossierState, EvidenceKind
from ocop.evaluation.models import Dossier, Evidence

from .conftest import answers, pdf

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def _log(dossier, action):
    return ActivityLog.objects.filter(object_id=str(dossier.pk), action=action)


def test_withdraw_dossier_by_its_producer(draft, producer):
    domain.withdraw_dossier(draft, actor=producer, reason="Chưa đủ sản lượng")
    assert Dossier.objects.get(pk=draft.pk).state == DossierState.WITHDRAWN
    log = _log(draft, "evaluation.dossier.withdrawn").get()
    assert (log.actor, log.data) == (producer, {"from": DossierState.DRAFT, "reason": "Chưa đủ sản lượng"})


def test_withdraw_dossier_refused_changes_nothing(draft, producer, other_producer):
    with pytest.raises(PermissionDenied):
        domain.withdraw_dossier(draft, actor=other_producer, reason="Không phải của tôi")
    domain.withdraw_dossier(draft, actor=producer)
    with pytest.raises(InvalidTransition):  # a final state
        domain.withdraw_dossier(draft, actor=producer)
    assert Dossier.objects.get(pk=draft.pk).state == DossierState.WITHDRAWN
    assert _log(draft, "evaluation.dossier.withdrawn").count() == 1


def test_remove_evidence_deletes_row_and_file(draft, producer):
    evidence = domain.add_evidence(draft, pdf("giay-phep.pdf"), actor=producer, kind=EvidenceKind.PHOTO)
    storage, path = evidence.file.storage, evidence.file.name
    assert storage.exists(path)
    domain.remove_evidence(evidence, actor=producer)
    assert not Evidence.objects.filter(pk=evidence.pk).exists()
    assert not storage.exists(path)
    log = _log(draft, "evaluation.dossier.evidence_removed").get()
    assert (log.actor, log.data) == (producer, {"name": "giay-phep.pdf"})


def test_remove_evidence_refused_changes_nothing(draft, producer, other_producer, vinh_long_officer):
    evidence = domain.add_evidence(draft, pdf(), actor=producer, kind=EvidenceKind.PHOTO)
    for actor in (other_producer, vinh_long_officer):  # only the dossier's owner edits it
        with pytest.raises(PermissionDenied):
            domain.remove_evidence(evidence, actor=actor)
    domain.withdraw_dossier(draft, actor=producer)
    with pytest.raises(InvalidTransition):  # no longer a draft
        domain.remove_evidence(evidence, actor=producer)
    assert Evidence.objects.filter(pk=evidence.pk).exists()
    assert evidence.file.storage.exists(evidence.file.name)
    assert not _log(draft, "evaluation.dossier.evidence_removed").exists()


def test_close_scoring_many_closes_each_dossier(in_scoring, members, vinh_long_officer):
    tree = in_scoring.rubric.tree
    for member in members:
        domain.save_scoresheet(in_scoring, actor=member, answers=answers(tree), submit=True)
    closed = domain.close_scoring_many([in_scoring], actor=vinh_long_officer)
    assert [(d.pk, d.state) for d in closed] == [(in_scoring.pk, DossierState.SCORED)]
    assert Dossier.objects.get(pk=in_scoring.pk).state == DossierState.SCORED
    assert _log(in_scoring, "evaluation.dossier.scored").get().actor == vinh_long_officer
    assert domain.close_scoring_many([], actor=vinh_long_officer) == []


def test_close_scoring_many_refused_changes_nothing(in_scoring, members, producer, vinh_long_officer):
    tree = in_scoring.rubric.tree
    for member in members:
        domain.save_scoresheet(in_scoring, actor=member, answers=answers(tree), submit=True)
    with pytest.raises(PermissionDenied):
        domain.close_scoring_many([in_scoring], actor=producer)
    assert Dossier.objects.get(pk=in_scoring.pk).state == DossierState.SCORING
    assert not _log(in_scoring, "evaluation.dossier.scored").exists()

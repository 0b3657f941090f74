from django.urls import path

from .views import evaluation as v
from .views import evaluation_criteria as c
from .views import evaluation_procedure as qd26
from .views import rounds as r

urlpatterns = [
    path("evaluation/rounds/", v.round_list, name="evaluation_rounds"),
    path("evaluation/rounds/new/", v.round_create, name="evaluation_round_create"),
    path("evaluation/rounds/<int:pk>/", v.round_detail, name="evaluation_round"),
    path("evaluation/rounds/<int:pk>/members/", r.member_add, name="evaluation_member_add"),
    path("evaluation/rounds/<int:pk>/close-scoring/", v.round_close_scoring, name="evaluation_round_close"),
    path("evaluation/rounds/<int:pk>/decisions/", v.decision_create, name="evaluation_decision_create"),
    path("evaluation/rounds/<int:pk>/minutes.pdf", v.round_minutes_pdf, name="evaluation_minutes_pdf"),
    path("evaluation/decisions/<int:pk>/", v.decision_detail, name="evaluation_decision"),
    path("evaluation/decisions/<int:pk>/record/", v.decision_record, name="evaluation_decision_record"),
    path("evaluation/decisions/<int:pk>/pdf/", v.decision_pdf, name="evaluation_decision_pdf"),
    path("evaluation/dossiers/", v.dossier_list, name="evaluation_dossiers"),
    path("evaluation/dossiers/new/", v.dossier_create, name="evaluation_dossier_create"),
    path("evaluation/dossiers/<int:pk>/", v.dossier_detail, name="evaluation_dossier"),
    path(
        "evaluation/dossiers/<int:pk>/registration/", v.dossier_registration, name="evaluation_registration"
    ),
    path(
        "evaluation/dossiers/<int:pk>/self-assessment/",
        v.dossier_self_assessment,
        name="evaluation_self_assessment",
    ),
    path("evaluation/dossiers/<int:pk>/evidence/", v.dossier_evidence_add, name="evaluation_evidence_add"),
    path(
        "evaluation/dossiers/<int:pk>/evidence/<int:evidence_pk>/",
        v.dossier_evidence_file,
        name="evaluation_evidence",
    ),
    path(
        "evaluation/dossiers/<int:pk>/evidence/<int:evidence_pk>/delete/",
        v.dossier_evidence_remove,
        name="evaluation_evidence_remove",
    ),
    path("evaluation/dossiers/<int:pk>/submit/", v.dossier_submit, name="evaluation_submit"),
    path("evaluation/dossiers/<int:pk>/withdraw/", v.dossier_withdraw, name="evaluation_withdraw"),
    path("evaluation/dossiers/<int:pk>/return/", v.dossier_return, name="evaluation_return"),
    path("evaluation/dossiers/<int:pk>/forward/", v.dossier_forward, name="evaluation_forward"),
    path("evaluation/dossiers/<int:pk>/samples/", v.dossier_samples, name="evaluation_samples"),
    path("evaluation/dossiers/<int:pk>/appraise/", v.dossier_appraise, name="evaluation_appraise"),
    path(
        "evaluation/dossiers/<int:pk>/open-scoring/", v.dossier_open_scoring, name="evaluation_open_scoring"
    ),
    path(
        "evaluation/dossiers/<int:pk>/close-scoring/",
        v.dossier_close_scoring,
        name="evaluation_close_scoring",
    ),
    path("evaluation/dossiers/<int:pk>/conflict/", v.dossier_conflict, name="evaluation_conflict"),
    path("evaluation/dossiers/<int:pk>/national/", v.dossier_national, name="evaluation_national"),
    path("evaluation/dossiers/<int:pk>/score/", v.dossier_score, name="evaluation_score"),
    path(
        "evaluation/dossiers/<int:pk>/nomination.zip",
        v.dossier_nomination_zip,
        name="evaluation_nomination_zip",
    ),
    path("evaluation/certificates/<str:number>.pdf", v.certificate_pdf, name="evaluation_certificate_pdf"),
    path("evaluation/notifications/", v.notifications, name="evaluation_notifications"),
    path("evaluation/criteria/", c.set_list, name="criteria_sets"),
    path("evaluation/criteria/<str:code>/", c.set_detail, name="criteria_set"),
    path("evaluation/criteria/<str:code>/publish/", c.set_publish, name="criteria_set_publish"),
    path("evaluation/criteria/<str:code>/<int:product_set>/", c.rubric_edit, name="criteria_rubric"),
    # QĐ 26/2026 procedure (docs/evaluation.md)
    path(
        "evaluation/dossiers/<int:pk>/forms/mau-<str:number>.pdf",
        qd26.dossier_form_pdf,
        name="evaluation_form_pdf",
    ),
    path("evaluation/dossiers/<int:pk>/disqualify/", qd26.dossier_disqualify, name="evaluation_disqualify"),
    path(
        "evaluation/dossiers/<int:pk>/completion/",
        qd26.dossier_request_completion,
        name="evaluation_request_completion",
    ),
    path(
        "evaluation/dossiers/<int:pk>/to-ministry/",
        qd26.dossier_send_to_ministry,
        name="evaluation_to_ministry",
    ),
]

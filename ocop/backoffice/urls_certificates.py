from django.urls import path, re_path

from .views import certificates, stamps

urlpatterns = [
    path("certificates/", certificates.certificate_list, name="certificate_list"),
    path("certificates/notices/", certificates.notice_list, name="certificate_notices"),
    path(
        "certificates/notices/<int:pk>/letter.pdf",
        certificates.notice_letter,
        name="certificate_notice_letter",
    ),
    path("certificates/numbering/", certificates.number_pattern, name="certificate_numbering"),
    path("certificates/<int:pk>/", certificates.certificate_detail, name="certificate_detail"),
    path("certificates/<int:pk>/revoke", certificates.certificate_revoke, name="certificate_revoke"),
    path("certificates/<int:pk>/suspend", certificates.certificate_suspend, name="certificate_suspend"),
    path("certificates/<int:pk>/lift", certificates.certificate_lift, name="certificate_lift"),
    path(
        "certificates/<int:pk>/post-check", certificates.certificate_post_check, name="certificate_post_check"
    ),
    path("stamps/", stamps.batch_list, name="stamp_batch_list"),
    path("stamps/order", stamps.batch_order, name="stamp_batch_order"),
    path("stamps/counterfeits/", stamps.counterfeit_dashboard, name="counterfeit_dashboard"),
    path("stamps/signals/<int:pk>/status", stamps.signal_status, name="signal_status"),
    path("stamps/<int:pk>/", stamps.batch_detail, name="stamp_batch_detail"),
    path("stamps/<int:pk>/approve", stamps.batch_approve, name="stamp_batch_approve"),
    path("stamps/<int:pk>/reject", stamps.batch_reject, name="stamp_batch_reject"),
    path("stamps/<int:pk>/block", stamps.batch_block, name="stamp_batch_block"),
    path("stamps/<int:pk>/unblock", stamps.batch_unblock, name="stamp_batch_unblock"),
    re_path(
        r"^stamps/(?P<pk>[0-9]+)/serials\.(?P<fmt>csv|txt)$", stamps.batch_serials, name="stamp_batch_serials"
    ),
    re_path(r"^stamps/(?P<pk>[0-9]+)/sheet\.(?P<fmt>pdf|svg)$", stamps.batch_sheet, name="stamp_batch_sheet"),
]

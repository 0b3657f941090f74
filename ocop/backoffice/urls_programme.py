from django.urls import path

from .views import programme, reports

urlpatterns = [
    path("programme/plans/", programme.plan_list, name="plan_list"),
    path("programme/plans/new/", programme.plan_create, name="plan_create"),
    path("programme/plans/<int:pk>/", programme.plan_detail, name="plan_detail"),
    path("programme/plans/<int:pk>/edit/", programme.plan_edit, name="plan_edit"),
    path("programme/training/", programme.course_list, name="course_list"),
    path("programme/training/new/", programme.course_create, name="course_create"),
    path("programme/training/<int:pk>/", programme.course_detail, name="course_detail"),
    path(
        "programme/training/<int:pk>/attendees/<int:attendee_pk>/remove/",
        programme.attendee_remove,
        name="attendee_remove",
    ),
    path("programme/support/", programme.support_list, name="support_list"),
    path("programme/support/new/", programme.support_create, name="support_create"),
    path("programme/consultancy/", programme.consultancy_list, name="consultancy_list"),
    path("reports/", reports.dashboard, name="reports_dashboard"),
    path("reports/list/", reports.products, name="reports_products"),
    path("reports/download.<str:fmt>", reports.download, name="reports_download"),
    path("reports/national.<str:fmt>", reports.national_export, name="reports_national"),
]

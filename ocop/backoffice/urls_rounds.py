from django.urls import path

from .views import rounds as v

urlpatterns = [
    path("evaluation/rounds/<int:pk>/edit/", v.round_edit, name="evaluation_round_edit"),
    path("evaluation/rounds/<int:pk>/close/", v.round_close, name="evaluation_round_close_round"),
    path("evaluation/rounds/<int:pk>/member-search/", v.member_search, name="evaluation_member_search"),
    path(
        "evaluation/rounds/<int:pk>/members/<int:membership_pk>/remove/",
        v.member_remove,
        name="evaluation_member_remove",
    ),
    path(
        "evaluation/rounds/<int:pk>/open-scoring/", v.open_scoring_many, name="evaluation_open_scoring_many"
    ),
]

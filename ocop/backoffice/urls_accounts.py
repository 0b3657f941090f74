from django.urls import path

from .views import accounts as v

urlpatterns = [
    path("accounts/", v.account_list, name="account_list"),
    path("accounts/new/", v.account_create, name="account_create"),
    path("accounts/<int:pk>/", v.account_detail, name="account_detail"),
    path("accounts/<int:pk>/edit/", v.account_edit, name="account_edit"),
    path("accounts/<int:pk>/roles/", v.account_role_add, name="account_role_add"),
    path("accounts/<int:pk>/roles/<int:role_pk>/remove/", v.account_role_remove, name="account_role_remove"),
    path("accounts/<int:pk>/password/", v.account_password, name="account_password"),
    path("accounts/<int:pk>/active/", v.account_active, name="account_active"),
    path("accounts/former-map/", v.former_accounts, name="account_former"),
    path(
        "accounts/<int:pk>/move-to-successor/", v.account_move_to_successor, name="account_move_to_successor"
    ),
]

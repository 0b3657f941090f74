from django.urls import path

from .views import ops

urlpatterns = [
    path("api-tokens/", ops.token_list, name="api_token_list"),
    path("api-tokens/new/", ops.token_create, name="api_token_create"),
    path("api-tokens/<int:pk>/revoke/", ops.token_revoke, name="api_token_revoke"),
]

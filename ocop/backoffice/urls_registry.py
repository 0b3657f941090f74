from django.urls import path

from .views import change_requests, geo, registry, traceability

urlpatterns = [
    path("geo/picker/", geo.picker, name="geo_picker"),
    path("producers/", registry.producer_list, name="producer_list"),
    path("producers/new/", registry.producer_create, name="producer_create"),
    path("producers/<int:pk>/", registry.producer_detail, name="producer_detail"),
    path("producers/<int:pk>/edit/", registry.producer_edit, name="producer_edit"),
    path("producers/<int:pk>/status/", registry.producer_status, name="producer_status"),
    path("producers/<int:producer_pk>/products/new/", registry.product_create, name="product_create"),
    path("products/", registry.product_list, name="product_list"),
    path("products/<int:pk>/", registry.product_detail, name="product_detail"),
    path("products/<int:pk>/edit/", registry.product_edit, name="product_edit"),
    path("history/<str:kind>/<int:pk>/", registry.history, name="history"),
    path("change-requests/", change_requests.change_request_list, name="change_request_list"),
    path("change-requests/<int:pk>/", change_requests.change_request_detail, name="change_request"),
    path(
        "change-requests/<int:pk>/decide/",
        change_requests.change_request_decide,
        name="change_request_decide",
    ),
    path("products/<int:pk>/trace-codes/", traceability.trace_code_add, name="trace_code_add"),
    path(
        "products/<int:pk>/trace-codes/<int:trace_pk>/remove/",
        traceability.trace_code_remove,
        name="trace_code_remove",
    ),
]

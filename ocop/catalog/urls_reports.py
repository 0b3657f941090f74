from django.urls import path

from .views import reports_public

app_name = "reports"
urlpatterns = [
    path("statistics/", reports_public.dashboard, name="dashboard"),
    path("statistics/products/", reports_public.products, name="products"),
]

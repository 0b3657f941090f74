"""Operations endpoints: `/healthz` for monitoring (load balancer, Uptime Kuma, Nagios...)."""

from django.urls import path

from . import health

app_name = "ops"
urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
]

from django.urls import path

from .views import practice

app_name = "practice"
urlpatterns = [
    path("practice/", practice.practice, name="practice"),
    path("practice/<str:code>/<int:product_set>/score/", practice.practice_score, name="score"),
]

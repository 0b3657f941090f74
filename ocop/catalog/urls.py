from django.urls import path, re_path

from .views import catalogue, home, map, product, public

app_name = "catalog"
urlpatterns = [
    path("", home.home, name="home"),
    path("products/", catalogue.catalogue, name="catalogue"),
    path("products/<int:pk>/", product.product_detail, name="product_short"),
    path("products/<int:pk>/<str:slug>/", product.product_detail, name="product"),
    path("producers/<int:pk>/", product.producer_detail, name="producer_short"),
    path("producers/<int:pk>/<str:slug>/", product.producer_detail, name="producer"),
    path("map/", map.map_page, name="map"),
    path("map/data.json", map.map_data, name="map_data"),
    path("events/", public.events, name="events"),
    path("open-data/", public.open_data, name="open_data"),
    re_path(
        r"^open-data/ocop-products\.(?P<fmt>csv|json|xlsx)$",
        public.open_data_download,
        name="open_data_download",
    ),
    path("sitemap.xml", public.sitemap, name="sitemap"),
    path("robots.txt", public.robots, name="robots"),
]

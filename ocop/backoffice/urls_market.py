from django.urls import path

from .views import market

urlpatterns = [
    path("market/sale-points/", market.sale_point_list, name="market_sale_points"),
    path("market/sale-points/new/", market.sale_point_create, name="market_sale_point_create"),
    path("market/sale-points/suggest/", market.sale_point_suggest, name="market_sale_point_suggest"),
    path("market/sale-points/<int:pk>/", market.sale_point_detail, name="market_sale_point"),
    path("market/sale-points/<int:pk>/edit/", market.sale_point_edit, name="market_sale_point_edit"),
    path("market/sale-points/<int:pk>/status/", market.sale_point_status, name="market_sale_point_status"),
    path("market/products/<int:product_pk>/listings/", market.listings, name="market_listings"),
    path("market/listings/<int:pk>/check/", market.listing_check, name="market_listing_check"),
    path("market/listings/<int:pk>/remove/", market.listing_remove, name="market_listing_remove"),
    path("market/fairs/", market.fair_list, name="market_fairs"),
    path("market/fairs/new/", market.fair_create, name="market_fair_create"),
    path("market/fairs/<int:pk>/", market.fair_detail, name="market_fair"),
    path(
        "market/fairs/<int:pk>/results/<int:participant_pk>/", market.fair_results, name="market_fair_results"
    ),
    path(
        "market/fairs/<int:pk>/products/<int:participant_pk>/",
        market.fair_participant_products,
        name="market_fair_products",
    ),
    path("market/routes/", market.route_list, name="market_routes"),
    path("market/routes/new/", market.route_create, name="market_route_create"),
    path("market/routes/<int:pk>/", market.route_detail, name="market_route"),
    path("market/routes/<int:pk>/edit/", market.route_edit, name="market_route_edit"),
]

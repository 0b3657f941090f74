"""Demo market of Bến Tre: sale points (real-looking addresses in Bến Tre city), supermarkets, online
listings, two fairs and a tourism route with OCOP stops. Idempotent; certificates are not touched."""

import datetime
from decimal import Decimal

from django.utils.text import slugify

from ocop.core.demo import keyed
from ocop.core.models import DemoRecord
from ocop.core.text import fold
from ocop.geo.models import AdminUnit
from ocop.geo.models import AdminUnit as Unit
from ocop.registry.models import Product
from ocop.registry.queries import search as name_search

from . import domain
from .enums import FairKind, Platform, SalePointKind
from .models import Fair, FairParticipant, OnlineListing, SalePoint, TourismRoute

ALL_CRITERIA = [
    "identity_signage",
    "location",
    "floor_area",
    "ocop_share",
    "origin_traceable",
    "price_listed",
    "staff_trained",
    "food_safety",
]

# (name, kind, address, legacy commune code, lat, lng, hours, QĐ 950 criteria, product name words)
SALE_POINTS = [
    (
        "Điểm giới thiệu và bán sản phẩm OCOP tỉnh Bến Tre",
        SalePointKind.OCOP_POINT,
        "Số 2 Đại lộ Đồng Khởi",
        "28777",
        "10.241190",
        "106.375360",
        "7:00–21:00 hằng ngày",
        ALL_CRITERIA,
        ["keo dua", "banh trang", "mat hoa dua", "buoi", "ruou phu le"],
    ),
    (
        "Gian hàng OCOP Chợ Bến Tre",
        SalePointKind.OCOP_POINT,
        "Đường Trần Quốc Tuấn, khu chợ Bến Tre",
        "28777",
        "10.238720",
        "106.377910",
        "6:00–18:00 hằng ngày",
        ALL_CRITERIA[:6],
        ["keo dua", "banh phong", "mam", "kho"],
    ),
    (
        "Co.opmart Bến Tre",
        SalePointKind.SUPERMARKET,
        "Số 26 Đại lộ Đồng Khởi",
        "28762",
        "10.240030",
        "106.373120",
        "7:30–22:00 hằng ngày",
        [],
        ["keo dua", "nuoc mam", "dau dua", "banh trang", "thach dua"],
    ),
    (
        "GO! Bến Tre",
        SalePointKind.SUPERMARKET,
        "Số 26A Đại lộ Đồng Khởi, khu phố 1",
        "28756",
        "10.251640",
        "106.381480",
        "8:00–22:00 hằng ngày",
        [],
        ["keo dua", "say", "nuoc cot dua", "mat ong"],
    ),
    (
        "Cửa hàng Đặc sản Xứ Dừa",
        SalePointKind.SHOP,
        "Số 112 Nguyễn Đình Chiểu",
        "28759",
        "10.236950",
        "106.372400",
        "7:00–20:00, nghỉ chiều Chủ nhật",
        [],
        ["keo dua", "banh", "ruou"],
    ),
    (
        "Khu du lịch Cồn Phụng",
        SalePointKind.TOURISM_SITE,
        "Ấp Tân Vinh, cồn Phụng",
        "28804",
        "10.329710",
        "106.371720",
        "7:00–17:30 hằng ngày",
        ALL_CRITERIA[:4],
        ["con phung", "keo dua", "chen gao dua"],
    ),
    (
        "Làng hoa kiểng Cái Mơn",
        SalePointKind.TOURISM_SITE,
        "Ấp Tân Hòa",
        "28894",
        "10.145620",
        "106.140330",
        "7:00–18:00 hằng ngày",
        [],
        ["cai mon", "bonsai", "hoa giay"],
    ),
    (
        "Vườn trái cây Sơn Định",
        SalePointKind.TOURISM_SITE,
        "Ấp Sơn Lân, xã Sơn Định",
        "28876",
        "10.185410",
        "106.198890",
        "7:30–17:00 hằng ngày",
        [],
        ["chom chom", "sau rieng", "mang cut", "buoi"],
    ),
    (
        "Cơ sở rượu Phú Lễ – điểm tham quan",
        SalePointKind.TOURISM_SITE,
        "Ấp Phú Thạnh",
        "29146",
        "10.049820",
        "106.583640",
        "7:00–17:00 hằng ngày",
        [],
        ["phu le"],
    ),
]

LISTING_PLATFORMS = [
    (Platform.POSTMART, "https://postmart.vn/san-pham/{slug}-{pk}"),
    (Platform.VOSO, "https://voso.vn/{slug}-p{pk}"),
    (Platform.SHOPEE, "https://shopee.vn/{slug}-i.{pk}"),
    (Platform.PROVINCE_TRADE, "https://bentretrade.vn/san-pham/{pk}"),
    (Platform.LAZADA, "https://www.lazada.vn/products/{slug}-i{pk}.html"),
    (Platform.TIKTOK, "https://shop.tiktok.com/view/product/{pk}"),
]


def _products(demo):
    products = demo.data.get("products")
    if products:
        return list(products)
    return list(Product.objects.filter(producer__legacy_commune__province=demo.province).order_by("pk"))


def _matching(products, words):
    ids = {p.pk for p in products}
    found = []
    for phrase in words:
        found += list(name_search(Product.objects.filter(pk__in=ids), phrase).order_by("pk")[:3])
    return list(dict.fromkeys(found))


def _sale_points(demo, admin, products):
    points = {}
    for name, kind, address, code, lat, lng, hours, criteria, words in SALE_POINTS:
        sale_point = keyed(
            f"market.salepoint:{name}",
            SalePoint,
            find=lambda name=name: SalePoint.objects.filter(name=name).first(),
            create=lambda name=name, kind=kind, address=address, code=code, lat=lat, lng=lng, hours=hours, criteria=criteria, words=words: (
                domain.create_sale_point(
                    actor=admin,
                    name=name,
                    kind=kind,
                    address=address,
                    commune=AdminUnit.objects.get(map="legacy", level="commune", code=code),
                    latitude=Decimal(lat),
                    longitude=Decimal(lng),
                    opening_hours=hours,
                    criteria=list(criteria),
                    products=_matching(products, words),
                )
            ),
        )
        if sale_point is not None:
            points[name] = sale_point
    producer_user = demo.users.get("producer")
    suggestion = "Gian hàng nông sản sạch Ba Tri"
    if (
        producer_user is not None
        and producer_user.producer
        and not DemoRecord.objects.filter(key="market.salepoint:suggestion").exists()
    ):
        suggested = SalePoint.objects.filter(name=suggestion).first() or domain.suggest_sale_point(
            actor=producer_user,
            name=suggestion,
            kind=SalePointKind.SHOP,
            address="Số 45 đường 30/4, khu phố 2",
            commune=AdminUnit.objects.get(map="legacy", level="commune", code="29146"),
            latitude=Decimal("10.040150"),
            longitude=Decimal("106.593020"),
            opening_hours="6:30–19:00",
            products=list(producer_user.producer.products.all()[:2]),
        )
        DemoRecord.objects.create(
            key="market.salepoint:suggestion", model="market.salepoint", object_id=suggested.pk
        )
    return points


def _listings(demo, admin, products):
    rng = demo.rng
    for index, product in enumerate(products):
        if index % 5 in (3,) or OnlineListing.objects.filter(product=product).exists():
            continue
        count = 1 + rng.randint(0, 2)
        for platform, pattern in rng.sample(LISTING_PLATFORMS, count):
            url = pattern.format(slug=slugify(fold(product.name)), pk=10000 + product.pk)
            listing = domain.add_listing(product, actor=admin, platform=platform, url=url)
            if rng.random() < 0.8:
                domain.record_listing_check(
                    listing, actor=admin, working=True, checked_on=datetime.date(2026, 11, 2)
                )


def _fairs(demo, admin, products, points):
    fairs = []
    specs = [
        (
            "Hội chợ Triển lãm Thương mại – Lễ hội Dừa Bến Tre 2022",
            FairKind.FAIR,
            datetime.date(2022, 7, 20),
            datetime.date(2022, 7, 26),
            "Quảng trường Đồng Khởi, TP. Bến Tre",
            "Sở Công Thương tỉnh Bến Tre",
            demo.province,
        ),
        (
            "Tuần lễ sản phẩm OCOP Vĩnh Long – Bến Tre tại TP. Hồ Chí Minh 2026",
            FairKind.PROMOTION,
            datetime.date(2026, 12, 10),
            datetime.date(2026, 12, 14),
            "Nhà văn hóa Thanh niên, 4 Phạm Ngọc Thạch, TP. Hồ Chí Minh",
            "Sở Công Thương tỉnh Vĩnh Long",
            Unit.objects.get(map="current", level="province", code="86"),
        ),
    ]
    for name, kind, start, end, place, organiser, province in specs:
        fair = keyed(
            f"market.fair:{name}",
            Fair,
            find=lambda name=name: Fair.objects.filter(name=name).first(),
            create=lambda name=name, kind=kind, start=start, end=end, place=place, organiser=organiser, province=province: (
                domain.create_fair(
                    actor=admin,
                    name=name,
                    kind=kind,
                    starts_on=start,
                    ends_on=end,
                    place=place,
                    organiser=organiser,
                    province=province,
                    description="Trưng bày, giới thiệu và bán sản phẩm OCOP, kết nối cung cầu.",
                )
            ),
        )
        fairs.append(fair)
    if len(fairs) < 2 or None in fairs:
        return
    past = fairs[0]
    producers = list(dict.fromkeys(p.producer for p in products))[:12]
    for n, producer in enumerate(producers):
        participant = FairParticipant.objects.filter(fair=past, producer=producer).first()
        if participant is None:
            own = [p for p in products if p.producer_id == producer.pk][:2]
            participant = domain.add_fair_participant(past, actor=admin, producer=producer, products=own)
            domain.record_fair_results(
                participant,
                actor=admin,
                contracts_count=n % 3,
                contracts_value=(n % 3) * 150_000_000,
                sales_value=20_000_000 + n * 3_500_000,
            )
    if not past.results_note:
        Fair.objects.filter(pk=past.pk).update(
            results_note="12 chủ thể OCOP tham gia, 12 hợp đồng/biên bản ghi nhớ, doanh thu bán lẻ khoảng 470 triệu đồng."
        )
    upcoming = fairs[1]
    for producer in producers[:6]:
        if not FairParticipant.objects.filter(fair=upcoming, producer=producer).exists():
            own = [p for p in products if p.producer_id == producer.pk][:1]
            domain.add_fair_participant(upcoming, actor=admin, producer=producer, products=own)


ROUTE_STOPS = (
    "Khu du lịch Cồn Phụng",
    "Điểm giới thiệu và bán sản phẩm OCOP tỉnh Bến Tre",
    "Vườn trái cây Sơn Định",
    "Làng hoa kiểng Cái Mơn",
)


def _route(demo, admin, points):
    name = "Tuyến du lịch Xứ Dừa: Cồn Phụng – TP. Bến Tre – Sơn Định – Cái Mơn"
    if DemoRecord.objects.filter(key="market.route:xu-dua").exists():
        return
    found = TourismRoute.objects.filter(name=name).first()
    if found is not None:
        DemoRecord.objects.create(key="market.route:xu-dua", model="market.tourismroute", object_id=found.pk)
        return
    if any(n not in points for n in ROUTE_STOPS):
        return
    stops = [points[n] for n in ROUTE_STOPS]
    route = domain.create_route(
        actor=admin,
        name=name,
        province=demo.province,
        duration="1 ngày",
        description="Đi thuyền trên sông Tiền, xem làm kẹo dừa, mua sắm tại điểm OCOP, thăm vườn trái cây và làng hoa kiểng.",
        stops=stops,
    )
    DemoRecord.objects.create(key="market.route:xu-dua", model="market.tourismroute", object_id=route.pk)


def seed(demo):
    admin = demo.users.get("admin")
    if admin is None or demo.province is None:
        demo.say("Market: skipped (the registry demo step did not run).")
        return
    products = _products(demo)
    points = _sale_points(demo, admin, products)
    _listings(demo, admin, products)
    _fairs(demo, admin, products, points)
    _route(demo, admin, points)
    demo.say(
        f"Market: {SalePoint.objects.count()} sale points, {OnlineListing.objects.count()} online listings, "
        f"{Fair.objects.count()} fairs, {TourismRoute.objects.count()} tourism route(s)."
    )

"""Demo: Bến Tre province (legacy code 83) as published in July 2022.

131 provincial OCOP products of 54 producers, 66 at 3★ and 65 at 4★ (16 of those potential 5★),
in 41 communes (34 xã, 5 phường, 2 thị trấn) across the province's 9 districts/city, with
certificates valid on 31/07/2022, and one demo account per role."""

import datetime
from decimal import Decimal

from ocop.accounts.domain import assign_role
from ocop.accounts.enums import Role
from ocop.accounts.models import RoleAssignment, User
from ocop.certificates.domain import issue_certificate
from ocop.certificates.enums import CertificateSource
from ocop.certificates.models import Certificate
from ocop.core.demo import DEMO_PASSWORD, keyed
from ocop.core.permissions import SYSTEM
from ocop.geo.enums import Level, MapVersion
from ocop.geo.models import AdminUnit

from .enums import ProducerKind
from .models import Producer, Product

PROVINCE_CODE = "83"
TAX_BASE = 1300100000  # demo tax codes 1300100001..1300100054

# (decision number, decision date): the province's recognition decisions before July 2022.
DECISIONS = [
    ("2853/QĐ-UBND", datetime.date(2019, 12, 27)),
    ("1409/QĐ-UBND", datetime.date(2020, 6, 30)),
    ("3015/QĐ-UBND", datetime.date(2020, 12, 24)),
    ("1432/QĐ-UBND", datetime.date(2021, 6, 28)),
    ("2950/QĐ-UBND", datetime.date(2021, 12, 22)),
    ("1523/QĐ-UBND", datetime.date(2022, 6, 20)),
]

# (producer name, kind, products as (name, product set)). Names are typical of Bến Tre's OCOP list.
PRODUCERS = [
    (
        "Hợp tác xã Chế biến Dừa Lương Quới",
        ProducerKind.COOPERATIVE,
        [("Kẹo dừa sữa Lương Quới", 7), ("Kẹo dừa lá dứa", 7), ("Kẹo dừa sầu riêng", 7)],
    ),
    (
        "Công ty TNHH Chế biến Dừa Thanh Long",
        ProducerKind.SME,
        [("Kẹo dừa đậu phộng Thanh Long", 7), ("Bánh phồng sữa dừa", 6), ("Kẹo chuối dừa", 7)],
    ),
    (
        "Cơ sở sản xuất Kẹo dừa Tấn Lộc",
        ProducerKind.PRODUCTION_HOUSEHOLD,
        [("Kẹo dừa ca cao Tấn Lộc", 7), ("Kẹo dừa gừng", 7)],
    ),
    (
        "Hợp tác xã Dừa sáp Cầu Kè Bến Tre",
        ProducerKind.COOPERATIVE,
        [("Dừa sáp tươi", 1), ("Thạch dừa sáp", 7), ("Kem dừa sáp", 7)],
    ),
    (
        "Công ty Cổ phần Xuất nhập khẩu Dừa Bến Tre",
        ProducerKind.SME,
        [("Dầu dừa tinh khiết ép lạnh", 7), ("Nước cốt dừa đóng lon", 7), ("Bột sữa dừa", 7)],
    ),
    (
        "Hộ kinh doanh Bánh tráng Mỹ Lồng Út Đậm",
        ProducerKind.HOUSEHOLD,
        [("Bánh tráng Mỹ Lồng", 6), ("Bánh tráng dừa nướng", 6), ("Bánh tráng xì ke", 6)],
    ),
    (
        "Hợp tác xã Bưởi da xanh Mỏ Cày Bắc",
        ProducerKind.COOPERATIVE,
        [("Bưởi da xanh Bến Tre", 1), ("Mứt vỏ bưởi", 7), ("Tinh dầu bưởi", 20)],
    ),
    (
        "Hộ kinh doanh Bánh phồng Sơn Đốc Tư Hiệp",
        ProducerKind.HOUSEHOLD,
        [("Bánh phồng Sơn Đốc", 6), ("Bánh phồng tôm Sơn Đốc", 6)],
    ),
    (
        "Công ty TNHH Thủy sản Bông Lau",
        ProducerKind.SME,
        [("Cá khô một nắng Bông Lau", 8), ("Tôm khô Thạnh Phú", 8), ("Cá dứa một nắng", 8)],
    ),
    (
        "Hợp tác xã Nông nghiệp Phú Sơn",
        ProducerKind.COOPERATIVE,
        [("Chôm chôm Java", 1), ("Sầu riêng Ri6 Cái Mơn", 1), ("Măng cụt Bến Tre", 1)],
    ),
    (
        "Cơ sở Mật hoa dừa Sokfarm",
        ProducerKind.PRODUCTION_HOUSEHOLD,
        [("Mật hoa dừa", 4), ("Đường hoa dừa", 4), ("Giấm mật hoa dừa", 9)],
    ),
    (
        "Hợp tác xã Hoa kiểng Cái Mơn",
        ProducerKind.COOPERATIVE,
        [("Mai vàng kiểng Cái Mơn", 24), ("Bonsai Sơn Định", 24), ("Hoa giấy ghép", 23)],
    ),
    (
        "Hộ kinh doanh Rượu Phú Lễ Ba Huệ",
        ProducerKind.HOUSEHOLD,
        [("Rượu Phú Lễ", 14), ("Rượu dừa Phú Lễ", 15), ("Rượu nếp than Phú Lễ", 15)],
    ),
    (
        "Tổ hợp tác Thủ công mỹ nghệ Dừa Mỹ Thạnh An",
        ProducerKind.COOPERATIVE_GROUP,
        [("Chén gáo dừa mỹ nghệ", 21), ("Túi xách cọng dừa", 21), ("Đèn trang trí gáo dừa", 21)],
    ),
    (
        "Công ty TNHH Mỹ phẩm Thiên nhiên Dừa Xanh",
        ProducerKind.SME,
        [("Dầu gội dừa thảo dược", 19), ("Xà bông dừa nghệ", 19), ("Son dưỡng dầu dừa", 19)],
    ),
    (
        "Hợp tác xã Tôm lúa Thạnh Phú",
        ProducerKind.COOPERATIVE,
        [("Tôm càng xanh tôm lúa", 2), ("Gạo sạch tôm lúa", 3)],
    ),
    ("Hộ kinh doanh Mắm tép Ba Tri Cô Sáu", ProducerKind.HOUSEHOLD, [("Mắm tép Ba Tri", 9), ("Mắm ruốc", 9)]),
    (
        "Công ty TNHH Nước mắm Bến Tre",
        ProducerKind.SME,
        [("Nước mắm cá cơm truyền thống", 9), ("Nước mắm chay", 9)],
    ),
    (
        "Hợp tác xã Dịch vụ Nông nghiệp Giồng Trôm",
        ProducerKind.COOPERATIVE,
        [("Bánh tráng sữa dừa", 6), ("Bánh phồng khoai mì", 6), ("Hạt điều rang muối", 7)],
    ),
    (
        "Hộ kinh doanh Thạch dừa Tân Thạch",
        ProducerKind.HOUSEHOLD,
        [("Thạch dừa nguyên chất", 7), ("Thạch dừa vị trái cây", 7)],
    ),
    (
        "Hợp tác xã Du lịch cộng đồng Cồn Phụng",
        ProducerKind.COOPERATIVE,
        [("Du lịch cộng đồng Cồn Phụng", 26), ("Kẹo dừa Cồn Phụng", 7)],
    ),
    (
        "Công ty TNHH Thực phẩm Xanh Bến Tre",
        ProducerKind.SME,
        [("Chuối sấy dẻo", 7), ("Mít sấy giòn", 7), ("Khoai lang sấy", 7)],
    ),
    (
        "Hộ kinh doanh Bánh xèo Đa Phước",
        ProducerKind.HOUSEHOLD,
        [("Bột bánh xèo nước cốt dừa", 6), ("Bánh bông lan dừa", 6)],
    ),
    ("Hợp tác xã Chăn nuôi Dê Ba Tri", ProducerKind.COOPERATIVE, [("Thịt dê tươi Ba Tri", 2), ("Khô dê", 8)]),
    (
        "Cơ sở Trà mãng cầu Hưng Phong",
        ProducerKind.PRODUCTION_HOUSEHOLD,
        [("Trà mãng cầu xiêm", 12), ("Trà bông bưởi", 12)],
    ),
    (
        "Hợp tác xã Ca cao Chợ Lách",
        ProducerKind.COOPERATIVE,
        [("Bột ca cao nguyên chất", 13), ("Sô cô la dừa", 13), ("Hạt ca cao lên men", 13)],
    ),
    (
        "Hộ kinh doanh Nước dừa Năm Nghĩa",
        ProducerKind.HOUSEHOLD,
        [("Nước dừa tươi đóng chai", 17), ("Nước dừa lên men", 17)],
    ),
    (
        "Công ty TNHH Dừa Việt",
        ProducerKind.SME,
        [("Xơ dừa ép tấm", 21), ("Thảm xơ dừa", 21), ("Mụn dừa xử lý", 4)],
    ),
    (
        "Hợp tác xã Sầu riêng Ri6 Vĩnh Thành",
        ProducerKind.COOPERATIVE,
        [("Sầu riêng Ri6 Vĩnh Thành", 1), ("Kem sầu riêng", 7)],
    ),
    (
        "Hộ kinh doanh Bánh tét lá cẩm Út Hạnh",
        ProducerKind.HOUSEHOLD,
        [("Bánh tét lá cẩm", 6), ("Bánh ít lá gai", 6)],
    ),
    (
        "Hợp tác xã Chôm chôm Hòa Nghĩa",
        ProducerKind.COOPERATIVE,
        [("Chôm chôm nhãn", 1), ("Chôm chôm sấy", 7)],
    ),
    ("Cơ sở Chả cá Thạnh Phú", ProducerKind.PRODUCTION_HOUSEHOLD, [("Chả cá thát lát", 8), ("Chả tôm", 8)]),
    (
        "Hợp tác xã Nghêu Bình Đại",
        ProducerKind.COOPERATIVE,
        [("Nghêu Bến Tre", 2), ("Nghêu hấp đông lạnh", 8), ("Sò huyết", 2)],
    ),
    ("Hộ kinh doanh Mứt dừa Ngọc Trang", ProducerKind.HOUSEHOLD, [("Mứt dừa non", 7), ("Mứt dừa lá dứa", 7)]),
    (
        "Công ty TNHH Trái cây Sấy Mekong",
        ProducerKind.SME,
        [("Bưởi sấy dẻo", 7), ("Xoài sấy dẻo", 7), ("Chôm chôm sấy dẻo", 7)],
    ),
    (
        "Hợp tác xã Rau sạch Châu Thành",
        ProducerKind.COOPERATIVE,
        [("Rau ăn lá VietGAP", 1), ("Dưa lưới nhà màng", 1)],
    ),
    (
        "Hộ kinh doanh Bánh da lợn Bà Tư",
        ProducerKind.HOUSEHOLD,
        [("Bánh da lợn lá dứa", 6), ("Bánh bò nướng dừa", 6)],
    ),
    (
        "Hợp tác xã Giống cây trồng Chợ Lách",
        ProducerKind.COOPERATIVE,
        [("Cây giống bưởi da xanh", 24), ("Cây giống sầu riêng", 24), ("Cây giống dừa xiêm", 24)],
    ),
    (
        "Công ty TNHH Tinh dầu Tràm Việt",
        ProducerKind.SME,
        [("Tinh dầu sả chanh", 20), ("Tinh dầu tràm", 20)],
    ),
    (
        "Hộ kinh doanh Đuông dừa Tám Lợi",
        ProducerKind.HOUSEHOLD,
        [("Rượu đuông dừa", 15), ("Đuông dừa tươi", 2)],
    ),
    (
        "Hợp tác xã Mía đường Hàm Luông",
        ProducerKind.COOPERATIVE,
        [("Đường thốt nốt dừa", 4), ("Nước mía đóng chai", 17)],
    ),
    (
        "Cơ sở Nem Bình Đại",
        ProducerKind.PRODUCTION_HOUSEHOLD,
        [("Nem chua Bình Đại", 8), ("Lạp xưởng tôm", 8)],
    ),
    (
        "Hợp tác xã Nuôi ong Mỏ Cày",
        ProducerKind.COOPERATIVE,
        [("Mật ong hoa dừa", 4), ("Mật ong hoa nhãn", 4)],
    ),
    ("Tổ hợp tác Đan lát Phú Túc", ProducerKind.COOPERATIVE_GROUP, [("Giỏ lục bình", 21), ("Chiếu cói", 21)]),
    (
        "Hộ kinh doanh Bánh tráng Phú Hưng",
        ProducerKind.HOUSEHOLD,
        [("Bánh tráng phơi sương", 6), ("Bánh tráng mè đen", 6)],
    ),
    (
        "Công ty TNHH Dược liệu Xanh Ba Tri",
        ProducerKind.SME,
        [("Trà atiso đỏ", 12), ("Cao đinh lăng", 18), ("Trà rau má", 12)],
    ),
    (
        "Hợp tác xã Dừa hữu cơ Mỏ Cày Nam",
        ProducerKind.COOPERATIVE,
        [("Dừa xiêm xanh hữu cơ", 1), ("Dừa khô hữu cơ", 1), ("Nước dừa hữu cơ", 17)],
    ),
    (
        "Hộ kinh doanh Kẹo chuối Phú Phụng",
        ProducerKind.HOUSEHOLD,
        [("Kẹo chuối gừng", 7), ("Chuối ép dẻo", 7)],
    ),
    (
        "Hợp tác xã Lúa gạo Thạnh Phú",
        ProducerKind.COOPERATIVE,
        [("Gạo ST24 Thạnh Phú", 3), ("Gạo lứt huyết rồng", 3)],
    ),
    (
        "Công ty TNHH Sản phẩm Dừa Hoàng Gia",
        ProducerKind.SME,
        [("Sữa dừa nguyên chất", 17), ("Kem dừa", 7), ("Cơm dừa sấy", 7)],
    ),
    (
        "Cơ sở Bánh pía Tân Phú",
        ProducerKind.PRODUCTION_HOUSEHOLD,
        [("Bánh pía sầu riêng", 6), ("Bánh pía dừa", 6)],
    ),
    (
        "Hợp tác xã Thanh long Châu Bình",
        ProducerKind.COOPERATIVE,
        [("Thanh long ruột đỏ", 1), ("Nước ép thanh long", 17)],
    ),
    ("Hộ kinh doanh Hủ tiếu Mỹ Lồng", ProducerKind.HOUSEHOLD, [("Hủ tiếu khô", 6), ("Bún khô", 6)]),
    (
        "Hợp tác xã Du lịch sinh thái Cồn Quy",
        ProducerKind.COOPERATIVE,
        [("Du lịch sinh thái Cồn Quy", 26), ("Vườn trái cây Cồn Quy", 26)],
    ),
]

FIRST_NAMES = [
    "Nguyễn Văn Hai",
    "Trần Thị Lan",
    "Lê Văn Tám",
    "Phạm Thị Hoa",
    "Võ Văn Nghĩa",
    "Huỳnh Thị Mai",
    "Đặng Văn Lợi",
    "Bùi Thị Hạnh",
    "Ngô Văn Phúc",
    "Đỗ Thị Thu",
]


def _communes(province):
    """41 communes across the 9 districts: 34 xã, 5 phường, 2 thị trấn (deterministic choice)."""
    units = AdminUnit.objects.filter(map=MapVersion.LEGACY, level=Level.COMMUNE, province=province).order_by(
        "code"
    )
    by_kind = {"xa": [], "phuong": [], "thi_tran": []}
    for unit in units:
        by_kind.setdefault(unit.kind, []).append(unit)
    districts = sorted({u.district_id for u in units})
    chosen = by_kind["phuong"][:5] + by_kind["thi_tran"][:2]
    xa = by_kind["xa"]
    # Round-robin over districts so every district has communes with products.
    picked, per_district = [], {d: [u for u in xa if u.district_id == d] for d in districts}
    while len(picked) < 34:
        for d in districts:
            if per_district[d] and len(picked) < 34:
                picked.append(per_district[d].pop(0))
    return chosen + picked


def _demo_role(user, role, *, key, unit=None, producer=None):
    """A demo role given once: a role the administrator removed or moved (to the successor
    province) since is not given again."""

    keyed(
        f"accounts.role:{key}:{role}",
        RoleAssignment,
        find=lambda: RoleAssignment.objects.filter(
            user=user, role=role, unit=unit, producer=producer
        ).first(),
        create=lambda: assign_role(user, role, actor=SYSTEM, unit=unit, producer=producer),
    )


def _accounts(demo, first_producer, province, commune):
    users = {}
    specs = [
        ("admin", "Quản trị hệ thống", [(Role.ADMIN, None)]),
        ("province_officer", "Trần Minh Tâm (VPĐP tỉnh)", [(Role.PROVINCE_OFFICER, province)]),
        ("commune_officer", "Lê Thị Ngọc (UBND xã)", [(Role.COMMUNE_OFFICER, commune)]),
        ("advisory_member", "Phạm Văn Khải (Tổ tư vấn)", [(Role.ADVISORY_MEMBER, province)]),
        ("council_member", "Nguyễn Thị Hồng (Hội đồng)", [(Role.COUNCIL_MEMBER, province)]),
        ("council_member_2", "Võ Thành Công (Hội đồng)", [(Role.COUNCIL_MEMBER, province)]),
        ("council_member_3", "Huỳnh Ngọc Diệp (Hội đồng)", [(Role.COUNCIL_MEMBER, province)]),
        ("ministry_officer", "Đỗ Quang Huy (Bộ NN&MT)", [(Role.MINISTRY_OFFICER, None)]),
        (
            "other_province_officer",
            "Mai Văn Lực (VPĐP Tiền Giang)",
            [
                (
                    Role.PROVINCE_OFFICER,
                    AdminUnit.objects.get(map=MapVersion.LEGACY, level=Level.PROVINCE, code="82"),
                )
            ],
        ),
        (
            "vinh_long_officer",
            "Phan Thị Kiều (VPĐP Vĩnh Long)",
            [
                (
                    Role.PROVINCE_OFFICER,
                    AdminUnit.objects.get(map=MapVersion.CURRENT, level=Level.PROVINCE, code="86"),
                )
            ],
        ),
    ]
    for username, full_name, roles in specs:
        user = keyed(
            f"accounts.user:{username}",
            User,
            find=lambda username=username: User.objects.filter(username=username).first(),
            create=lambda username=username, full_name=full_name: User.objects.create_user(
                username=username,
                password=DEMO_PASSWORD,
                full_name=full_name,
                email=f"{username}@demo.ocop.vn",
                is_superuser=username == "admin",
                is_staff=username == "admin",
            ),
        )
        if user is None:
            continue
        for role, unit in roles:
            _demo_role(user, role, key=username, unit=unit)
        users[username] = user
    producer_user = keyed(
        "accounts.user:producer",
        User,
        find=lambda: User.objects.filter(username="producer").first(),
        create=lambda: User.objects.create_user(
            username="producer",
            password=DEMO_PASSWORD,
            full_name="Nguyễn Văn Hai (HTX Lương Quới)",
            email="producer@demo.ocop.vn",
        ),
    )
    if producer_user is not None:
        _demo_role(producer_user, Role.PRODUCER, key="producer", producer=first_producer)
        users["producer"] = producer_user
    demo.users.update(users)


def _new_producer(n, name, kind, tax_code, commune):
    producer = Producer(
        name=name,
        kind=kind,
        tax_code=tax_code,
        commune=commune,
        representative=FIRST_NAMES[n % len(FIRST_NAMES)],
        phone=f"0275 38{n:02d} {100 + n}",
        email=f"lienhe{n + 1}@ocop-bentre.vn",
        address=f"Ấp {1 + n % 5}",
        women_led=n % 4 == 1,
        ethnic_minority_led=False,
        founded_on=datetime.date(2008 + n % 12, 1 + n % 12, 1 + n % 27),
        members_count=7 + n % 40,
        workers_count=5 + (n * 7) % 60,
        description=f"{name} sản xuất và kinh doanh đặc sản Bến Tre.",
    )
    producer.save()
    return producer


def _new_product(index, producer, product_name, product_set, commune):
    return Product.objects.create(
        producer=producer,
        name=product_name,
        product_set=product_set,
        description=f"{product_name} – sản phẩm OCOP của {producer.name}.",
        story=f"{product_name} được làm từ nguyên liệu địa phương theo công thức truyền thống của xứ Dừa.",
        packaging="Hộp 250 g, 500 g",
        code=f"83-{commune.district.code}-{commune.code}-{index + 1}-2022",
    )


def seed(demo):
    province = AdminUnit.objects.get(map=MapVersion.LEGACY, level=Level.PROVINCE, code=PROVINCE_CODE)
    demo.province = province
    communes = _communes(province)
    rng = demo.rng
    producers, products, certificates = [], [], []
    star_plan = [3] * 66 + [4] * 65  # product i gets star_plan[i]
    potential = set(range(66, 66 + 65, 4)[:16])  # 16 of the 4★ products are potential 5★
    index = 0
    for n, (name, kind, items) in enumerate(PRODUCERS):
        tax_code = str(TAX_BASE + n + 1)
        commune = communes[n % len(communes)]
        # Keyed on its place in the list (not on its tax code or name, which the office may edit).
        producer = keyed(
            f"registry.producer:{n + 1}",
            Producer,
            find=lambda tax_code=tax_code: Producer.objects.filter(tax_code=tax_code).first(),
            create=lambda n=n, name=name, kind=kind, tax_code=tax_code, commune=commune: _new_producer(
                n, name, kind, tax_code, commune
            ),
        )
        if producer is None:  # deleted since the demo was built: not brought back
            index += len(items)
            continue
        producers.append(producer)
        for product_name, product_set in items:
            product = keyed(
                f"registry.product:{index + 1}",
                Product,
                find=lambda p=producer, name=product_name: Product.objects.filter(
                    producer=p, name=name
                ).first(),
                create=lambda i=index, p=producer, name=product_name, ps=product_set, c=commune: _new_product(
                    i, p, name, ps, c
                ),
            )
            if product is None:
                index += 1
                products.append(None)
                certificates.append(None)
                continue
            products.append(product)
            certificate = product.certificates.filter(source=CertificateSource.IMPORT).first()
            if certificate is None:
                star = star_plan[index]
                decision_number, decision_date = DECISIONS[index % len(DECISIONS)]
                is_potential = index in potential
                score = (
                    Decimal(
                        rng.randint(900, 935)
                        if is_potential
                        else rng.randint(700, 899)
                        if star == 4
                        else rng.randint(500, 699)
                    )
                    / 10
                )
                certificate = issue_certificate(
                    product,
                    actor=SYSTEM,
                    star=star,
                    potential_5_star=is_potential,
                    score=score,
                    decision_number=decision_number,
                    decision_date=decision_date,
                    issuer_name="UBND tỉnh Bến Tre",
                    issuer_unit=province,
                    source=CertificateSource.IMPORT,
                    criteria_set="QD1048-2019",
                )
            certificates.append(certificate)
            index += 1
    assert index == 131, index
    first = producers[0]
    _accounts(demo, first, province, first.commune)
    demo.data.update(producers=producers, products=products, certificates=certificates)
    valid = (
        Certificate.objects.filter(product__producer__in=producers)
        .valid_on(datetime.date(2022, 7, 31))
        .count()
    )
    demo.say(
        f"Bến Tre (83, legacy map): {len(producers)} producers, {len(products)} products, "
        f"{valid} certificates valid on 31/07/2022."
    )

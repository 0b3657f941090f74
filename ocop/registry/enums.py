from django.db import models
from django.utils.translation import gettext_lazy as _


class ProducerKind(models.TextChoices):
    """The OCOP subjects (chủ thể OCOP) of QĐ 26/2026/QĐ-TTg Art. 2.3, in the order of the text.

    Art. 2.3: "hợp tác xã; tổ hợp tác; doanh nghiệp nhỏ và vừa; trang trại, hộ sản xuất, hộ gia đình có
    đăng ký kinh doanh"; for the tourism group (product set 26) also "hội, hiệp hội, trung tâm điều hành
    hoặc tổ chức tương đương" (TOURISM_ONLY_KINDS). Earlier values were mapped by migration
    registry 0004: "establishment" (cơ sở sản xuất) -> "production_household". The stored value of a small
    or medium enterprise stays "enterprise", as the API and open data have always written it."""

    COOPERATIVE = "cooperative", _("Cooperative (HTX)")
    COOPERATIVE_GROUP = "coop_group", _("Cooperative group")
    SME = "enterprise", _("Small or medium enterprise")
    FARM = "farm", _("Farm")
    PRODUCTION_HOUSEHOLD = "production_household", _("Production household")
    HOUSEHOLD = "household", _("Household with business registration")
    ASSOCIATION = "association", _("Association (tourism only)")
    TOURISM_CENTRE = "tourism_centre", _("Tourism operating centre or equivalent organisation (tourism only)")


# Art. 2.3, second sentence: these kinds may register only products of the tourism group (set 26).
TOURISM_ONLY_KINDS = frozenset({ProducerKind.ASSOCIATION, ProducerKind.TOURISM_CENTRE})

# Kinds that are natural persons' households (their contact data is personal data).
HOUSEHOLD_KINDS = frozenset({ProducerKind.HOUSEHOLD, ProducerKind.PRODUCTION_HOUSEHOLD})

# How the kinds are written in provincial spreadsheets (folded text -> kind).
PRODUCER_KIND_ALIASES = {
    "hop tac xa": ProducerKind.COOPERATIVE,
    "htx": ProducerKind.COOPERATIVE,
    "cooperative": ProducerKind.COOPERATIVE,
    "doanh nghiep": ProducerKind.SME,
    "doanh nghiep nho va vua": ProducerKind.SME,
    "dn": ProducerKind.SME,
    "cong ty": ProducerKind.SME,
    "cong ty tnhh": ProducerKind.SME,
    "cong ty co phan": ProducerKind.SME,
    "doanh nghiep tu nhan": ProducerKind.SME,
    "enterprise": ProducerKind.SME,
    "sme": ProducerKind.SME,
    "trang trai": ProducerKind.FARM,
    "ho kinh doanh": ProducerKind.HOUSEHOLD,
    "hkd": ProducerKind.HOUSEHOLD,
    "ho gia dinh": ProducerKind.HOUSEHOLD,
    "household": ProducerKind.HOUSEHOLD,
    "ho san xuat": ProducerKind.PRODUCTION_HOUSEHOLD,
    "to hop tac": ProducerKind.COOPERATIVE_GROUP,
    "tht": ProducerKind.COOPERATIVE_GROUP,
    "co so san xuat": ProducerKind.PRODUCTION_HOUSEHOLD,
    "co so": ProducerKind.PRODUCTION_HOUSEHOLD,
    "cssx": ProducerKind.PRODUCTION_HOUSEHOLD,
    "hoi": ProducerKind.ASSOCIATION,
    "hiep hoi": ProducerKind.ASSOCIATION,
    "trung tam dieu hanh": ProducerKind.TOURISM_CENTRE,
}


class ProductStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    DISCONTINUED = "discontinued", _("Discontinued")


class ProducerStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    ACTIVE = "active", _("Active")
    REJECTED = "rejected", _("Rejected")
    INACTIVE = "inactive", _("Inactive")


# The province's decisions on a producer's registration (`registry.domain.set_producer_status`; the
# producer page offers exactly these as buttons): a self-registration awaiting approval is approved or
# rejected, a rejected or inactive producer may be approved again, an active one may be set inactive.
PRODUCER_TRANSITIONS = {
    ProducerStatus.PENDING: frozenset({ProducerStatus.ACTIVE, ProducerStatus.REJECTED}),
    ProducerStatus.REJECTED: frozenset({ProducerStatus.ACTIVE}),
    ProducerStatus.INACTIVE: frozenset({ProducerStatus.ACTIVE}),
    ProducerStatus.ACTIVE: frozenset({ProducerStatus.INACTIVE}),
}


class ChangeRequestStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting the office")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    REPLACED = "replaced", _("Replaced by a later request")


class ProductGroup(models.IntegerChoices):
    FOOD = 1, _("Food")
    BEVERAGE = 2, _("Beverages")
    HERBAL = 3, _("Herbal products")
    HANDICRAFT = 4, _("Handicrafts")
    ORNAMENTAL = 5, _("Ornamentals")
    TOURISM = 6, _("Community and eco-tourism services and sites")


class ProductSet(models.IntegerChoices):
    FRESH_PRODUCE = 1, _("Fresh vegetables, tubers, fruit and nuts")
    FRESH_MEAT = 2, _("Fresh meat, seafood, eggs and milk")
    RICE_CEREALS = 3, _("Rice, cereals and other pre-processed grains")
    HONEY = 4, _("Honey, other syrups and other farm foods")
    FAST_FOOD = 5, _("Fast food")
    RICE_PRODUCTS = 6, _("Products processed from rice and cereals")
    FRUIT_PRODUCTS = 7, _("Products processed from vegetables, fruit and nuts")
    MEAT_PRODUCTS = 8, _("Products processed from meat, seafood, eggs, milk and honey")
    SAUCES = 9, _("Sauces, fish sauce and other liquid condiments")
    SPICES = 10, _("Other spices (salt, onion, garlic, pepper)")
    TEA = 11, _("Fresh and processed tea")
    PLANT_TEA = 12, _("Other plant teas")
    COFFEE = 13, _("Coffee and cocoa")
    SPIRITS = 14, _("White spirits")
    OTHER_ALCOHOL = 15, _("Other alcoholic drinks")
    WATER = 16, _("Natural mineral water and bottled water")
    SOFT_DRINKS = 17, _("Other soft drinks")
    SUPPLEMENTS = 18, _("Functional foods, herbal and traditional medicines")
    COSMETICS = 19, _("Cosmetics with herbal ingredients")
    ESSENTIAL_OILS = 20, _("Essential oils and other herbal products")
    CRAFTS = 21, _("Handicrafts (household and decorative)")
    TEXTILES = 22, _("Fabric and garments")
    FLOWERS = 23, _("Flowers")
    PLANTS = 24, _("Ornamental plants")
    ANIMALS = 25, _("Ornamental animals")
    TOURISM = 26, _("Community tourism, eco-tourism services and tourist sites")


PRODUCT_SET_GROUP = {
    **dict.fromkeys(range(1, 14), ProductGroup.FOOD),
    **dict.fromkeys(range(14, 18), ProductGroup.BEVERAGE),
    **dict.fromkeys(range(18, 21), ProductGroup.HERBAL),
    **dict.fromkeys(range(21, 23), ProductGroup.HANDICRAFT),
    **dict.fromkeys(range(23, 26), ProductGroup.ORNAMENTAL),
    26: ProductGroup.TOURISM,
}

# Official Vietnamese names (QĐ 148/QĐ-TTg), used to match spreadsheet cells.
PRODUCT_SET_VI = {
    1: "Rau, củ, quả, hạt tươi",
    2: "Thịt, thủy sản, trứng, sữa tươi",
    3: "Gạo, ngũ cốc, hạt sơ chế khác",
    4: "Mật ong, mật khác và nông sản thực phẩm khác",
    5: "Đồ ăn nhanh",
    6: "Chế biến từ gạo, ngũ cốc",
    7: "Chế biến từ rau, củ, quả, hạt",
    8: "Chế biến từ thịt, thủy sản, trứng, sữa, mật ong",
    9: "Tương, nước mắm, gia vị dạng lỏng khác",
    10: "Gia vị khác",
    11: "Chè tươi, chè chế biến",
    12: "Sản phẩm trà từ thực vật khác",
    13: "Cà phê, cacao",
    14: "Rượu trắng",
    15: "Đồ uống có cồn khác",
    16: "Nước khoáng thiên nhiên, nước uống đóng chai",
    17: "Đồ uống không cồn khác",
    18: "Thực phẩm chức năng, thuốc dược liệu, thuốc cổ truyền",
    19: "Mỹ phẩm có thành phần từ dược liệu",
    20: "Tinh dầu và dược liệu khác",
    21: "Thủ công mỹ nghệ",
    22: "Vải, may mặc",
    23: "Hoa",
    24: "Cây cảnh",
    25: "Động vật cảnh",
    26: "Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch",
}


def group_of(product_set):
    return PRODUCT_SET_GROUP[int(product_set)]

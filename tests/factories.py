"""One plain factory per model. Units come from the real map (loaded once per test session).

The factories of public records (producers, products, certificates) publish what they create, as the
domain function that creates one in the application would (`ocop.core.publication.publish`): the
catalogue and the public pages then show it. A test that changes such a record afterwards goes
through the domain function, or calls `publish` itself: a bare `.save()` publishes nothing."""

import datetime
import io

import factory
from PIL import Image

from ocop.accounts.enums import Role
from ocop.accounts.models import RoleAssignment, User
from ocop.certificates.models import Certificate
from ocop.core.publication import publish
from ocop.geo.models import AdminUnit
from ocop.registry.enums import ProducerKind
from ocop.registry.models import Producer, Product

PASSWORD = "ocop-Test-2025!"


def unit(code, map="legacy", level=None):
    """A unit by GSO code: 2 digits province, 3 district, 5 commune."""
    level = level or {2: "province", 3: "district", 5: "commune"}[len(code)]
    return AdminUnit.objects.get(map=map, level=level, code=code)


# Bến Tre (83, legacy): Phường Phú Khương, Bến Tre city; the default commune of factories.
DEFAULT_COMMUNE = ("28756", "legacy")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Faker("name", locale="vi_VN")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.vn")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def with_role(user, role, *, unit=None, producer=None):
    RoleAssignment.objects.create(user=user, role=role, unit=unit, producer=producer)
    user.__dict__.pop("assignments", None)
    user.__dict__.pop("producer", None)
    return user


class PublishedFactory(factory.django.DjangoModelFactory):
    """Publishes each record it creates, as the domain function that creates one would."""

    class Meta:
        abstract = True

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        super()._after_postgeneration(instance, create, results)
        if create:
            publish(instance)


class ProducerFactory(PublishedFactory):
    class Meta:
        model = Producer

    name = factory.Sequence(lambda n: f"Hợp tác xã Dừa Xanh {n}")
    kind = ProducerKind.COOPERATIVE
    tax_code = factory.Sequence(lambda n: f"{1300000000 + n}")
    representative = factory.Faker("name", locale="vi_VN")
    commune = factory.LazyFunction(lambda: unit(*DEFAULT_COMMUNE))


class ProductFactory(PublishedFactory):
    class Meta:
        model = Product

    producer = factory.SubFactory(ProducerFactory)
    name = factory.Sequence(lambda n: f"Kẹo dừa sữa {n}")
    product_set = 7


class CertificateFactory(PublishedFactory):
    class Meta:
        model = Certificate

    number = factory.Sequence(lambda n: f"83-{n:05d}-2022")
    product = factory.SubFactory(ProductFactory)
    star = 3
    decision_number = "1234/QĐ-UBND"
    decision_date = datetime.date(2022, 5, 10)
    issuer_name = "UBND tỉnh Bến Tre"
    issued_on = datetime.date(2022, 5, 10)
    expires_on = datetime.date(2025, 5, 10)


__all__ = ["PASSWORD", "Role", "unit", "with_role"]


def png(name="keo-dua.png"):
    """A small green PNG, as an open file named `name` (a photo to upload)."""
    out = io.BytesIO()
    Image.new("RGB", (20, 20), "green").save(out, "PNG")
    out.seek(0)
    out.name = name
    return out

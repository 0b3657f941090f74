"""State changes of producers and products. Each checks permission, saves, and logs."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from ocop.core.activity import log_activity

from .enums import ProducerStatus
from .models import Producer, Product

PRODUCER_FIELDS = [
    "name",
    "kind",
    "tax_code",
    "representative",
    "phone",
    "email",
    "website",
    "address",
    "commune",
    "latitude",
    "longitude",
    "women_led",
    "ethnic_minority_led",
    "founded_on",
    "members_count",
    "workers_count",
    "description",
    "phone_public",
]
PRODUCT_FIELDS = [
    "name",
    "product_set",
    "description",
    "story",
    "ingredients",
    "packaging",
    "shelf_life",
    "gtin",
    "status",
    "code",
]


def _require(user, perm, obj=None):
    if user is not None and not user.has_perm(perm, obj):
        raise PermissionDenied


def _diff(instance, values):
    out = {}
    for field, new in values.items():
        old = getattr(instance, field)
        if old != new:
            out[field] = [str(old) if old is not None else None, str(new) if new is not None else None]
    return out


@transaction.atomic
def create_producer(*, actor, status=ProducerStatus.ACTIVE, **values):
    producer = Producer(status=status, **values)
    producer.full_clean()
    producer.save()
    log_activity(
        producer, "registry.producer.created", actor=actor, data={"name": producer.name, "status": status}
    )
    return producer


@transaction.atomic
def update_producer(producer, *, actor, **values):
    _require(actor, "registry.change_producer", producer)
    producer = Producer.objects.select_for_update().get(pk=producer.pk)
    diff = _diff(producer, values)
    if not diff:
        return producer
    for field, value in values.items():
        setattr(producer, field, value)
    producer.full_clean()
    producer.save(update_fields=[*values.keys(), "updated_at"])
    log_activity(producer, "registry.producer.updated", actor=actor, data={"changes": diff})
    return producer


@transaction.atomic
def set_producer_status(producer, status, *, actor, reason=""):
    _require(actor, "registry.approve_producer", producer)
    producer = Producer.objects.select_for_update().get(pk=producer.pk)
    previous = producer.status
    if previous == status:
        return producer
    producer.status = status
    producer.save(update_fields=["status", "updated_at"])
    log_activity(
        producer,
        f"registry.producer.{status}",
        actor=actor,
        data={"from": previous, "to": status, "reason": reason},
    )
    return producer


@transaction.atomic
def create_product(*, actor, producer, photos=(), **values):
    _require(actor, "registry.change_producer", producer)
    product = Product(producer=producer, **values)
    product.full_clean()
    product.save()
    for photo in photos:
        add_photo(product, photo, actor=None)
    log_activity(product, "registry.product.created", actor=actor, data={"name": product.name})
    return product


@transaction.atomic
def update_product(product, *, actor, **values):
    _require(actor, "registry.change_product", product)
    product = Product.objects.select_for_update().get(pk=product.pk)
    if "code" in values and values["code"] != product.code and not _may_set_code(actor, product):
        # QĐ 26/2026 Annex II: the product code (T-X-STT-year) is given when the commune registers the
        # product; the producer cannot change it.
        raise PermissionDenied(_("The OCOP product code is given by the commune; it cannot be changed here."))
    diff = _diff(product, values)
    if not diff:
        return product
    for field, value in values.items():
        setattr(product, field, value)
    product.full_clean()
    product.save(update_fields=[*values.keys(), "updated_at"])
    log_activity(product, "registry.product.updated", actor=actor, data={"changes": diff})
    return product


def _may_set_code(actor, product):
    return actor is None or actor.has_perm("registry.approve_producer", product.producer)


def add_photo(product, upload, *, actor, caption=""):
    """Store a photo (already validated by content) resized to at most 1600 px."""
    from .images import normalise_image

    content = normalise_image(upload)
    photo = product.photos.create(caption=caption, position=product.photos.count())
    photo.image.save(content.name, content, save=True)
    if actor is not None:
        log_activity(product, "registry.product.photo_added", actor=actor, data={"photo": photo.image.name})
    return photo

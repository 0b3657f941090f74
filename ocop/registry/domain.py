"""State changes of producers and products. Each checks permission, saves, and logs."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ocop.accounts.domain import assign_role
from ocop.accounts.enums import Role
from ocop.accounts.models import User
from ocop.accounts.rules import unit_covers
from ocop.core.activity import log_activity
from ocop.core.errors import DomainError, InvalidTransition, NotAllowed
from ocop.core.locking import check_unchanged
from ocop.core.permissions import acting_user, require
from ocop.core.publication import publish
from ocop.geo.models import AdminUnit
from ocop.geo.queries import current_commune_for, legacy_commune_for

from .enums import PRODUCER_TRANSITIONS, ChangeRequestStatus, ProducerStatus, ProductSet
from .images import normalise_image
from .models import ChangeRequest, Producer, Product
from .rules import takes_products

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


# Fields a producer cannot change by itself: the office approves or refuses the change (ChangeRequest).
# Its commune decides which province's office covers it (and certified it); its tax code is how an
# import finds it; after certification, a product's name, set and code are what the council rated.
GUARDED_PRODUCER_FIELDS = ("commune", "tax_code")
GUARDED_PRODUCT_FIELDS = ("name", "product_set", "code")


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
    # Nothing to publish: a new producer has no product, so no public page shows it yet.
    return producer


def is_office(actor, producer):
    """The office of `producer` (an administrator or a provincial officer covering it); the system
    (`SYSTEM`) counts as the office."""
    return acting_user(actor) is None or actor.has_perm("registry.approve_producer", producer)


def _check_commune_in_scope(actor, commune):
    """An officer moves a producer only within the provinces they cover (administrators anywhere)."""

    if acting_user(actor) is None or actor.is_superuser or actor.has_role(Role.ADMIN):
        return
    legacy, current = legacy_commune_for(commune), current_commune_for(commune)
    if not any(unit_covers(unit, legacy, current) for unit in actor.units(Role.PROVINCE_OFFICER)):
        raise NotAllowed(_("This commune is outside your province."), code="commune_out_of_scope")


def _save_changes(obj, values, *, actor, action):
    """Set, validate, save and log the fields of `values` that differ; returns the diff."""
    diff = _diff(obj, values)
    if not diff:
        return diff
    for field in diff:
        setattr(obj, field, values[field])
    try:
        obj.full_clean()
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), code="invalid") from exc
    obj.save(update_fields=[*diff.keys(), "updated_at"])
    log_activity(obj, action, actor=actor, data={"changes": diff})
    publish(obj)
    return diff


@transaction.atomic
def update_producer(producer, *, actor, lock_token=None, **values):
    """Change a producer's profile. The office changes anything (an officer only within the provinces
    it covers); a producer's change of commune or tax code becomes a ChangeRequest for the office, the
    rest is saved at once. The created request, if any, is `producer.change_request`."""
    require(actor, "registry.change_producer", producer)
    producer = Producer.objects.select_for_update().get(pk=producer.pk)
    check_unchanged(producer, lock_token)
    request = None
    if is_office(actor, producer):
        if "commune" in values and values["commune"] != producer.commune:
            _check_commune_in_scope(actor, values["commune"])
    else:
        guarded = {f: values.pop(f) for f in GUARDED_PRODUCER_FIELDS if f in values}
        request = _request_change(producer, None, guarded, actor=actor)
    _save_changes(producer, values, actor=actor, action="registry.producer.updated")
    producer.change_request = request
    return producer


@transaction.atomic
def set_producer_status(producer, status, *, actor, reason=""):
    require(actor, "registry.approve_producer", producer)
    producer = Producer.objects.select_for_update().get(pk=producer.pk)
    previous = producer.status
    if previous == status:
        return producer
    if status not in PRODUCER_TRANSITIONS[previous]:
        labels = dict(ProducerStatus.choices)
        raise InvalidTransition(
            _("A producer that is “%(from)s” cannot be set to “%(to)s”.")
            % {"from": labels[previous], "to": labels.get(status, status)}
        )
    producer.status = status
    producer.save(update_fields=["status", "updated_at"])
    publish(producer)  # its products appear in or leave the catalogue
    log_activity(
        producer,
        f"registry.producer.{status}",
        actor=actor,
        data={"from": previous, "to": status, "reason": reason},
    )
    return producer


@transaction.atomic
def create_product(*, actor, producer, photos=(), **values):
    require(actor, "registry.change_producer", producer)
    if not takes_products(producer):
        raise DomainError(
            _("Products can be added once the province has approved the producer."),
            code="producer_not_active",
        )
    product = Product(producer=producer, **values)
    product.full_clean()
    product.save()
    for photo in photos:
        add_photo(product, photo, actor=None)
    log_activity(product, "registry.product.created", actor=actor, data={"name": product.name})
    publish(product)
    return product


@transaction.atomic
def update_product(product, *, actor, lock_token=None, **values):
    """Change a product. Once it has a certificate, a producer's change of its name, product set or
    code becomes a ChangeRequest for the office (`product.change_request`); the rest is saved at once."""
    require(actor, "registry.change_product", product)
    # The product and its producer are locked, as before; the producer's communes (read by the rules in
    # is_office) come along unlocked, else two more queries on every save (issue #16).
    product = (
        Product.objects.select_for_update(of=("self", "producer"))
        .select_related("producer", "producer__legacy_commune", "producer__current_commune")
        .get(pk=product.pk)
    )
    check_unchanged(product, lock_token)
    if "code" in values and values["code"] != product.code and not _may_set_code(actor, product):
        # QĐ 26/2026 Annex II: the product code (T-X-STT-year) is given when the commune registers the
        # product; the producer cannot change it.
        raise PermissionDenied(_("The OCOP product code is given by the commune; it cannot be changed here."))
    request = None
    if not is_office(actor, product.producer) and product.certificates.exists():
        guarded = {f: values.pop(f) for f in GUARDED_PRODUCT_FIELDS if f in values}
        request = _request_change(product.producer, product, guarded, actor=actor)
    _save_changes(product, values, actor=actor, action="registry.product.updated")
    product.change_request = request
    return product


# --- Change requests: what a producer may not change by itself -----------------------------------------


def _value(field, value):
    """(JSON value, label) of a field's value."""
    if value is None or value == "":
        return value, ""
    if field == "commune":
        province = value.province.name if value.province_id else ""
        return value.pk, ", ".join(x for x in (value.name, province) if x)
    if field == "product_set":
        return int(value), f"{int(value)}. {ProductSet(int(value)).label}"
    return str(value), str(value)


def _request_change(producer, product, values, *, actor):
    """Record the guarded changes of `values` that differ as one pending request (it replaces a pending
    one of the same producer or product); None when nothing differs. Logged on the producer/product."""
    target = product or producer
    changes = {}
    for field, new in values.items():
        old = getattr(target, field)
        if old == new:
            continue
        (old_value, old_label), (new_value, new_label) = _value(field, old), _value(field, new)
        changes[field] = {"from": old_value, "to": new_value, "from_label": old_label, "to_label": new_label}
    if not changes:
        return None
    pending = ChangeRequest.objects.select_for_update().filter(
        producer=producer, product=product, status=ChangeRequestStatus.PENDING
    )
    replaced = [r.pk for r in pending]
    pending.update(status=ChangeRequestStatus.REPLACED, updated_at=timezone.now())
    request = ChangeRequest.objects.create(
        producer=producer,
        product=product,
        changes=changes,
        requested_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    kind = "product" if product else "producer"
    log_activity(
        target,
        f"registry.{kind}.change_requested",
        actor=actor,
        data={"request": request.pk, "changes": changes, "replaces": replaced},
    )
    return request


def _locked_request(request):
    request = (
        ChangeRequest.objects.select_for_update(of=("self",))
        .select_related("producer", "product")
        .get(pk=request.pk)
    )
    if request.status != ChangeRequestStatus.PENDING:
        raise InvalidTransition(
            _("This request was already handled (%(status)s).") % {"status": request.get_status_display()},
            code="request_closed",
        )
    return request


@transaction.atomic
def approve_change_request(request, *, actor, note=""):
    """The office approves: the requested values are applied to the producer or product as they are
    now (its certificates keep the scope of the province that issued them), one log row on it."""

    require(actor, "registry.approve_producer", request.producer)
    request = _locked_request(request)
    target = request.target
    target = type(target).objects.select_for_update().get(pk=target.pk)
    values = {}
    for field, change in request.changes.items():
        new = change["to"]
        if field == "commune":
            new = AdminUnit.objects.get(pk=new)
        values[field] = new if new != "" else (None if field == "tax_code" else "")
    diff = _diff(target, values)
    for field, value in values.items():
        setattr(target, field, value)
    try:
        target.full_clean()
    except ValidationError as exc:
        raise DomainError(
            _("The change cannot be applied: %(reasons)s") % {"reasons": " ".join(exc.messages)},
            code="invalid",
        ) from exc
    if diff:
        target.save(update_fields=[*values.keys(), "updated_at"])
        publish(target)
    request.status, request.decided_by, request.decided_at = (
        ChangeRequestStatus.APPROVED,
        actor,
        timezone.now(),
    )
    request.note = (note or "").strip()
    request.save(update_fields=["status", "decided_by", "decided_at", "note", "updated_at"])
    kind = "product" if request.product_id else "producer"
    log_activity(
        target,
        f"registry.{kind}.change_approved",
        actor=actor,
        data={"request": request.pk, "changes": diff, "note": request.note},
    )
    return request


@transaction.atomic
def refuse_change_request(request, *, actor, note):
    """The office refuses, with its reason for the producer; nothing changes on the producer/product."""
    require(actor, "registry.approve_producer", request.producer)
    request = _locked_request(request)
    note = (note or "").strip()
    if not note:
        raise DomainError(_("Give the reason for refusing."), code="reason_required")
    request.status, request.decided_by, request.decided_at = (
        ChangeRequestStatus.REFUSED,
        actor,
        timezone.now(),
    )
    request.note = note
    request.save(update_fields=["status", "decided_by", "decided_at", "note", "updated_at"])
    kind = "product" if request.product_id else "producer"
    log_activity(
        request.target,
        f"registry.{kind}.change_refused",
        actor=actor,
        data={"request": request.pk, "changes": request.changes, "note": note},
    )
    return request


def _may_set_code(actor, product):
    return acting_user(actor) is None or actor.has_perm("registry.approve_producer", product.producer)


def add_photo(product, upload, *, actor, caption=""):
    """Store a photo (already validated by content) resized to at most 1600 px."""

    content = normalise_image(upload)
    photo = product.photos.create(caption=caption, position=product.photos.count())
    photo.image.save(content.name, content, save=True)
    publish(photo)
    if actor is not None:
        log_activity(product, "registry.product.photo_added", actor=actor, data={"photo": photo.image.name})
    return photo


@transaction.atomic
def register_producer(*, username, password, full_name, email, producer_values):
    """Self-registration (the account pages' "Register"): a user, a producer awaiting approval by its province, and the link."""
    user = User.objects.create_user(username=username, password=password, email=email, full_name=full_name)
    producer = create_producer(actor=user, status=ProducerStatus.PENDING, **producer_values)
    assign_role(user, Role.PRODUCER, actor=user, producer=producer)
    log_activity(user, "accounts.user.registered", actor=user, data={"producer": producer.pk})
    return user, producer

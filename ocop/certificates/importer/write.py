"""Writing: one transaction, all or nothing; producers and products in bulk, certificates through
`ocop.certificates.domain.issue_certificates` (the one write path of certificates)."""

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F

from ocop.core.activity import log_activity
from ocop.core.models import ActivityLog, Sequence
from ocop.registry.models import Producer, Product

from ..domain import issue_certificates
from ..enums import CertificateSource
from ..models import Certificate
from .match import check_rows
from .read import read_workbook

IMPORT_LOCK = "registry:import"  # a Sequence row whose update serialises imports


@dataclass
class ImportResult:
    rows: list
    dry_run: bool
    file_name: str = ""
    created: dict = field(default_factory=lambda: {"producers": 0, "products": 0, "certificates": 0})
    existing: dict = field(default_factory=lambda: {"producers": 0, "products": 0, "certificates": 0})
    log: ActivityLog | None = None

    @property
    def bad_rows(self):
        return [row for row in self.rows if row.errors]

    @property
    def ok(self):
        return not self.bad_rows

    def error_lines(self):
        return [row.error_line() for row in self.bad_rows]

    def summary(self):
        return {
            "file": self.file_name,
            "rows": len(self.rows),
            "created": dict(self.created),
            "existing": dict(self.existing),
            "dry_run": self.dry_run,
        }


def import_products(source, *, actor=None, dry_run=False, file_name=""):
    """Import a provincial list (path or file object). All or nothing; see the module docstring.

    `actor` None is the system (the management command); a user must hold registry.import_products
    and, unless an administrator, may only import rows of the provinces they cover."""
    if actor is not None and not actor.has_perm("registry.import_products"):
        raise PermissionDenied
    data = read_workbook(source)
    if dry_run:
        return _checked(data, actor=actor, dry_run=True, file_name=file_name)[0]
    with transaction.atomic():
        # One import at a time: a second one waits here, then sees what the first one wrote.
        Sequence.objects.get_or_create(key=IMPORT_LOCK)
        Sequence.objects.filter(key=IMPORT_LOCK).update(value=F("value") + 1)
        result, certificates = _checked(data, actor=actor, dry_run=False, file_name=file_name)
        if result.ok:
            _write(result, certificates, actor=actor)
        else:
            transaction.set_rollback(True)  # not even the lock's counter moves
    return result


def _checked(data, *, actor, dry_run, file_name):
    rows, certificates = check_rows(data, actor=actor)
    result = ImportResult(rows=rows, dry_run=dry_run, file_name=file_name)
    if result.ok:
        _count(result)
    return result, certificates


def _count(result):
    rows = result.rows
    for kind, attr in (("producers", "producer"), ("products", "product")):
        objects = {id(getattr(row, attr)): getattr(row, attr) for row in rows}.values()
        result.created[kind] = sum(1 for obj in objects if obj.pk is None)
        result.existing[kind] = sum(1 for obj in objects if obj.pk is not None)
    result.created["certificates"] = sum(1 for row in rows if row.new_certificate)
    result.existing["certificates"] = sum(1 for row in rows if not row.new_certificate)


def _write(result, certificates, *, actor):
    rows = result.rows
    producers = list({id(r.producer): r.producer for r in rows if r.new_producer}.values())
    Producer.objects.bulk_create(producers, batch_size=500)
    products = list({id(r.product): r.product for r in rows if r.new_product}.values())
    for product in products:
        product.producer_id = product.import_producer.pk
    Product.objects.bulk_create(products, batch_size=500)
    result.log = log_activity(None, "registry.import.completed", actor=actor, data=result.summary())
    _log_created(result.log, actor, producers, products)

    # Certificates through the one write path of certificates (numbering, supersession and its log
    # rows, verify pages and catalogue refreshed).
    issued = [row for row in rows if row.new_certificate]
    for row in issued:
        row.certificate = Certificate(
            product_id=row.product.pk,
            star=row.star,
            potential_5_star=row.potential_5_star,
            score=row.score,
            source=CertificateSource.IMPORT,
            decision_number=row.decision_number,
            decision_date=row.decision_date,
            issuer_name=row.issuer_name,
            issuer_unit_id=row.issuer_unit.pk if row.issuer_unit else None,
            issued_on=row.decision_date,
            expires_on=row.expires_on,
            legacy_commune_id=row.producer.legacy_commune_id,
            current_commune_id=row.producer.current_commune_id,
        )
    issue_certificates(
        [row.certificate for row in issued],
        actor=actor,
        places=[(row.province.code, row.commune.code) for row in issued],
        existing=certificates,
        log_data={"source": "import", "import": result.log.pk},
    )


def _log_created(summary, actor, producers, products):
    """One cheap row per created object, pointing at the import's summary row."""
    actor = actor if getattr(actor, "is_authenticated", False) else None
    types = ContentType.objects.get_for_models(Producer, Product)
    entries = []
    for model, objects, action in (
        (Producer, producers, "registry.producer.created"),
        (Product, products, "registry.product.created"),
    ):
        for obj in objects:
            data = {"source": "import", "import": summary.pk}
            entries.append(
                ActivityLog(
                    actor=actor,
                    action=action,
                    content_type=types[model],
                    object_id=str(obj.pk),
                    object_repr=str(obj)[:300],
                    data=data,
                )
            )
    ActivityLog.objects.bulk_create(entries, batch_size=1000)

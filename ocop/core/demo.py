"""The demo province, built by `manage.py seed_demo` from one step per app.

Each app that adds demo data has a module `ocop/<app>/demo.py` with `seed(demo)`. Steps run in
DEMO_STEPS order inside one transaction and must be idempotent (running seed_demo twice creates
nothing new, even after the demo data was edited): each created object is keyed with `keyed()` on a
stable key recorded in `DemoRecord`, never on an editable field or a count."""

import importlib
import importlib.util
import random
from dataclasses import dataclass, field

from ocop.registry.models import Product

from .models import DemoRecord
from .publication import publish

DEMO_STEPS = [
    "ocop.registry.demo",  # Bến Tre 2022: producers, products, provincial certificates, accounts
    "ocop.certificates.demo",  # expired / revoked / expiring certificates
    "ocop.stamps.demo",  # stamp batches and scans
    "ocop.evaluation.demo",  # the 2023 round in progress
    "ocop.programme.demo",  # plans, targets, training, support
    "ocop.market.demo",  # sale points, listings, fairs, tourism
    "ocop.evaluation.demo_today",  # the merger into Vĩnh Long, renewals and the open 2026 round
    "ocop.reports.demo",
]

DEMO_PASSWORD = "ocop-demo-2025"  # noqa: S105 (demo accounts only; printed by seed_demo)


@dataclass
class Demo:
    province: object = None  # legacy Bến Tre (83)
    users: dict = field(default_factory=dict)  # role name -> User
    rng: random.Random = field(default_factory=lambda: random.Random(2022))
    lines: list = field(default_factory=list)
    data: dict = field(default_factory=dict)  # anything a step wants to hand to later steps

    def say(self, line):
        self.lines.append(line)


def keyed(key, model, *, find, create):
    """The object `seed_demo` made under `key`: found by its record even after it was edited; a
    deleted one stays deleted (None); on a database seeded before records existed, `find()` adopts
    the object by its old natural key; otherwise `create()` makes it once and records it."""

    record = DemoRecord.objects.filter(key=key).first()
    if record is not None:
        return model.objects.filter(pk=record.object_id).first()
    obj = find() or create()
    DemoRecord.objects.create(key=key, model=model._meta.label_lower, object_id=obj.pk)
    return obj


def run_steps(demo):
    for name in DEMO_STEPS:
        if importlib.util.find_spec(name) is None:
            continue
        importlib.import_module(name).seed(demo)
    # The steps write some rows directly (back-dated batches, a revoked certificate of 2022...), which
    # publishes nothing: the demo ends by publishing every product (catalogue rows rewritten in the
    # seed's transaction, cached pages replaced once it commits).
    publish(products=Product.objects.values_list("pk", flat=True))
    return demo

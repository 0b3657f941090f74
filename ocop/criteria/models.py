"""Versioned criteria sets. A set has parts with maxima; each product set has one rubric tree (JSON,
shape in `ocop.criteria.scoring`). A published set and its rubrics never change: a new version is a new
set with a new code."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from ocop.core.models import TimeStampedModel
from ocop.registry.enums import PRODUCT_SET_VI, ProductSet

from .enums import SetStatus
from .scoring import criteria_by_part

# QĐ 148/QĐ-TTg took effect on 24/02/2023 with the list of 26 product sets that QĐ 26/2026 keeps.
SHARED_LIST_FROM = datetime.date(2023, 2, 24)


class CriteriaSet(TimeStampedModel):
    code = models.CharField(_("code"), max_length=30, unique=True)
    title = models.CharField(_("title"), max_length=255)
    title_en = models.CharField(_("title (English)"), max_length=255, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=255)
    legal_note = models.TextField(_("note on the legal basis"), blank=True)
    valid_from = models.DateField(_("valid from"))
    # Legal validity: the last day the set may be used for a new round (None = in force until repealed).
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    # False for a set kept as history or structure only (the empty QĐ 148 draft): never offered to a round.
    usable = models.BooleanField(_("usable for new rounds"), default=True)
    # Annex I of the set's decision: product groups → nhóm → phân nhóm → product set number.
    classification = models.JSONField(_("product classification"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=SetStatus.choices, default=SetStatus.DRAFT)
    is_demo = models.BooleanField(_("demo rubric"), default=False)
    parts = models.JSONField(_("parts"), default=list)  # [{"code", "max_points", "title", "title_en"}]
    source_hash = models.CharField(max_length=64, blank=True, editable=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-valid_from", "code"]
        verbose_name = _("criteria set")
        verbose_name_plural = _("criteria sets")

    def __str__(self):
        return self.code

    @property
    def is_published(self):
        return self.status == SetStatus.PUBLISHED

    def display_title(self):
        return self.title_en if translation.get_language() == "en" and self.title_en else self.title

    @property
    def shares_todays_list(self):
        """QĐ 148/2023 and QĐ 26/2026 number the 26 product sets alike (today's list); QĐ 1048/2019 did not."""
        return self.valid_from >= SHARED_LIST_FROM

    def in_force_on(self, day):
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def part_maxima(self):
        return [{"code": p["code"], "max_points": p["max_points"]} for p in self.parts]


class Rubric(TimeStampedModel):
    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="rubrics")
    product_set = models.PositiveSmallIntegerField(_("product set"), choices=ProductSet.choices)
    tree = models.JSONField(_("rubric"), default=dict)
    criteria_count = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["criteria_set", "product_set"]
        constraints = [
            models.UniqueConstraint(
                fields=["criteria_set", "product_set"], name="unique_rubric_per_product_set"
            )
        ]
        verbose_name = _("rubric")
        verbose_name_plural = _("rubrics")

    def __str__(self):
        return f"{self.criteria_set.code} / {self.product_set}"

    def criteria(self):
        return [c for _, c in criteria_by_part(self.tree)]

    @property
    def set_name(self):
        """The product set's name in the decision this rubric belongs to (Annex I/II of QĐ 26/2026 for
        QD26-2026). A product keeps the set it was evaluated under: read it from the dossier's or
        certificate's rubric, not from today's list. QĐ 148/2023 and QĐ 26/2026 share the list of 26
        sets (ocop.registry.enums.PRODUCT_SET_VI); QĐ 1048/2019 had a different list, which is not in our
        sources, so its name is left empty rather than guessed."""
        name = (self.tree or {}).get("name")
        if name:
            return name
        if self.criteria_set.shares_todays_list:
            return PRODUCT_SET_VI.get(self.product_set, "")
        return ""

    @property
    def set_label(self):
        return f"{self.product_set}. {self.set_name}" if self.set_name else str(self.product_set)

    def local_criteria(self):
        return [c for c in self.criteria() if c.get("local")]

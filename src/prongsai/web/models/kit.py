"""The document kit's data in the web app (prongsai.kit is the core).

A dataset record holds one agency's dataset for one fiscal year (one assessment) in the CLI file's shape:
``header`` a mapping of field name → value as a person typed it, ``rows`` a list of such mappings, so that
the core's one validator (prongsai.kit.validate.parse_dataset) reads what the web keeps as it reads a file.
The complaints log is the ``complaints`` dataset's rows: date, channel, kind, status, days to close, and
never who complained.

A kit document record remembers that a kind was made (downloaded) and where the agency published it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .assessments import Assessment

__all__ = ["KitDataset", "KitDocument"]


class KitDataset(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="kit_datasets")
    dataset = models.CharField(_("ชุดข้อมูล"), max_length=40)  # prongsai.kit DATASETS code
    header = models.JSONField(default=dict, blank=True)  # {field name: value as typed}
    rows = models.JSONField(default=list, blank=True)  # [{field name: value as typed}, …]
    # a person checked the data; until then every document made from it says ร่าง. A change clears it.
    reviewed_at = models.DateTimeField(_("ตรวจทานเมื่อ"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ผู้ตรวจทาน"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("ชุดข้อมูลเอกสาร")
        constraints = [models.UniqueConstraint(fields=["assessment", "dataset"], name="one_kit_dataset_per_year")]

    def __str__(self) -> str:
        return f"{self.assessment} {self.dataset}"


class KitDocument(models.Model):
    """A kind of the kit made for an assessment: when it was last made, and its published address."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="kit_documents")
    kind = models.CharField(_("เอกสาร"), max_length=40)  # prongsai.kit KINDS code
    made_at = models.DateTimeField(_("ทำเอกสารเมื่อ"), null=True, blank=True)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    url = models.URLField(_("URL ที่เผยแพร่"), max_length=500, blank=True)
    published_at = models.DateTimeField(_("เผยแพร่เมื่อ"), null=True, blank=True)

    class Meta:
        verbose_name = _("เอกสารจากชุดข้อมูล")
        constraints = [models.UniqueConstraint(fields=["assessment", "kind"], name="one_kit_document_per_year")]

    def __str__(self) -> str:
        return f"{self.assessment} {self.kind}"

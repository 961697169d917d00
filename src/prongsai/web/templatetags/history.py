"""The change history as a person reads it: ``{% for field, before, after in entry|changes %}`` gives each
changed field's label (the model field's Thai name, never ``status`` or ``period_start``) and its values as the
forms show them: a choice's label (กำลังดำเนินการ, not in_progress), a B.E. date (1 ม.ค. 2568, not 2025-01-01),
a list joined by commas, ใช่/ไม่ for a yes/no."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import template
from django.apps import apps
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import AuditEntry
from .thai import be

register = template.Library()

# What the services record beside the model's own fields (services.audit_record's keys).
LABELS = {
    "units": gettext_lazy("ผู้รับผิดชอบ"),
    "drafted": gettext_lazy("ร่างจากผลการประเมิน"),
    "evidence": gettext_lazy("ไฟล์หลักฐาน"),
    "indicators": gettext_lazy("ตัวชี้วัดที่เกี่ยวข้อง"),
    "items": gettext_lazy("ข้อ OIT ที่เกี่ยวข้อง"),
    "name": gettext_lazy("ชื่อ"),
    "code": gettext_lazy("รหัส"),
}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def _model(entry: AuditEntry) -> type[models.Model] | None:
    try:
        return apps.get_model("prongsai", entry.model)
    except LookupError:
        return None


def _field(model: type[models.Model] | None, name: str) -> Any:
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except Exception:  # FieldDoesNotExist: a key the service added (units, drafted …)
        return None


def label(model: type[models.Model] | None, name: str) -> str:
    if name.isdigit():  # an assessment's indicator scores are recorded by number
        return _("ตัวชี้วัดที่ %(n)s") % {"n": name}
    field = _field(model, name)
    verbose = str(getattr(field, "verbose_name", "") or "")
    if verbose and verbose != name.replace("_", " "):  # a Thai verbose name, not Django's made-up one
        return verbose
    return str(LABELS.get(name, name))


def shown(model: type[models.Model] | None, name: str, value: Any) -> Any:
    """A recorded value as a person reads it; None (shown as –) for nothing."""
    if value is None or value == "" or value == []:
        return None
    field = _field(model, name)
    choices = dict(getattr(field, "flatchoices", None) or ())
    if isinstance(value, str) and value in choices:
        return str(choices[value])
    if isinstance(value, bool):
        return _("ใช่") if value else _("ไม่")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, str) and _ISO_DATE.match(value):
        try:
            return be(dt.date.fromisoformat(value))
        except ValueError:
            return value
    if isinstance(value, str) and _ISO_MOMENT.match(value):
        try:
            return be(dt.datetime.fromisoformat(value), "time")
        except ValueError:
            return value
    return value


@register.filter
def changes(entry: AuditEntry) -> list[tuple[str, Any, Any]]:
    model = _model(entry)
    return [(label(model, name), shown(model, name, before), shown(model, name, after))
            for name, before, after in entry.change_list()]  # fmt: skip

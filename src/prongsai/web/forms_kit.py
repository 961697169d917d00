"""The document kit's forms, generated from a dataset's Field schema (prongsai.kit.base.Field).

A form only reads what a person typed into the value the dataset file holds (a date as 15/01/2568, a
number without Thai digits or commas, an update per line); what the values must be is the core's rule
(prongsai.kit.validate), which the service asks before saving.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from prongsai.kit.base import Field
from prongsai.thai import to_arabic_digits

from .forms import BuddhistDateInput, ThaiNumberInput, WebUrlField

SCORE_CHOICES = [("", "–"), *[(str(n), str(n)) for n in range(1, 6)]]
UPDATE_PARTS = ("date", "progress", "text", "spent")  # one progress update per line: วันที่ | ร้อยละ | ข้อความ | เบิกจ่าย
UPDATES_HELP = _(
    "หนึ่งบรรทัดต่อหนึ่งครั้งที่รายงาน: วันที่ | ร้อยละความคืบหน้า | สิ่งที่ทำ | เงินที่เบิกจ่าย เช่น 31/03/2569 | 50 | จัดอบรมแล้ว 1 รุ่น | 12000"
)


def _field(spec: Field) -> forms.Field:
    common: dict[str, Any] = {"label": spec.label_th, "required": spec.required, "help_text": spec.help_th}
    if spec.type == "longtext":
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=5000, **common)
    # dates and numbers are read by the core (prongsai.kit.validate: 1 ต.ค. 2569 and 15,000.50 as well as
    # 15/01/2568 and 15000): here only Thai digits become Arabic ones, so that the core's message is the one shown
    if spec.type == "date":
        return forms.CharField(max_length=40, widget=KitDateInput(), **common)
    if spec.type in ("int", "money"):
        return forms.CharField(max_length=40, widget=ThaiNumberInput(decimal=spec.type == "money"), **common)
    if spec.type == "score":
        return forms.TypedChoiceField(choices=SCORE_CHOICES, coerce=int, empty_value=None, **common)
    if spec.type == "choice":
        return forms.ChoiceField(choices=[("", "–"), *[(c, c) for c in spec.choices]], **common)
    if spec.type == "updates":
        common["help_text"] = spec.help_th or UPDATES_HELP
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=20000, **common)
    placeholder = {"month": _("เช่น ต.ค. 2569")}.get(spec.type)
    attrs = {"placeholder": placeholder} if placeholder else {}
    return forms.CharField(max_length=1000, widget=forms.TextInput(attrs=attrs), **common)


class KitDateInput(BuddhistDateInput):
    """A B.E. date as typed (15/01/2568, ๑๕/๐๑/๒๕๖๘ or 15 ม.ค. 2568), its Thai digits made Arabic."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        value = super().value_from_datadict(data, files, name)
        return to_arabic_digits(value).strip() if isinstance(value, str) else value


class DatasetForm(forms.Form):
    """The header or one row of a dataset: one input per Field, in the schema's order."""

    def __init__(self, *args: Any, fields: Sequence[Field], **kwargs: Any) -> None:
        self.specs = tuple(fields)
        if "initial" in kwargs and kwargs["initial"] is not None:
            kwargs["initial"] = shown_values(self.specs, kwargs["initial"])
        super().__init__(*args, **kwargs)
        for spec in self.specs:
            self.fields[spec.name] = _field(spec)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for spec in self.specs:
            if spec.type == "updates" and data.get(spec.name):
                try:
                    data[spec.name] = updates_from_text(str(data[spec.name]))
                except ValueError as exc:
                    self.add_error(spec.name, str(exc))
        return data

    def stored(self) -> dict[str, Any]:
        """The cleaned values in the dataset file's shape (what KitDataset keeps)."""
        return {spec.name: stored_value(self.cleaned_data.get(spec.name)) for spec in self.specs}


def stored_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, int):
        return str(value)
    return value


def updates_from_text(text: str) -> list[dict[str, str]]:
    """Lines "วันที่ | ร้อยละ | ข้อความ | เบิกจ่าย" as the dataset's updates (the core checks each value)."""
    updates = []
    for number, line in enumerate((line for line in text.splitlines() if line.strip()), start=1):
        parts = [p.strip() for p in line.split("|")]
        if len(parts) < 3 or len(parts) > 4:
            raise ValueError(
                str(_("บรรทัดที่ %(n)s: เขียน วันที่ | ร้อยละ | สิ่งที่ทำ | เงินที่เบิกจ่าย คั่นด้วย | (เงินเว้นได้)")) % {"n": number}
            )
        values = dict(zip(UPDATE_PARTS, parts, strict=False))
        values["progress"] = to_arabic_digits(values["progress"])
        if "spent" in values:
            values["spent"] = to_arabic_digits(values["spent"]).replace(",", "")
        updates.append({k: v for k, v in values.items() if v})
    return updates


def updates_text(updates: Any) -> str:
    if not isinstance(updates, list):
        return str(updates or "")
    return "\n".join(
        " | ".join(str(u.get(k, "")) for k in UPDATE_PARTS).rstrip(" |") for u in updates if isinstance(u, dict)
    )


def shown_values(specs: Sequence[Field], values: Mapping[str, Any]) -> dict[str, Any]:
    """Stored values as the form shows them again (updates as lines)."""
    return {s.name: updates_text(values.get(s.name)) if s.type == "updates" else values.get(s.name, "") for s in specs}


class RowsImportForm(forms.Form):
    file = forms.FileField(label=_("ไฟล์ตาราง (.csv หรือ .xlsx)"))


class PublishForm(forms.Form):
    url = WebUrlField(label=_("URL ที่เผยแพร่บนเว็บไซต์หน่วยงาน"), max_length=500)

"""The document kit's forms, generated from a dataset's Field schema (prongsai.kit.base.Field).

A form only reads what a person typed into the value the dataset file holds (a date as 15/01/2568, a
number without Thai digits or commas, a list of progress updates); what the values must be is the core's rule
(prongsai.kit.validate), which the service asks before saving.

A field of type "updates" (dated progress updates) is entered as a small table: the row's updates so far, each
with a box to remove it, and inputs for new ones (date, percent, what was done, money spent). The updates so far
travel with the form in hidden inputs, so that the whole row is posted as it is for the other fields, a refused
save shows again what the person chose, and it all works without JavaScript ("one more" posts the form back
with another set of inputs; htmx only swaps that table in place).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.forms.utils import ErrorDict
from django.utils.translation import gettext_lazy as _

from prongsai.kit.base import Field
from prongsai.kit.common import digits_of
from prongsai.kit.tally import baht
from prongsai.kit.validate import MAX_UPDATES, UPDATE_KEYS, parse_value
from prongsai.thai import to_arabic_digits

from .forms import BuddhistDateInput, ThaiNumberInput, WebUrlField

SCORE_CHOICES = [("", "–"), *[(str(n), str(n)) for n in range(1, 6)]]
UPDATE_PARTS = tuple(UPDATE_KEYS)  # the core's keys of one update: date, progress, text, spent
MAX_NEW_UPDATES = 20  # input sets a form shows at once ("one more" adds one)
# the core reads a shown update's date and money, so the table prints them as the documents do
_DATE, _MONEY = Field("date", "date", "date"), Field("spent", "spent", "money")


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
        # its inputs are the UpdatesEntry's (the template draws them); the field holds its place and its errors
        return forms.Field(required=False, widget=forms.HiddenInput, label=spec.label_th, help_text=spec.help_th)
    placeholder = {"month": _("เช่น ต.ค. 2569")}.get(spec.type)
    attrs = {"placeholder": placeholder} if placeholder else {}
    return forms.CharField(max_length=1000, widget=forms.TextInput(attrs=attrs), **common)


class KitDateInput(BuddhistDateInput):
    """A B.E. date as typed (15/01/2568, ๑๕/๐๑/๒๕๖๘ or 15 ม.ค. 2568), its Thai digits made Arabic."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        value = super().value_from_datadict(data, files, name)
        return to_arabic_digits(value).strip() if isinstance(value, str) else value


class UpdateForm(forms.Form):
    """One new progress update as typed; the values stay text for the core to read (prongsai.kit.validate)."""

    date = forms.CharField(label=_("วันที่"), max_length=40, required=False, widget=KitDateInput(attrs={"size": 22}))
    progress = forms.CharField(
        label=_("ความคืบหน้า (ร้อยละ)"), max_length=40, required=False, widget=ThaiNumberInput(attrs={"size": 4})
    )
    text = forms.CharField(label=_("สิ่งที่ทำ"), max_length=1000, required=False)
    spent = forms.CharField(
        label=_("เงินที่เบิกจ่าย (บาท)"), max_length=40, required=False, widget=ThaiNumberInput(decimal=True)
    )

    def __init__(self, *args: Any, number: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.number = number  # counted with the updates so far, as the core's message counts them
        for name, bound in self.fields.items():
            bound.widget.attrs["aria-label"] = _("%(label)s ครั้งที่ %(n)s") % {"label": bound.label, "n": number}
            if name == "text":
                bound.widget.attrs["size"] = 30

    def update(self) -> dict[str, str]:
        """The update in the dataset file's shape (empty parts left out), {} when nothing was typed."""
        values = {k: str(self.cleaned_data.get(k) or "").strip() for k in UPDATE_PARTS}
        return {k: v for k, v in values.items() if v}


@dataclass(frozen=True)
class ShownUpdate:
    """A kept update as a table shows it: the date and money read by the core when they read, else as typed."""

    values: Mapping[str, str]  # as stored (hidden inputs carry them back unchanged)
    date: dt.date | None
    spent: str

    @property
    def date_text(self) -> str:
        return self.values.get("date", "")

    @property
    def progress(self) -> str:
        return self.values.get("progress", "")

    @property
    def text(self) -> str:
        return self.values.get("text", "")


def shown_update(update: Mapping[str, Any]) -> ShownUpdate:
    values = {k: str(update[k]).strip() for k in UPDATE_PARTS if update.get(k) not in (None, "")}
    return ShownUpdate(values, _read(_DATE, values.get("date")), _spent(values.get("spent", "")))


def shown_updates(value: Any) -> tuple[ShownUpdate, ...]:
    """A row's stored updates (a list of mappings) as tables show them."""
    if not isinstance(value, (list, tuple)):
        return ()
    return tuple(shown_update(u) for u in value if isinstance(u, Mapping))


def _read(spec: Field, text: str | None) -> Any:
    if not text:
        return None
    try:
        return parse_value(spec, text)
    except ValueError:
        return None


def _spent(text: str) -> str:
    amount = _read(_MONEY, text)
    return baht(amount, digits_of(False)) if amount is not None else text


@dataclass
class KeptUpdate:
    number: int  # counted from 1, as the table shows it; its inputs are numbered from 0 (index)
    shown: ShownUpdate
    removed: bool = False

    @property
    def index(self) -> int:
        return self.number - 1


@dataclass
class UpdatesEntry:
    """The inputs of one updates field: the updates so far (each may be removed) and sets for new ones."""

    spec: Field
    name: str  # the inputs' prefix: r-updates
    kept: list[KeptUpdate]
    new: list[UpdateForm] = field(default_factory=list)
    more: bool = False  # the person asked for one more set of inputs (the form is shown again, not saved)

    @property
    def count_name(self) -> str:
        return f"{self.name}-count"

    @property
    def new_name(self) -> str:
        return f"{self.name}-new"

    @property
    def more_name(self) -> str:
        return f"{self.name}-more"

    def updates(self) -> list[dict[str, str]]:
        """The updates to save: those kept and not removed, then the new ones typed."""
        kept = [dict(u.shown.values) for u in self.kept if not u.removed]
        return kept + [u for form in self.new if (u := form.update())]


def _entry(spec: Field, name: str, data: Mapping[str, Any] | None, initial: Any) -> UpdatesEntry:
    if data is None:  # shown from what is stored
        kept = [KeptUpdate(k, u) for k, u in enumerate(shown_updates(initial), start=1)]
        entry = UpdatesEntry(spec, name, kept)
        entry.new = [UpdateForm(prefix=f"{name}-new-0", number=len(kept) + 1)]
        return entry
    kept = []
    for k in range(_count(data.get(f"{name}-count"), MAX_UPDATES)):
        values = {part: str(data.get(f"{name}-{k}-{part}", "")) for part in UPDATE_PARTS}
        if any(values.values()):
            removed = bool(data.get(f"{name}-{k}-remove"))
            kept.append(KeptUpdate(len(kept) + 1, shown_update(values), removed))
    entry = UpdatesEntry(spec, name, kept, more=f"{name}-more" in data)
    wanted = max(1, _count(data.get(f"{name}-new"), MAX_NEW_UPDATES)) + int(entry.more)
    first = sum(not u.removed for u in kept) + 1
    entry.new = [
        UpdateForm(data, prefix=f"{name}-new-{j}", number=first + j) for j in range(min(wanted, MAX_NEW_UPDATES))
    ]
    if entry.more:  # the browser brings the set just added into view
        entry.new[-1].fields["date"].widget.attrs["autofocus"] = True
    return entry


def _count(value: Any, limit: int) -> int:
    text = str(value or "").strip()
    return min(int(text), limit) if text.isdigit() else 0


class DatasetForm(forms.Form):
    """The header or one row of a dataset: one input per Field, in the schema's order (a field of updates is a
    small table of its own: UpdatesEntry)."""

    def __init__(self, *args: Any, fields: Sequence[Field], **kwargs: Any) -> None:
        self.specs = tuple(fields)
        initial = kwargs.get("initial") or {}
        super().__init__(*args, **kwargs)
        for spec in self.specs:
            self.fields[spec.name] = _field(spec)
        self.updates = {
            spec.name: _entry(
                spec, self.add_prefix(spec.name), self.data if self.is_bound else None, initial.get(spec.name)
            )
            for spec in self.specs
            if spec.type == "updates"
        }

    @property
    def more_asked(self) -> bool:
        """The person asked for one more set of update inputs: show the form again, neither checked nor saved."""
        return any(entry.more for entry in self.updates.values())

    def inputs(self) -> list[tuple[forms.BoundField, UpdatesEntry | None]]:
        """Each field in order with its updates' inputs (None for an ordinary field), for the template."""
        return [(self[spec.name], self.updates.get(spec.name)) for spec in self.specs]

    def full_clean(self) -> None:
        if self.is_bound and self.more_asked:
            self._errors, self.cleaned_data = ErrorDict(), {}
            return
        super().full_clean()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name, entry in self.updates.items():
            if all([form.is_valid() for form in entry.new]):
                data[name] = entry.updates()
            else:
                self.add_error(name, _("แก้ช่องผลการดำเนินการที่แจ้งไว้"))
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


class RowsImportForm(forms.Form):
    file = forms.FileField(label=_("ไฟล์ตาราง (.csv หรือ .xlsx)"))


class PublishForm(forms.Form):
    url = WebUrlField(label=_("URL ที่เผยแพร่บนเว็บไซต์หน่วยงาน"), max_length=500)

"""Read-only means read-only: a form shown to someone who cannot save it becomes its values.

``{% include "prongsai/_values.html" %}`` lists each field's label and ``{{ field|shown }}``: the chosen
choice's label (not its code), every checked box's label, a date in B.E. as the forms take it, the text
as typed; "–" for nothing. ``{% mail_configured as mail %}`` tells whether e-mail reaches people.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import cast

from django import forms, template
from django.forms.boundfield import BoundField

from prongsai.thai import be_date_text

from ..services import people

register = template.Library()
NOTHING = "–"


def _labels(field: forms.ChoiceField, values: Iterable[object]) -> list[str]:
    wanted = {str(v) for v in values if v not in (None, "")}
    # cast: Django keeps choices as (value, label) pairs once set; django-stubs type the getter as the setter
    choices = cast(Iterable[tuple[object, object]], field.choices)
    return [str(label) for value, label in choices if str(value) in wanted]


@register.filter
def shown(bound: BoundField) -> str:
    value = bound.value()
    field = bound.field
    if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
        labels = _labels(field, value or [])
        return ", ".join(labels) or NOTHING
    if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
        labels = _labels(field, [value])
        return labels[0] if labels else NOTHING
    if isinstance(value, dt.date):
        return be_date_text(value)
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    text = str(value).strip() if value is not None else ""
    return text or NOTHING


@register.simple_tag
def mail_configured() -> bool:
    return people.mail_configured()

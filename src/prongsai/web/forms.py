"""HTML forms: validation at the boundary. A form that fails keeps what the user typed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from prongsai.framework import Framework
from prongsai.thai import BE_DATE_EXAMPLE, ThaiDateError, be_date_text, fiscal_period, parse_be_date

from .models import Agency, Assessment, Measure, MeasureUpdate, RegisterEntry, Role, Unit

OUTSIDE_FISCAL_YEAR = _("ช่อง “%(field)s” ต้องเป็นวันในปีงบประมาณ %(year)s คือตั้งแต่ %(first)s ถึง %(last)s (พิมพ์ไว้ %(day)s)")


class BuddhistDateInput(forms.TextInput):
    """A date as people type it: 15/01/2568 (วัน/เดือน/ปี พ.ศ.). A plain text box: the browser's date picker
    would show and take ค.ศ. years."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        defaults = {"placeholder": _("วว/ดด/ปปปป เช่น %(example)s") % {"example": BE_DATE_EXAMPLE}, "size": 12}
        super().__init__({**defaults, "autocomplete": "off", **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, dt.date):  # a saved date; what the person typed comes back as they typed it
            return be_date_text(value)
        return super().format_value(value)


class BuddhistDateField(forms.DateField):
    """Every date a person enters in the web app: วัน/เดือน/ปี พ.ศ., Thai digits too; the one rule is
    prongsai.thai.parse_be_date (a ค.ศ. year such as 15/01/2025 is refused with a Thai message).
    The API takes ISO dates (machines), not this."""

    widget = BuddhistDateInput

    def to_python(self, value: Any) -> dt.date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        try:
            return parse_be_date(str(value))
        except ThaiDateError as exc:
            raise forms.ValidationError(str(exc), code="invalid") from exc


class ResultsForm(forms.Form):
    """The 10 indicator scores, one field each, labelled with the framework's names."""

    def __init__(self, *args: Any, framework: Framework, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for indicator in framework.indicators:
            self.fields[f"i{indicator.number}"] = forms.DecimalField(
                label=f"{indicator.number}. {indicator.name_th}",
                min_value=0,
                max_value=100,
                decimal_places=2,
                max_digits=5,
                widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
            )

    def scores(self) -> dict[int, float]:
        return {int(name[1:]): float(value) for name, value in self.cleaned_data.items()}


class ImportForm(forms.Form):
    file = forms.FileField(label=_("ไฟล์ผลการประเมิน (.csv .xlsx .yaml)"))


class RegisterEntryForm(forms.ModelForm):
    class Meta:
        model = RegisterEntry
        fields = ["answer", "urls", "explanation", "unit", "status", "due_date", "reviewer_note"]
        widgets = {
            "urls": forms.Textarea(attrs={"rows": 3, "placeholder": "https://"}),
            "explanation": forms.Textarea(attrs={"rows": 3}),
            "reviewer_note": forms.Textarea(attrs={"rows": 2}),
        }
        field_classes = {"due_date": BuddhistDateField}

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(agency=agency)

    def clean_urls(self) -> str:
        urls = [line.strip() for line in self.cleaned_data["urls"].splitlines() if line.strip()]
        validator = forms.URLField(assume_scheme="https")
        for number, url in enumerate(urls, start=1):
            try:
                validator.clean(url)
            except forms.ValidationError as exc:
                raise forms.ValidationError(_("บรรทัด %(n)s: URL ไม่ถูกต้อง: %(url)s") % {"n": number, "url": url}) from exc
        return "\n".join(urls)


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("ไฟล์หลักฐาน"))


class MeasureForm(forms.ModelForm):
    units = forms.ModelMultipleChoiceField(
        queryset=Unit.objects.none(), required=False, label=_("ผู้รับผิดชอบ"), widget=forms.CheckboxSelectMultiple
    )
    indicators = forms.TypedMultipleChoiceField(
        label=_("ตัวชี้วัดที่เกี่ยวข้อง"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        choices=[(n, str(n)) for n in range(1, 11)],
    )
    items = forms.CharField(label=_("ข้อ OIT ที่เกี่ยวข้อง"), required=False, help_text=_("เช่น O42, O43"))

    class Meta:
        model = Measure
        fields = ["title", "method", "period_start", "period_end", "follow_up", "status", "indicators", "items"]
        widgets = {
            "method": forms.Textarea(attrs={"rows": 4}),
            "follow_up": forms.Textarea(attrs={"rows": 2}),
        }
        field_classes = {"period_start": BuddhistDateField, "period_end": BuddhistDateField}

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = Unit.objects.filter(agency=agency)
        if self.instance.pk:
            self.fields["units"].initial = list(self.instance.units.all())
        self.initial["items"] = ", ".join(self.instance.items or [])
        framework = self.instance.assessment.framework if self.instance.assessment_id else None
        if framework is not None:
            self.fields["indicators"].choices = [(i.number, f"{i.number}. {i.name_th}") for i in framework.indicators]
        self.framework = framework

    def clean_items(self) -> list[str]:
        codes = [c.strip().upper() for c in self.cleaned_data["items"].replace("،", ",").split(",") if c.strip()]
        known = {i.code for i in self.framework.items} if self.framework else set()
        unknown = [c for c in codes if c not in known]
        if unknown:
            raise forms.ValidationError(_("ไม่มีข้อ %(codes)s ในกรอบปีนี้") % {"codes": ", ".join(unknown)})
        return codes

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("วันสิ้นสุดต้องไม่ก่อนวันเริ่ม"))
        if self.framework is not None:  # a measure of FY2569 runs within 1 Oct 2568 – 30 Sep 2569
            first, last = fiscal_period(self.framework.fiscal_year)
            for name in ("period_start", "period_end"):
                day = data.get(name)
                if day is not None and not first <= day <= last:
                    self.add_error(
                        name,
                        OUTSIDE_FISCAL_YEAR
                        % {
                            "field": self.fields[name].label,
                            "year": self.framework.fiscal_year,
                            "first": be_date_text(first),
                            "last": be_date_text(last),
                            "day": be_date_text(day),
                        },
                    )
        return data


class PlanSigningForm(forms.ModelForm):
    """The meeting that set the plan (date, who took part, what it decided) and who signs the measures
    document on which day. The date of signing must be a day of the plan's fiscal year."""

    class Meta:
        model = Assessment
        fields = ["meeting_date", "meeting_attendees", "meeting_note", "signer_name", "signer_position", "signed_on"]
        widgets = {
            "meeting_attendees": forms.Textarea(attrs={"rows": 2}),
            "meeting_note": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "meeting_attendees": _("เช่น ผู้บริหารและเจ้าหน้าที่ของหน่วยงาน"),
            "meeting_note": _("สิ่งที่ที่ประชุมตกลงกัน เช่น ร่วมกันพิจารณากำหนดมาตรการส่งเสริมคุณธรรมและความโปร่งใส"),
            "signer_name": _("เว้นว่างไว้เพื่อใช้ผู้ลงนามของหน่วยงาน"),
        }
        field_classes = {"meeting_date": BuddhistDateField, "signed_on": BuddhistDateField}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        meeting, signed = data.get("meeting_date"), data.get("signed_on")
        described = data.get("meeting_attendees") or data.get("meeting_note")
        if meeting is None and described and "meeting_date" not in self.errors:
            self.add_error("meeting_date", _("ใส่วันที่ประชุม หรือเว้นว่างทั้งการประชุม"))
        if signed is not None:
            year = self.instance.fiscal_year
            first, last = fiscal_period(year)
            if not first <= signed <= last:
                self.add_error(
                    "signed_on",
                    OUTSIDE_FISCAL_YEAR
                    % {
                        "field": self.fields["signed_on"].label,
                        "year": year,
                        "first": be_date_text(first),
                        "last": be_date_text(last),
                        "day": be_date_text(signed),
                    },
                )
            elif meeting is not None and meeting > signed:
                self.add_error("signed_on", _("วันที่ลงนามต้องไม่ก่อนวันที่ประชุม"))
        return data


class MeasureUpdateForm(forms.ModelForm):
    evidence_url = forms.URLField(label=_("ลิงก์หลักฐาน"), required=False, assume_scheme="https", max_length=200)

    class Meta:
        model = MeasureUpdate
        fields = ["date", "text", "progress", "evidence_url", "file", "note"]
        labels = {"file": _("ไฟล์หลักฐาน")}
        help_texts = {"note": _("ถ้ามี: เหตุที่ยังไม่แล้วเสร็จ รายงานผลจะแสดงเป็นเหตุผลเมื่อครบกำหนดแล้วไม่ถึงร้อยละ 100")}
        widgets = {
            "text": forms.Textarea(attrs={"rows": 3}),
            "note": forms.Textarea(attrs={"rows": 2}),
            "progress": forms.NumberInput(attrs={"min": 0, "max": 100}),
        }
        field_classes = {"date": BuddhistDateField}


class UnitForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = ["name", "code", "email"]


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("อีเมล"))
    role = forms.ChoiceField(label=_("บทบาท"), choices=Role.choices)
    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), required=False, label=_("หน่วยงานย่อย"))

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(agency=agency)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("role") == Role.EDITOR and not data.get("unit"):
            self.add_error("unit", _("ผู้แก้ไขต้องสังกัดหน่วยงานย่อย (an editor needs a unit)"))
        return data


class AcceptInvitationForm(forms.Form):
    username = forms.CharField(label=_("ชื่อผู้ใช้"), max_length=150)
    password = forms.CharField(label=_("รหัสผ่าน"), widget=forms.PasswordInput, min_length=10)

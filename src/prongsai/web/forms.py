"""HTML forms: validation at the boundary. A form that fails keeps what the user typed."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, TypeVar, cast

from django import forms
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from prongsai.framework import Framework
from prongsai.results import fractions_message
from prongsai.thai import BE_DATE_EXAMPLE, ThaiDateError, be_date_text, fiscal_period, parse_be_date, to_arabic_digits

from .i18n import say
from .models import Agency, Assessment, Measure, MeasureUpdate, RegisterEntry, Role, Unit

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

_Field = TypeVar("_Field", bound=forms.Field)


def field_of(form: forms.BaseForm, name: str, kind: type[_Field]) -> _Field:
    """``form.fields[name]`` as the kind of field the form declares it (django-stubs type them all as Field)."""
    field = form.fields[name]
    if not isinstance(field, kind):
        raise TypeError(f"{type(form).__name__}.{name} is a {type(field).__name__}, not a {kind.__name__}")
    return field


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
        text: str | None = super().format_value(value)
        return text


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


URL_MAX_LENGTH = 500


class WebUrlField(forms.URLField):
    """A link to a web page: http or https only (javascript:, data: and ftp: are refused), and a link typed
    without its scheme (www.example.go.th/o1) gets https:// so that it is never a link inside this site."""

    default_validators = [URLValidator(schemes=["http", "https"])]
    default_error_messages = {"invalid": _("ลิงก์ต้องเป็นที่อยู่เว็บที่ขึ้นต้นด้วย https:// หรือ http://")}

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(assume_scheme="https", **kwargs)


def web_url(text: str) -> str:
    """The one rule for a link, in the forms and the API: the link as it is kept, or a Thai ValidationError."""
    return str(WebUrlField(max_length=URL_MAX_LENGTH).clean(text.strip()))


def web_urls(lines: list[str]) -> str:
    """Links one per line (the register's URLs), each checked by web_url; the error names the line."""
    urls = [line.strip() for line in lines if line.strip()]
    kept = []
    for number, url in enumerate(urls, start=1):
        try:
            kept.append(web_url(url))
        except forms.ValidationError as exc:
            raise forms.ValidationError(
                _("บรรทัด %(n)s: ลิงก์ไม่ถูกต้อง: %(url)s ลิงก์ต้องขึ้นต้นด้วย https:// หรือ http://") % {"n": number, "url": url}
            ) from exc
    return "\n".join(kept)


class ThaiNumberInput(forms.TextInput):
    """A number box that takes Thai digits (๘๓.๔๐) as well as Arabic ones: a text box with the phone's number
    keypad (inputmode), because a browser's type=number box drops Thai digits before the form sees them
    ("ฟิลด์นี้จำเป็น"); prongsai.thai.to_arabic_digits converts them before the field validates."""

    def __init__(self, attrs: dict[str, Any] | None = None, *, decimal: bool = False) -> None:
        defaults = {"inputmode": "decimal" if decimal else "numeric", "autocomplete": "off", "size": 8}
        super().__init__({**defaults, **(attrs or {})})

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        value = super().value_from_datadict(data, files, name)
        return to_arabic_digits(value).strip() if isinstance(value, str) else value


class ResultsForm(forms.Form):
    """The 10 indicator scores, one field each, labelled with the framework's names."""

    def __init__(self, *args: Any, framework: Framework, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for indicator in framework.indicators:
            self.fields[f"i{indicator.number}"] = forms.DecimalField(
                label=f"{indicator.number}. {indicator.name_th}",
                min_value=0,
                max_value=100,
                # more decimals are taken and rounded as published (85.125 → 85.13), as files and the API are
                max_digits=12,
                widget=ThaiNumberInput(decimal=True),
            )

    def scores(self) -> dict[int, float]:
        return {int(name[1:]): float(value) for name, value in self.cleaned_data.items()}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if len(data) == len(self.fields):  # every score a number 0–100: now the rule over all of them
            message = fractions_message(self.scores(), say())
            if message:
                raise forms.ValidationError(message)
        return data


class ImportForm(forms.Form):
    file = forms.FileField(label=_("ไฟล์ผลการประเมิน (.csv .xlsx .yaml)"))


class RegisterEntryForm(forms.ModelForm[RegisterEntry]):
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
        field_of(self, "unit", forms.ModelChoiceField).queryset = Unit.objects.filter(agency=agency)

    def clean_urls(self) -> str:
        return web_urls(self.cleaned_data["urls"].splitlines())


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("ไฟล์หลักฐาน"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from .services import evidence_rule

        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = evidence_rule()


class MeasureForm(forms.ModelForm[Measure]):
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
        field_of(self, "units", forms.ModelChoiceField).queryset = Unit.objects.filter(agency=agency)
        if self.instance.pk:
            self.fields["units"].initial = list(self.instance.units.all())
        self.initial["items"] = ", ".join(self.instance.items or [])
        framework = self.instance.assessment.framework if self.instance.assessment_id else None
        if framework is not None:
            indicators = field_of(self, "indicators", forms.ChoiceField)
            indicators.choices = [(i.number, f"{i.number}. {i.name_th}") for i in framework.indicators]
        self.framework = framework

    def clean_items(self) -> list[str]:
        typed = [c.strip() for c in self.cleaned_data["items"].replace("،", ",").split(",") if c.strip()]
        found = {c: self.framework.find_item(c) if self.framework else None for c in typed}  # O1, o๑, ITA-O1 …
        unknown = [c for c, item in found.items() if item is None]
        if unknown:
            raise forms.ValidationError(_("ไม่มีข้อ %(codes)s ในกรอบปีนี้") % {"codes": ", ".join(unknown)})
        return [item.code for item in found.values() if item is not None]

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


class PlanSigningForm(forms.ModelForm[Assessment]):
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


class MeasureUpdateForm(forms.ModelForm[MeasureUpdate]):
    evidence_url = WebUrlField(label=_("ลิงก์หลักฐาน"), required=False, max_length=200)

    class Meta:
        model = MeasureUpdate
        fields = ["date", "text", "progress", "evidence_url", "file", "note"]
        labels = {"file": _("ไฟล์หลักฐาน")}
        help_texts = {"note": _("ถ้ามี: เหตุที่ยังไม่แล้วเสร็จ รายงานผลจะแสดงเป็นเหตุผลเมื่อครบกำหนดแล้วไม่ถึงร้อยละ 100")}
        widgets = {
            "text": forms.Textarea(attrs={"rows": 3}),
            "note": forms.Textarea(attrs={"rows": 2}),
            "progress": ThaiNumberInput(),
        }
        field_classes = {"date": BuddhistDateField}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from .services import evidence_rule

        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = evidence_rule()  # the register's evidence rule: services.evidence_checked


NO_UNIT = _("— ไม่สังกัดหน่วยงานย่อย —")


class UnitForm(forms.ModelForm[Unit]):
    """A unit: its Thai name, the drafting rules' unit it stands for, and a code made for the person when
    left empty. A name, code or role the agency already has is refused in Thai (never a database error)."""

    role = forms.ChoiceField(
        label=_("หน้าที่ตามกฎการร่างแผน"),
        required=False,
        help_text=_("การร่างแผนมอบข้อเสนอแนะและมาตรการให้หน่วยงานย่อยตามหน้าที่นี้"),
    )

    class Meta:
        model = Unit
        fields = ["name", "role", "code", "email"]
        help_texts = {"code": _("เว้นว่างได้ ระบบจะตั้งให้จากหน้าที่หรือชื่อ ใช้ตัวอักษรไทยหรืออังกฤษ ตัวเลข - และ _")}

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        from .services.people import role_choices

        super().__init__(*args, **kwargs)
        self.agency = agency
        field_of(self, "role", forms.ChoiceField).choices = [("", _("— ไม่ตรงกับส่วนราชการใดในกฎ —")), *role_choices()]
        self.fields["code"].required = False

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())

    def clean(self) -> dict[str, Any]:
        from .services.people import unit_clash, unit_code

        data = super().clean() or {}
        name, role = data.get("name", ""), data.get("role", "")
        if not data.get("code") and name and "code" not in self.errors:
            data["code"] = unit_code(self.agency, name, role, exclude=self.instance.pk)
        clashes = unit_clash(self.agency, name=name, code=data.get("code", ""), role=role, exclude=self.instance.pk)
        for field, message in clashes.items():
            self.add_error(field, message)
        return data

    def _post_clean(self) -> None:
        self.instance.agency = self.agency
        super()._post_clean()  # type: ignore[misc]  # Django's BaseModelForm hook; private, so django-stubs omit it


class MemberForm(forms.Form):
    role = forms.ChoiceField(label=_("บทบาท"), choices=Role.choices)
    unit = forms.ModelChoiceField(
        queryset=Unit.objects.none(), required=False, label=_("หน่วยงานย่อย"), empty_label=NO_UNIT
    )

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "unit", forms.ModelChoiceField).queryset = Unit.objects.filter(agency=agency)


class PasswordSetForm(forms.Form):
    password = forms.CharField(
        label=_("รหัสผ่านใหม่"),
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("เว้นว่างเพื่อให้ระบบออกรหัสผ่านใช้ครั้งเดียวให้ แล้วแจ้งผู้ใช้ให้เปลี่ยนหลังเข้าสู่ระบบ"),
    )


def province_choices(current: str = "") -> list[tuple[str, StrOrPromise]]:
    """The 77 provinces (PyThaiNLP), Thai order; an agency's older spelling kept so that saving loses nothing."""
    from pythainlp.corpus import provinces
    from pythainlp.util import collate

    # details=False gives the names; pythainlp annotates both forms (names, dicts) as one union
    names = collate(list(cast(frozenset[str], provinces(details=False))))
    extra = [current] if current and current not in names else []
    return [("", _("— เลือกจังหวัด —")), *((n, n) for n in [*extra, *names])]


class AgencyProfileForm(forms.ModelForm[Agency]):
    """What the office matches an agency by (province, district) and what documents print (name, signer)."""

    website = WebUrlField(label=_("เว็บไซต์"), required=False, max_length=200)

    class Meta:
        model = Agency
        fields = ["name", "kind", "province", "district", "website", "signer_name", "signer_position"]
        help_texts = {
            "name": _("ชื่อเต็มตามที่ประกาศผล เช่น องค์การบริหารส่วนตำบลทรงคนอง"),
            "district": _("ชื่ออำเภอโดยไม่ต้องพิมพ์คำว่าอำเภอ เช่น พระประแดง"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["province"] = forms.ChoiceField(
            label=_("จังหวัด"), required=False, choices=province_choices(self.instance.province)
        )

    def clean_district(self) -> str:
        # อำเภอ is printed before the name (base.html); typed again it would read อำเภออำเภอ…
        district = " ".join(self.cleaned_data["district"].split())
        for prefix in ("อำเภอ", "อ."):
            if district.startswith(prefix):
                return district[len(prefix) :].strip()
        return district


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("อีเมล"))
    # the least a newcomer can do: an admin is chosen, not given by default
    role = forms.ChoiceField(label=_("บทบาท"), choices=Role.choices, initial=Role.VIEWER)
    unit = forms.ModelChoiceField(
        queryset=Unit.objects.none(), required=False, label=_("หน่วยงานย่อย"), empty_label=NO_UNIT
    )

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "unit", forms.ModelChoiceField).queryset = Unit.objects.filter(agency=agency)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("role") == Role.EDITOR and not data.get("unit"):
            self.add_error("unit", _("ผู้แก้ไขต้องสังกัดหน่วยงานย่อย"))
        return data


class AcceptInvitationForm(forms.Form):
    username = forms.CharField(label=_("ชื่อผู้ใช้"), max_length=150)
    password = forms.CharField(label=_("รหัสผ่าน"), widget=forms.PasswordInput, min_length=10)

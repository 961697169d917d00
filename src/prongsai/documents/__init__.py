"""The official Thai documents: the measures document (มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน),
its progress report, and the OIT answer sheet for ITAS — as DOCX from Word templates, and as PDF.

Pure core: no Django. The web app and ``prongsai document`` both call ``make_docx``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from prongsai.document_kinds import KINDS, get_kind
from prongsai.documents.chart import chart_description, indicator_chart
from prongsai.documents.context import (
    framework_terms,
    itas_context,
    measures_context,
    progress_context,
    provisional_notice,
)
from prongsai.documents.data import DocumentData, load_document_data
from prongsai.documents.pdf import Converter, ConverterError, pdf_variant
from prongsai.documents.render import (
    DocumentTemplateError,
    render_agency_docx,
    render_docx,
    template_path,
    validate_template,
)
from prongsai.documents.signing import signing_date, signing_window

__all__ = [
    "KINDS",
    "Converter",
    "ConverterError",
    "DocumentData",
    "DocumentTemplateError",
    "context_for",
    "itas_values",
    "load_document_data",
    "make_docx",
    "measures_values",
    "pdf_variant",
    "progress_values",
    "sample_context",
    "signing_date",
    "validate_template",
]


def context_for(
    kind: str,
    data: DocumentData,
    *,
    thai_digits: bool = True,
    annual: bool = False,
    on: dt.date | None = None,
    today: dt.date | None = None,
) -> tuple[dict[str, Any], dict[str, bytes]]:
    """The template values and images of one document, by its kind's builder (prongsai.document_kinds).
    ``on`` is a date of signing given for this document (else the plan's, else today when it may sign it:
    prongsai.documents.signing); a given date outside the document's window raises InputError."""
    build = get_kind(kind).build()
    return build(data, thai_digits=thai_digits, annual=annual, on=on, today=today)


def measures_values(
    data: DocumentData, *, thai_digits: bool, annual: bool, on: dt.date | None, today: dt.date | None
) -> tuple[dict[str, Any], dict[str, bytes]]:
    """The measures document: its text, and the chart of last year's result with the words that describe it."""
    sign, _why = signing_date("measures", data, on=on, today=today)
    score = data.require_results().score()
    chart = indicator_chart(score, thai_digits=thai_digits)
    context = measures_context(data, thai_digits=thai_digits, sign_date=sign)
    context["chart_description"] = chart_description(score, thai_digits=thai_digits)  # the picture's alt text
    return context, {"chart": chart}


def progress_values(
    data: DocumentData, *, thai_digits: bool, annual: bool, on: dt.date | None, today: dt.date | None
) -> tuple[dict[str, Any], dict[str, bytes]]:
    sign, _why = signing_date("progress", data, annual=annual, on=on, today=today)
    return progress_context(data, annual=annual, thai_digits=thai_digits, report_date=sign, today=today), {}


def itas_values(
    data: DocumentData, *, thai_digits: bool, annual: bool, on: dt.date | None, today: dt.date | None
) -> tuple[dict[str, Any], dict[str, bytes]]:
    """The ITAS answer sheet: not signed, so no date."""
    return itas_context(data, thai_digits=thai_digits), {}


def make_docx(
    kind: str,
    data: DocumentData,
    *,
    thai_digits: bool = True,
    annual: bool = False,
    on: dt.date | None = None,
    today: dt.date | None = None,
    template: Path | bytes | None = None,
) -> bytes:
    """One document as DOCX bytes, from the shipped template of its kind or the agency's own (rendered in a
    bounded child process: prongsai.documents.render.render_agency_docx)."""
    context, images = context_for(kind, data, thai_digits=thai_digits, annual=annual, on=on, today=today)
    notice = provisional_notice(kind, data, thai_digits=thai_digits)
    terms = framework_terms(kind, data)
    if template is None:
        return render_docx(template_path(kind), context, images, notice=notice, terms=terms)
    own = template.read_bytes() if isinstance(template, Path) else template
    return render_agency_docx(own, context, images, notice=notice, terms=terms)


def sample_context(kind: str) -> tuple[dict[str, Any], dict[str, bytes]]:
    """Values to test-render an uploaded template with: the example agency อบต.ทรงคนอง."""
    from prongsai.examples import example_path

    data = load_document_data(example_path("songkhanong-2565-plan.yaml"))
    first_day = signing_window(kind, data.fiscal_year)[0]
    return context_for(kind, data, today=first_day)

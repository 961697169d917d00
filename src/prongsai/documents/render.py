"""Render Word templates (docxtpl) in a sandbox, and check an agency's own template before use.

Templates may come from an agency (its letterhead, Garuda, wording), so they are untrusted: Jinja runs
in a SandboxedEnvironment, undefined names are errors rather than blanks, and a broken placeholder is
reported by name instead of producing a document with holes.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

from docx.oxml.ns import qn
from docx.shared import Cm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from prongsai.documents.template_errors import explain, locate_name
from prongsai.documents.typeset import WJ, ZWSP, plain, typeset
from prongsai.errors import ProngsaiError

__all__ = ["KINDS", "TEMPLATE_DIR", "DocumentTemplateError", "render_docx", "template_path", "validate_template"]

TEMPLATE_DIR = Path(__file__).parent / "templates"
KINDS = ("measures", "progress", "itas")
MAX_TEMPLATE_BYTES = 10 * 1024 * 1024


class DocumentTemplateError(ProngsaiError):
    """A template that cannot be used, with the reason (the broken placeholder, the bad tag)."""


def template_path(kind: str) -> Path:
    if kind not in KINDS:
        raise DocumentTemplateError(f"ไม่มีเอกสารชนิด {kind} มีเฉพาะ {', '.join(KINDS)} (unknown document kind)")
    return TEMPLATE_DIR / f"{kind}.docx"


def _environment() -> SandboxedEnvironment:
    return SandboxedEnvironment(undefined=StrictUndefined, autoescape=False)


def _open(template: Path | bytes) -> DocxTemplate:
    data = template.read_bytes() if isinstance(template, Path) else template
    if len(data) > MAX_TEMPLATE_BYTES:
        raise DocumentTemplateError("แม่แบบใหญ่เกิน 10 MB (template larger than 10 MB)")
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise DocumentTemplateError("แม่แบบต้องเป็นไฟล์ Word .docx (the template must be a .docx file)")
    try:
        return DocxTemplate(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several types for a damaged package
        raise DocumentTemplateError(f"เปิดแม่แบบไม่ได้ (cannot open the template): {exc}") from exc


def render_docx(
    template: Path | bytes,
    context: Mapping[str, Any],
    images: Mapping[str, bytes] | None = None,
    image_width_cm: float = 15.0,
    notice: str = "",
    terms: Iterable[str] = (),
) -> bytes:
    """The filled document as DOCX bytes. ``images`` become InlineImages under their names; ``notice`` (the
    provisional-year sentence) becomes the document's first paragraph, in any template, the agency's too.
    ``terms`` (the framework's titles: prongsai.documents.context.framework_terms) join the agency's name and
    units as words no line breaks inside."""
    document = _open(template)
    words = sorted(set(_terms(context)) | set(terms))
    values = typeset_context(context, words)
    for name, png in (images or {}).items():
        description = plain(str(context.get(f"{name}_description") or ""))
        values[name] = DescribedImage(document, io.BytesIO(png), width=Cm(image_width_cm), description=description)
    try:
        document.render(values, jinja_env=_environment(), autoescape=True)
    except TemplateError as exc:
        raise DocumentTemplateError(_explain(exc, template)) from exc
    if notice:
        _put_first(document, notice)
    _typeset_runs(document, words)
    _unjoin_bold(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# Context values naming the agency and its units: their words never break across lines (prongsai.documents.typeset).
TERM_KEYS = frozenset({"agency_name", "district", "province", "unit", "units", "signer_position"})


def _terms(value: Any, key: str = "") -> list[str]:
    if isinstance(value, str):
        return [value] if key in TERM_KEYS else []
    if isinstance(value, Mapping):
        return [t for k, v in value.items() for t in _terms(v, str(k))]
    if isinstance(value, (list, tuple)):
        return [t for v in value for t in _terms(v, key)]
    return []


def typeset_context(context: Mapping[str, Any], terms: Iterable[str] | None = None) -> dict[str, Any]:
    """Every text of the context through ``typeset`` with the agency's name and units (or ``terms``) as terms:
    the one place where the line-break rules reach every document, whichever code built the context."""
    terms = sorted(set(_terms(context))) if terms is None else list(terms)

    def walk(value: Any) -> Any:
        if isinstance(value, str):
            return typeset(value, terms)
        if isinstance(value, Mapping):
            return {k: walk(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [walk(v) for v in value]
        return value

    return {k: walk(v) for k, v in context.items()}


def _typeset_runs(document: DocxTemplate, terms: list[str]) -> None:
    """The template's own wording too (its literal text, an agency's letterhead): every run's text, once the
    context is in. Run by run, so a term Word split across two runs is left as it is."""
    for text in document.docx.element.body.iter(qn("w:t")):
        if text.text:
            text.text = typeset(text.text, terms)


def _unjoin_bold(document: DocxTemplate) -> None:
    """Bold text keeps no joiners: LibreOffice emboldens Sarabun itself, and with a joiner beside a stacked
    mark poppler (pdftotext, a PDF viewer's search) tears it off (ตัวชี้วัด → ตัวชีว / ้ ัด), so a bold
    heading could not be found. Headings are short; losing the break protection there costs little."""
    for paragraph in _paragraphs(document.docx):
        style_bold = _style_bold(paragraph.style)
        for run in paragraph.runs:
            bold = run.bold if run.bold is not None else (_style_bold(run.style) or style_bold)
            if bold and (WJ in run.text or ZWSP in run.text):
                run.text = run.text.replace(WJ, "").replace(ZWSP, "")


def _paragraphs(doc: Any) -> Iterator[Any]:
    yield from doc.paragraphs
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                yield from cell.paragraphs
    for section in doc.sections:
        for part in (section.header, section.footer):
            yield from part.paragraphs


def _style_bold(style: Any) -> bool:
    while style is not None:
        if style.font.bold is not None:
            return bool(style.font.bold)
        style = style.base_style
    return False


class DescribedImage(InlineImage):  # type: ignore[misc]
    """An inline picture with its alternative text (wp:docPr descr: Word's Alt Text, what a screen reader
    says), from the context's ``<name>_description`` (the chart's: prongsai.documents.chart.chart_description)."""

    def __init__(self, tpl: DocxTemplate, image: io.BytesIO, *, width: Cm, description: str = "") -> None:
        super().__init__(tpl, image, width=width)
        self.description = description

    def _insert_image(self) -> str:
        xml = str(super()._insert_image())
        if not self.description:
            return xml
        described = f" descr={quoteattr(self.description)}"
        return re.sub(r"(<wp:docPr\b[^>]*?)(\s*/?>)", lambda m: m.group(1) + described + m.group(2), xml, count=1)


def _put_first(document: DocxTemplate, text: str) -> None:
    body = document.docx.element.body
    paragraph = document.docx.add_paragraph()
    run = paragraph.add_run(text)
    run.italic = True
    first = next((child for child in body if not child.tag.endswith("}sectPr")), None)
    if first is not None and first is not paragraph._p:
        first.addprevious(paragraph._p)


def _explain(exc: TemplateError, template: Path | bytes | None = None) -> str:
    """In Thai, naming the template's paragraph by its first words (prongsai.documents.template_errors)."""
    return explain(exc, template)


def validate_template(template: Path | bytes, sample: Mapping[str, Any], images: Mapping[str, bytes]) -> list[str]:
    """Problems an uploaded template has, in Thai: unknown placeholders, broken tags, failed test render."""
    try:
        document = _open(template)
        names = document.get_undeclared_template_variables(jinja_env=_environment())
    except DocumentTemplateError as exc:
        return [str(exc)]
    except TemplateError as exc:
        return [_explain(exc, template)]
    known = set(sample) | set(images)
    problems = [
        f"ไม่รู้จักช่อง “{name}”{locate_name(template, name)} (unknown placeholder)" for name in sorted(names - known)
    ]
    if not problems:
        try:
            render_docx(template, sample, images)
        except DocumentTemplateError as exc:
            problems.append(str(exc))
    return problems

"""Render Word templates (docxtpl) in a sandbox, and check an agency's own template before use.

Templates may come from an agency (its letterhead, Garuda, wording), so they are untrusted: Jinja runs
in a SandboxedEnvironment with operation limits (prongsai.documents.sandbox), undefined names are errors
rather than blanks, and a broken placeholder is reported by name instead of producing a document with holes.
An agency's own template is also checked for parts that inflate beyond MAX_INFLATED_BYTES before anything
unzips it, and is checked and rendered in a child process with memory, CPU and wall-clock bounds
(prongsai.bounded): whatever it asks for, the server's process stays up and the person gets a Thai reason.
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

from prongsai import bounded
from prongsai.document_kinds import get_kind
from prongsai.documents.sandbox import LimitedEnvironment
from prongsai.documents.template_errors import explain, locate_name
from prongsai.documents.typeset import WJ, ZWSP, plain, typeset
from prongsai.errors import ProngsaiError

__all__ = [
    "TEMPLATE_DIR",
    "DocumentTemplateError",
    "render_agency_docx",
    "render_docx",
    "template_path",
    "validate_template",
]

TEMPLATE_DIR = Path(__file__).parent / "templates"
MB = 1024 * 1024
MAX_TEMPLATE_BYTES = 10 * MB
# Unzipped, a real template is a few hundred kB (a letterhead picture, fonts: a few MB): 50 MB in all, and no
# part of over 1 MB that inflates more than 100 times (XML compresses 5–20 times; a bomb, a thousand times).
MAX_INFLATED_BYTES = 50 * MB
MAX_RATIO, RATIO_FROM = 100, 1 * MB
# An agency's template is checked and rendered in a child with these bounds (the shipped ones need ~250 MB, 2 s).
TEMPLATE_BOUNDS = bounded.Bounds(memory=1536 * MB, cpu=30.0, seconds=60.0)


class DocumentTemplateError(ProngsaiError):
    """A template that cannot be used, with the reason (the broken placeholder, the bad tag)."""


def template_path(kind: str) -> Path:
    """The shipped template of a kind (prongsai.document_kinds); an unknown kind is a clear error."""
    return TEMPLATE_DIR / get_kind(kind).template


def _environment() -> LimitedEnvironment:
    """A fresh environment for each render: its operation budget is the render's."""
    return LimitedEnvironment(undefined=StrictUndefined, autoescape=False)


def _open(template: Path | bytes) -> DocxTemplate:
    data = template.read_bytes() if isinstance(template, Path) else template
    if len(data) > MAX_TEMPLATE_BYTES:
        raise DocumentTemplateError("แม่แบบใหญ่เกิน 10 MB (template larger than 10 MB)")
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise DocumentTemplateError("แม่แบบต้องเป็นไฟล์ Word .docx (the template must be a .docx file)")
    check_inflated(data)
    try:
        return DocxTemplate(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several types for a damaged package
        raise DocumentTemplateError(f"เปิดแม่แบบไม่ได้ (cannot open the template): {exc}") from exc


def check_inflated(data: bytes) -> None:
    """Refuse a package whose parts would inflate beyond MAX_INFLATED_BYTES, or one part far more than XML
    compresses, from the sizes its zip directory declares, before anything is unzipped. (Python's zipfile stops
    at the declared size, so a part cannot inflate past what is checked here.)"""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            parts = package.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise DocumentTemplateError(f"เปิดแม่แบบไม่ได้ ไฟล์ .docx เสียหาย (cannot open the template: {exc})") from exc
    total = sum(part.file_size for part in parts)
    if total > MAX_INFLATED_BYTES:
        raise DocumentTemplateError(
            f"แม่แบบเมื่อคลายไฟล์ออกแล้วใหญ่ {total / MB:,.0f} MB เกินกำหนด {MAX_INFLATED_BYTES // MB} MB จึงไม่เปิด "
            "ให้บันทึกแม่แบบใหม่จาก Word โดยไม่ฝังไฟล์ขนาดใหญ่ "
            f"(the template inflates to {total / MB:,.0f} MB, over {MAX_INFLATED_BYTES // MB} MB)"
        )
    for part in parts:
        if part.file_size > RATIO_FROM and part.file_size > MAX_RATIO * max(part.compress_size, 1):
            ratio = part.file_size / max(part.compress_size, 1)
            raise DocumentTemplateError(
                f"ส่วน {part.filename} ของแม่แบบคลายออกได้ใหญ่กว่าขนาดที่บีบอัดไว้ {ratio:,.0f} เท่า ซึ่งไฟล์ Word ปกติไม่เป็น "
                f"จึงไม่เปิด (part {part.filename} inflates {ratio:,.0f} times: a zip bomb, not a Word document)"
            )


def _trial(template: Path | bytes, context: Mapping[str, Any], images: Mapping[str, bytes]) -> None:
    """The template over the plain values (no typesetting, pictures as blanks): what it costs is its own, so a
    template over a limit is refused in a fraction of a second rather than after the typesetting."""
    values = {**context, **{name: "" for name in images}}
    _render_into(_open(template), values, template)


def _render_checked(
    template: bytes, context: Mapping[str, Any], images: Mapping[str, bytes], notice: str, terms: tuple[str, ...]
) -> bytes:
    _trial(template, context, images)
    return render_docx(template, context, images, notice=notice, terms=terms)


def render_agency_docx(
    template: bytes,
    context: Mapping[str, Any],
    images: Mapping[str, bytes] | None = None,
    notice: str = "",
    terms: Iterable[str] = (),
) -> bytes:
    """:func:`render_docx` of an agency's own template, in a child process with TEMPLATE_BOUNDS."""
    try:
        return bounded.run(
            _render_checked,
            template,
            dict(context),
            dict(images or {}),
            notice,
            tuple(terms),
            bounds=TEMPLATE_BOUNDS,
            preload=[__name__],
        )
    except bounded.LimitExceeded as exc:
        raise DocumentTemplateError(_bound_held(exc)) from exc


def _bound_held(exc: bounded.LimitExceeded) -> str:
    reason = exc.reason_th.replace("ไฟล์นี้", "แม่แบบนี้").replace("การอ่านไฟล์นี้", "การทำเอกสารจากแม่แบบนี้")
    return f"แม่แบบใช้ไม่ได้: {reason} (the template went over a bound: {exc.reason_en})"


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
    _render_into(document, values, template)
    if notice:
        _put_first(document, notice)
    _typeset_runs(document, words)
    _unjoin_bold(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _render_into(document: DocxTemplate, values: Mapping[str, Any], template: Path | bytes) -> None:
    """Jinja over the document's parts, in the limited sandbox; whatever the template does wrong is said in Thai."""
    try:
        document.render(values, jinja_env=_environment(), autoescape=True)
    except TemplateError as exc:
        raise DocumentTemplateError(_explain(exc, template)) from exc
    except RecursionError as exc:
        raise DocumentTemplateError(
            "แม่แบบใช้ไม่ได้: มีคำสั่ง (macro) ที่เรียกตัวเองซ้ำไม่รู้จบ (template error: endless recursion)"
        ) from exc
    except MemoryError as exc:
        raise DocumentTemplateError(
            "แม่แบบใช้ไม่ได้: แม่แบบขอหน่วยความจำเกินกว่าที่ระบบอนุญาต (template error: out of memory)"
        ) from exc
    except (ArithmeticError, LookupError, TypeError, ValueError) as exc:  # {{ 1/0 }}, {{ "a" + 1 }}, {{ x[99] }}
        raise DocumentTemplateError(
            f"แม่แบบใช้ไม่ได้: คำนวณค่าในแม่แบบไม่ได้ ตรวจช่องที่คำนวณหรือเลือกค่า (template error: {type(exc).__name__}: {exc})"
        ) from exc


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
    """Problems an uploaded template has, in Thai: unknown placeholders, broken tags, failed test render, a
    bound that held. Checked in a child process with TEMPLATE_BOUNDS: an upload never costs the server more."""
    try:
        return bounded.run(_problems, template, dict(sample), dict(images), bounds=TEMPLATE_BOUNDS, preload=[__name__])
    except bounded.LimitExceeded as exc:
        return [_bound_held(exc)]


def _problems(template: Path | bytes, sample: Mapping[str, Any], images: Mapping[str, bytes]) -> list[str]:
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
            _trial(template, sample, images)
            render_docx(template, sample, images)
        except DocumentTemplateError as exc:
            problems.append(str(exc))
    return problems

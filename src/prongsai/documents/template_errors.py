"""What is wrong with an agency's Word template, said in Thai where the person can find it: the paragraph by
its first words ("ย่อหน้าที่ขึ้นต้นว่า “จากการประชุมของ…”"), never a line of the XML Jinja saw.

docxtpl renders the whole document.xml as one Jinja template, so Jinja's line number (often 1) and source
mean nothing to the person who typed the template in Word. The paragraph is found again in the template's
own text: the one holding the unknown name or filter, the block tag left open, the end tag with no opening.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import TemplateError, TemplateSyntaxError, UndefinedError
from jinja2.exceptions import SecurityError, TemplateAssertionError
from jinja2.sandbox import SandboxedEnvironment

from prongsai.documents.sandbox import TemplateLimitError

__all__ = ["explain", "locate_name"]

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CONSTRUCT = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
# {% if x %}, and docxtpl's paragraph/row/cell/run forms {%p if x %}, {%tr for … %}
TAG = re.compile(r"\{%[-+]?\s*(?:(?:p|tr|tc|r)\s+)?([A-Za-z_]\w*)(.*?)[-+]?%\}", re.DOTALL)
BLOCKS = frozenset({"if", "for", "with", "macro", "call", "filter", "raw", "block", "autoescape", "set"})
MIDDLE = {"elif": "if", "else": "if"}
WORDS, CHARS = 6, 40
MARKS = "\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4d\u0e4e"


@dataclass(frozen=True)
class Paragraph:
    part: str  # ย่อหน้า (the body and its tables), หัวกระดาษ, ท้ายกระดาษ
    number: int  # 1-based, within its part
    text: str
    in_table: bool = False

    def constructs(self) -> list[str]:
        return CONSTRUCT.findall(self.text)

    def where(self) -> str:
        """The paragraph as a person finds it in Word: by its first words, else by its position."""
        words = " ".join(CONSTRUCT.sub(" … ", self.text).split())
        words = re.sub(r"^(?:… ?)+|(?: ?…)+$", "", words).strip()
        if words:
            first = " ".join(words.split()[:WORDS])
            if len(first) > CHARS:  # Thai runs on without spaces: cut, but never before a mark
                end = CHARS
                while end < len(first) and first[end] in MARKS:
                    end += 1
                first = first[:end]
            more = "…" if first != words else ""
            return f"{self._name()}ที่ขึ้นต้นว่า “{first}{more}”"
        names = sorted({n for c in self.constructs() for n in re.findall(r"[A-Za-z_]\w*", c)} - _KEYWORDS)
        only = f" ซึ่งมีเพียงช่อง {' '.join(names)}" if names else ""
        return f"{self.part}ที่ {self.number}{' (ในตาราง)' if self.in_table else ''}{only}"

    def _name(self) -> str:
        if self.part != "ย่อหน้า":
            return f"ย่อหน้าใน{self.part}"
        return "ย่อหน้าในตาราง" if self.in_table else "ย่อหน้า"


_KEYWORDS = frozenset({"if", "else", "elif", "endif", "for", "in", "endfor", "not", "and", "or", "is", "p", "tr", "tc"})


def _paragraphs(template: Path | bytes) -> list[Paragraph]:
    """Every paragraph of the template: the body's in order (tables included), then headers and footers."""
    import docx

    try:
        data = template.read_bytes() if isinstance(template, Path) else template
        document = docx.Document(io.BytesIO(data))
    except Exception:  # a damaged package is reported elsewhere; here it just has no paragraphs
        return []

    def texts(element: Any) -> Iterator[tuple[str, bool]]:
        for p in element.iter(f"{W}p"):
            in_table = any(a.tag == f"{W}tc" for a in p.iterancestors())
            yield "".join(t.text or "" for t in p.iter(f"{W}t")), in_table

    found = [Paragraph("ย่อหน้า", k, t, cell) for k, (t, cell) in enumerate(texts(document.element.body), start=1)]
    for part, attribute in (("หัวกระดาษ", "header"), ("ท้ายกระดาษ", "footer")):
        seen: set[int] = set()
        number = 0
        for section in document.sections:
            element = getattr(section, attribute)._element
            if id(element) in seen or getattr(section, attribute).is_linked_to_previous:
                continue
            seen.add(id(element))
            for text, cell in texts(element):
                number += 1
                found.append(Paragraph(part, number, text, cell))
    return found


def locate_name(template: Path | bytes, name: str) -> str:
    """Where a placeholder name is used (" ในย่อหน้าที่ขึ้นต้นว่า …"), or "" when it cannot be found."""
    found = _with_name(_paragraphs(template), name)
    return f" ใน{found.where()}" if found else ""


def _with_name(paragraphs: list[Paragraph], name: str) -> Paragraph | None:
    word = re.compile(rf"(?<![\w.]){re.escape(name)}\b|\.{re.escape(name)}\b")
    return next((p for p in paragraphs if any(word.search(c) for c in p.constructs())), None)


def _with_filter(paragraphs: list[Paragraph], name: str) -> Paragraph | None:
    word = re.compile(rf"\|\s*{re.escape(name)}\b|\bis\s+(?:not\s+)?{re.escape(name)}\b")
    return next((p for p in paragraphs if any(word.search(c) for c in p.constructs())), None)


def _unbalanced(paragraphs: list[Paragraph]) -> tuple[Paragraph, str, str] | None:
    """The first block tag with no partner: an end or middle tag with no opening, or an opening never closed."""
    stack: list[tuple[str, Paragraph]] = []
    for paragraph in paragraphs:
        for match in TAG.finditer(paragraph.text):
            tag, rest = match.group(1), match.group(2)
            if tag == "set" and "=" in rest:
                continue  # {% set x = … %} is not a block
            if tag in BLOCKS:
                stack.append((tag, paragraph))
            elif tag.startswith("end") and tag[3:] in BLOCKS:
                if not stack or stack[-1][0] != tag[3:]:
                    return paragraph, tag, "stray"
                stack.pop()
            elif tag in MIDDLE and not any(t in ("if", "for") for t, _ in stack):
                return paragraph, tag, "stray"
    if stack:
        tag, paragraph = stack[-1]
        return paragraph, tag, "open"
    return None


def _syntax_in(paragraphs: list[Paragraph]) -> Paragraph | None:
    """The first paragraph whose own placeholders do not parse (block tags set aside, their balance is above)."""
    environment = SandboxedEnvironment()
    for paragraph in paragraphs:
        expressions = [c for c in paragraph.constructs() if not c.startswith("{%")]
        tags = [c for c in paragraph.constructs() if c.startswith("{%") and not TAG.fullmatch(c)]
        for construct in expressions + tags:
            try:
                environment.parse(construct)
            except TemplateSyntaxError:
                return paragraph
    return None


def _quoted(message: str) -> str:
    found = re.search(r"'([^']+)'", message)
    return found.group(1) if found else ""


def explain(exc: TemplateError, template: Path | bytes | None) -> str:
    """The error in Thai, naming the paragraph by its first words, with Jinja's own words for an engineer."""
    message = (getattr(exc, "message", None) or str(exc)).strip()
    paragraphs = _paragraphs(template) if template is not None else []
    found: Paragraph | None = None
    if isinstance(exc, TemplateLimitError):
        reason = exc.reason_th
        costly = re.compile(r"range\(|\*|%|~|\bfor\b|\bmacro\b|center|format|replace|join")
        found = next((p for p in paragraphs if costly.search("".join(p.constructs()))), None)
    elif isinstance(exc, SecurityError):
        reason = "ใช้คำสั่งที่ไม่ปลอดภัย ซึ่งแม่แบบของหน่วยงานใช้ไม่ได้"
        found = _syntax_in(paragraphs) or next((p for p in paragraphs if "__" in "".join(p.constructs())), None)
    elif isinstance(exc, UndefinedError):
        name = _quoted(message.split("has no attribute")[-1]) if "has no attribute" in message else _quoted(message)
        reason = f"ไม่รู้จักช่อง “{name}”" if name else "มีช่องที่ไม่รู้จัก"
        found = _with_name(paragraphs, name) if name else None
    elif isinstance(exc, TemplateAssertionError) and re.search(r"No (filter|test) named", message):
        name = _quoted(message)
        kind = "ตัวกรอง (filter)" if "filter" in message else "การทดสอบ (test)"
        reason = f"ไม่มี{kind} ชื่อ “{name}”"
        found = _with_filter(paragraphs, name)
    else:
        unbalanced = _unbalanced(paragraphs)
        unknown = re.search(r"Encountered unknown tag '(\w+)'", message)
        if unbalanced is not None:
            found, tag, how = unbalanced
            closing = f"ไม่มีคำสั่ง end{tag} ปิดท้าย" if how == "open" else "ไม่มีคำสั่งเปิดที่คู่กัน"
            reason = f"คำสั่ง {tag} {closing}"
        elif unknown is not None:
            reason = f"ไม่รู้จักคำสั่ง “{unknown.group(1)}”"
            tags = ((p, {m.group(1) for m in TAG.finditer(p.text)}) for p in paragraphs)
            found = next((p for p, names in tags if unknown.group(1) in names), None)
        else:
            reason = "เขียนช่องหรือคำสั่งไม่ถูกรูปแบบ"
            found = _syntax_in(paragraphs)
    where = f" ใน{found.where()}" if found else ""
    return f"แม่แบบใช้ไม่ได้: {reason}{where} (template error: {message})"

"""The English translation: Thai by default, English after the language switch, and a complete,
compiled catalogue (src/prongsai/web/locale/en/LC_MESSAGES)."""

from __future__ import annotations

import ast
import gettext
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation

import prongsai.web

from .conftest import World

WEB = Path(prongsai.web.__file__).parent
MESSAGES = WEB / "locale" / "en" / "LC_MESSAGES"
PO = MESSAGES / "django.po"
MO = MESSAGES / "django.mo"

HEADING_TH = "คะแนนสูงสุดรายตัวชี้วัด"
HEADING_EN = "Indicators ranked by score"


@pytest.fixture(autouse=True)
def _restore_language() -> Iterator[None]:
    """The language middleware activates English in this thread; do not let it leak into other tests."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


def _analysis(world: World) -> str:
    return f"/a/{world.agency.pk}/2564/"


def test_thai_by_default(world: World) -> None:
    page = world.client("owner").get(_analysis(world)).content.decode()
    assert '<html lang="th">' in page
    assert HEADING_TH in page
    assert HEADING_EN not in page


def test_english_after_the_language_switch(world: World) -> None:
    client = world.client("owner")
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    page = client.get(_analysis(world)).content.decode()
    assert '<html lang="en">' in page
    assert HEADING_EN in page
    assert HEADING_TH not in page
    assert "OIT register" in page  # the menu, from base.html
    assert "Agency administrator" in page  # a model choice (gettext_lazy) shown in the header
    # and back to Thai
    client.post("/i18n/setlang/", {"language": "th", "next": "/"})
    assert HEADING_TH in client.get(_analysis(world)).content.decode()


@dataclass
class Entry:
    flags: list[str] = field(default_factory=list)
    msgid: str = ""
    msgid_plural: str = ""
    msgstr: str | None = None  # the translation, or its first plural form
    plurals: list[str] = field(default_factory=list)  # the other plural forms (msgstr[1] …)


def _po_entries(text: str) -> list[Entry]:
    """The entries of a .po file, header first; obsolete (#~) entries are left out."""
    entries: list[Entry] = []
    entry, key = Entry(), "msgid"
    for line in text.splitlines():
        if line.startswith("#~"):
            continue
        if line.startswith(("#", "msgid ")) and entry.msgstr is not None:  # the previous entry is complete
            entries.append(entry)
            entry = Entry()
        if line.startswith("#,"):
            entry.flags += [flag.strip() for flag in line[2:].split(",")]
        elif line.startswith(("msgid ", "msgid_plural ", "msgstr ", "msgstr[0] ")):
            key, _, literal = line.partition(" ")
            key = "msgstr" if key == "msgstr[0]" else key
            setattr(entry, key, ast.literal_eval(literal))
        elif line.startswith("msgstr["):
            key = "plurals"
            entry.plurals.append(ast.literal_eval(line.partition(" ")[2]))
        elif line.startswith('"') and key == "plurals":
            entry.plurals[-1] += ast.literal_eval(line)
        elif line.startswith('"'):
            setattr(entry, key, getattr(entry, key) + ast.literal_eval(line))
    if entry.msgstr is not None:
        entries.append(entry)
    return entries


def test_po_is_complete() -> None:
    header, *messages = _po_entries(PO.read_text(encoding="utf-8"))
    assert header.msgid == "" and "Language: en\n" in (header.msgstr or "")
    assert "fuzzy" not in header.flags
    assert len(messages) > 100
    assert [m.msgid for m in messages if not (m.msgstr or "").strip()] == [], "untranslated"
    assert [m.msgid for m in messages if m.msgid_plural and not all(p.strip() for p in m.plurals)] == [], "plural"
    assert [m.msgid for m in messages if "fuzzy" in m.flags] == [], "fuzzy"
    for m in messages:
        for english in [m.msgstr or "", *m.plurals]:
            assert sorted(re.findall(r"%\(\w+\)[sd]", m.msgid)) == sorted(re.findall(r"%\(\w+\)[sd]", english)), m
            for term in ("ITAS", "IIT", "EIT", "OIT"):  # ITA's own terms stay as they are
                assert m.msgid.count(term) <= english.count(term), (term, m)


def test_po_covers_every_translated_literal() -> None:
    """A string added to a template or gettext_lazy call but not yet extracted: run makemessages."""
    msgids = {m.msgid for m in _po_entries(PO.read_text(encoding="utf-8"))}
    template_tag = re.compile(r"""\{%\s*(?:translate|trans)\s+("[^"]*"|'[^']*')""")
    found: dict[str, str] = {}
    for path in sorted((WEB / "templates").rglob("*.html")):
        for literal in template_tag.findall(path.read_text(encoding="utf-8")):
            found.setdefault(literal[1:-1], path.name)
    for path, tree in _python_modules():
        for call in ast.walk(tree):
            if isinstance(call, ast.Call) and _callee(call) in GETTEXT:
                literal = call.args[0] if call.args else None
                if isinstance(literal, ast.Constant) and isinstance(literal.value, str):
                    found.setdefault(literal.value, path.name)
    assert found
    assert {msgid: where for msgid, where in found.items() if msgid not in msgids} == {}


def test_mo_matches_po(tmp_path: Path) -> None:
    """The committed .mo is the compiled .po: a forgotten compilemessages fails here."""
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("GNU gettext's msgfmt is not installed")
    fresh = tmp_path / "django.mo"
    subprocess.run([msgfmt, "--check-format", "-o", str(fresh), str(PO)], check=True)
    if fresh.read_bytes() == MO.read_bytes():
        return
    # another msgfmt version may lay the file out differently; the messages must still be the same
    with fresh.open("rb") as a, MO.open("rb") as b:
        assert gettext.GNUTranslations(b)._catalog == gettext.GNUTranslations(a)._catalog  # type: ignore[attr-defined]


# --- what views and services say: flash messages and validation errors ------------------------------------------

GETTEXT = frozenset({"_", "gettext", "gettext_lazy", "gettext_noop", "ngettext", "pgettext"})
FLASH_LEVELS = frozenset({"debug", "info", "success", "warning", "error", "add_message"})
# what a person reads when it is raised or added: a flash message, a form's error, a refusal, an API's detail
SAID = frozenset({"ValidationError", "PermissionDenied", "InputError", "add_error", "Error"})
THAI = re.compile(r"[\u0e01-\u0e5b]")
# ไทย (English words): Thai, then an English gloss of two or more words in parentheses; a placeholder such as
# (%(email)s) or a name such as CSV (UTF-8) or Excel (.xlsx) is no gloss
BILINGUAL = re.compile(r"[\u0e01-\u0e5b][^()]*\(\s*[A-Za-z][\x21-\x7e]* +[A-Za-z][\x20-\x7e]*\)")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def _python_modules() -> Iterator[tuple[Path, ast.Module]]:
    for path in sorted(WEB.rglob("*.py")):
        if not {"migrations", "demo"} & set(path.relative_to(WEB).parts):
            yield path, ast.parse(path.read_text(encoding="utf-8"))


def _callee(call: ast.Call) -> str:
    function = call.func
    return function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", "")


def _says(call: ast.Call) -> bool:
    function = call.func
    if isinstance(function, ast.Attribute) and isinstance(function.value, ast.Name) and function.value.id == "messages":
        return function.attr in FLASH_LEVELS
    return _callee(call) in SAID


def _faults(tree: ast.AST) -> list[str]:
    """Texts a person reads that do not take the one path: a Thai literal outside gettext (never translated), or
    a bilingual "ไทย (English)" literal anywhere in the call (English belongs in the .po file)."""
    faults: list[str] = []

    def visit(node: ast.AST, translated: bool) -> None:
        if isinstance(node, ast.JoinedStr):  # an f-string: its words cannot be a msgid
            text = "{}".join(str(part.value) for part in node.values if isinstance(part, ast.Constant))
            if THAI.search(text):
                faults.append(f"f-string: {text}")
            return
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if BILINGUAL.search(PLACEHOLDER.sub("", node.value)):
                faults.append(f"bilingual: {node.value}")
            elif THAI.search(node.value) and not translated:
                faults.append(f"not through gettext: {node.value}")
            return
        if isinstance(node, ast.Call) and _callee(node) in GETTEXT:
            translated = True
        for child in ast.iter_child_nodes(node):
            visit(child, translated)

    for call in ast.walk(tree):
        if isinstance(call, ast.Call) and _says(call):
            for argument in [*call.args, *(k.value for k in call.keywords)]:
                visit(argument, False)
    return faults


def test_the_fault_finder_finds_faults() -> None:
    """The scan below can fail: each way round the one path is caught, and a translated sentence is not."""
    caught = [
        'messages.error(request, "เลือกไฟล์ก่อน (choose a file)")',
        'messages.success(request, f"บันทึกข้อ {code} แล้ว")',
        'raise ValidationError("ไฟล์ต้องไม่เกิน 2 MB")',
        'raise ValidationError(_("ไฟล์ใหญ่เกินไป (file too large)"))',
        'form.add_error("tool", "มีแบบสำรวจนี้อยู่แล้ว")',
        'raise PermissionDenied("ต้องเป็นผู้ดูแล (admin only)")',
    ]
    assert [len(_faults(ast.parse(code))) for code in caught] == [1] * len(caught)
    passed = [
        'messages.success(request, _("บันทึกข้อ %(code)s แล้ว") % {"code": code})',
        'messages.success(request, _("ส่งลิงก์ไปที่อีเมลของ %(name)s แล้ว (%(email)s)") % values)',
        'raise ValidationError(_("ไฟล์ต้องไม่เกิน %(mb)s MB") % {"mb": 2})',
        "messages.error(request, exc.message)",
        'raise ValidationError(_("%(file)s: โปรดบันทึกตารางเป็น CSV (UTF-8) หรือ Excel (.xlsx)") % {"file": name})',
        'print("ไทย (English)")',  # not something views or services say to a person
    ]
    assert [_faults(ast.parse(code)) for code in passed] == [[]] * len(passed)


def test_messages_and_validation_errors_take_the_one_path() -> None:
    """Flash messages, form errors, validation errors and refusals in src/prongsai/web are Thai msgids through
    gettext, with their English in the .po file: no untranslated Thai, no "ไทย (English)" literal."""
    faults = {f"{path.relative_to(WEB)}: {fault}" for path, tree in _python_modules() for fault in _faults(tree)}
    assert sorted(faults) == []


def _english(client: Client) -> Client:
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302
    return client


def test_a_flash_message_in_thai_then_english(world: World) -> None:
    review = f"/a/{world.agency.pk}/2565/plan/review/"
    client = world.client("owner")
    page = client.post(review, follow=True).content.decode()
    assert "บันทึกว่าตรวจทานแผนแล้ว เอกสารจะไม่มีคำว่า ร่าง" in page
    page = _english(client).post(review, follow=True).content.decode()
    assert "The plan is recorded as reviewed" in page
    assert "บันทึกว่าตรวจทานแผนแล้ว" not in page


def test_a_validation_error_in_thai_then_english(world: World) -> None:
    """A service's ValidationError reaches the page as a flash message (the register is not answered) and as a
    form's error (a file of the wrong kind), each in the language the user chose."""
    from_register = f"/a/{world.agency.pk}/2565/results/from-register/"
    upload = f"/a/{world.agency.pk}/2564/results/import/"
    client = world.client("owner")
    page = client.post(from_register, follow=True).content.decode()
    assert "ยังไม่ได้ตอบข้อ O1, O2" in page
    page = client.post(upload, {"file": SimpleUploadedFile("scores.txt", b"1,90")}).content.decode()
    assert "รองรับเฉพาะไฟล์ .csv .xlsx .yaml" in page
    _english(client)
    page = client.post(from_register, follow=True).content.decode()
    assert "Items not answered yet: O1, O2" in page and "ยังไม่ได้ตอบข้อ" not in page
    page = client.post(upload, {"file": SimpleUploadedFile("scores.txt", b"1,90")}).content.decode()
    assert "Only .csv, .xlsx and .yaml files are supported." in page and "รองรับเฉพาะไฟล์" not in page


def test_the_core_words_follow_the_language(world: World) -> None:
    """The core's Say (prongsai.report) gets the page's language at the web boundary (prongsai.web.i18n)."""
    client = world.client("owner")
    page = client.get(_analysis(world)).content.decode()
    assert "ให้ครบถ้วน จะเพิ่มคะแนนรวม" in page  # the plan's group sentences on the analysis page
    page = _english(client).get(_analysis(world)).content.decode()
    assert "in full raises the total by" in page
    assert "ให้ครบถ้วน จะเพิ่มคะแนนรวม" not in page


def test_the_core_refusal_of_fractions_follows_the_language(world: World) -> None:
    """prongsai.results.fractions_message is the core's sentence: the results form gets it through the page's Say."""
    form = f"/a/{world.agency.pk}/2564/results/"
    fractions = {f"i{n}": "0.8" for n in range(1, 11)}
    client = world.client("owner")
    page = client.post(form, fractions).content.decode()
    assert "คะแนนทุกตัวชี้วัดไม่เกิน 1 (เช่น 0.8)" in page and "every score is at most 1" not in page
    page = _english(client).post(form, fractions).content.decode()
    assert "Every score is at most 1 (e.g. 0.8)" in page and "คะแนนทุกตัวชี้วัด" not in page


def test_a_core_error_shows_one_language(world: World) -> None:
    """The core writes its errors "ไทย (English)" for the CLI; a page shows the part in its own language: an
    import's refusal (row, field and reason), and a failed job's stored message."""
    from prongsai.web import jobs

    from . import job_kinds  # noqa: F401  (registers the test kinds)

    upload = f"/a/{world.agency.pk}/2564/results/import/"
    bad = b"indicator,score\n1,90\n2,abc\n"
    client = world.client("owner")
    page = client.post(upload, {"file": SimpleUploadedFile("scores.csv", bad)}).content.decode()
    assert "scores.csv" in page and "แถว 3" in page
    thai = re.search(r"scores\.csv[^<]*", page)
    assert thai and not re.search("[A-Za-z]{3,} [a-z]{2,}", thai.group(0).replace("scores.csv", "")), thai
    page = _english(client).post(upload, {"file": SimpleUploadedFile("scores.csv", bad)}).content.decode()
    english = re.search(r"scores\.csv[^<]*", page)
    assert english and "row 3" in english.group(0) and not re.search("[\u0e00-\u0e7f]", english.group(0)), english

    job = jobs.submit(world.users["owner"], "test_bug", {}, agency=world.agency)
    job.refresh_from_db()
    assert job.status == "failed"
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert f"give the administrator its number, {job.pk}" in page and "ข้อผิดพลาดในระบบ" not in page
    translation.activate("th")
    page = world.client("owner").get(f"/jobs/{job.pk}/").content.decode()
    assert "เกิดข้อผิดพลาดในระบบ" in page and "a system error" not in page
    assert "ZeroDivisionError" not in page

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
    msgstr: str | None = None


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
        elif line.startswith(("msgid ", "msgstr ")):
            key, _, literal = line.partition(" ")
            setattr(entry, key, ast.literal_eval(literal))
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
    assert [m.msgid for m in messages if "fuzzy" in m.flags] == [], "fuzzy"
    for m in messages:
        assert sorted(re.findall(r"%\(\w+\)[sd]", m.msgid)) == sorted(re.findall(r"%\(\w+\)[sd]", m.msgstr or "")), m
        for term in ("ITAS", "IIT", "EIT", "OIT"):  # ITA's own terms stay as they are
            assert m.msgid.count(term) <= (m.msgstr or "").count(term), (term, m)


def test_po_covers_every_translated_literal() -> None:
    """A string added to a template or gettext_lazy call but not yet extracted: run makemessages."""
    msgids = {m.msgid for m in _po_entries(PO.read_text(encoding="utf-8"))}
    template_tag = re.compile(r"""\{%\s*(?:translate|trans)\s+("[^"]*"|'[^']*')""")
    python_call = re.compile(r"""\b_\(\s*("[^"\\]*(?:\\.[^"\\]*)*")\s*[,)]""")
    found: dict[str, str] = {}
    for path in sorted((WEB / "templates").rglob("*.html")):
        for literal in template_tag.findall(path.read_text(encoding="utf-8")):
            found.setdefault(literal[1:-1], path.name)
    for path in sorted(WEB.rglob("*.py")):
        if {"migrations", "demo"} & set(path.relative_to(WEB).parts):
            continue
        for literal in python_call.findall(path.read_text(encoding="utf-8")):
            found.setdefault(ast.literal_eval(literal), path.name)
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

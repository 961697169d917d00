"""Other item lists: an ITA page that follows a list other than the NACC's OIT items.

Schools, vocational colleges and health offices are assessed on their own ministry's lists: the health
ministry's MOIT items (EB1 … in FY2563–2564, MOIT1 … since), OVEC's list for vocational colleges (o1–o37,
numbered like the NACC's but with their own titles) and OBEC's ITA Online list for schools. Their numbers
name other things than the NACC's O-numbers, so judging such a page item by item against the NACC list
would report wrong verdicts with confidence. The checker says which list the page follows instead, and
leaves matching its documents to the NACC items to a person (docs/checker.md, "Other item lists").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from prongsai.checker.find import Proposal, label_number
from prongsai.checker.thaitext import tokens
from prongsai.checker.verdict import ItemCheck, Verdict

if TYPE_CHECKING:
    from prongsai.checker.extraction import Document
    from prongsai.framework import Framework, Item

__all__ = ["ItemList", "detect_list", "other_list_check"]

# The health ministry's codes: EB1 …, MOIT1 …, at the start of a link text or a line (a menu heading).
_MOPH_CODE = re.compile(r"^[\s\[(]*(?:moit|eb)\s*[-.:]?\s*(\d{1,2})(?!\d)", re.IGNORECASE)
MIN_CODES = 3  # distinct codes of another list that show the page follows it
MIN_TITLED = 6  # labelled entries with a title needed to compare a page's titles with a framework's
AGREEMENT = 0.6  # share of labelled titles that, being the framework's own, show the page follows it
CONTRADICTION = 0.3  # share of labelled titles that, being other items' of it, show the page does not
_HINTS = (
    ("moph", re.compile(r"สาธารณสุข|โรงพยาบาล|moph", re.IGNORECASE)),
    ("ovec", re.compile(r"อาชีวศึกษา|สอศ|(?<!มหา)วิทยาลัย|ovec", re.IGNORECASE)),
    ("obec", re.compile(r"โรงเรียน|สพฐ|ita\s*online|obec", re.IGNORECASE)),
)
NAMES: Mapping[str, tuple[str, str]] = {
    "moph": ("รายการ MOIT (EB) ของกระทรวงสาธารณสุข", "the Ministry of Public Health's MOIT (EB) list"),
    "ovec": ("รายการ ITA ของสำนักงานคณะกรรมการการอาชีวศึกษา (สอศ.)", "OVEC's list for vocational colleges"),
    "obec": ("รายการ ITA Online ของสำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน (สพฐ.)", "OBEC's ITA Online list for schools"),
    "other": ("รายการข้ออื่นที่ไม่ใช่รายการข้อ OIT ของ ป.ป.ช.", "an item list other than the NACC's"),
}


@dataclass(frozen=True)
class ItemList:
    """The list a page follows instead of the NACC's, and what on the page showed it."""

    key: str  # "moph", "ovec", "obec" or "other"
    seen: tuple[str, ...]  # up to three entries of the page, as written

    @property
    def name_th(self) -> str:
        return NAMES[self.key][0]

    @property
    def name_en(self) -> str:
        return NAMES[self.key][1]

    @property
    def note_th(self) -> str:
        return (
            f"หน้า ITA ของเว็บไซต์นี้จัดตาม{self.name_th} ไม่ใช่รายการข้อ OIT ของ ป.ป.ช."
            " ระบบจึงไม่ตัดสินแต่ละข้อเทียบกับรายการของ ป.ป.ช. ให้เจ้าหน้าที่จับคู่เอกสารกับข้อเอง"
        )

    @property
    def note_en(self) -> str:
        return f"The site's ITA page follows {self.name_en}, not the NACC's OIT items: each item is left to a person."

    def as_dict(self) -> dict[str, object]:
        return {
            "key": self.key,
            "name_th": self.name_th,
            "name_en": self.name_en,
            "note_th": self.note_th,
            "note_en": self.note_en,
            "seen": list(self.seen),
        }


def _entries(document: Document) -> list[str]:
    """Link texts and short lines: where a page names its items (a collapsible heading is not a link)."""
    lines = (line.strip() for line in document.text.splitlines())
    return [text for _href, text in document.links] + [line for line in lines if 0 < len(line) <= 300]


# Words every other title has: they make different titles look alike.
_COMMON = frozenset(("การ", "และ", "หรือ", "ของ", "ที่", "ใน", "ให้", "ความ", "เพื่อ", "ตาม", "กับ", "ประจำปี", "ต่าง"))


def _words(text: str) -> frozenset[str]:
    return frozenset(token for token in tokens(text) if len(token) > 1 and token not in _COMMON)


def _likeness(words: frozenset[str], item: Item) -> float:
    title = _words(item.title_th)
    return len(words & title) / len(words | title) if words and title else 0.0


def _fit(words: frozenset[str], number: int, framework: Framework) -> int:
    """1 when an entry's title is its number's item's (alike, and no other item's more alike); -1 when it is
    another item's (that one alike and more alike); 0 when neither (an agency's own wording of a title).
    Lists that copy the NACC's titles in another order (OVEC's has no 6-month report, so its O11 is the
    NACC's O12) contradict the NACC's numbers; an agency's paraphrases do not."""
    items = framework.items
    own = _likeness(words, items[number - 1]) if 1 <= number <= len(items) else 0.0
    best = max(_likeness(words, item) for item in items)
    if own >= 0.5 and best <= own:
        return 1
    return -1 if best >= 0.5 else 0


def _titled(entries: Iterable[str]) -> dict[int, tuple[str, frozenset[str]]]:
    """Labelled entries with a title after the label, by number (the first of each)."""
    titled: dict[int, tuple[str, frozenset[str]]] = {}
    for entry in entries:
        number = label_number(entry)
        if number is None or number in titled:
            continue
        words = _words(re.sub(r"^\W*(?:ita\W*)?(?:oit|o|ข้อ(?:ที่)?|0)?\W*\d{1,2}", "", entry, flags=re.IGNORECASE))
        if len(words) >= 2:
            titled[number] = (entry, words)
    return titled


def _shares(titled: Mapping[int, tuple[str, frozenset[str]]], framework: Framework) -> tuple[float, float]:
    """The shares of the titled entries that are their number's item, and that are another item."""
    fits = [_fit(words, n, framework) for n, (_entry, words) in titled.items()]
    return fits.count(1) / len(fits), fits.count(-1) / len(fits)


def _follows(titled: Mapping[int, tuple[str, frozenset[str]]], framework: Framework) -> bool:
    same, other = _shares(titled, framework)
    return same >= AGREEMENT or other < CONTRADICTION


def detect_list(document: Document, framework: Framework, others: Iterable[Framework] = ()) -> ItemList | None:
    """The other list ``document`` (an ITA page) follows, or None when it follows the NACC's.

    A page follows another list when it labels items with the health ministry's codes (and not the NACC's
    too), or when the titles it gives its O-numbers are, for many of them, other numbers' titles of the NACC's
    list of the year checked and of every other year (``others``: an older page of the NACC list is the
    NACC's, only out of date). An agency's own wording of a title counts neither way."""
    entries = _entries(document)
    titled = _titled(entries)
    if len(titled) >= MIN_TITLED and _shares(titled, framework)[0] >= AGREEMENT:
        return None  # a hospital may show the NACC's list beside its ministry's: the NACC's is checked
    moph: dict[int, str] = {}
    for entry in entries:
        if (code := _MOPH_CODE.match(entry)) is not None:
            moph.setdefault(int(code.group(1)), entry[:80])
    if len(moph) >= MIN_CODES:
        return ItemList("moph", tuple(moph[n] for n in sorted(moph)[:3]))
    if len(titled) < MIN_TITLED or _follows(titled, framework) or any(_follows(titled, o) for o in others):
        return None
    name = " ".join((document.title, *document.headings, document.text[:3000]))
    key = next((key for key, hint in _HINTS if hint.search(name)), "other")
    mismatched = [entry[:80] for n, (entry, words) in sorted(titled.items()) if _fit(words, n, framework) < 0]
    return ItemList(key, tuple(mismatched[:3]))


def other_list_check(item: Item, framework: Framework, found: ItemList, proposal: Proposal | None) -> ItemCheck:
    """The item's result when the site's ITA page follows another list: a person matches it, told why."""
    hint_th = f" ลิงก์ที่ชื่อใกล้เคียงข้อนี้คือ “{proposal.label[:80]}”" if proposal is not None else ""
    hint_en = f"; the link titled like it: {proposal.label[:80]!r}" if proposal is not None else ""
    return ItemCheck(
        item.code,
        Verdict.NEEDS_PERSON,
        f"หน้า ITA ของเว็บไซต์นี้จัดตาม{found.name_th} ไม่ใช่รายการข้อ OIT ของ ป.ป.ช. ปี {framework.fiscal_year}"
        f" ระบบจึงไม่ตัดสินข้อ {item.code} เทียบกับรายการของ ป.ป.ช. ควรให้เจ้าหน้าที่จับคู่เอกสารกับข้อนี้เอง{hint_th}",
        f"the site's ITA page follows {found.name_en}, not the NACC's OIT items of {framework.fiscal_year}:"
        f" item {item.code} is left to a person{hint_en}",
        url=proposal.url if proposal is not None else "",
        extra={"item_list": found.key},
    )

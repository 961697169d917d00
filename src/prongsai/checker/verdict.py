"""What a reviewer will find for one OIT item, from what was fetched and read.

The order of the checks is the order a reviewer works in: can I open it, can I read it, is it the
right thing, is it for the right period. The first failing check is the verdict, with its reason in Thai.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

from prongsai.checker.extraction import Document
from prongsai.checker.fetch import FetchResult, Outcome
from prongsai.checker.identity import IN_FORCE_ITEMS, identify, opening, substance
from prongsai.checker.matching import best_item, head_of, match_item
from prongsai.checker.ocr import legible_share
from prongsai.checker.thaitext import normalise
from prongsai.checker.years import covers, stated_span, years_in
from prongsai.framework import Framework, Item
from prongsai.scoring import OitScores, oit_scores

__all__ = ["EXTERNAL_HOSTS", "ItemCheck", "Verdict", "external", "judge", "likely_oit", "missing"]


class Verdict(StrEnum):
    OK = "ok"
    MISSING = "missing"
    BROKEN = "broken"
    WRONG_CONTENT = "wrong_content"
    OUT_OF_DATE = "out_of_date"
    UNREADABLE = "unreadable"
    NEEDS_PERSON = "needs_person"
    REFUSED = "refused"

    @property
    def passes(self) -> bool:
        """The one rule: a reviewer gives an item its points only when the checker found it OK."""
        return self is Verdict.OK


# Services a reviewer may be unable to open, or that show nothing to a program (sign-in walls, sharing
# settings, apps, viewers drawn by JavaScript), by host (subdomains too) and the name a person knows them by.
EXTERNAL_HOSTS: Mapping[str, str] = {
    "drive.google.com": "Google Drive",
    "drive.usercontent.google.com": "Google Drive",
    "docs.google.com": "Google Docs",
    "sites.google.com": "Google Sites",
    "forms.gle": "Google Forms",
    "photos.google.com": "Google Photos",
    "photos.app.goo.gl": "Google Photos",
    "facebook.com": "Facebook",
    "fb.com": "Facebook",
    "fb.watch": "Facebook",
    "instagram.com": "Instagram",
    "tiktok.com": "TikTok",
    "x.com": "X (Twitter)",
    "twitter.com": "X (Twitter)",
    "youtube.com": "YouTube",
    "youtu.be": "YouTube",
    "canva.com": "Canva",
    "canva.site": "Canva",
    "onedrive.live.com": "OneDrive",
    "1drv.ms": "OneDrive",
    "sharepoint.com": "SharePoint",
    "dropbox.com": "Dropbox",
    "dropboxusercontent.com": "Dropbox",
    "line.me": "LINE",
    "lin.ee": "LINE",
    "anyflip.com": "AnyFlip",
    "fliphtml5.com": "FlipHTML5",
    "pubhtml5.com": "PubHTML5",
    "heyzine.com": "Heyzine",
    "issuu.com": "Issuu",
    "flipsnack.com": "Flipsnack",
    "scribd.com": "Scribd",
    "slideshare.net": "SlideShare",
}
MATCH_THRESHOLD = 0.5


@dataclass(frozen=True)
class ItemCheck:
    code: str
    verdict: Verdict
    reason_th: str
    reason_en: str
    url: str = ""
    final_url: str = ""
    status: int | None = None
    content_type: str = ""
    kind: str = ""
    sha256: str = ""
    fetched_at: str = ""
    elapsed: float = 0.0
    score: float = 0.0  # share of the item's key terms found
    found_terms: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    snapshot: str = ""  # where the fetched bytes are kept, as evidence of what the page showed that day
    text_source: str = ""  # "text" (the file's own text) or "ocr" (read from pictures of its pages)
    ocr_confidence: float | None = None  # Tesseract's mean word confidence (0–100) where text_source is "ocr"
    extra: Mapping[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["verdict"] = self.verdict.value
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ItemCheck:
        """The inverse of :meth:`as_dict`, for a report stored by any version: fields it lacks take their
        defaults, fields it no longer has are dropped, and a verdict it does not know is left to a person."""
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        try:
            verdict = Verdict(str(values.get("verdict", "")))
        except ValueError:
            verdict = Verdict.NEEDS_PERSON
        values |= {
            "code": str(values.get("code", "")),
            "verdict": verdict,
            "reason_th": str(values.get("reason_th") or ""),
            "reason_en": str(values.get("reason_en") or ""),
            "found_terms": tuple(values.get("found_terms") or ()),
            "years": tuple(values.get("years") or ()),
            "extra": dict(values.get("extra") or {}),
        }
        return cls(**values)


def missing(item: Item) -> ItemCheck:
    return ItemCheck(
        item.code,
        Verdict.MISSING,
        "ยังไม่มี URL ของข้อนี้ในทะเบียนหรือบนหน้า ITA ของเว็บไซต์",
        "no URL for this item in the register or on the site's ITA page",
    )


def _evidence(item: Item, fetched: FetchResult, document: Document | None = None, **kw: Any) -> dict[str, Any]:
    return {
        "code": item.code,
        "url": fetched.url,
        "final_url": fetched.final_url,
        "status": fetched.status,
        "content_type": fetched.content_type,
        "sha256": fetched.sha256,
        "elapsed": round(fetched.elapsed, 3),
        "fetched_at": fetched.fetched_at.isoformat(),
        "kind": document.kind.value if document else "",
        "text_source": document.text_source if document and document.text else "",
        "ocr_confidence": document.ocr_confidence if document else None,
        **kw,
    }


# Why a text layer cannot be judged (Document.unusable_reason), in Thai and English.
_UNUSABLE = {
    "": ("ไม่มีข้อความ เช่น PDF สแกนเป็นภาพ", "no text, e.g. a scanned PDF"),
    "empty": ("ไม่มีข้อความ เช่น PDF สแกนเป็นภาพ", "no text, e.g. a scanned PDF"),
    "image_only": ("หน้าเว็บเป็นภาพของเอกสาร ไม่มีข้อความ", "the page is pictures of a document"),
    "pua_glyphs": ("ข้อความเป็นรหัสตัวอักษรเฉพาะของฟอนต์ ไม่ใช่ตัวอักษรไทย", "text in font-private glyph codes"),
    "legacy_encoding": ("ข้อความใช้รหัสฟอนต์ไทยแบบเก่า อ่านออกมาเป็นสัญลักษณ์", "text in a legacy Thai font encoding"),
    "control_codes": ("ข้อความเป็นรหัสควบคุม ไม่ใช่ตัวอักษร", "text in control codes"),
    "ocr_noise": ("ชั้นข้อความเป็นผลอ่านอักษรของเครื่องสแกนที่อ่านผิดทั้งหมด", "the scanner's OCR text layer is noise"),
}


def _external(url: str) -> str | None:
    """The service ``url`` is on, if it is one of :data:`EXTERNAL_HOSTS`."""
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    return next((name for h, name in EXTERNAL_HOSTS.items() if host == h or host.endswith("." + h)), None)


def external(item: Item, url: str, fetched: FetchResult | None = None) -> ItemCheck | None:
    """``needs_person`` for a link to an outside service, decided by its address alone, before any fetch and
    whatever a fetch gives: offline, behind a sign-in or shared to a few, it tells nothing of what a reviewer sees."""
    addresses = (url, *fetched.redirects, fetched.final_url) if fetched is not None else (url,)
    service = next((name for address in addresses if (name := _external(address))), None)
    if service is None:
        return None
    evidence = _evidence(item, fetched) if fetched is not None else {"code": item.code, "url": url}
    return ItemCheck(
        **evidence,
        verdict=Verdict.NEEDS_PERSON,
        reason_th=f"ลิงก์นี้อยู่บน {service} ซึ่งเป็นบริการภายนอก ระบบตรวจอัตโนมัติอ่านเนื้อหาไม่ได้ และผู้ตรวจอาจเปิดไม่ได้"
        f" (ต้องเข้าสู่ระบบหรือได้รับสิทธิ์) ควรให้เจ้าหน้าที่เปิดตรวจเอง และตั้งค่าให้ทุกคนเปิดดูได้โดยไม่ต้องเข้าสู่ระบบ",
        reason_en=f"on {service}, an outside service: the checker cannot read it and a reviewer may not open it",
    )


def judge(
    item: Item,
    framework: Framework,
    fetched: FetchResult,
    document: Document | None,
    *,
    claimed_by: Mapping[str, str] | None = None,
    years: Iterable[int] | None = None,
) -> ItemCheck:
    """The verdict for one item. ``claimed_by`` maps other items' URLs to their codes: a page used for
    two items is the page of the other one. ``years`` are the document's years if already found
    (:class:`~prongsai.checker.reading.Reading`); otherwise they are found here."""
    if (outside := external(item, fetched.url, fetched)) is not None:
        return outside
    if fetched.outcome is Outcome.REFUSED:
        return ItemCheck(
            **_evidence(item, fetched), verdict=Verdict.REFUSED, reason_th=fetched.error_th, reason_en=fetched.error_en
        )
    if not fetched.ok:
        return ItemCheck(
            **_evidence(item, fetched),
            verdict=Verdict.BROKEN,
            reason_th=f"เปิดลิงก์ไม่ได้: {fetched.error_th}",
            reason_en=f"cannot open: {fetched.error_en}",
        )
    assert document is not None
    if document.needs_login:
        return ItemCheck(
            **_evidence(item, fetched, document),
            verdict=Verdict.NEEDS_PERSON,
            reason_th="หน้านี้ต้องเข้าสู่ระบบก่อน ผู้ตรวจอาจเปิดไม่ได้ ควรให้เจ้าหน้าที่ตรวจเอง",
            reason_en="behind a login: a reviewer may not open it",
        )
    if document.needs_javascript:
        return ItemCheck(
            **_evidence(item, fetched, document),
            verdict=Verdict.NEEDS_PERSON,
            reason_th="หน้าเว็บแสดงเนื้อหาด้วย JavaScript เท่านั้น ระบบอ่านไม่ได้ ควรให้เจ้าหน้าที่ตรวจเอง",
            reason_en="the page needs JavaScript to show its content",
        )
    if document.stopped_th:  # a cap or a bound of the reading worker: the file costs more than any real one
        return ItemCheck(
            **_evidence(item, fetched, document, extra={"unusable_reason": "stopped"}),
            verdict=Verdict.UNREADABLE,
            reason_th=f"ระบบหยุดอ่านเอกสารนี้: {document.stopped_th} ผู้ตรวจอาจเปิดไม่ได้เช่นกัน ควรเผยแพร่ไฟล์ปกติ",
            reason_en=f"reading stopped: {document.stopped_en}",
        )
    if document.unreadable or not document.text.strip():
        why_th, why_en = _UNUSABLE.get(document.unusable_reason, _UNUSABLE[""])
        return ItemCheck(
            **_evidence(item, fetched, document, extra={"unusable_reason": document.unusable_reason or "no_text"}),
            verdict=Verdict.UNREADABLE,
            reason_th=f"อ่านข้อความในเอกสารไม่ได้ ({why_th}) ผู้ตรวจอาจอ่านได้ยาก ควรเผยแพร่ไฟล์ที่มีข้อความ",
            reason_en=f"no readable text ({why_en})",
        )
    return _judge_text(item, framework, fetched, document, claimed_by or {}, years)


# Below this share of legible OCR lines a document is photographs or diagrams, not typed text (ocr.legible_share).
MIN_LEGIBLE_OCR = 0.6


def _judge_text(
    item: Item,
    framework: Framework,
    fetched: FetchResult,
    document: Document,
    claimed_by: Mapping[str, str],
    known_years: Iterable[int] | None,
) -> ItemCheck:
    text = f"{document.title}\n{document.text}"
    if document.text_source == "ocr" and legible_share(document.text) < MIN_LEGIBLE_OCR:
        return ItemCheck(
            **_evidence(item, fetched, document),
            verdict=Verdict.NEEDS_PERSON,
            reason_th="เอกสารเป็นภาพถ่ายหรือแผนภาพเป็นส่วนใหญ่ ระบบอ่านด้วย OCR ได้เพียงบางส่วน ควรให้เจ้าหน้าที่ตรวจเอง",
            reason_en="mostly photographs or diagrams: OCR read too little of it to judge",
        )
    match = match_item(text, item, head=head_of(text, document.headings))
    years = tuple(sorted(years_in(text) if known_years is None else set(known_years)))
    base = _evidence(item, fetched, document, score=round(match.score, 3), found_terms=match.found, years=years)
    other = claimed_by.get(fetched.final_url) or claimed_by.get(fetched.url)
    if other and other != item.code:
        return ItemCheck(
            **base,
            verdict=Verdict.WRONG_CONTENT,
            reason_th=f"ใช้ลิงก์เดียวกับข้อ {other} ผู้ตรวจจะถือว่าเป็นหน้าของข้ออื่น",
            reason_en=f"the same URL as item {other}",
        )
    if match.score < MATCH_THRESHOLD:
        # Scoring the page against every item is costly on a large page: only for the hint of a wrong page.
        best, best_score = best_item(text, framework.items)
        hint = f" ดูเหมือนเป็นหน้าของข้อ {best}" if best != item.code and best_score >= MATCH_THRESHOLD else ""
        missing_terms = ", ".join(match.missing[:4])
        return ItemCheck(
            **base,
            verdict=Verdict.WRONG_CONTENT,
            reason_th=f"ไม่พบสาระสำคัญของข้อ {item.code} {item.title_th} (ขาดคำว่า {missing_terms}){hint}",
            reason_en=f"the page does not show item {item.code}: missing {missing_terms}",
        )
    finding = identify(text, item, pages=document.pages)
    if finding is not None:
        return ItemCheck(**base, verdict=Verdict.WRONG_CONTENT, reason_th=finding.th, reason_en=finding.en)
    lapsed = _lapsed(text, item, framework.fiscal_year)
    if lapsed is not None:
        return ItemCheck(**base, verdict=Verdict.OUT_OF_DATE, reason_th=lapsed[0], reason_en=lapsed[1])
    covered = covers(text, item, framework.fiscal_year)
    if covered is False:
        wanted = {
            "current_year": framework.fiscal_year,
            "previous_year": framework.fiscal_year - 1,
            "half_year": framework.fiscal_year,
        }.get(item.coverage.value, framework.fiscal_year)
        seen = ", ".join(str(y) for y in years) or "ไม่พบปี"
        half = " รอบ 6 เดือน (1 ต.ค. – 31 มี.ค.)" if item.coverage.value == "half_year" else ""
        return ItemCheck(
            **base,
            verdict=Verdict.OUT_OF_DATE,
            reason_th=f"ข้อนี้ต้องเป็นข้อมูลปี {wanted}{half} แต่พบปี {seen}",
            reason_en=f"must cover {wanted}{' (half-year)' if half else ''}; found {seen}",
        )
    lacking = substance(text, item)
    if lacking is not None:
        return ItemCheck(**base, verdict=Verdict.WRONG_CONTENT, reason_th=lacking.th, reason_en=lacking.en)
    if document.text_source == "ocr":
        return _judge_ocr(base, item, framework.fiscal_year, fetched, text)
    return ItemCheck(
        **base,
        verdict=Verdict.OK,
        reason_th="พบเอกสารตรงตามข้อ ช่วงเวลาถูกต้อง",
        reason_en="found, matching the item and its period",
    )


def _judge_ocr(base: dict[str, Any], item: Item, fiscal_year: int, fetched: FetchResult, text: str) -> ItemCheck:
    """OK for a document read by OCR only when its year has a second signal: OCR misreads digits (๒๕๖๒ as
    ๒๕๒๒), so the year must be read twice in the text, or stand in the file's address too."""
    how = f"อ่านจากภาพของเอกสารด้วย OCR ความมั่นใจ {base.get('ocr_confidence') or 0:.0f}%"
    if item.coverage.value != "standing":
        wanted = fiscal_year - 1 if item.coverage.value == "previous_year" else fiscal_year
        mentions = normalise(text).count(str(wanted))
        in_address = str(wanted) in f"{fetched.url} {fetched.final_url}"
        if mentions < 2 and not in_address:
            return ItemCheck(
                **base,
                verdict=Verdict.NEEDS_PERSON,
                reason_th=f"เอกสารดูตรงตามข้อ แต่{how} และพบปี {wanted} เพียงแห่งเดียว ควรให้เจ้าหน้าที่ตรวจปีของเอกสาร",
                reason_en=f"matches, read by OCR; the year {wanted} was read only once: a person should confirm it",
            )
    return ItemCheck(
        **base,
        verdict=Verdict.OK,
        reason_th=f"พบเอกสารตรงตามข้อ ช่วงเวลาถูกต้อง ({how})",
        reason_en="found, matching the item and its period (read by OCR)",
    )


def _lapsed(text: str, item: Item, fiscal_year: int) -> tuple[str, str] | None:
    """(Thai, English) reasons when the document states its own span of years (a plan of 2557–2561) and the
    span does not hold the year the item needs; a standing item needs it still in force in the assessed year.
    Only for items whose document is a plan, policy or strategy (identity.IN_FORCE_ITEMS)."""
    if not item.title_th.startswith(IN_FORCE_ITEMS):
        return None
    span = stated_span(opening(text))
    if span is None:
        return None
    wanted = fiscal_year - 1 if item.coverage.value == "previous_year" else fiscal_year
    if wanted in span:
        return None
    first, last = span[0], span[-1]
    return (
        f"เอกสารระบุช่วงปี {first}–{last} ไม่ครอบคลุมปี {wanted} ที่ข้อนี้ต้องการ (ต้องมีผลใช้ในปีที่ประเมิน)",
        f"the document states the years {first}–{last}, which do not include {wanted}",
    )


def likely_oit(framework: Framework, checks: Sequence[ItemCheck]) -> OitScores:
    """The indicator 9 and 10 scores a reviewer would likely give: an item passes only when it is OK
    (:attr:`Verdict.passes`); an item the checks do not hold does not pass."""
    passing = {c.code: c.verdict.passes for c in checks}
    return oit_scores(framework, {i.code: passing.get(i.code, False) for i in framework.items})

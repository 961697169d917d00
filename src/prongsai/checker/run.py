"""Check every OIT item of a year: from a map of URLs, from the site's ITA page, or by crawling the site."""

from __future__ import annotations

import asyncio
import datetime as dt
import html
import json
import mimetypes
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from prongsai._table import Sheet, xlsx_bytes
from prongsai.checker.boilerplate import SiteText
from prongsai.checker.extraction import Kind
from prongsai.checker.fetch import Fetcher, FetchPolicy, FetchResult
from prongsai.checker.find import MIN_ITEMS, CrawlLimits, Proposal, crawl, propose, year_link
from prongsai.checker.lists import ItemList, detect_list, other_list_check
from prongsai.checker.reading import Reader, Reading, default_processes
from prongsai.checker.report import CheckReport
from prongsai.checker.verdict import ItemCheck, Verdict, external, judge, likely_oit, missing
from prongsai.errors import InputError, ProngsaiError
from prongsai.framework import Framework, Item
from prongsai.scoring import OitScores

__all__ = ["SiteCheck", "check_site", "load_url_map", "report_html", "report_json", "report_xlsx"]

Progress = Callable[[str], None]
VERDICT_TH = {
    Verdict.OK: "ผ่าน",
    Verdict.MISSING: "ไม่มี",
    Verdict.BROKEN: "ลิงก์เสีย",
    Verdict.WRONG_CONTENT: "เนื้อหาไม่ตรง",
    Verdict.OUT_OF_DATE: "ไม่เป็นปัจจุบัน",
    Verdict.UNREADABLE: "อ่านไม่ได้",
    Verdict.NEEDS_PERSON: "ต้องให้คนตรวจ",
    Verdict.REFUSED: "ไม่เข้าถึง (ความปลอดภัย)",
}


@dataclass(frozen=True)
class SiteCheck:
    framework: Framework
    checks: tuple[ItemCheck, ...]
    proposals: Mapping[str, Proposal]
    ita_page: str
    started: str
    finished: str
    ita_note_th: str = ""  # why no ITA page was found, or why the page given may not be one
    ita_note_en: str = ""
    item_list: ItemList | None = None  # the other list the site's ITA page follows, if not the NACC's
    likely: OitScores = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "likely", likely_oit(self.framework, self.checks))


def load_url_map(path: Path, framework: Framework) -> dict[str, list[str]]:
    """Item → URLs from YAML ({O1: url or [urls]}), JSON, or CSV/XLSX with columns item/ข้อ and url/URL."""
    source = str(path)
    if not path.exists():
        raise InputError(source, "ไม่พบไฟล์ (file not found)")
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml", ".json"):
        from prongsai.inputfiles import read_yaml_mapping  # Thai errors with the line, and bounded, for every YAML

        raw = read_yaml_mapping(path)
        pairs = [(str(k), v if isinstance(v, list) else [v]) for k, v in raw.items()]
    else:
        from prongsai.results import read_table

        rows = read_table(path)
        header = [h.strip().lower() for h in rows[0]] if rows else []
        item_col = next((k for k, h in enumerate(header) if h in ("item", "ข้อ", "code")), None)
        url_col = next((k for k, h in enumerate(header) if h in ("url", "urls")), None)
        if item_col is None or url_col is None:
            raise InputError(source, "หัวตารางต้องมี item และ url (header needs item and url)", row=1)
        pairs = [(r[item_col], r[url_col].split()) for r in rows[1:] if len(r) > max(item_col, url_col) and r[item_col]]
    from prongsai.results import unknown_item_message

    urls: dict[str, list[str]] = {}
    for key, values in pairs:
        item = framework.find_item(key)
        if item is None:
            raise InputError(source, unknown_item_message(framework, key), field=key)
        urls[item.code] = [str(v).strip() for v in values if v and str(v).strip()]
    return urls


@dataclass(frozen=True)
class _Read:
    """One link of an item, fetched and read (or left to a person: ``outside``)."""

    outside: ItemCheck | None
    fetched: FetchResult | None = None
    reading: Reading | None = None


async def _read_item(fetcher: Fetcher, reader: Reader, item: Item, urls: Sequence[str]) -> list[_Read]:
    reads = []
    for url in urls[:3]:  # an item may list several links; the best one counts, as for a reviewer
        if (outside := external(item, url)) is not None:
            reads.append(_Read(outside))  # whether it loads here or not, a person must open it
            continue
        fetched = await fetcher.get(url)
        reading = (
            await reader.read(fetched.body, fetched.content_type, fetched.final_url, years=True) if fetched.ok else None
        )
        reads.append(_Read(None, fetched, reading))
    return reads


def _judge_item(
    item: Item,
    framework: Framework,
    reads: Sequence[_Read],
    claimed_by: Mapping[str, str],
    evidence: Path | None,
    site: SiteText,
) -> ItemCheck:
    if not reads:
        return missing(item)
    results = []
    for read in reads:
        if read.outside is not None or read.fetched is None:
            results.append(read.outside or missing(item))
            continue
        fetched, reading = read.fetched, read.reading
        document = site.content(fetched.final_url, reading.document) if reading is not None else None
        # Years found in the worker are those of the whole page; without the site's menus, find them again.
        years = reading.years if reading is not None and document is reading.document else None
        check = judge(item, framework, fetched, document, claimed_by=claimed_by, years=years)
        results.append(_with_snapshot(check, fetched, document, evidence))
        if check.verdict is Verdict.OK:
            break
    order = list(Verdict)
    return min(results, key=lambda c: 0 if c.verdict is Verdict.OK else 1 + order.index(c.verdict))


def _with_snapshot(check: ItemCheck, fetched: FetchResult, document: Any, evidence: Path | None) -> ItemCheck:
    """Keep what was fetched, named by its hash, so the agency can prove what its page showed that day."""
    if evidence is None or not fetched.body:
        return check
    evidence.mkdir(parents=True, exist_ok=True)
    kind = getattr(document, "kind", Kind.OTHER)
    suffix = {Kind.HTML: ".html", Kind.PDF: ".pdf", Kind.DOCX: ".docx", Kind.XLSX: ".xlsx"}.get(kind) or (
        mimetypes.guess_extension(fetched.content_type or "") or ".bin"
    )
    path = evidence / f"{fetched.sha256}{suffix}"
    if not path.exists():
        path.write_bytes(fetched.body)
    return replace(check, snapshot=str(path))


def _claims(urls: Mapping[str, Sequence[str]]) -> dict[str, str]:
    """A URL given for several items belongs to the first of them; the others get 'wrong content'."""
    claims: dict[str, str] = {}
    for code, links in urls.items():
        for link in links:
            claims.setdefault(link, code)
    return claims


async def check_site(
    framework: Framework,
    *,
    urls: Mapping[str, Sequence[str]] | None = None,
    ita_page: str | None = None,
    home: str | None = None,
    policy: FetchPolicy | None = None,
    evidence: Path | None = None,
    limits: CrawlLimits | None = None,
    progress: Progress | None = None,
    on_item: Callable[[ItemCheck], None] | None = None,
    processes: int | None = None,
) -> SiteCheck:
    """Check every item. Give ``urls`` (the register), or the ``ita_page`` to read them from, or the ``home``
    page to crawl for it. ``progress`` gets lines for people; ``on_item`` gets each finished item.

    Pages and files are read in ``processes`` worker processes (0: in this process). By default a crawl from
    ``home`` uses one per core and the item list alone none (:func:`~prongsai.checker.reading.default_processes`).
    The verdicts do not depend on it."""
    started = dt.datetime.now(dt.UTC).isoformat()
    tick = progress or (lambda _message: None)
    proposals: dict[str, Proposal] = {}
    found_page = note_th = note_en = ""
    item_list: ItemList | None = None
    crawling = urls is None and not ita_page and bool(home)
    workers = default_processes(crawl=crawling) if processes is None else processes
    # The reader first: its pool forks before the fetcher's connections and threads exist.
    async with Reader(workers) as reader, Fetcher(policy or FetchPolicy()) as fetcher:
        if urls is None and ita_page:
            page = await fetcher.get(ita_page)
            if not page.ok:  # say why, rather than reporting every item missing
                raise ProngsaiError(f"{ita_page}: {page.error_th} ({page.error_en})")
            document = (await reader.read(page.body, page.content_type, page.final_url)).document
            found_page = ita_page
            if (year_page := year_link(document, framework)) is not None:
                # An index of the years' ITA pages (ITA 2564, ITA 2565 …): the year checked is the one to read.
                opened = await fetcher.get(year_page)
                if opened.ok:
                    document = (await reader.read(opened.body, opened.content_type, opened.final_url)).document
                    found_page = opened.final_url
                    tick(f"หน้า ITA ของปี {framework.fiscal_year}: {found_page}")
            item_list = detect_list(document, framework, _other_frameworks(framework))
            proposals = propose(document.links, framework.items, labels=item_list is None)
            if len(proposals) < MIN_ITEMS:
                note_th, note_en = (
                    f"หน้าที่ให้มา ({found_page}) มีลิงก์ที่ระบุข้อ OIT ด้วยรหัส (เช่น O1) หรือชื่อข้อเพียง {len(proposals)} ข้อ"
                    f" จึงอาจไม่ใช่หน้า ITA ตรวจว่าเป็นหน้า ITA ของปี {framework.fiscal_year} หรือระบุ URL ของแต่ละข้อในทะเบียน",
                    f"the page given ({found_page}) links only {len(proposals)} OIT items by code or title:"
                    " it may not be the ITA page",
                )
                tick(note_th)
        elif urls is None and home:
            found = await crawl(fetcher, home, framework, limits or CrawlLimits(), tick, reader=reader)
            found_page, (note_th, note_en) = found.page, found.not_found()
            proposals = found.proposals
            if found.document is not None:
                item_list = detect_list(found.document, framework, _other_frameworks(framework))
                if item_list is not None:  # its numbers are another list's: only titles say which item
                    proposals = propose(found.document.links, framework.items, labels=False)
            tick(note_th or f"หน้า ITA: {found_page}")
        if item_list is not None:
            tick(item_list.note_th)
        mapping = dict(urls) if urls is not None else {code: [p.url] for code, p in proposals.items()}
        claimed_by = _claims(mapping)
        by_list = item_list is not None and urls is None
        # Every item's links are read before any is judged, so that a line the site repeats on many of its
        # pages (a menu no markup names) is known as the site's, not a page's (boilerplate.py).
        reads = await asyncio.gather(
            *(
                _read_item(fetcher, reader, item, [] if by_list else mapping.get(item.code, []))
                for item in framework.items
            )
        )
        site = SiteText.of(
            (read.fetched.final_url, read.reading.document)
            for item_reads in reads
            for read in item_reads
            if read.fetched is not None and read.reading is not None
        )

        async def one(item: Item, item_reads: list[_Read]) -> ItemCheck:
            others = {u: c for u, c in claimed_by.items() if c != item.code}
            if item_list is not None and urls is None:
                check = other_list_check(item, framework, item_list, proposals.get(item.code))
            else:
                check = _judge_item(item, framework, item_reads, others, evidence, site)
            tick(f"{item.code} {check.verdict.value}")
            if on_item is not None:
                on_item(check)
            return check

        checks = await asyncio.gather(
            *(one(item, item_reads) for item, item_reads in zip(framework.items, reads, strict=True))
        )
    finished = dt.datetime.now(dt.UTC).isoformat()
    return SiteCheck(framework, tuple(checks), proposals, found_page, started, finished, note_th, note_en, item_list)


def _other_frameworks(framework: Framework) -> Iterator[Framework]:
    """The NACC lists of the other years, loaded when asked for: a page of an older NACC list is not another list."""
    from prongsai.frameworks import available_years, get_framework

    return (get_framework(year) for year in available_years() if year != framework.fiscal_year)


# --- reports -----------------------------------------------------------------------------------


def report_json(site: SiteCheck) -> dict[str, Any]:
    """The run's report as JSON (docs/checker.md): :class:`~prongsai.checker.report.CheckReport`'s."""
    return CheckReport.of(site).to_json()


def _rows(site: SiteCheck) -> list[list[str]]:
    titles = {i.code: i.title_th for i in site.framework.items}
    return [
        [
            c.code,
            titles[c.code],
            VERDICT_TH[c.verdict],
            c.verdict.value,
            c.reason_th,
            c.final_url or c.url,
            "" if c.status is None else str(c.status),
            c.sha256[:16],
            c.fetched_at,
        ]
        for c in site.checks
    ]


HEADERS = ["ข้อ", "หัวข้อ", "ผล", "verdict", "เหตุผล", "URL", "HTTP", "SHA-256", "เวลาที่ตรวจ (UTC)"]


def report_xlsx(site: SiteCheck) -> bytes:
    # a site's own text (titles, URLs) never runs as a formula: xlsx_bytes passes every cell through spreadsheet_cell
    return xlsx_bytes(
        Sheet(
            f"OIT {site.framework.fiscal_year}",
            HEADERS,
            _rows(site),
            widths=(6, 40, 14, 14, 60, 45, 7, 18, 26),
            wrap=True,
        )
    )


def report_html(site: SiteCheck) -> str:
    """A self-contained Thai page (no scripts, no external files) to keep or send with the evidence."""
    likely = site.likely.indicators
    rows = "".join(
        "<tr class='{}'>{}</tr>".format(row[3], "".join(f"<td>{html.escape(v)}</td>" for v in row[:3] + row[4:7]))
        for row in _rows(site)
    )
    head = "".join(f"<th>{html.escape(h)}</th>" for h in HEADERS[:3] + HEADERS[4:7])
    year = site.framework.fiscal_year
    return f"""<!doctype html><html lang="th"><meta charset="utf-8"><title>ผลตรวจ OIT {year}</title>
<style>
body{{font:15px/1.6 "Sarabun","Noto Sans Thai",sans-serif;margin:1.5rem}} table{{border-collapse:collapse;width:100%}}
td,th{{border:1px solid #ccc;padding:.3rem .5rem;vertical-align:top;text-align:left}}
tr.ok td:nth-child(3){{color:#067647}} tr:not(.ok) td:nth-child(3){{color:#b42318;font-weight:600}}
</style>
<h1>ผลตรวจการเปิดเผยข้อมูลสาธารณะ (OIT) ปีงบประมาณ {site.framework.fiscal_year}</h1>
<p>คะแนนที่ผู้ตรวจน่าจะให้: ตัวชี้วัดที่ 9 {likely[9]:.2f} · ตัวชี้วัดที่ 10 {likely[10]:.2f}
{f"· หน้า ITA: {html.escape(site.ita_page)}" if site.ita_page else ""}</p>
{_notes_html(site)}
<p>ตรวจเมื่อ {html.escape(site.started)} – {html.escape(site.finished)} (UTC)</p>
<table><tr>{head}</tr>{rows}</table></html>"""


def _notes_html(site: SiteCheck) -> str:
    """What a person must know before reading the rows: no ITA page found, or another item list followed."""
    notes = [site.ita_note_th] if site.ita_note_th else []
    if site.item_list is not None:
        notes.append(site.item_list.note_th)
    return "".join(f"<p class='note'><strong>{html.escape(note)}</strong></p>" for note in notes)


def dump_json(site: SiteCheck) -> str:
    return json.dumps(report_json(site), ensure_ascii=False, indent=2)

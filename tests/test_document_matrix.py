"""The document test matrix (issue 14, "Done when"): drafted plans for many agencies and results, every
document made, and each checked the way an officer or a reviewer reads it.

Cases: every result year 2563–2569 (so every framework year 2563–2570 is a result's or a plan's year), each
with a result failing one indicator alone (each of the 10), one failing many, one passing everything and one
failing everything; the agency rotates through an อบต., a เทศบาลตำบล and a กรม. Each data file holds only
the result, so the core drafts the plan (documents.data). Every case makes the measures document, both
progress reports and the ITAS sheet as DOCX (read back with python-docx); a representative subset (one case
per year, plus the example plan with its updates) is also made as PDF in one LibreOffice call.

The checks are written for any agency and year. They are meant to fail while a document is wrong: nothing
here is skipped or expected to fail to hide it.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import docx
import pytest
import yaml
from docx.document import Document as DocumentObject
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from pythainlp.corpus import thai_words
from pythainlp.tokenize import word_tokenize
from pythainlp.util import Trie

from prongsai.documents import DocumentData, load_document_data, make_docx
from prongsai.documents.pdf import Converter
from prongsai.documents.typeset import LONG_TERM, OFFICIAL_TERMS, plain
from prongsai.drafting import load_rules
from prongsai.framework import Framework
from prongsai.frameworks import available_years, get_framework
from prongsai.thai import to_arabic_digits, to_thai_digits

EXAMPLES = Path(__file__).parents[1] / "examples"
RESULT_YEARS = tuple(range(2563, 2570))  # their plans are for 2564–2570
AGENCIES = (
    {"name": "องค์การบริหารส่วนตำบลหนองหญ้าปล้อง", "district": "หนองหญ้าปล้อง", "province": "เพชรบุรี"},
    {"name": "เทศบาลตำบลบ้านดอน", "district": "อู่ทอง", "province": "สุพรรณบุรี"},
    {"name": "กรมส่งเสริมสหกรณ์"},
)
KINDS = ("measures", "progress-half", "progress-annual", "itas")
needs_pdf_tools = pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="LibreOffice and poppler-utils are installed by .ci/run",
)


# --- the cases ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    name: str
    year: int  # the result's fiscal year; the plan is for the next
    failing: tuple[int, ...]  # indicators below the pass mark
    agency: int  # index into AGENCIES
    oit_items: bool  # the result gives OIT item answers (then indicators 9–10 come from them)

    @property
    def plan_year(self) -> int:
        return self.year + 1


def _cases() -> list[Case]:
    cases = []
    shapes: list[tuple[str, tuple[int, ...]]] = [(f"fail{n}", (n,)) for n in range(1, 11)]
    shapes += [("fail-many", (2, 4, 5, 7, 9, 10)), ("pass", ()), ("fail-all", tuple(range(1, 11)))]
    for year in RESULT_YEARS:
        for shape, failing in shapes:
            number = len(cases)
            cases.append(
                Case(f"{year}-{shape}", year, failing, number % len(AGENCIES), bool(number % 2) or 9 in failing)
            )
    return cases


CASES = _cases()
# One PDF case per year, so the subset sees every year, OIT and survey failures, a pass, a fail, and (the
# agency rotating through the cases) every kind of agency.
PDF_SHAPES = ("fail9", "pass", "fail3", "fail-many", "fail10", "fail-all", "fail6")
PDF_CASES = [
    next(c for c in CASES if c.name == f"{year}-{shape}") for year, shape in zip(RESULT_YEARS, PDF_SHAPES, strict=True)
]


def _scores(case: Case, framework: Framework) -> dict[int, float]:
    """Passing indicators a little above the mark and failing ones well below, each a different value."""
    mark = framework.pass_mark
    return {
        n: round((mark - 12.5 - 1.37 * n) if n in case.failing else min(100.0, mark + 4.25 + 0.61 * n), 2)
        for n in range(1, 11)
    }


def _oit_answers(case: Case, framework: Framework) -> dict[str, str]:
    """Every item มี, except every third item of each sub-indicator of a failing OIT indicator."""
    answers = {}
    for sub in framework.oit.sub_indicators:
        for k, item in enumerate(sub.items):
            missing = sub.indicator in case.failing and k % 3 == 0
            answers[item.code] = "ไม่มี" if missing else "มี"
    return answers


def _data_file(case: Case, folder: Path) -> Path:
    framework = get_framework(case.year)
    scores = _scores(case, framework)
    raw: dict[str, object] = {"fiscal_year": case.year, "agency": AGENCIES[case.agency]}
    if case.oit_items:
        raw["indicators"] = {n: s for n, s in scores.items() if n <= 8}
        raw["oit_items"] = _oit_answers(case, framework)
    else:
        raw["indicators"] = scores
    path = folder / f"{case.name}.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


class Made:
    """One case's data and documents; each DOCX is parsed once and shared by every check."""

    def __init__(self, data: DocumentData, made: dict[str, bytes]) -> None:
        self.data, self.docx = data, made
        self._open: dict[str, DocumentObject] = {}
        self._texts: dict[str, list[str]] = {}

    def __repr__(self) -> str:  # a failing check prints the case, not megabytes of DOCX
        return f"<Made {self.data.the_agency.name if self.data.the_agency else ''} FY{self.data.fiscal_year}>"

    def open(self, kind: str) -> DocumentObject:
        if kind not in self._open:
            self._open[kind] = docx.Document(io.BytesIO(self.docx[kind]))
        return self._open[kind]

    def texts(self, kind: str) -> list[str]:
        if kind not in self._texts:
            self._texts[kind] = paragraphs(self.open(kind))
        return self._texts[kind]


def _sign_dates(plan_year: int) -> dict[str, dt.date]:
    year = plan_year - 543  # the C.E. year in which the plan's fiscal year ends
    return {
        "measures": dt.date(year, 1, 15),
        "progress-half": dt.date(year, 3, 31),
        "progress-annual": dt.date(year, 9, 30),
        "itas": dt.date(year, 1, 15),
    }


def _make(data: DocumentData) -> Made:
    on = _sign_dates(data.fiscal_year)
    return Made(
        data,
        {
            "measures": make_docx("measures", data, on=on["measures"]),
            "progress-half": make_docx("progress", data, on=on["progress-half"]),
            "progress-annual": make_docx("progress", data, annual=True, on=on["progress-annual"]),
            "itas": make_docx("itas", data),
        },
    )


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("matrix")


@pytest.fixture(scope="module")
def made(folder: Path) -> Iterator[dict[str, Made]]:
    """Each case's documents, made on first use and kept for the module, so every check of a case shares them."""

    class Lazy(dict[str, Made]):
        def __missing__(self, name: str) -> Made:
            if name == "example":
                data = load_document_data(EXAMPLES / "songkhanong-2565-plan.yaml")
            else:
                data = load_document_data(_data_file(next(c for c in CASES if c.name == name), folder))
            self[name] = _make(data)
            return self[name]

    cache = Lazy()
    yield cache
    cache.clear()


NAMES = [c.name for c in CASES] + ["example"]
PDF_NAMES = [c.name for c in PDF_CASES] + ["example"]


# --- reading a DOCX back ------------------------------------------------------------------------------


def clean(text: str) -> str:
    """The text a reader sees and searches (typeset.plain: word joiners dropped, no-break spaces as spaces)."""
    return plain(text).replace("\u00ad", "").replace("\ufeff", "")


def paragraphs(document: DocumentObject) -> list[str]:
    """Every paragraph of the body, its tables' cells included (a merged cell once), in document order."""
    return [clean(Paragraph(p, document).text) for p in document.element.body.iter(qn("w:p"))]


def table_with(document: DocumentObject, header: str) -> Table | None:
    for table in document.tables:
        if table.rows and any(header in clean(c.text) for c in table.rows[0].cells):
            return table
    return None


def section(document: DocumentObject, start: str, end: str | None) -> list[str]:
    """The body paragraphs from the heading beginning with ``start`` up to the heading beginning with ``end``."""
    texts = [clean(p.text) for p in document.paragraphs]
    heads = [k for k, p in enumerate(document.paragraphs) if (p.style.name or "").startswith("Heading")]
    first = next(k for k in heads if texts[k].startswith(start))
    last = next((k for k in heads if end and k > first and texts[k].startswith(end)), len(texts))
    return texts[first + 1 : last]


def number(text: str) -> float:
    return float(to_arabic_digits(text).replace(",", "").rstrip("%").strip())


def _fiscal(year: int) -> Framework | None:
    return get_framework(year) if year in available_years() else None


# --- checks on every DOCX -----------------------------------------------------------------------------

LIST_NUMBER = re.compile(r"^[(]?[0-9๐-๙]+[).]\s")


@pytest.mark.parametrize("name", NAMES)
def test_one_responsibility_clause_per_recommendation(made: dict[str, Made], name: str) -> None:
    """Part 2 of the measures document: each recommendation paragraph names its responsible unit once."""
    case = made[name]
    part2 = section(case.open("measures"), "๒.", "๓.")
    numbered = [t for t in part2 if LIST_NUMBER.match(t)]
    assert len(numbered) == len(case.data.recommendations), (len(case.data.recommendations), numbered)
    twice = [t for t in part2 if t.count("ผู้รับผิดชอบ") > 1]
    missing = [t for t in numbered if t.count("เป็นผู้รับผิดชอบ") != 1]
    assert not twice and not missing, twice + missing


def _names_of(framework: Framework, indicator: int) -> set[str]:
    """What names an indicator in a measure: its name (and spellings), its sub-indicators', its items' codes
    and titles, and (survey indicators) its questions' summaries."""
    names = set(framework.indicator(indicator).names())
    for sub in framework.sub_indicators_of(indicator) if indicator >= 9 else ():
        names.add(sub.name_th)
        for item in sub.items:
            names |= {item.code, item.title_th}
    tool = framework.indicator(indicator).tool
    if tool != "OIT":
        names |= {q.summary_th for q in framework.questions_of(tool) if q.indicator == indicator}
    return {n for n in names if n}


# The drafted plans only: the example is the seed's own hand-written plan, whose three general measures the
# product rightly leaves as the agency wrote them.
@pytest.mark.parametrize("name", [n for n in NAMES if n != "example"])
def test_a_measure_row_for_every_failing_indicator(made: dict[str, Made], name: str) -> None:
    case = made[name]
    results = case.data.require_results()
    score = results.score()
    mark = score.framework.pass_mark
    table = table_with(case.open("measures"), "มาตรการ")
    assert table is not None, "no measures table"
    rows = [to_arabic_digits(clean(" ".join(c.text for c in row.cells))) for row in table.rows[1:]]
    plan = _fiscal(case.data.fiscal_year)
    unnamed = []
    for indicator in score.indicators:
        if indicator.score >= mark:
            continue
        names = _names_of(score.framework, indicator.indicator.number)
        if plan is not None:
            names |= _names_of(plan, indicator.indicator.number)
        if not any(n in row for row in rows for n in names):
            unnamed.append(f"{indicator.indicator.number} {indicator.label_th} ({indicator.score:.2f})")
    assert not unnamed, f"no measure row names: {unnamed}"


CODE = re.compile(r"(?<![A-Za-z])O\s?([0-9]+)")


def _codes_outside_plan_year(texts: list[str], plan: Framework) -> list[str]:
    known = {item.code for item in plan.items}
    found = {f"O{m.group(1)}" for t in texts for m in CODE.finditer(to_arabic_digits(t))}
    return sorted(found - known, key=lambda c: int(c[1:]))


@pytest.mark.parametrize("name", NAMES)
def test_only_the_plan_years_item_codes(made: dict[str, Made], name: str) -> None:
    """The recommendations, measures, progress reports and ITAS sheet (the round being prepared) name only
    items the plan year has; part 1 analyses the result's year and may name that year's items."""
    case = made[name]
    plan = _fiscal(case.data.fiscal_year)
    assert plan is not None
    measures = case.open("measures")
    table = table_with(measures, "มาตรการ")
    plan_texts = section(measures, "๒.", None) + (
        [clean(c.text) for row in table.rows for c in row.cells] if table is not None else []
    )
    wrong = {
        "measures": _codes_outside_plan_year(plan_texts, plan),
        **{kind: _codes_outside_plan_year(case.texts(kind), plan) for kind in KINDS[1:]},
    }
    assert not any(wrong.values()), {k: v for k, v in wrong.items() if v}


YEAR = re.compile(r"(?:พ\.ศ\.|ปี|ปีงบประมาณ)\s?(25[0-9]{2})")
# A law or rule is named with the year it was enacted (พระราชบัญญัติคุ้มครองข้อมูลส่วนบุคคล พ.ศ. ๒๕๖๒): not a period.
LAW = re.compile(r"(?:พระราชบัญญัติ|พ\.ร\.บ\.|พระราชกฤษฎีกา|ระเบียบ|กฎกระทรวง|ประมวล)[^\n]{0,80}?พ\.ศ\.\s?25[0-9]{2}")


@pytest.mark.parametrize("name", NAMES)
def test_every_year_named_in_the_plan_is_its_own_or_the_one_before(made: dict[str, Made], name: str) -> None:
    """Parts 2 and 3 and the progress reports speak of the plan's year (its items, its periods) and of the year
    before (the reports of a finished year): a FY2569 plan asks for the FY2568 annual report, never 2567's.
    The annual report may also look ahead to the next year."""
    case = made[name]
    allowed = {case.data.fiscal_year, case.data.fiscal_year - 1}
    ahead = {"progress-annual": {case.data.fiscal_year + 1}}
    measures = case.open("measures")
    table = table_with(measures, "มาตรการ")
    texts = {
        "measures": section(measures, "๒.", None)
        + ([clean(c.text) for row in table.rows for c in row.cells] if table is not None else []),
        **{kind: case.texts(kind) for kind in ("progress-half", "progress-annual")},
    }
    named = {
        kind: {int(y) for t in found for y in YEAR.findall(LAW.sub("", to_arabic_digits(t)))}
        for kind, found in texts.items()
    }
    wrong = {kind: sorted(years - allowed - ahead.get(kind, set())) for kind, years in named.items()}
    assert not any(wrong.values()), {k: v for k, v in wrong.items() if v}


@pytest.mark.parametrize("name", NAMES)
def test_the_itas_sheet_is_the_round_being_prepared(made: dict[str, Made], name: str) -> None:
    """Every item of the plan year, in its order, and the agency's name."""
    case = made[name]
    plan = _fiscal(case.data.fiscal_year)
    assert plan is not None
    table = table_with(case.open("itas"), "หัวข้อ")
    assert table is not None, "no item table"
    codes = [to_arabic_digits(clean(row.cells[0].text)).strip() for row in table.rows[1:]]
    assert codes == [item.code for item in plan.items], codes
    agency = case.data.the_agency
    assert agency is not None and any(agency.name in t for t in case.texts("itas"))


@pytest.mark.parametrize("name", NAMES)
def test_no_double_spaces(made: dict[str, Made], name: str) -> None:
    bad = {kind: [t for t in made[name].texts(kind) if "  " in t or (t != t.strip() and t.strip())] for kind in KINDS}
    assert not any(bad.values()), {k: v for k, v in bad.items() if v}


@pytest.mark.parametrize("name", NAMES)
def test_the_result_box_has_no_empty_line(made: dict[str, Made], name: str) -> None:
    """The score box holds the total, the grade or rating words, and pass/fail — no empty line between."""
    case = made[name]
    table = table_with(case.open("measures"), "คะแนน")
    assert table is not None and len(table.rows) >= 2
    lines = [clean(p.text).strip() for p in table.rows[1].cells[0].paragraphs]
    assert all(lines), lines
    score = case.data.require_results().score()
    words = score.rating.label_th if score.rating is not None else score.grade
    assert words and any(words in line for line in lines), lines


N = r"[^0-9๐-๙]{0,30}?([0-9๐-๙]+)\s*มาตรการ"  # a category's words, then its count: "ไม่แล้วเสร็จตามกำหนด ๒ มาตรการ"
SUMMARY_COUNTS = {
    "total": re.compile(r"ทั้งหมด" + N),
    "done": re.compile(r"(?<!ไม่)แล้วเสร็จ" + N),
    "in_progress": re.compile(r"(?:อยู่ระหว่าง|กำลัง)ดำเนินการ" + N),
    "not_started": re.compile(r"(?:ยังไม่เริ่ม|ยังไม่ได้ดำเนินการ)" + N),
    "not_completed": re.compile(r"ไม่แล้วเสร็จ" + N),
    "not_due": re.compile(r"ยังไม่ถึงกำหนด" + N),
}
PROGRESS_HEADERS = ("ความคืบหน้า", "ผลสำเร็จ", "ร้อยละ")
AVERAGE = re.compile(r"เฉลี่ย(?:ร้อยละ)?\s*([0-9๐-๙]+(?:\.[0-9๐-๙]+)?)")


def _row_state(texts: list[str], progress: float) -> str:
    """A row's state from its own words where it states one, else from its progress."""
    joined = " ".join(texts)
    if "ไม่แล้วเสร็จ" in joined:
        return "not_completed"
    if "ยังไม่ถึงกำหนด" in joined:
        return "not_due"
    if progress >= 100:
        return "done"
    return "in_progress" if progress > 0 else "not_started"


@pytest.mark.parametrize("kind", ["progress-half", "progress-annual"])
@pytest.mark.parametrize("name", NAMES)
def test_each_progress_reports_summary_equals_its_rows(made: dict[str, Made], name: str, kind: str) -> None:
    document = made[name].open(kind)
    table = next(
        (t for t in document.tables if any(w in clean(c.text) for c in t.rows[0].cells for w in PROGRESS_HEADERS)),
        None,
    )
    assert table is not None, "no progress table"
    header = [clean(c.text) for c in table.rows[0].cells]
    column = next(k for k, h in enumerate(header) if any(w in h for w in PROGRESS_HEADERS))
    states, progress = [], []
    for row in table.rows[1:]:
        cells = [clean(c.text) for c in row.cells]
        value = number(re.findall(r"[0-9๐-๙]+(?:\.[0-9๐-๙]+)?", cells[column])[0])
        progress.append(value)
        states.append(_row_state(cells, value))
    summary = " ".join(section(document, "สรุปผล", None))
    said = {key: int(number(m.group(1))) for key, rx in SUMMARY_COUNTS.items() if (m := rx.search(summary))}
    assert "total" in said, summary
    counted = {"total": len(states)} | {key: states.count(key) for key in SUMMARY_COUNTS if key != "total"}
    wrong = {key: (value, counted[key]) for key, value in said.items() if value != counted[key]}
    assert not wrong, f"summary {summary!r}: stated vs rows {wrong}"
    average = AVERAGE.search(summary)
    if average and progress:
        assert abs(number(average.group(1)) - sum(progress) / len(progress)) < 0.01, summary


# --- the PDFs -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pdf:
    path: Path
    pages: list[str]  # pdftotext -raw of each page


@pytest.fixture(scope="module")
def pdfs(made: dict[str, Made], folder: Path) -> Iterator[dict[tuple[str, str], Pdf]]:
    """The PDF subset, made in one soffice call (LibreOffice is the slow part of the matrix)."""
    if shutil.which("soffice") is None or shutil.which("pdftotext") is None:
        yield {}
        return
    sources, keys = [], []
    for name in PDF_NAMES:
        for kind, data in made[name].docx.items():
            path = folder / "docx" / f"{name}-{kind}.docx"
            path.parent.mkdir(exist_ok=True)
            path.write_bytes(data)
            sources.append(path)
            keys.append((name, kind))
    converter = Converter(folder / "lo")
    try:
        out = converter.to_pdfs(sources, folder / "pdf")
    finally:
        converter.close()
    yield {key: Pdf(path, _pages(path)) for key, path in zip(keys, out, strict=True)}


def _pages(path: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [clean(page) for page in text.split("\f")[:-1]]


PDF_KEYS = [(name, kind) for name in PDF_NAMES for kind in KINDS]
PAGE_LINE = re.compile(r"^[\s\-–—]*([0-9๐-๙ก-ฮ]{1,3})[\s\-–—]*$")


@needs_pdf_tools
@pytest.mark.parametrize(("name", "kind"), PDF_KEYS)
def test_pdf_page_numbers_are_thai_digits(pdfs: dict[tuple[str, str], Pdf], name: str, kind: str) -> None:
    """From page 2 on, each page shows its number in Thai digits (never Thai letters, "- ข -")."""
    pages = pdfs[(name, kind)].pages
    wrong = []
    for k, page in enumerate(pages[1:], start=2):
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        marks = [m.group(1) for line in lines[:3] + lines[-3:] if (m := PAGE_LINE.match(line))]
        if to_thai_digits(str(k)) not in marks:
            wrong.append(f"page {k}: {marks or lines[:1]}")
    assert not wrong, wrong


THAI_MARKS = "\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4d\u0e4e"
NUMBERISH = re.compile(
    r"พ\.ศ\.\s?[0-9๐-๙]+"  # พ.ศ. ๒๕๖๕
    r"|(?<![A-Za-z])O\s?[0-9๐-๙]+"  # item codes
    r"|\(?[0-9๐-๙]+(?:[.,:/][0-9๐-๙]+)*\)?%?"  # numbers, (๘๒.๐๐), ๖๐%
    r"|[A-Za-z]+(?:[ -][A-Za-z]+)*"  # English terms: No Gift Policy, Social Network
)


URL = re.compile(r"(?:https?://|www\.)\S+")


def _terms(data: DocumentData) -> set[str]:
    """The words a line must never break inside: the typesetter's official terms (typeset.OFFICIAL_TERMS), the
    agency's name, the units, the names of the indicators of the result's and the plan's year."""
    terms = set(OFFICIAL_TERMS)
    agency = data.the_agency
    if agency is not None:
        terms |= {agency.name, agency.district, agency.province} - {""}
    rules = load_rules()
    terms |= (
        {u.short_th for u in rules.units} | {r.unit for r in data.recommendations} | {m.unit for m in data.measures}
    )
    for year in {data.require_results().fiscal_year, data.fiscal_year}:
        framework = _fiscal(year)
        if framework is not None:
            terms |= {i.name_th for i in framework.indicators}
    return {t for t in terms if t and len(t) > 2}


@cache
def _official_words() -> Trie:
    """The dictionary with the official terms as words of their own (การป้องกัน|การทุจริต, not การ|ทุจริต)."""
    return Trie(set(thai_words()) | set(OFFICIAL_TERMS))


def _line_pattern(term: str) -> re.Pattern[str]:
    """The term as a PDF's lines may hold it: whole up to typeset.LONG_TERM letters; a longer one (an indicator's
    or an agency's name is wider than a narrow table cell) with a line break allowed between its words only."""
    term = _unspaced(term)
    if len(term) <= LONG_TERM:
        return re.compile(re.escape(term))
    words = word_tokenize(term, custom_dict=_official_words(), engine="newmm", keep_whitespace=False)
    return re.compile("\n?".join(re.escape(w) for w in words))


def _unspaced(text: str) -> str:
    return re.sub(r"[ \t]+", "", text)


def _occurrences(term: str, terms: set[str], text: str) -> int:
    """How often ``term`` stands in ``text`` as itself: not where another term overlaps its start or end
    (ดำเนินการป้องกันการทุจริต reads ดำเนินการ ป้องกัน การทุจริต, so the line may break after ดำเนินการ)."""
    term = _unspaced(term)
    others = [_unspaced(t) for t in terms if _unspaced(t) != term and term not in _unspaced(t)]
    spans = [(m.start(), m.end()) for o in others for m in re.finditer(re.escape(o), text)]
    count = 0
    for m in re.finditer(re.escape(term), text):
        start, end = m.span()
        if not any(b < start < e < end or start < b < end < e for b, e in spans):
            count += 1
    return count


def _broken(
    made: dict[str, Made], pdfs: dict[tuple[str, str], Pdf], name: str, kind: str, words: bool
) -> dict[str, list[str]]:
    """What of the DOCX is on fewer PDF lines than in the DOCX: numbers, item codes, พ.ศ. years and English
    terms, or (``words``) the dictionary terms; and lines that start with a mark torn from its consonant."""
    source = [URL.sub(" ", t) for t in made[name].texts(kind)]  # a long URL may wrap anywhere
    lines = [line for page in pdfs[(name, kind)].pages for line in page.splitlines()]
    pdf_text = "\n".join(_unspaced(line) for line in lines)
    docx_text = "\n".join(_unspaced(t) for t in source)
    numbers = {m.group(0).strip() for t in source for m in NUMBERISH.finditer(t)}
    terms = _terms(made[name].data) if words else numbers
    broken = sorted(
        t
        for t in terms
        if len(_unspaced(t)) > 1 and len(_line_pattern(t).findall(pdf_text)) < _occurrences(t, terms, docx_text)
    )
    torn = [line[:12] for line in lines if line[:1] and line[0] in THAI_MARKS]
    return {"broken": broken[:20], "torn": torn[:10]}


@needs_pdf_tools
@pytest.mark.parametrize(("name", "kind"), PDF_KEYS)
def test_pdf_breaks_no_line_inside_a_number_code_or_character(
    made: dict[str, Made], pdfs: dict[tuple[str, str], Pdf], name: str, kind: str
) -> None:
    """Every number, item code, พ.ศ. year and English term of the DOCX is on one line of the PDF as often as
    the DOCX has it; no line starts with a vowel or tone mark torn from its consonant."""
    found = _broken(made, pdfs, name, kind, words=False)
    assert found == {"broken": [], "torn": []}, found


@needs_pdf_tools
@pytest.mark.parametrize(("name", "kind"), PDF_KEYS)
def test_pdf_breaks_no_line_inside_a_dictionary_term(
    made: dict[str, Made], pdfs: dict[tuple[str, str], Pdf], name: str, kind: str
) -> None:
    """The official terms, the agency's name and units and the framework's indicator names are each on one line;
    one longer than typeset.LONG_TERM letters may break between its words, never inside one."""
    found = _broken(made, pdfs, name, kind, words=True)
    assert not found["broken"], found


@needs_pdf_tools
@pytest.mark.parametrize(("name", "kind"), PDF_KEYS)
def test_pdf_text_layer_holds_every_phrase_of_the_docx(
    made: dict[str, Made], pdfs: dict[tuple[str, str], Pdf], name: str, kind: str
) -> None:
    """pdftotext of the PDF, its lines joined, contains every phrase of the DOCX (each run of text between
    spaces) as often as the DOCX does: justification that tears a word ("ด้า นข้อ มูล") fails."""
    source = [t for t in made[name].texts(kind) if t.strip()]
    joined = "".join(line.strip() for page in pdfs[(name, kind)].pages for line in page.splitlines())
    phrases = {p for t in source for p in t.split()}
    missing = sorted((p for p in phrases if joined.count(p) < sum(t.count(p) for t in source)), key=len, reverse=True)
    assert not missing, missing[:20]

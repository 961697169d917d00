"""The typed check report: its JSON is the CLI's and the web's, it reads back reports older versions stored,
and the OIT projection from it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from prongsai.checker.find import Proposal
from prongsai.checker.lists import ItemList
from prongsai.checker.report import CheckReport, ProposedUrl, projected_score
from prongsai.checker.run import SiteCheck, report_json
from prongsai.checker.verdict import ItemCheck, Verdict
from prongsai.frameworks import get_framework
from prongsai.scoring import score

DATA = Path(__file__).parent / "data"
FRAMEWORK = get_framework(2565)


def _site(verdicts: dict[str, Verdict], *, item_list: ItemList | None = None) -> SiteCheck:
    checks = tuple(
        ItemCheck(
            item.code,
            verdicts.get(item.code, Verdict.MISSING),
            "เหตุผล",
            "reason",
            url=f"https://sao.example/{item.code.lower()}",
            status=200,
            found_terms=("โครงสร้าง",),
            years=(2565,),
            text_source="ocr",
            ocr_confidence=81.5,
            extra={"unusable_reason": "image_only"},
        )
        for item in FRAMEWORK.items
    )
    proposals = {
        "O10": Proposal("O10", "https://sao.example/plan", 0.6666, "แผนดำเนินงาน"),
        "O2": Proposal("O2", "https://sao.example/o2", 0.97, "O2 ข้อมูลผู้บริหาร"),
    }
    return SiteCheck(
        FRAMEWORK, checks, proposals, "https://sao.example/ita", "2026-12-01T01:00:00+00:00",
        "2026-12-01T01:02:00+00:00", "หมายเหตุ", "note", item_list,
    )  # fmt: skip


def test_the_json_is_the_shape_docs_checker_md_describes() -> None:
    site = _site({"O1": Verdict.OK, "O2": Verdict.BROKEN}, item_list=ItemList("moph", ("MOIT 1",)))
    data = report_json(site)
    assert list(data) == [
        "fiscal_year", "ita_page", "ita_page_note", "ita_page_note_en", "item_list", "started", "finished",
        "counts", "likely", "items", "proposals",
    ]  # fmt: skip
    assert data["counts"] == {v.value: {"ok": 1, "broken": 1}.get(v.value, 0) for v in Verdict} | {"missing": 41}
    assert data["likely"] == {"indicator_9": site.likely.indicators[9], "indicator_10": site.likely.indicators[10]}
    assert list(data["proposals"]) == ["O2", "O10"]  # in item order, confidence to two decimals
    assert data["proposals"]["O10"] == {"url": "https://sao.example/plan", "confidence": 0.67, "label": "แผนดำเนินงาน"}
    assert data["item_list"] == site.item_list.as_dict() if site.item_list else False
    assert data["items"][0] == site.checks[0].as_dict() and data["items"][0]["verdict"] == "ok"
    json.dumps(data)  # plain JSON, nothing the web's JSONField could not store


def test_a_report_reads_back_as_it_was() -> None:
    site = _site({"O1": Verdict.OK, "O5": Verdict.NEEDS_PERSON}, item_list=ItemList("ovec", ("a", "b")))
    report = CheckReport.of(site)
    again = CheckReport.from_json(json.loads(json.dumps(report.to_json())))
    assert again == report and again.to_json() == report.to_json()
    assert again.by_code["O1"].found_terms == ("โครงสร้าง",) and again.by_code["O5"].verdict is Verdict.NEEDS_PERSON
    assert (again.checked, again.count(Verdict.OK), again.to_fix) == (43, 1, 41)


def test_a_report_stored_by_the_first_version_reads_back() -> None:
    """Stored by the checker's first version (commit 7b2cff6): no ITA page notes, no item list, items without
    text_source or ocr_confidence."""
    stored = json.loads((DATA / "report-7b2cff6.json").read_text(encoding="utf-8"))
    report = CheckReport.from_json(stored)
    assert report.fiscal_year == 2564 and report.ita_page == "https://www.example-sao.go.th/ita"
    assert report.ita_page_note_th == "" and report.item_list is None
    assert report.by_code["O1"].verdict is Verdict.OK and report.by_code["O1"].text_source == ""
    assert report.by_code["O2"].status == 404 and report.by_code["O2"].reason_th.startswith("เปิดลิงก์ไม่ได้")
    assert report.proposals["O3"] == ProposedUrl("https://www.example-sao.go.th/about", 0.9, "O3 ข้อมูลผู้บริหาร")
    assert (report.likely_9, report.likely_10, report.count(Verdict.MISSING)) == (2.22, 0.0, 41)
    # its verdicts give what it said a reviewer would likely score
    assert report.oit(get_framework(2564)).indicators == {9: 2.22, 10: 0.0}


def test_what_an_older_or_damaged_report_lacks_is_empty_not_an_error() -> None:
    empty = CheckReport.from_json(None)
    assert empty == CheckReport.from_json({}) and (empty.items, empty.checked, empty.likely_9) == ((), 0, None)
    partial = CheckReport.from_json(
        {"counts": {"ok": 3, "needs_person": "2", "broken": 1}, "likely": {"indicator_9": "71.43"}, "items": [{}]}
    )
    assert (partial.checked, partial.to_fix, partial.likely_9, partial.likely_10) == (6, 1, 71.43, None)
    assert partial.items == ()  # an item without its code names nothing
    unknown = CheckReport.from_json({"items": [{"code": "O1", "verdict": "later_verdict", "new_field": 1}]})
    assert unknown.by_code["O1"].verdict is Verdict.NEEDS_PERSON  # a verdict this version does not know: a person
    assert unknown.counts["needs_person"] == 1  # counted from the items when the report has no counts


def test_an_item_passes_only_when_its_verdict_is_ok() -> None:
    assert [v for v in Verdict if v.passes] == [Verdict.OK]
    everything_but_ok = {item.code: Verdict.NEEDS_PERSON for item in FRAMEWORK.items}
    assert CheckReport.of(_site(everything_but_ok)).oit(FRAMEWORK).indicators == {9: 0.0, 10: 0.0}
    all_ok = CheckReport.of(_site({item.code: Verdict.OK for item in FRAMEWORK.items}))
    assert all_ok.oit(FRAMEWORK).indicators == {9: 100.0, 10: 100.0} == {9: all_ok.likely_9, 10: all_ok.likely_10}


def test_the_projection_puts_the_checks_oit_beside_the_published_surveys() -> None:
    published = {n: 90.0 for n in range(1, 11)} | {9: 10.0, 10: 10.0}
    report = CheckReport.from_json({"likely": {"indicator_9": 71.43, "indicator_10": 62.5}})
    projected = projected_score(FRAMEWORK, published, report)
    assert projected == score(FRAMEWORK, {n: 90.0 for n in range(1, 9)} | {9: 71.43, 10: 62.5})
    assert projected is not None and projected.total > score(FRAMEWORK, published).total


@pytest.mark.parametrize(
    ("published", "likely"),
    [
        ({n: 90.0 for n in range(1, 9)}, {"indicator_9": 50.0}),  # the check's indicator 10 unknown
        ({n: 90.0 for n in range(1, 8)}, {"indicator_9": 50.0, "indicator_10": 40.0}),  # indicator 8 not published
    ],
)
def test_without_what_it_needs_there_is_no_projection(published: dict[int, float], likely: dict[str, float]) -> None:
    assert projected_score(FRAMEWORK, published, CheckReport.from_json({"likely": likely})) is None

"""Progress reports from the updates, the meeting and the date of signing: the pure core, table-driven."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from prongsai.documents import DocumentData, context_for, load_document_data, signing_date
from prongsai.documents.context import PROGRESS_STATUS_TH, progress_context
from prongsai.documents.data import MeasureRow, Meeting, Update
from prongsai.documents.progress import STATUSES, progress_row, progress_rows, report_period, summarize
from prongsai.documents.signing import signing_problem, signing_window
from prongsai.errors import InputError

D = dt.date
HALF_END = D(2022, 3, 31)  # FY2565
YEAR_END = D(2022, 9, 30)


def measure(start: dt.date, end: dt.date, *updates: Update, status: str = "planned", problems: str = "") -> MeasureRow:
    return MeasureRow("มาตรการ", ("ขั้นที่ 1",), "สำนักปลัด", start, end, "", status=status, problems=problems,
                      updates=updates)  # fmt: skip


def up(day: dt.date, progress: int, note: str = "", url: str = "") -> Update:
    return Update(day, f"ทำงานถึงร้อยละ {progress}", progress, url, note)


# (case, measure, until, status, progress, reason)
CASES = [
    ("ended in March at 80 %: not completed, the note is the reason",
     measure(D(2022, 1, 1), D(2022, 3, 31), up(D(2022, 3, 15), 80, "บุคลากรลาศึกษาต่อ")),
     HALF_END, "not_completed", 80, "บุคลากรลาศึกษาต่อ"),
    ("the measure's problems come before the note",
     measure(D(2022, 1, 1), D(2022, 2, 28), up(D(2022, 2, 1), 50, "โน้ต"), problems="งบประมาณไม่พอ"),
     HALF_END, "not_completed", 50, "งบประมาณไม่พอ"),
    ("ended short without a note", measure(D(2022, 1, 1), D(2022, 3, 31), up(D(2022, 3, 1), 30)),
     HALF_END, "not_completed", 30, "ไม่ได้ระบุเหตุผล"),
    ("ended with no update at all", measure(D(2021, 10, 1), D(2022, 1, 31), up(D(2022, 5, 1), 100)),
     HALF_END, "not_completed", 0, "ไม่มีการรายงานผลการดำเนินการ"),
    ("an update after 31 March is ignored by the half-year report",
     measure(D(2021, 10, 1), D(2022, 9, 30), up(D(2022, 2, 1), 40), up(D(2022, 4, 10), 100)),
     HALF_END, "in_progress", 40, ""),
    ("… and counted by the annual one",
     measure(D(2021, 10, 1), D(2022, 9, 30), up(D(2022, 2, 1), 40), up(D(2022, 4, 10), 100)),
     YEAR_END, "done", 100, ""),
    ("the last update counts, not the highest", measure(D(2021, 10, 1), D(2022, 9, 30), up(D(2022, 3, 2), 60),
     up(D(2022, 1, 5), 90)), HALF_END, "in_progress", 60, ""),
    ("100 % is done before its period ends", measure(D(2021, 10, 1), D(2022, 9, 30), up(D(2022, 3, 1), 100)),
     HALF_END, "done", 100, ""),
    ("starts after the report's end: not yet due", measure(D(2022, 5, 1), D(2022, 8, 31)),
     HALF_END, "not_due", 0, ""),
    ("running, nothing reported: not started", measure(D(2021, 10, 1), D(2022, 9, 30)),
     HALF_END, "planned", 0, ""),
    ("cancelled stays cancelled", measure(D(2021, 10, 1), D(2022, 9, 30), up(D(2022, 1, 1), 20),
     status="cancelled"), YEAR_END, "cancelled", 20, ""),
    ("undated progress of a plan file without updates",
     MeasureRow("ก", (), "", D(2021, 10, 1), D(2022, 9, 30), "", progress=70), HALF_END, "in_progress", 70, ""),
    ("undated done", MeasureRow("ก", (), "", D(2021, 10, 1), D(2022, 9, 30), "", status="done"),
     HALF_END, "done", 100, ""),
]  # fmt: skip


@pytest.mark.parametrize(("case", "m", "until", "status", "progress", "reason"), CASES, ids=[c[0] for c in CASES])
def test_a_rows_status_comes_from_its_updates_up_to_the_reports_end(
    case: str, m: MeasureRow, until: dt.date, status: str, progress: int, reason: str
) -> None:
    row = progress_row(m, until)
    assert (row.status, row.progress, row.reason) == (status, progress, reason)
    assert all(u.date <= until for u in row.updates)


@pytest.mark.parametrize("annual", [False, True])
@pytest.mark.parametrize("k", range(len(CASES)))
def test_the_summary_counts_the_rows(annual: bool, k: int) -> None:
    measures = [c[1] for c in CASES[: k + 1]]
    until = report_period(2565, annual=annual)[1]
    rows = progress_rows(measures, until)
    summary = summarize(rows)
    assert summary.total == len(rows) == sum(summary.counts.values())
    for status in STATUSES:
        assert summary.counts[status] == sum(r.status == status for r in rows)
    active = [r.progress for r in rows if r.status != "cancelled"]
    assert summary.average == pytest.approx(sum(active) / len(active) if active else 0)


def _data(*measures: MeasureRow, meeting: Meeting | None = None, signed_on: dt.date | None = None) -> DocumentData:
    return DocumentData(None, 2565, (), measures, meeting=meeting, signed_on=signed_on)


def test_the_printed_summary_says_what_the_rows_say() -> None:
    data = _data(*(c[1] for c in CASES))
    for annual in (False, True):
        context = progress_context(data, annual=annual, thai_digits=False, today=D(2026, 1, 1))
        statuses = [r["result"][0] for r in context["rows"]]
        sentence = context["summary"][0]
        assert f"มาตรการทั้งหมด {len(statuses)} มาตรการ" in sentence
        for status, label in PROGRESS_STATUS_TH.items():
            count = statuses.count(label)
            assert (f"{label} {count} มาตรการ" in sentence) == (count > 0 or status == "done")


def test_the_half_year_report_says_not_completed_with_the_reason() -> None:
    ended = measure(D(2022, 1, 1), D(2022, 3, 31), up(D(2022, 3, 15), 80, "บุคลากรลาศึกษาต่อ"))
    context = progress_context(_data(ended), annual=False, thai_digits=False, today=D(2022, 4, 5))
    (row,) = context["rows"]
    assert row["result"] == ["ไม่แล้วเสร็จตามกำหนด", "ร้อยละ 80"] and row["problems"] == "บุคลากรลาศึกษาต่อ"
    assert "ไม่แล้วเสร็จตามกำหนด 1 มาตรการ" in context["summary"][0]
    assert "อยู่ระหว่างดำเนินการ" not in context["summary"][0]
    assert "บุคลากรลาศึกษาต่อ" in context["issues"][0] and context["report_date"] == "31 มีนาคม 2565"


def test_the_annual_report_covers_what_came_after_march() -> None:
    running = measure(
        D(2021, 10, 1), D(2022, 9, 30), up(D(2022, 2, 1), 40, url="https://a.go.th/1"), up(D(2022, 6, 1), 100)
    )
    half = progress_context(_data(running), annual=False, thai_digits=False, today=D(2023, 1, 1))
    annual = progress_context(_data(running), annual=True, thai_digits=False, today=D(2023, 1, 1))
    assert half["rows"][0]["result"] == ["อยู่ระหว่างดำเนินการ", "ร้อยละ 40"]
    assert annual["rows"][0]["result"] == ["ดำเนินการแล้วเสร็จ", "ร้อยละ 100"]
    assert len(half["rows"][0]["done"]) == 1 and annual["rows"][0]["done_later"] == ["1 มิ.ย. 2565 ทำงานถึงร้อยละ 100"]
    assert half["rows"][0]["evidence"] == annual["rows"][0]["evidence"] == ["https://a.go.th/1"]
    assert annual["annual"] and not half["annual"]
    assert "เมื่อสิ้นรอบ 6 เดือน (31 มีนาคม 2565) ดำเนินการแล้วเสร็จ 0 มาตรการ" in annual["summary"][1]
    assert "เพิ่มขึ้น 1 มาตรการ" in annual["summary"][1]
    assert len(half["summary"]) == 1 and half["issues"] and not annual["issues"]


def test_evidence_links_of_the_plan_file_and_the_web() -> None:
    data = load_document_data(Path(__file__).parents[1] / "examples" / "songkhanong-2565-plan.yaml")
    links = [link for m in data.measures for u in m.updates for link in u.links]
    assert "https://www.songkhanong.go.th/ita/o42" in links
    both = Update(D(2022, 1, 1), "ก", 10, "https://a.go.th/x", file_url="https://ita.example.go.th/a/1/updates/2/file/")
    assert both.links == ("https://a.go.th/x", "https://ita.example.go.th/a/1/updates/2/file/")


# --- the date of signing ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "annual", "first", "last"),
    [
        ("measures", False, D(2021, 10, 1), D(2022, 9, 30)),
        ("progress", False, D(2022, 3, 31), D(2022, 9, 30)),
        ("progress", True, D(2022, 9, 30), D(2023, 9, 30)),
    ],
)
def test_signing_windows(kind: str, annual: bool, first: dt.date, last: dt.date) -> None:
    assert signing_window(kind, 2565, annual=annual) == (first, last)
    assert signing_problem(kind, 2565, first, annual=annual) == ""
    assert signing_problem(kind, 2565, last, annual=annual) == ""
    outside = signing_problem(kind, 2565, last + dt.timedelta(days=1), annual=annual)
    assert "อยู่นอกช่วง" in outside and "2565" in outside


def test_a_given_date_outside_the_year_is_refused() -> None:
    data = _data(signed_on=D(2026, 1, 15))  # a FY2565 plan signed in 2569
    with pytest.raises(InputError) as error:
        signing_date("measures", data)
    assert "15 มกราคม 2569" in str(error.value) and "1 ตุลาคม 2564 ถึง 30 กันยายน 2565" in str(error.value)
    with pytest.raises(InputError):
        signing_date("progress", _data(), on=D(2022, 2, 10))  # a half-year report before 31 March


def test_today_outside_the_year_leaves_the_date_blank_and_says_why() -> None:
    day, why = signing_date("measures", _data(), today=D(2026, 12, 4))
    assert day is None and "ไม่ได้ใส่วันที่ลงนาม" in why and "30 กันยายน 2565" in why
    assert signing_date("measures", _data(), today=D(2022, 2, 15)) == (D(2022, 2, 15), "")
    assert signing_date("measures", _data(signed_on=D(2022, 2, 20)), today=D(2026, 1, 1)) == (D(2022, 2, 20), "")


def test_the_signature_date_is_written_as_the_regulation_writes_it() -> None:
    data = load_document_data(Path(__file__).parents[1] / "examples" / "songkhanong-2565-plan.yaml")
    context, _images = context_for("measures", data, today=D(2026, 1, 1))
    assert context["sign_date"] == "๑๕ กุมภาพันธ์ พ.ศ. ๒๕๖๕"  # the plan's signed_on, not today
    blank, _ = context_for("progress", data, today=D(2026, 1, 1))
    assert blank["sign_date"] == ""


# --- the meeting --------------------------------------------------------------------------------------


def _plan_file(tmp_path: Path, plan: str) -> Path:
    result = Path(__file__).parents[1] / "examples" / "songkhanong-2564.yaml"
    path = tmp_path / "plan.yaml"
    path.write_text(f"result: {result}\nplan:\n  fiscal_year: 2565\n{plan}", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("plan", "meeting", "signed_on"),
    [
        ("", None, None),
        (
            "  meeting: {date: 10/02/2565, attendees: ผู้บริหาร, decision: กำหนดมาตรการ}\n  signed_on: 2022-02-15\n",
            Meeting(D(2022, 2, 10), "ผู้บริหาร", "กำหนดมาตรการ"),
            D(2022, 2, 15),
        ),
        ("  meeting_date: 2022-02-10\n  meeting_note: ประชุม\n", Meeting(D(2022, 2, 10), "", "ประชุม"), None),
        ("  signed_on: ๑๕/๐๒/๒๕๖๕\n", None, D(2022, 2, 15)),
    ],
)
def test_the_plan_file_holds_the_meeting_and_the_date_of_signing(
    tmp_path: Path, plan: str, meeting: Meeting | None, signed_on: dt.date | None
) -> None:
    data = load_document_data(_plan_file(tmp_path, plan))
    assert (data.meeting, data.signed_on) == (meeting, signed_on)


@pytest.mark.parametrize(
    "plan",
    ["  signed_on: 15/02/2022\n", "  meeting: {attendees: ผู้บริหาร}\n", "  meeting: วันนี้\n"],
)
def test_a_bad_meeting_or_date_names_the_field(tmp_path: Path, plan: str) -> None:
    with pytest.raises(InputError) as error:
        load_document_data(_plan_file(tmp_path, plan))
    assert "plan." in str(error.value)

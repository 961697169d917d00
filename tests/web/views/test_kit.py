"""The document kit's pages: a dataset kept in the web (rows, header, import), its documents as DOCX and PDF,
and the register: making a document answers its OIT item; a published URL goes into the item's URLs."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook, load_workbook

from prongsai import kit
from prongsai.web import services
from prongsai.web.models import Assessment, AuditEntry, KitDataset

from ..conftest import World

YEAR = 2569  # FY2569: 1 October 2568 – 30 September 2569

PURCHASE = {
    "item": "จัดซื้อวัสดุสำนักงาน",
    "budget": "50,000",
    "reference_price": "50000",
    "method": "วิธีเฉพาะเจาะจง",
    "bidders": "ร้านสมใจการค้า 48,500.00 บาท",
    "winner": "ร้านสมใจการค้า",
    "contract_price": "๔๘๕๐๐",
    "reason": "ราคาต่ำสุดและคุณสมบัติครบถ้วน",
    "contract_no": "12/2569",
    "contract_date": "๑๕/๑๐/๒๕๖๘",  # Thai digits, B.E.
}


@pytest.fixture
def y2569(world: World) -> Assessment:
    return services.assessment_create(world.users["owner"], world.agency, YEAR)


def url(world: World, tail: str = "", year: int = YEAR) -> str:
    return f"/a/{world.agency.pk}/{year}/kit/{tail}"


def posted(row: dict[str, str], prefix: str = "r") -> dict[str, str]:
    return {f"{prefix}-{name}": value for name, value in row.items()}


def rows_of(assessment: Assessment, code: str) -> list[dict[str, Any]]:
    record = KitDataset.objects.filter(assessment=assessment, dataset=code).first()
    return list(record.rows) if record else []


def add_row(client: Client, world: World, code: str, row: dict[str, str]) -> Any:
    return client.post(url(world, f"data/{code}/rows/"), posted(row))


# --- the dataset editor ------------------------------------------------------------------------------------


def test_kit_page_lists_every_dataset_and_kind(world: World, y2569: Assessment) -> None:
    page = world.client("owner").get(url(world)).content.decode()
    kit.load_kinds()
    for data in kit.DATASETS.values():
        assert data.title_th in page
    for spec in kit.KINDS.values():
        assert spec.title_th in page
    assert f'href="{url(world)}"' in world.client("owner").get(f"/a/{world.agency.pk}/{YEAR}/plan/").content.decode()


def test_row_added_from_what_a_person_types(world: World, y2569: Assessment) -> None:
    client = world.client("editor")
    response = add_row(client, world, "procurement", PURCHASE)
    assert response.status_code == 302
    [row] = rows_of(y2569, "procurement")
    assert row["contract_date"] == "15/10/2568"  # kept as the file's B.E. date, Thai digits read
    assert row["contract_price"] == "48500" and row["budget"] == "50,000"  # the core reads the comma
    page = client.get(url(world, "data/procurement/")).content.decode()
    assert "ร้านสมใจการค้า" in page and "15/10/2568" in page
    record = KitDataset.objects.get(assessment=y2569, dataset="procurement")
    assert AuditEntry.objects.filter(model="kitdataset", object_id=str(record.pk)).exists()


def test_a_row_the_core_refuses_names_the_row_and_the_field_and_saves_nothing(world: World, y2569: Assessment) -> None:
    client = world.client("owner")
    assert add_row(client, world, "procurement", PURCHASE).status_code == 302
    wrong = {**PURCHASE, "winner": ""}
    response = add_row(client, world, "procurement", wrong)
    assert response.status_code == 400
    page = response.content.decode()
    assert "ผู้ได้รับการคัดเลือก" in page  # the field, by its Thai label
    assert len(rows_of(y2569, "procurement")) == 1
    # the core's own refusal (the form cannot know): a money value beyond the core's bound, in row 2
    huge = {**PURCHASE, "budget": "900000000000"}
    response = add_row(client, world, "procurement", huge)
    assert response.status_code == 400
    page = response.content.decode()
    assert "แถวที่ 2" in page and "วงเงินที่จัดซื้อหรือจ้าง (บาท)" in page
    assert len(rows_of(y2569, "procurement")) == 1


def test_row_edited_and_deleted(world: World, y2569: Assessment) -> None:
    client = world.client("owner")
    add_row(client, world, "procurement", PURCHASE)
    add_row(client, world, "procurement", {**PURCHASE, "item": "จ้างซ่อมถนน"})
    form = client.get(url(world, "data/procurement/") + "?row=2").content.decode()
    assert "จ้างซ่อมถนน" in form and "data/procurement/rows/2/" in form
    response = client.post(url(world, "data/procurement/rows/2/"), posted({**PURCHASE, "item": "จ้างซ่อมถนนสายหลัก"}))
    assert response.status_code == 302
    assert [r["item"] for r in rows_of(y2569, "procurement")] == ["จัดซื้อวัสดุสำนักงาน", "จ้างซ่อมถนนสายหลัก"]
    assert client.post(url(world, "data/procurement/rows/1/delete/")).status_code == 302
    assert [r["item"] for r in rows_of(y2569, "procurement")] == ["จ้างซ่อมถนนสายหลัก"]
    assert client.post(url(world, "data/procurement/rows/5/delete/")).status_code == 302  # gone: a message
    assert len(rows_of(y2569, "procurement")) == 1


def test_header_saved_and_a_change_makes_a_reviewed_dataset_a_draft(world: World, y2569: Assessment) -> None:
    client = world.client("owner")
    add_row(client, world, "procurement", PURCHASE)
    header = {"signer_name": "นางสาวสมใจ ใจดี", "signer_position": "เจ้าพนักงานพัสดุ"}
    assert client.post(url(world, "data/procurement/"), posted(header, "h")).status_code == 302
    record = KitDataset.objects.get(assessment=y2569, dataset="procurement")
    assert record.header["signer_name"] == "นางสาวสมใจ ใจดี"
    assert world.client("editor").post(url(world, "data/procurement/review/")).status_code == 403  # admin's
    assert client.post(url(world, "data/procurement/review/")).status_code == 302
    record.refresh_from_db()
    assert record.reviewed_at is not None and record.reviewed_by == world.users["owner"]
    add_row(client, world, "procurement", {**PURCHASE, "item": "จ้างเหมาทำความสะอาด"})
    record.refresh_from_db()
    assert record.reviewed_at is None


# --- import ------------------------------------------------------------------------------------------------


def _labels(code: str) -> list[str]:
    return [f.label_th for f in kit.dataset(code).rows]


def _csv(rows: list[dict[str, str]], code: str = "procurement") -> bytes:
    import csv

    names = [f.name for f in kit.dataset(code).rows]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(_labels(code))
    for row in rows:
        writer.writerow([row.get(n, "") for n in names])
    return out.getvalue().encode("utf-8-sig")


def _xlsx(rows: list[dict[str, str]], code: str = "procurement") -> bytes:
    names = [f.name for f in kit.dataset(code).rows]
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(_labels(code))
    for row in rows:
        sheet.append([row.get(n, "") for n in names])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _import(client: Client, world: World, name: str, body: bytes, code: str = "procurement") -> Any:
    return client.post(url(world, f"data/{code}/import/"), {"file": SimpleUploadedFile(name, body)})


def test_import_csv_and_xlsx_replace_the_rows(world: World, y2569: Assessment) -> None:
    client = world.client("owner")
    add_row(client, world, "procurement", PURCHASE)
    two = [PURCHASE, {**PURCHASE, "item": "จ้างซ่อมถนน", "contract_date": "1 ธ.ค. 2568"}]
    assert _import(client, world, "list.csv", _csv(two)).status_code == 302
    assert [r["item"] for r in rows_of(y2569, "procurement")] == ["จัดซื้อวัสดุสำนักงาน", "จ้างซ่อมถนน"]
    three = [*two, {**PURCHASE, "item": "จัดซื้อครุภัณฑ์"}]
    assert _import(client, world, "list.xlsx", _xlsx(three)).status_code == 302
    assert len(rows_of(y2569, "procurement")) == 3


def test_a_refused_import_changes_nothing_and_names_the_row_and_field(world: World, y2569: Assessment) -> None:
    client = world.client("owner")
    add_row(client, world, "procurement", PURCHASE)
    before = rows_of(y2569, "procurement")
    bad = [PURCHASE, {**PURCHASE, "contract_date": "15/10/2025"}]  # a ค.ศ. year in the sheet's row 3
    response = _import(client, world, "list.csv", _csv(bad))
    assert response.status_code == 400
    page = response.content.decode()
    assert "แถวที่ 3" in page and "วันที่ของสัญญาหรือข้อตกลง" in page and "ข้อมูลเดิมยังอยู่ครบ" in page
    assert rows_of(y2569, "procurement") == before
    response = _import(client, world, "list.xlsx", _xlsx([{**PURCHASE, "method": "ประมูล"}]))
    assert response.status_code == 400 and "วิธีซื้อหรือจ้าง" in response.content.decode()
    assert _import(client, world, "list.pdf", b"%PDF-1.4").status_code == 400
    assert rows_of(y2569, "procurement") == before


def test_the_template_is_what_the_import_reads(world: World, y2569: Assessment) -> None:
    client = world.client("viewer")
    body = client.get(url(world, "data/procurement/template.xlsx")).content
    sheet = load_workbook(io.BytesIO(body)).active
    assert sheet is not None
    headings = [c.value for c in sheet[1]]
    assert headings == _labels("procurement")
    sheet.append([PURCHASE[f.name] for f in kit.dataset("procurement").rows])
    out = io.BytesIO()
    sheet.parent.save(out)
    assert _import(world.client("owner"), world, "filled.xlsx", out.getvalue()).status_code == 302
    assert len(rows_of(y2569, "procurement")) == 1
    csv_text = client.get(url(world, "data/procurement/template.csv")).content.decode("utf-8-sig")
    assert csv_text.strip().split(",")[0] == _labels("procurement")[0]


# --- access ------------------------------------------------------------------------------------------------


def test_outsiders_get_404_everywhere(world: World, y2569: Assessment) -> None:
    client = world.client("outsider")
    for tail in ("", "data/procurement/", "data/procurement/template.csv", "doc/procurement_monthly.docx?month=10"):
        assert client.get(url(world, tail)).status_code == 404
    for tail in ("data/procurement/rows/", "data/procurement/import/", "doc/procurement_monthly/publish/"):
        assert client.post(url(world, tail), posted(PURCHASE)).status_code == 404
    assert rows_of(y2569, "procurement") == []


def test_readers_see_values_not_inputs(world: World, y2569: Assessment) -> None:
    add_row(world.client("owner"), world, "procurement", PURCHASE)
    reader = world.client("viewer")
    page = reader.get(url(world, "data/procurement/")).content.decode()
    assert "ร้านสมใจการค้า" in page
    assert 'name="r-item"' not in page and 'type="file"' not in page and "rows/1/delete" not in page
    kit_page = reader.get(url(world)).content.decode()
    assert 'name="url"' not in kit_page
    assert add_row(reader, world, "procurement", PURCHASE).status_code == 403
    assert reader.post(url(world, "data/procurement/rows/1/delete/")).status_code == 403
    assert len(rows_of(y2569, "procurement")) == 1

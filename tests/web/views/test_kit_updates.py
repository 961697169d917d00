"""The kit's row form enters dated progress updates as a small table (the updates so far, each with a box to
remove it, inputs for new ones), without JavaScript; the core checks every value and its refusal names the row
and the field; the risk register's table shows each risk's level in its band's colour, as the core computes it."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from prongsai.kit.kinds.risk import BANDS, risk_level
from prongsai.web import services
from prongsai.web.models import Assessment

from ..conftest import World
from .test_kit import RISKS, YEAR, add_row, rows_of, url

PROJECT = {
    "project": "โครงการอบรมส่งเสริมคุณธรรมและจริยธรรม",
    "objective": "ให้บุคลากรรู้และปฏิบัติตามประมวลจริยธรรม",
    "budget": "20000",
    "indicator": "ผู้เข้าร่วมไม่น้อยกว่าร้อยละ 80",
    "unit": "สำนักปลัด",
}
DATA = "data/anticorruption_plan/"


@pytest.fixture
def y2569(world: World) -> Assessment:
    return services.assessment_create(world.users["owner"], world.agency, YEAR)


class _RowForm(HTMLParser):
    """What a browser would post from the page's row form (#row-form): its inputs' names and values."""

    def __init__(self) -> None:
        super().__init__()
        self.inside = False
        self.values: dict[str, str] = {}
        self.select: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "div" and a.get("id") == "row-form":
            self.inside = True
        if not self.inside or "name" not in a:
            if tag == "option" and self.select and "selected" in a:
                self.values[self.select] = a.get("value", "")
            return
        if tag == "input" and a.get("type") == "checkbox":
            if "checked" in a:
                self.values[a["name"]] = a.get("value", "on")
        elif tag == "input":
            self.values[a["name"]] = a.get("value", "")
        elif tag == "select":
            self.select = a["name"]
            self.values.setdefault(a["name"], "")
        elif tag == "textarea":
            self.textarea = a["name"]
            self.values[a["name"]] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self.inside:
            self.inside = False
        if tag == "select":
            self.select = None
        if tag == "textarea":
            self.textarea = None

    def handle_data(self, data: str) -> None:
        if self.textarea:
            self.values[self.textarea] += data.removeprefix("\n")


def form_of(page: str) -> dict[str, str]:
    parser = _RowForm()
    parser.feed(page)
    values = {k: v for k, v in parser.values.items() if k != "csrfmiddlewaretoken"}
    assert "r-updates-count" in values, "the row form carries its updates"
    return values


def edit(client: Client, world: World, row: int) -> dict[str, str]:
    page = client.get(url(world, DATA) + f"?row={row}")
    assert page.status_code == 200
    return form_of(page.content.decode())


def test_updates_are_added_shown_in_a_table_and_removed_one_by_one(world: World, y2569: Assessment) -> None:
    client = world.client("owner")
    blank = form_of(client.get(url(world, DATA)).content.decode())
    assert 'name="r-updates"' not in client.get(url(world, DATA)).content.decode()  # no pipe-separated textarea
    first = {
        **blank,
        **{f"r-{k}": v for k, v in PROJECT.items()},
        "r-updates-new-0-date": "๑๕/๑๒/๒๕๖๘",  # Thai digits, B.E., as an officer types them
        "r-updates-new-0-progress": "๔๐",
        "r-updates-new-0-text": "จัดอบรมรุ่นที่ ๑ แล้ว",
        "r-updates-new-0-spent": "๘,๕๐๐",
    }
    assert client.post(url(world, DATA + "rows/"), first).status_code == 302
    [row] = rows_of(y2569, "anticorruption_plan")
    assert row["updates"] == [{"date": "15/12/2568", "progress": "40", "text": "จัดอบรมรุ่นที่ ๑ แล้ว", "spent": "8,500"}]

    # the row's form shows the update in a small table (B.E. date, percent, text, baht) with inputs for a new one
    values = edit(client, world, 1)
    page = client.get(url(world, DATA) + "?row=1").content.decode()
    assert "15 ธ.ค. 2568" in page and "8,500.00" in page and "ลบครั้งที่ 1" in page
    assert values["r-updates-count"] == "1" and values["r-updates-new-0-date"] == ""
    values |= {
        "r-updates-new-0-date": "31/03/2569",
        "r-updates-new-0-progress": "100",
        "r-updates-new-0-text": "อบรมครบ 2 รุ่น",
    }
    assert client.post(url(world, DATA + "rows/1/"), values).status_code == 302
    [row] = rows_of(y2569, "anticorruption_plan")
    assert [u["date"] for u in row["updates"]] == ["15/12/2568", "31/03/2569"]
    table = client.get(url(world, DATA)).content.decode()
    assert "<td>20,000.00</td>" in table  # the budget as the plan writes it, not as typed (20000)
    assert "15 ธ.ค. 2568 · ร้อยละ 40 · จัดอบรมรุ่นที่ ๑ แล้ว · เบิกจ่าย 8,500.00 บาท" in table
    assert "31 มี.ค. 2569 · ร้อยละ 100 · อบรมครบ 2 รุ่น" in table

    # remove the first: tick its box and save
    values = edit(client, world, 1)
    assert values["r-updates-count"] == "2"
    values["r-updates-0-remove"] = "1"
    assert client.post(url(world, DATA + "rows/1/"), values).status_code == 302
    [row] = rows_of(y2569, "anticorruption_plan")
    assert row["updates"] == [{"date": "31/03/2569", "progress": "100", "text": "อบรมครบ 2 รุ่น"}]
    # removing the last leaves none
    values = edit(client, world, 1) | {"r-updates-0-remove": "1"}
    assert client.post(url(world, DATA + "rows/1/"), values).status_code == 302
    [row] = rows_of(y2569, "anticorruption_plan")
    assert "updates" not in row and row["project"] == PROJECT["project"]


def test_one_more_set_of_inputs_without_javascript_saves_nothing(world: World, y2569: Assessment) -> None:
    client = world.client("owner")
    values = form_of(client.get(url(world, DATA)).content.decode())
    values |= {"r-project": "โครงการใหม่", "r-updates-new-0-date": "๑/๑๑/๒๕๖๘", "r-updates-more": "1"}
    response = client.post(url(world, DATA + "rows/"), values)
    assert response.status_code == 200  # the same form again: no errors, nothing saved
    assert rows_of(y2569, "anticorruption_plan") == []
    page = response.content.decode()
    assert 'class="error"' not in page
    again = form_of(page)
    assert again["r-project"] == "โครงการใหม่" and again["r-updates-new-0-date"] == "1/11/2568"
    assert again["r-updates-new"] == "2" and again["r-updates-new-1-date"] == ""
    # both sets are saved together
    again |= {f"r-{k}": v for k, v in PROJECT.items()} | {
        "r-updates-new-1-date": "1/12/2568",
        "r-updates-new-1-progress": "20",
    }
    again |= {"r-updates-new-0-progress": "10"}
    assert client.post(url(world, DATA + "rows/"), again).status_code == 302
    [row] = rows_of(y2569, "anticorruption_plan")
    assert [(u["date"], u["progress"]) for u in row["updates"]] == [("1/11/2568", "10"), ("1/12/2568", "20")]


def test_a_refused_update_names_the_row_and_field_and_changes_nothing(world: World, y2569: Assessment) -> None:
    client = world.client("owner")
    assert add_row(client, world, "anticorruption_plan", PROJECT).status_code == 302
    values = edit(client, world, 1) | {"r-updates-new-0-date": "15/12/2568", "r-updates-new-0-progress": "30"}
    assert client.post(url(world, DATA + "rows/1/"), values).status_code == 302
    before = rows_of(y2569, "anticorruption_plan")

    values = edit(client, world, 1) | {"r-updates-0-remove": "1"}
    values |= {
        "r-updates-new-0-date": "31/02/2569",
        "r-updates-new-0-progress": "50",
        "r-updates-new-0-text": "ครั้งที่สอง",
    }
    response = client.post(url(world, DATA + "rows/1/"), values)
    assert response.status_code == 400
    page = response.content.decode()
    # the core's words: the row, the field, the update and the reason
    assert "แถวที่ 1 (โครงการ)" in page and "ช่อง “ผลการดำเนินการ”" in page and "ไม่มีวันที่ 31" in page
    assert rows_of(y2569, "anticorruption_plan") == before
    shown = form_of(page)  # what the person chose is shown again: the removal ticked, the new values typed
    assert shown["r-updates-0-remove"] == "1" and shown["r-updates-new-0-date"] == "31/02/2569"
    assert shown["r-updates-new-0-text"] == "ครั้งที่สอง"

    # a percent beyond 100, in Thai digits
    values = edit(client, world, 1) | {"r-updates-new-0-date": "1/1/2569", "r-updates-new-0-progress": "๑๒๐"}
    page = client.post(url(world, DATA + "rows/1/"), values).content.decode()
    assert "ผลการดำเนินการรายการที่ 2" in page and "0 ถึง 100" in page and "(พิมพ์ไว้ 120)" in page
    assert rows_of(y2569, "anticorruption_plan") == before


def test_a_half_typed_update_is_refused_by_the_core(world: World, y2569: Assessment) -> None:
    client = world.client("owner")
    values = form_of(client.get(url(world, DATA)).content.decode())
    values |= {f"r-{k}": v for k, v in PROJECT.items()} | {"r-updates-new-0-text": "ยังไม่ได้ใส่วันที่"}
    response = client.post(url(world, DATA + "rows/"), values)
    assert response.status_code == 400
    assert "ยังไม่ได้กรอกวันที่" in response.content.decode()
    assert rows_of(y2569, "anticorruption_plan") == []


def test_the_risk_register_shows_each_level_in_its_bands_colour(world: World, y2569: Assessment) -> None:
    client = world.client("owner")
    for risk in RISKS:
        assert add_row(client, world, "risk_register", risk).status_code == 302
    page = client.get(url(world, "data/risk_register/")).content.decode()
    assert "ระดับความเสี่ยง" in page
    for risk in RISKS:
        level = risk_level(int(risk["likelihood"]), int(risk["impact"]))
        assert f'fill="{level.colour}"/></svg><b>{level.level}</b> {level.band}</span>' in page
    assert [level.band for level in (risk_level(4, 5), risk_level(2, 3))] == ["สูงมาก", "ปานกลาง"]
    assert {colour for _top, _name, colour in BANDS} >= {risk_level(4, 5).colour, risk_level(2, 3).colour}
    # readers see the levels too; other datasets have no such column
    assert "สูงมาก</span>" in world.client("viewer").get(url(world, "data/risk_register/")).content.decode()
    assert "ระดับความเสี่ยง" not in client.get(url(world, DATA)).content.decode()


def test_the_level_of_a_risk_the_core_cannot_read_is_a_dash(world: World, y2569: Assessment) -> None:
    from prongsai.web.models import KitDataset

    client = world.client("owner")
    assert add_row(client, world, "risk_register", RISKS[0]).status_code == 302
    record = KitDataset.objects.get(assessment=y2569, dataset="risk_register")
    record.rows = [{**record.rows[0], "likelihood": "๓"}, {**record.rows[0], "impact": "9"}]
    record.save()
    page = client.get(url(world, "data/risk_register/")).content.decode()
    assert f"<b>{3 * 5}</b> สูงมาก" in page  # Thai digits read by the core
    assert "<td>–</td>" in page


def test_the_updates_table_and_the_level_in_english(world: World, y2569: Assessment) -> None:
    client = world.client("owner")
    assert add_row(client, world, "risk_register", RISKS[0]).status_code == 302
    values = form_of(client.get(url(world, "data/risk_register/") + "?row=1").content.decode())
    values |= {"r-updates-new-0-date": "1/11/2568", "r-updates-new-0-progress": "50", "r-updates-new-0-spent": "1000"}
    assert client.post(url(world, "data/risk_register/rows/1/"), values).status_code == 302
    with translation.override(settings.LANGUAGE_CODE):  # the language middleware must not leak into other tests
        client.post("/i18n/setlang/", {"language": "en", "next": "/"})
        page = client.get(url(world, "data/risk_register/") + "?row=1").content.decode()
    assert "Risk level" in page and "Remove update 1" in page and "Inputs for one more update" in page
    assert "1 Nov 2025 · 50 percent · spent 1,000.00 baht" in page

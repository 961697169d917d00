"""One registry of the measures cycle's documents (prongsai.document_kinds): the CLI, the templates, the
context, the signing rule and the year's set all read a kind from it."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from prongsai import document_kinds
from prongsai.cli import main
from prongsai.document_kinds import KINDS, Kind, Round, UnknownKind, get_kind, register, year_documents
from prongsai.documents import DocumentData, context_for, load_document_data
from prongsai.documents.context import document_year
from prongsai.documents.render import TEMPLATE_DIR, template_path
from prongsai.documents.signing import signing_date, signing_problem, signing_window

EXAMPLES = Path(__file__).parents[1] / "examples"
D = dt.date


def test_the_measures_cycle_kinds_with_their_templates_and_set() -> None:
    assert list(KINDS) == ["measures", "progress", "itas"]
    assert all(template_path(code) == TEMPLATE_DIR / f"{code}.docx" and template_path(code).exists() for code in KINDS)
    assert [(kind.code, r.annual, r.file_th) for kind, r in year_documents()] == [
        ("measures", False, "มาตรการส่งเสริมคุณธรรม"),
        ("progress", False, "รายงานผลรอบ6เดือน"),
        ("progress", True, "รายงานผลรอบ12เดือน"),
        ("itas", False, "แบบตรวจOIT"),
    ]
    assert {code: kind.publishes for code, kind in KINDS.items()} == {
        "measures": "measures",
        "progress": "measures_report",
        "itas": None,
    }


def test_an_unknown_kind_is_a_thai_error_naming_the_known_ones() -> None:
    with pytest.raises(UnknownKind, match="ไม่มีเอกสารชนิด memo มีเฉพาะ measures, progress, itas"):
        template_path("memo")
    result = CliRunner().invoke(main, ["document", "memo", "x.yaml"])
    assert result.exit_code == 2 and "'measures', 'progress', 'itas'" in result.stderr  # the CLI's choices


def test_the_cli_lists_the_kinds_without_loading_what_makes_them() -> None:
    heavy = "('docxtpl', 'prongsai.documents')"
    code = f"import sys, prongsai.cli; print(sorted(m for m in sys.modules if m.startswith({heavy})))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"


def memo_values(data: DocumentData, **options: Any) -> tuple[dict[str, Any], dict[str, bytes]]:
    """A test kind's builder: what context_for was asked."""
    return {"agency": data.fiscal_year, **options}, {}


@pytest.fixture
def memo() -> Iterator[Kind]:
    """A kind registered by a test: a report (signed from the end of its period), of the register's year."""
    kind = register(
        Kind(
            "memo",
            title_th="บันทึกข้อความรายงานผล",
            short_th="บันทึก",
            short_en="memo",
            builder=f"{__name__}:memo_values",
            rounds=(Round(False, "รอบ 6 เดือน", "บันทึกรอบ6เดือน"), Round(True, "รอบ 12 เดือน", "บันทึกรอบ12เดือน")),
            signing="report",
            plan_dated=True,
            register_year=True,
        )
    )
    yield kind
    del document_kinds.KINDS["memo"]


def test_everything_reads_a_kind_from_the_registry(memo: Kind) -> None:
    data = load_document_data(EXAMPLES / "songkhanong-2565-plan.yaml")
    assert get_kind("memo") is memo and template_path("memo").name == "memo.docx"
    context, _images = context_for("memo", data, annual=True, today=D(2022, 10, 5))
    assert context == {"agency": 2565, "thai_digits": True, "annual": True, "on": None, "today": D(2022, 10, 5)}
    assert signing_window("memo", 2565) == (D(2022, 3, 31), D(2022, 9, 30))  # a report's half-year round
    assert signing_window("memo", 2565, annual=True) == (D(2022, 9, 30), D(2023, 9, 30))
    assert "ลงนามในบันทึกรอบ 12 เดือน ประจำปีงบประมาณ พ.ศ. 2565" in signing_problem(
        "memo", 2565, D(2022, 1, 1), annual=True
    )
    assert document_year("memo", data) == (data.register_year or data.fiscal_year)
    assert [r.file_th for kind, r in year_documents() if kind is memo] == ["บันทึกรอบ6เดือน", "บันทึกรอบ12เดือน"]
    with pytest.raises(ValueError, match="registered twice"):
        register(Kind("memo", "อื่น", "อื่น", "other", f"{__name__}:memo_values", memo.rounds))


def test_the_plan_date_signs_only_a_kind_that_takes_it() -> None:
    data = load_document_data(EXAMPLES / "songkhanong-2565-plan.yaml")
    signed_on = dt.date(2022, 2, 20)
    dated = DocumentData(**{**data.__dict__, "signed_on": signed_on})
    assert signing_date("measures", dated, today=D(2026, 1, 1)) == (signed_on, "")
    day, why = signing_date("progress", dated, today=D(2026, 1, 1))  # a report is not dated by the plan
    assert day is None and "รายงานผลรอบ 6 เดือน ประจำปีงบประมาณ พ.ศ. 2565" in why

"""The corruption risk register: the agency's processes at risk, each event's likelihood and impact (1–5), the
controls it has and the measures it adds, with dated updates on those measures. Two documents come from it:

* ``risk_assessment``: the register with each risk's level (likelihood × impact) and band, the 5 × 5 risk
  matrix as a chart (each risk's number in its cell), and the plan to manage the risks;
* ``risk_report``: the report on managing those risks over the fiscal year (published the year after), each
  measure's result computed from its updates by the measures report's rules.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from prongsai.documents.chart import _font_family
from prongsai.documents.progress import summarize
from prongsai.kit import register_dataset, register_kind
from prongsai.kit.base import (
    Block,
    ComposeOptions,
    Dataset,
    DatasetData,
    Field,
    Heading,
    Image,
    Kind,
    OfficialDoc,
    Para,
    Table,
)
from prongsai.kit.common import (
    PLAN_SIGNER_FIELDS,
    PROGRESS_STATUS_TH,
    REPORT_FIELDS,
    columns,
    counts_sentence,
    digits_of,
    problems_and_suggestions,
    row_progress,
    signed_doc,
    unfinished,
    update_lines,
)
from prongsai.numbers import format_score
from prongsai.report import thai_list
from prongsai.thai import fiscal_period, thai_date

__all__ = ["BANDS", "RISK_REGISTER", "RiskLevel", "band_of", "matrix_chart", "matrix_description", "risk_level"]

# The bands of a risk's level (likelihood × impact, 1–25), lowest first: (the highest level in the band, its
# name, its cell colour on the matrix). The common four-band 5 × 5 matrix of Thai agencies' risk plans; the
# colours are light enough for the numbers on them to print on a black-and-white office printer.
BANDS: tuple[tuple[int, str, str], ...] = (
    (3, "ต่ำ", "#d5f0d5"),
    (8, "ปานกลาง", "#fff3b0"),
    (14, "สูง", "#ffd0a0"),
    (25, "สูงมาก", "#f5a3a3"),
)


def band_of(level: int) -> str:
    return next(name for top, name, _colour in BANDS if level <= top)


def _colour(level: int) -> str:
    return next(colour for top, _name, colour in BANDS if level <= top)


@dataclass(frozen=True)
class RiskLevel:
    """A risk's level (likelihood × impact, 1–25), its band's name and colour (BANDS)."""

    level: int
    band: str
    colour: str


def risk_level(likelihood: int, impact: int) -> RiskLevel:
    """The level of a risk scored ``likelihood`` and ``impact`` (1–5 each, as validated), as the documents
    and the web's register show it."""
    level = likelihood * impact
    return RiskLevel(level, band_of(level), _colour(level))


def _bands_sentence(d: Any) -> str:
    low = 1
    parts = []
    for top, name, _colour in BANDS:
        parts.append(f"ระดับ{name} ({d(str(low))} ถึง {d(str(top))} คะแนน)")
        low = top + 1
    return thai_list(parts)


RISK_REGISTER = register_dataset(
    Dataset(
        code="risk_register",
        title_th="ทะเบียนความเสี่ยงการทุจริต",
        row_name_th="ความเสี่ยง",
        header=(
            *PLAN_SIGNER_FIELDS,
            Field("assessed_on", "วันที่ประเมิน", "date", required=False, help_th="วัน/เดือน/ปี พ.ศ. เช่น 15/11/2569"),
            *REPORT_FIELDS,
        ),
        rows=(
            Field("process", "กระบวนงาน", help_th="งานที่อาจเกิดการทุจริต เช่น การจัดซื้อจัดจ้าง"),
            Field("event", "เหตุการณ์ความเสี่ยง", help_th="สิ่งที่อาจเกิด เช่น การเรียกรับผลประโยชน์จากผู้รับจ้าง"),
            Field("likelihood", "โอกาสที่จะเกิด (1–5)", "score", help_th="1 น้อยที่สุด ถึง 5 มากที่สุด"),
            Field("impact", "ผลกระทบ (1–5)", "score", help_th="1 น้อยที่สุด ถึง 5 มากที่สุด"),
            Field("controls", "การควบคุมที่มีอยู่", "longtext", required=False),
            Field("measures", "มาตรการเพิ่มเติม", "longtext", help_th="สิ่งที่จะทำเพื่อลดความเสี่ยงในปีนี้"),
            Field("owner", "ผู้รับผิดชอบ", help_th="เช่น กองคลัง"),
            Field("updates", "ผลการดำเนินการ", "updates", required=False),
        ),
    )
)

ASSESSMENT_TITLE = "การประเมินความเสี่ยงการทุจริต"
REPORT_TITLE = "รายงานผลการดำเนินการเพื่อจัดการความเสี่ยงการทุจริต"
# Sum to the landscape text column (24.7 cm).
REGISTER_WIDTHS = (1.0, 4.0, 6.3, 1.6, 2.0, 2.2, 7.6)
PLAN_WIDTHS = (1.0, 6.0, 2.4, 9.8, 5.5)
REPORT_WIDTHS = (1.0, 5.0, 2.0, 5.2, 6.0, 2.6, 2.9)


def _level(row: Mapping[str, Any]) -> int:
    return risk_level(int(row["likelihood"]), int(row["impact"])).level


def matrix_description(rows: Sequence[Mapping[str, Any]], *, thai_digits: bool = True) -> str:
    """The matrix in words (the picture's alternative text and the sentence under it), with every number."""
    d = digits_of(thai_digits)
    risks = [
        f"ความเสี่ยงที่ {d(str(k))} โอกาส {d(str(r['likelihood']))} ผลกระทบ {d(str(r['impact']))}"
        f" ระดับ {d(str(_level(r)))} ({band_of(_level(r))})"
        for k, r in enumerate(rows, start=1)
    ]
    return f"แผนภูมิความเสี่ยง {d('5 × 5')} แสดงความเสี่ยง {d(str(len(rows)))} รายการ ได้แก่ {thai_list(risks)}"


def matrix_chart(rows: Sequence[Mapping[str, Any]], *, thai_digits: bool = True, dpi: int = 200) -> bytes:
    """The 5 × 5 matrix as PNG: likelihood up, impact across, each cell coloured by its band and holding the
    numbers of the risks in it."""
    family = _font_family()
    d = digits_of(thai_digits)
    figure = Figure(figsize=(5.6, 4.6), dpi=dpi)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    cells: dict[tuple[int, int], list[str]] = {}
    for k, row in enumerate(rows, start=1):
        cells.setdefault((int(row["impact"]), int(row["likelihood"])), []).append(d(str(k)))
    for impact in range(1, 6):
        for likelihood in range(1, 6):
            level = impact * likelihood
            axes.add_patch(
                _rect(impact - 0.5, likelihood - 0.5, _colour(level)),
            )
            axes.text(impact + 0.42, likelihood - 0.42, d(str(level)), ha="right", va="bottom", fontsize=6.5,
                      color="#555555", family=family)  # fmt: skip
            numbers = cells.get((impact, likelihood))
            if numbers:
                axes.text(impact, likelihood + 0.05, _wrap(numbers), ha="center", va="center", fontsize=9.5,
                          fontweight="bold", family=family)  # fmt: skip
    axes.set_xlim(0.5, 5.5)
    axes.set_ylim(0.5, 5.5)
    ticks = range(1, 6)
    axes.set_xticks(ticks, [d(str(t)) for t in ticks], fontsize=9, family=family)
    axes.set_yticks(ticks, [d(str(t)) for t in ticks], fontsize=9, family=family)
    axes.set_xlabel("ผลกระทบ", fontsize=10, family=family)
    axes.set_ylabel("โอกาสที่จะเกิด", fontsize=10, family=family)
    axes.set_aspect("equal")
    legend = [_rect(0, 0, colour, label=f"{name}") for _top, name, colour in BANDS]
    figure.legend(handles=legend, loc="lower center", ncols=4, frameon=False, prop={"family": family, "size": 8.5})
    figure.tight_layout(rect=(0, 0.07, 1, 1))
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _rect(x: float, y: float, colour: str, label: str = "") -> Any:
    from matplotlib.patches import Rectangle

    return Rectangle((x, y), 1, 1, facecolor=colour, edgecolor="#444444", linewidth=0.8, label=label or None)


def _wrap(numbers: list[str]) -> str:
    """Up to three numbers a line, so a crowded cell stays inside its square."""
    return "\n".join(", ".join(numbers[k : k + 3]) for k in range(0, len(numbers), 3))


def compose_assessment(data: DatasetData, options: ComposeOptions) -> OfficialDoc:
    d = digits_of(options.thai_digits)
    year = d(str(data.fiscal_year))
    rows = data.rows
    levels = [_level(r) for r in rows]
    by_band = {name: sum(band_of(level) == name for level in levels) for _top, name, _c in BANDS}
    band_counts = thai_list([f"ระดับ{name} {d(str(n))} รายการ" for name, n in by_band.items() if n])
    blocks: list[Block] = [
        Heading("๑. หลักเกณฑ์การประเมิน" if options.thai_digits else "1. หลักเกณฑ์การประเมิน"),
        Para(
            f"{data.agency_name}ได้ประเมินความเสี่ยงการทุจริตในกระบวนงานของหน่วยงาน ประจำปีงบประมาณ พ.ศ. {year}"
            f" โดยพิจารณาโอกาสที่จะเกิดและผลกระทบของแต่ละเหตุการณ์ความเสี่ยงเป็นคะแนน {d('1')} ถึง {d('5')}"
            f" ระดับความเสี่ยงคือผลคูณของโอกาสที่จะเกิดกับผลกระทบ แบ่งเป็น {_bands_sentence(d)}"
        ),
        Heading(d("2. ผลการประเมินความเสี่ยงการทุจริต")),
        Para(
            f"ผลการประเมินพบเหตุการณ์ความเสี่ยงการทุจริต {d(str(len(rows)))} รายการ" + (f" ได้แก่ {band_counts}" if rows else "")
        ),
        Table(
            columns=columns(
                REGISTER_WIDTHS,
                ("ที่", "center"),
                "กระบวนงาน",
                "เหตุการณ์ความเสี่ยง",
                ("โอกาส", "center"),
                ("ผลกระทบ", "center"),
                ("ระดับ", "center"),
                "การควบคุมที่มีอยู่",
            ),
            rows=tuple(
                (
                    d(str(k)),
                    d(r["process"]),
                    d(r["event"]),
                    d(str(r["likelihood"])),
                    d(str(r["impact"])),
                    f"{d(str(_level(r)))}\n{band_of(_level(r))}",
                    d(r["controls"] or "-"),
                )
                for k, r in enumerate(rows, start=1)
            ),
        ),
        Heading(d("3. แผนภูมิความเสี่ยง (Risk Matrix)")),
        Image(
            matrix_chart(rows, thai_digits=options.thai_digits),
            11.0,
            matrix_description(rows, thai_digits=options.thai_digits),
        ),
        Para(matrix_description(rows, thai_digits=options.thai_digits)),
        Heading(d("4. แผนบริหารจัดการความเสี่ยงการทุจริต")),
        Para(
            f"เพื่อจัดการความเสี่ยงที่พบ {data.agency_name}กำหนดมาตรการเพิ่มเติมและผู้รับผิดชอบ"
            f" ให้ดำเนินการภายในปีงบประมาณ พ.ศ. {year} ดังนี้"
        ),
        Table(
            columns=columns(
                PLAN_WIDTHS,
                ("ที่", "center"),
                "เหตุการณ์ความเสี่ยง",
                ("ระดับ", "center"),
                "มาตรการเพิ่มเติม",
                ("ผู้รับผิดชอบ", "center"),
            ),
            rows=tuple(
                (d(str(k)), d(r["event"]), band_of(_level(r)), d(r["measures"]), r["owner"])
                for k, r in enumerate(rows, start=1)
            ),
        ),
    ]
    return signed_doc(
        data, options, blocks, kind_code="risk_assessment", fallback=ASSESSMENT_TITLE, date_label="วันที่",
        on=data.header.get("assessed_on"), landscape=True,
    )  # fmt: skip


def _span(fiscal_year: int, options: ComposeOptions) -> str:
    first, last = fiscal_period(fiscal_year)
    return f"{thai_date(first, thai_digits=options.thai_digits)} – {thai_date(last, thai_digits=options.thai_digits)}"


def compose_report(data: DatasetData, options: ComposeOptions) -> OfficialDoc:
    """The report on the year's risk management, from each risk's updates up to 30 September."""
    d = digits_of(options.thai_digits)
    year = d(str(data.fiscal_year))
    end = fiscal_period(data.fiscal_year)[1]
    progress = [
        row_progress(r["event"], r["owner"], fiscal_period(data.fiscal_year), r["updates"], end) for r in data.rows
    ]
    summary = summarize(progress)
    closing = problems_and_suggestions(
        data,
        d,
        problems=unfinished(progress, d, lambda k, _p: f"ความเสี่ยงที่ {d(str(k))} ดำเนินการตามมาตรการ"),
        suggestion=(
            "นำความเสี่ยงที่ยังจัดการไม่แล้วเสร็จไปทบทวนและกำหนดมาตรการในการประเมินความเสี่ยงการทุจริต"
            f" ประจำปีงบประมาณ พ.ศ. {d(str(data.fiscal_year + 1))}"
        ),
    )
    blocks: list[Block] = [
        Para(
            f"{data.agency_name}ได้ดำเนินการตามแผนบริหารจัดการความเสี่ยงการทุจริต ประจำปีงบประมาณ พ.ศ. {year}"
            f" ({_span(data.fiscal_year, options)}) โดยมีผลการดำเนินการ ดังนี้"
        ),
        Table(
            columns=columns(
                REPORT_WIDTHS,
                ("ที่", "center"),
                "เหตุการณ์ความเสี่ยง",
                ("ระดับ", "center"),
                "มาตรการ",
                "ผลการดำเนินการ",
                ("ผลสำเร็จ", "center"),
                ("ผู้รับผิดชอบ", "center"),
            ),
            rows=tuple(
                (
                    d(str(k)),
                    d(r["event"]),
                    band_of(_level(r)),
                    d(r["measures"]),
                    update_lines(p, options),
                    f"{PROGRESS_STATUS_TH[p.status]}\nร้อยละ {d(str(p.progress))}",
                    r["owner"],
                )
                for k, (r, p) in enumerate(zip(data.rows, progress, strict=True), start=1)
            ),
        ),
        Heading("สรุปผลการดำเนินการ"),
        Para(f"{counts_sentence(summary, d)} ความคืบหน้าเฉลี่ยร้อยละ {d(format_score(summary.average))}"),
        *closing,
    ]
    return signed_doc(
        data, options, blocks, kind_code="risk_report", fallback=REPORT_TITLE, date_label="วันที่", landscape=True
    )


register_kind(Kind("risk_assessment", "การประเมินความเสี่ยงการทุจริตประจำปี", "risk_register", compose_assessment))
register_kind(
    Kind(
        "risk_report",
        "รายงานผลการดำเนินการเพื่อจัดการความเสี่ยงการทุจริต",
        "risk_register",
        compose_report,
        period="previous_year",
    )
)

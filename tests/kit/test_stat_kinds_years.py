"""Every framework year that maps a statistics kind (procurement, complaints, services) to an OIT item: the
document made from the dataset that the item's coverage asks for is judged ``ok`` by prongsai's checker (issue 19,
part 3). The same documents made for the wrong year are judged ``out_of_date`` in each kind's own tests (FY2567 to
FY2569); here the titles and coverage of every older year are what is checked. The examples are moved to each
year (statdocs.shifted); the PDFs are made in one LibreOffice call."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from prongsai.documents.pdf import Converter
from prongsai.framework import Coverage
from prongsai.frameworks import available_years, get_framework
from prongsai.kit import dataset_year, make, publication_year
from prongsai.kit import kind as kind_of
from prongsai.kit.base import ComposeOptions, DatasetData
from prongsai.kit.files import load_dataset_file
from prongsai.kit.render import docx_bytes

from .statdocs import EXAMPLES, needs_pdf_tools, shifted, verdicts
from .test_procurement import _from_table

KINDS = {
    "procurement_monthly": "procurement",
    "procurement_annual": "procurement",
    "complaint_stats": "complaints",
    "service_stats": "services",
    "satisfaction_report": "satisfaction",
}


def _examples() -> dict[str, DatasetData]:
    return {
        "procurement": _from_table(EXAMPLES / "procurement.xlsx"),
        "complaints": load_dataset_file(EXAMPLES / "complaints.yaml"),
        "services": load_dataset_file(EXAMPLES / "services.yaml"),
        "satisfaction": load_dataset_file(EXAMPLES / "satisfaction.yaml"),
    }


def mapped() -> list[tuple[int, str, str, int]]:
    """(framework year, item, kind, the dataset year its coverage asks for) for every mapped item."""
    out = []
    for year in available_years():
        for item in get_framework(year).items:
            if item.document in KINDS:
                wanted = year - 1 if item.coverage is Coverage.PREVIOUS_YEAR else year
                out.append((year, item.code, str(item.document), wanted))
    return out


@pytest.fixture(scope="module")
def judged() -> Iterator[dict[str, tuple[str, str]]]:
    examples = _examples()
    docs: dict[str, tuple[bytes, str, int]] = {}
    for year, code, kind, wanted in mapped():
        base = examples[KINDS[kind]]
        doc = make(kind, shifted(base, wanted - base.fiscal_year), ComposeOptions(month=12))
        docs[f"{year}-{code}-{kind}"] = (docx_bytes(doc), code, year)
    with tempfile.TemporaryDirectory() as folder:
        sources = []
        for name, (docx, _, _) in docs.items():
            path = Path(folder) / f"{name}.docx"
            path.write_bytes(docx)
            sources.append(path)
        converter = Converter(Path(folder) / "lo")
        try:
            pdfs = converter.to_pdfs(sources, Path(folder) / "pdf")
        finally:
            converter.close()
        served = {
            name: (pdf.read_bytes(), code, year)
            for (name, (_, code, year)), pdf in zip(docs.items(), pdfs, strict=True)
        }
    yield verdicts(served)


def test_every_statistics_kind_is_mapped_somewhere() -> None:
    assert {kind for _, _, kind, _ in mapped()} == set(KINDS)


@needs_pdf_tools
@pytest.mark.slow
def test_the_checker_agrees_in_every_mapped_year(judged: dict[str, tuple[str, str]]) -> None:
    wrong = {name: got for name, got in judged.items() if got[0] != "ok"}
    assert not wrong, wrong
    assert len(judged) == len(mapped()) >= 30


@pytest.mark.parametrize(
    ("data_year", "published", "item"),
    [(2566, 2566, "O29"), (2569, 2570, "O18")],
    ids=["fy2566-current-year", "fy2569-previous-year"],
)
def test_complaint_statistics_are_published_in_the_year_whose_item_covers_them(
    data_year: int, published: int, item: str
) -> None:
    """FY2566's O29 asks for the assessed year's complaints, FY2570's O18 (as FY2569's) for the previous year's:
    the year a dataset's document answers follows the item, not the kind's own period (previous_year)."""
    spec = kind_of("complaint_stats")
    assert publication_year(spec, data_year) == published
    assert dataset_year(spec, published) == data_year
    base = load_dataset_file(EXAMPLES / "complaints.yaml")
    doc = make(spec.code, shifted(base, data_year - base.fiscal_year))
    assert doc.title == next(i.title_th for i in get_framework(published).items if i.code == item)


def test_the_dataset_year_and_the_publication_year_agree_for_every_kind_and_framework_year() -> None:
    """A document made from a year's dataset is the one the web's kit page of the year it is published in makes
    (the reverse need not hold: FY2567's complaints answer both FY2567's O29 and FY2568's O19)."""
    from prongsai.kit import KINDS, load_kinds

    load_kinds()
    for spec in KINDS.values():
        for year in available_years():
            assert dataset_year(spec, publication_year(spec, year)) == year, (spec.code, year)

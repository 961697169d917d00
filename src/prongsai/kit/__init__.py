"""The document kit: the OIT documents an agency writes itself (the integrity declaration, the risk
assessment, the anti-corruption plan and its reports, the monthly procurement summaries, complaint and
service statistics, the HR policy and report, No Gift), drafted from the agency's own data.

``DATASETS`` and ``KINDS`` are the registries: every module in ``prongsai.kit.kinds`` registers its
datasets and kinds when imported (:func:`load_kinds` imports them all once). The shapes are in
prongsai.kit.base.

Pure core: no Django.
"""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil

from prongsai.errors import FrameworkError, InputError
from prongsai.framework import Coverage, Item
from prongsai.frameworks import get_framework
from prongsai.kit.base import ComposeOptions, Dataset, DatasetData, Kind, OfficialDoc
from prongsai.report import Say, provisional_line

__all__ = [
    "DATASETS",
    "KINDS",
    "answered_item",
    "dataset",
    "dataset_year",
    "item_for",
    "kind",
    "load_kinds",
    "make",
    "publication_year",
    "register_dataset",
    "register_kind",
]

DATASETS: dict[str, Dataset] = {}
KINDS: dict[str, Kind] = {}
_loaded = False


def register_dataset(item: Dataset) -> Dataset:
    if item.code in DATASETS and DATASETS[item.code] is not item:
        raise ValueError(f"dataset {item.code} registered twice")
    DATASETS[item.code] = item
    return item


def register_kind(item: Kind) -> Kind:
    if item.code in KINDS and KINDS[item.code] is not item:
        raise ValueError(f"document kind {item.code} registered twice")
    KINDS[item.code] = item
    return item


def load_kinds() -> None:
    """Import every module of prongsai.kit.kinds (each registers itself)."""
    global _loaded
    if _loaded:
        return
    from prongsai.kit import kinds as package

    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        importlib.import_module(f"{package.__name__}.{info.name}")
    _loaded = True


def dataset(code: str) -> Dataset:
    load_kinds()
    return DATASETS[code]


def kind(code: str) -> Kind:
    load_kinds()
    return KINDS[code]


def answered_item(kind_code: str, data_year: int) -> tuple[int, Item] | None:
    """The OIT item a document made from the dataset of ``data_year`` answers, by the item's own coverage, and
    the year it is published in, since the same kind covers the assessed year in one framework and the previous
    year in another (complaint statistics: FY2567 O29 the current year, FY2569 O18 the previous one): the item of
    ``data_year + 1`` that covers the previous year, else the item of ``data_year`` that covers its own year."""
    for year, coverage in ((data_year + 1, Coverage.PREVIOUS_YEAR), (data_year, Coverage.CURRENT_YEAR)):
        item = item_for(kind_code, year)
        if item is not None and item.coverage is coverage:
            return year, item
    return None


def publication_year(spec: Kind, data_year: int) -> int:
    """The fiscal year whose OIT item a document of ``spec`` made from the dataset of ``data_year`` answers: the
    answered item's year (:func:`answered_item`), else by the kind's period (a report on the previous year is
    published, and assessed, in the year after its data)."""
    answered = answered_item(spec.code, data_year)
    if answered is not None:
        return answered[0]
    return data_year + 1 if spec.period == "previous_year" else data_year


def dataset_year(spec: Kind, published: int) -> int:
    """The fiscal year of the dataset a document of ``spec`` published in ``published`` is made from (the
    reverse of :func:`publication_year`): by the coverage of the item it answers that year, else by its period."""
    item = item_for(spec.code, published)
    if item is not None and item.coverage in (Coverage.PREVIOUS_YEAR, Coverage.CURRENT_YEAR):
        previous = item.coverage is Coverage.PREVIOUS_YEAR
    else:
        previous = spec.period == "previous_year"
    return published - 1 if previous else published


def item_for(kind_code: str, fiscal_year: int) -> Item | None:
    """The OIT item of ``fiscal_year`` that the kind answers (framework data: ``document:`` on the item)."""
    try:
        framework = get_framework(fiscal_year)
    except FrameworkError:
        return None
    return next((item for item in framework.items if item.document == kind_code), None)


def make(kind_code: str, data: DatasetData, options: ComposeOptions | None = None) -> OfficialDoc:
    """The document ``kind_code`` from the agency's validated dataset: ร่าง until the dataset is reviewed, the
    framework's terms kept whole on a line, and the provisional-year sentence when the year it is published
    in has a provisional framework (as prongsai.documents.context.provisional_notice decides)."""
    from prongsai.documents.context import year_terms  # the documents package imports much: only when used

    options = options or ComposeOptions()
    try:
        spec = kind(kind_code)
    except KeyError:
        names = ", ".join(sorted(KINDS))
        raise InputError("", f"ไม่รู้จักเอกสารชนิด “{kind_code}” ชนิดที่ทำได้: {names}") from None
    if spec.dataset != data.dataset:
        wanted, given = dataset(spec.dataset).title_th, dataset(data.dataset).title_th
        raise InputError("", f"เอกสาร {spec.title_th} ทำจากชุดข้อมูล {wanted} ไม่ใช่ {given}")
    doc = spec.compose(data, options)
    year = publication_year(spec, data.fiscal_year)
    terms = {data.agency_name, *doc.terms} | year_terms(year)
    notice = ""
    try:
        framework = get_framework(year)
    except FrameworkError:
        framework = None
    if framework is not None and framework.provisional:
        notice = provisional_line(Say("th", thai_digits=options.thai_digits), framework)
    return dataclasses.replace(
        doc, draft=not data.reviewed, terms=tuple(sorted(t for t in terms if t)), notice=notice,
        thai_digits=options.thai_digits,
    )  # fmt: skip

"""The checker agrees with the kit (issue 19, part 3): each kit PDF of the integrity declaration, risk,
anti-corruption, HR and No Gift kinds, served on 127.0.0.1, is judged ``ok`` by prongsai's own checker for the
item its year's framework maps it to, and the same document made from a dataset of the wrong fiscal year is
judged ``out_of_date``."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from prongsai.kit import item_for, kind, make, publication_year
from prongsai.kit.base import DatasetData
from prongsai.kit.files import load_dataset_file
from prongsai.kit.render import pdf_bytes

from .statdocs import needs_pdf_tools, verdicts
from .test_kit_core import CASES as CORE_CASES

DATA = Path(__file__).parent / "data"
# The core tests' cases, but the gifts report on FY2567: FY2569 merges that report into O20, so the report on
# FY2568 answers no item; the report on FY2567 is FY2568's O22.
CASES = [(f, c) if c != "no_gift_report" else ("nogift-2567.yaml", c) for f, c in CORE_CASES]
WRONG_BY = -2  # fiscal years: a document two years old, as a site that forgot to update it shows


def _moved(value: Any, years: int) -> Any:
    """A value of a dataset ``years`` later: dates, B.E. years in text, and the updates inside a row."""
    if isinstance(value, dt.date):
        return value.replace(year=value.year + years)
    if isinstance(value, str):
        return re.sub(r"(?<![0-9])25[0-9][0-9](?![0-9])", lambda m: str(int(m.group(0)) + years), value)
    if isinstance(value, (tuple, list)):
        return tuple(_moved(v, years) for v in value)
    if isinstance(value, Mapping):
        return {k: _moved(v, years) for k, v in value.items()}
    return value


def moved(data: DatasetData, years: int) -> DatasetData:
    return dataclasses.replace(
        data,
        fiscal_year=data.fiscal_year + years,
        header=_moved(data.header, years),
        rows=tuple(_moved(r, years) for r in data.rows),
    )


@pytest.fixture(scope="module")
def judged() -> dict[str, tuple[str, str]]:
    served: dict[str, tuple[bytes, str, int]] = {}
    for file, code in CASES:
        data = load_dataset_file(DATA / file)
        year = publication_year(kind(code), data.fiscal_year)
        item = item_for(code, year)
        assert item is not None, (code, year)
        served[code] = (pdf_bytes(make(code, data)), item.code, year)
        # the same agency's document of two years before, published where this year's item asks for its own
        served[f"{code}-old"] = (pdf_bytes(make(code, moved(data, WRONG_BY))), item.code, year)
    return verdicts(served)


@needs_pdf_tools
@pytest.mark.parametrize("code", [c for _f, c in CASES])
def test_the_checker_judges_each_kit_document_ok_for_its_item(judged: dict[str, tuple[str, str]], code: str) -> None:
    assert judged[code][0] == "ok", judged[code]


@needs_pdf_tools
@pytest.mark.parametrize("code", [c for _f, c in CASES])
def test_a_kit_document_of_the_wrong_year_is_out_of_date(judged: dict[str, tuple[str, str]], code: str) -> None:
    assert judged[f"{code}-old"][0] == "out_of_date", judged[f"{code}-old"]

"""Framework files of FY2570 made from the shipped FY2569, for the tests of loading a year with data."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

import yaml

from prongsai.frameworks import DATA_DIR


def fy2570_text(*, drop: Collection[str] = (), merge: Mapping[str, list[str]] | None = None, **changes: Any) -> str:
    """FY2569's items as FY2570's, each continuing itself, except: ``drop`` (FY2569 codes nothing
    continues) and ``merge`` (a code → the codes it continues; the others leave the list). Items are
    numbered again O1, O2, … in order."""
    merge = merge or {}
    merged_away = {code for target, codes in merge.items() for code in codes if code != target}
    raw = yaml.safe_load((DATA_DIR / "fy2569.yaml").read_text(encoding="utf-8"))
    raw.update(fiscal_year=2570, period={"start": "2026-10-01", "end": "2027-09-30"})
    raw["name_th"] = raw["name_th"].replace("2569", "2570")
    number = 0
    for sub in raw["oit"]["sub_indicators"]:
        kept = []
        for item in sub["items"]:
            if item["code"] in drop or item["code"] in merged_away:
                continue
            number += 1
            item["continues"] = merge.get(item["code"], [item["code"]])
            item["code"] = f"O{number}"
            kept.append(item)
        sub["items"] = kept
    raw["oit"]["sub_indicators"] = [sub for sub in raw["oit"]["sub_indicators"] if sub["items"]]
    raw.update(changes)
    return yaml.safe_dump(raw, allow_unicode=True, sort_keys=False)

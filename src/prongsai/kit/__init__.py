"""The document kit: the OIT documents an agency writes itself (the integrity declaration, the risk
assessment, the anti-corruption plan and its reports, the monthly procurement summaries, complaint and
service statistics, the HR policy and report, No Gift), drafted from the agency's own data.

``DATASETS`` and ``KINDS`` are the registries: every module in ``prongsai.kit.kinds`` registers its
datasets and kinds when imported (:func:`load_kinds` imports them all once). The shapes are in
prongsai.kit.base.

Pure core: no Django.
"""

from __future__ import annotations

import importlib
import pkgutil

from prongsai.kit.base import Dataset, Kind

__all__ = ["DATASETS", "KINDS", "dataset", "kind", "load_kinds", "register_dataset", "register_kind"]

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

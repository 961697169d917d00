"""Load and validate the shipped framework files (one per fiscal year: ``fy2564.yaml`` …).

A new fiscal year is a new ``fy<B.E. year>.yaml`` in this folder and nothing else: the registry
discovers files by name.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from prongsai.errors import FrameworkError
from prongsai.framework import Framework

__all__ = ["DATA_DIR", "available_years", "field_path", "get_framework", "load_all", "load_framework"]

DATA_DIR = Path(__file__).parent
_FILE_NAME = re.compile(r"^fy(\d{4})\.yaml$")


def load_framework(path: Path) -> Framework:
    """Read and validate one framework file; any problem raises FrameworkError naming file, field and reason."""
    try:
        raw: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise FrameworkError(str(path), "", f"cannot read YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise FrameworkError(str(path), "", "the file must hold a mapping at the top level")
    try:
        framework = Framework.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = field_path(raw, first["loc"])
        raise FrameworkError(str(path), field, first["msg"]) from exc
    match = _FILE_NAME.match(path.name)
    if match and int(match.group(1)) != framework.fiscal_year:
        raise FrameworkError(
            str(path), "fiscal_year", f"is {framework.fiscal_year}, but the file name says {match.group(1)}"
        )
    return framework


def available_years() -> list[int]:
    return sorted(int(m.group(1)) for p in DATA_DIR.iterdir() if (m := _FILE_NAME.match(p.name)))


@functools.cache
def get_framework(fiscal_year: int) -> Framework:
    path = DATA_DIR / f"fy{fiscal_year}.yaml"
    if not path.exists():
        years = ", ".join(str(y) for y in available_years())
        raise FrameworkError("", "fiscal_year", f"no framework for fiscal year {fiscal_year}; available: {years}")
    return load_framework(path)


def load_all() -> list[Framework]:
    return [get_framework(year) for year in available_years()]


def field_path(raw: Any, loc: tuple[int | str, ...]) -> str:
    """A readable path for an error location: list positions become the element's code where it has one."""
    parts: list[str] = []
    node = raw
    for key in loc:
        if isinstance(key, int) and isinstance(node, list) and 0 <= key < len(node):
            node = node[key]
            label = node.get("code", node.get("number", node.get("grade"))) if isinstance(node, dict) else None
            parts.append(f"[{label}]" if label is not None else f"[{key}]")
        else:
            node = node.get(key) if isinstance(node, dict) else None
            parts.append(f".{key}" if parts else str(key))
    return "".join(parts)

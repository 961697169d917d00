"""Where each fiscal year's framework comes from, and loading it.

Three sources, in this order of precedence:

- **loaded**: a file an administrator added (``prongsai frameworks add FILE`` or the web's upload page),
  kept in the frameworks folder of the data directory (``PRONGSAI_FRAMEWORKS_DIR``, by default
  ``$PRONGSAI_MEDIA_DIR/frameworks``, i.e. ``$PRONGSAI_DATA_DIR/media/frameworks``). The NACC publishes a
  year's manual weeks before the round, so a new year must not wait for a release. The folder sits with
  the uploads, so the backup carries it and every machine that shares the uploads (Celery workers) sees it.
- **shipped**: ``fy<B.E. year>.yaml`` beside this module.
- **provisional**: every year after the last known one up to the current fiscal year, made from the last
  known year, so that an agency can start its register and plan in October before the manual is out.

Every process reads the folder again when a file in it changes (a stat per lookup), so a year added by
one process is used by the others from their next lookup.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import os
import re
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import ValidationError

from prongsai.errors import FrameworkError
from prongsai.framework import Framework
from prongsai.inputfiles import load_yaml, yaml_problem_th
from prongsai.thai import fiscal_period, fiscal_year_of, thai_date

__all__ = [
    "DATA_DIR",
    "FrameworkSource",
    "add_framework",
    "available_years",
    "check_continuity",
    "current_fiscal_year",
    "field_path",
    "forget_sources",
    "get_framework",
    "load_all",
    "load_framework",
    "loaded_dir",
    "parse_framework",
    "source_of",
    "sources",
    "sources_stamp",
]

DATA_DIR = Path(__file__).parent  # the shipped files
_FILE_NAME = re.compile(r"^fy(\d{4})\.yaml$")
SourceKind = Literal["shipped", "loaded", "provisional"]


@dataclass(frozen=True)
class FrameworkSource:
    """Where one year's framework comes from; ``loaded_at``/``loaded_by`` only for loaded files."""

    fiscal_year: int
    kind: SourceKind
    path: Path | None = None
    loaded_at: dt.datetime | None = None
    loaded_by: str = ""
    based_on: int | None = None  # provisional: the last known year it was made from
    digest: str = ""  # loaded: the file's sha256, so that a replaced file is a different source

    @property
    def label_th(self) -> str:
        if self.kind == "loaded":
            when = thai_date(self.loaded_at.astimezone(), thai_digits=False, style="short") if self.loaded_at else ""
            by = f" โดย {self.loaded_by}" if self.loaded_by else ""
            return f"เพิ่มเมื่อ {when}{by}".strip()
        if self.kind == "provisional":
            return f"ชั่วคราว (จากกรอบปี {self.based_on} จนกว่าจะมีคู่มือของปีนี้)"
        return "มากับโปรแกรม"

    @property
    def label_en(self) -> str:
        if self.kind == "loaded":
            when = self.loaded_at.date().isoformat() if self.loaded_at else ""
            return f"loaded {when}" + (f" by {self.loaded_by}" if self.loaded_by else "")
        if self.kind == "provisional":
            return f"provisional (from FY{self.based_on} until the year's manual is out)"
        return "shipped"


def current_fiscal_year(today: dt.date | None = None) -> int:
    return fiscal_year_of(today or dt.date.today())


def loaded_dir() -> Path:
    """The folder of frameworks added by administrators (see the module's docstring)."""
    if folder := os.environ.get("PRONGSAI_FRAMEWORKS_DIR"):
        return Path(folder)
    if media := os.environ.get("PRONGSAI_MEDIA_DIR"):
        return Path(media) / "frameworks"
    return Path(os.environ.get("PRONGSAI_DATA_DIR") or Path.cwd() / "var") / "media" / "frameworks"


# --- reading one file ----------------------------------------------------------------------------


def parse_framework(text: str, source: str) -> Framework:
    """Validate a framework file's text; any problem raises FrameworkError naming the field and reason."""
    try:
        raw: Any = load_yaml(text)
    except yaml.YAMLError as exc:
        raise FrameworkError(source, "", yaml_problem_th(exc)) from exc
    if not isinstance(raw, dict):
        raise FrameworkError(
            source,
            "",
            "ไฟล์กรอบการประเมินต้องเป็นชุดของช่อง (mapping) ตั้งแต่บรรทัดแรก เช่น fiscal_year: 2569: เริ่มจากไฟล์ของปีก่อน "
            "(the file must hold a mapping at the top level)",
        )
    try:
        return Framework.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise FrameworkError(source, field_path(raw, first["loc"]), _reason_th(first["type"], first["msg"])) from exc


# pydantic's error types as a person can act on them; pydantic's own words follow in parentheses
_REASONS_TH = {
    "missing": "ขาดช่องนี้ เพิ่มช่องนี้ตามไฟล์กรอบการประเมินของปีก่อน",
    "extra_forbidden": "ไม่รู้จักช่องนี้ ตรวจการสะกดชื่อช่อง หรือลบออก",
    "literal_error": "ค่านี้ไม่อยู่ในรายการค่าที่ใช้ได้",
    "enum": "ค่านี้ไม่อยู่ในรายการค่าที่ใช้ได้",
    "string_pattern_mismatch": "รูปแบบของค่าไม่ถูกต้อง",
    "value_error": "ค่าในช่องนี้ขัดกับกติกาของกรอบการประเมิน",
    "assertion_error": "ค่าในช่องนี้ขัดกับกติกาของกรอบการประเมิน",
}


def _reason_th(kind: str, message: str) -> str:
    if kind in _REASONS_TH:
        thai = _REASONS_TH[kind]
    elif kind.endswith(("_type", "_parsing")):
        thai = "ชนิดของค่าไม่ถูกต้อง (เช่น ต้องเป็นตัวเลข ข้อความ หรือรายการ)"
    else:
        thai = "ค่าในช่องนี้ใช้ไม่ได้"
    return f"{thai}: แก้แล้วตรวจไฟล์อีกครั้ง ({message})"


def load_framework(path: Path) -> Framework:
    """Read and validate one framework file; any problem raises FrameworkError naming file, field and reason."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise FrameworkError(
            str(path), "", "ไฟล์ต้องเป็นข้อความ UTF-8: บันทึกไฟล์ YAML เป็น UTF-8 (the file must be UTF-8 text)"
        ) from exc
    except OSError as exc:
        raise FrameworkError(str(path), "", f"เปิดไฟล์ไม่ได้ (cannot read the file): {exc.strerror}") from exc
    framework = parse_framework(text, str(path))
    match = _FILE_NAME.match(path.name)
    if match and int(match.group(1)) != framework.fiscal_year:
        raise FrameworkError(
            str(path),
            "fiscal_year",
            f"เป็นปี {framework.fiscal_year} แต่ชื่อไฟล์บอกปี {match.group(1)}: แก้ให้ตรงกัน "
            f"(is {framework.fiscal_year}, but the file name says {match.group(1)})",
        )
    return framework


def check_continuity(framework: Framework, previous: Framework | None, source: str = "") -> None:
    """Every item's ``continues`` must name items that exist in the previous year."""
    if previous is None:
        return
    known = {item.code for item in previous.items}
    for item in framework.items:
        missing = [code for code in item.continues or () if code not in known]
        if missing:
            raise FrameworkError(
                source,
                f"oit.{item.code}.continues",
                f"อ้างถึงข้อ {', '.join(missing)} ซึ่งปีงบประมาณ {previous.fiscal_year} ไม่มี (มีข้อ O1–O{len(known)}): "
                f"แก้ให้เป็นข้อของปีก่อน (names {', '.join(missing)}, which fiscal year {previous.fiscal_year} "
                f"does not have; its items are O1…O{len(known)})",
            )


# --- the sources ---------------------------------------------------------------------------------


def _files(folder: Path) -> dict[int, Path]:
    try:
        entries = list(folder.iterdir())
    except OSError:
        return {}
    return {int(m.group(1)): p for p in entries if (m := _FILE_NAME.match(p.name))}


def _meta(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


_SOURCES_FOR = 1.0  # seconds a process trusts its listing of the folders (pages look years up many times)
_listing: tuple[float, str, int, dict[int, FrameworkSource]] | None = None


def sources(today: dt.date | None = None) -> dict[int, FrameworkSource]:
    """Every fiscal year prongsai knows, by year: loaded files over shipped ones, then provisional years."""
    global _listing
    now, folder, year = time.monotonic(), str(loaded_dir()), current_fiscal_year(today)
    if _listing is not None and now - _listing[0] < _SOURCES_FOR and _listing[1:3] == (folder, year):
        return _listing[3]
    found = _list_sources(year)
    _listing = (now, folder, year, found)
    return found


def sources_stamp() -> str:
    """A short text that changes whenever any year's framework does (a file loaded or replaced, a new
    provisional year): what a cache of pages built from frameworks is keyed by."""
    text = "|".join(f"{year}:{s.kind}:{s.based_on or ''}:{s.digest}" for year, s in sources().items())
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def forget_sources() -> None:
    """Read the folders again at the next lookup (after this process added a file)."""
    global _listing
    _listing = None


def _list_sources(current_year: int) -> dict[int, FrameworkSource]:
    found: dict[int, FrameworkSource] = {
        year: FrameworkSource(year, "shipped", path) for year, path in _files(DATA_DIR).items()
    }
    for year, path in _files(loaded_dir()).items():
        meta = _meta(path)
        loaded_at = _parse_time(meta.get("loaded_at"))
        found[year] = FrameworkSource(
            year, "loaded", path, loaded_at, str(meta.get("loaded_by", "")), digest=str(meta.get("sha256", ""))
        )
    if found:
        last = max(found)
        for year in range(last + 1, current_year + 1):
            found[year] = FrameworkSource(year, "provisional", based_on=last)
    return dict(sorted(found.items()))


def _parse_time(value: Any) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def source_of(fiscal_year: int) -> FrameworkSource:
    found = sources()
    if fiscal_year not in found:
        years = ", ".join(str(y) for y in found)
        raise FrameworkError(
            "",
            "fiscal_year",
            f"ยังไม่มีกรอบการประเมินของปีงบประมาณ {fiscal_year} (มีปี {years}); ผู้ดูแลระบบเพิ่มได้ด้วย "
            f"prongsai frameworks add หรือหน้าเพิ่มกรอบการประเมิน "
            f"(no framework for fiscal year {fiscal_year}; available: {years})",
        )
    return found[fiscal_year]


def available_years() -> list[int]:
    return list(sources())


def get_framework(fiscal_year: int) -> Framework:
    source = source_of(fiscal_year)
    if source.kind == "provisional":
        assert source.based_on is not None
        return _provisional(fiscal_year, source.based_on, _stamp(source_of(source.based_on)))
    assert source.path is not None
    return _read(source.path, _stamp(source))


def _stamp(source: FrameworkSource) -> tuple[Any, ...]:
    """What identifies a file's content for the cache: it changes when the file is replaced."""
    if source.path is None:
        return (source.fiscal_year, source.based_on)
    try:
        stat = source.path.stat()
    except OSError:
        return (str(source.path),)
    return (str(source.path), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=64)
def _read(path: Path, stamp: tuple[Any, ...]) -> Framework:
    return load_framework(path)


@functools.lru_cache(maxsize=16)
def _provisional(fiscal_year: int, based_on: int, base_stamp: tuple[Any, ...]) -> Framework:
    """The last known year's framework carried to ``fiscal_year``: every item continues itself."""
    base = get_framework(based_on)
    data = base.model_dump(mode="json", by_alias=True)
    start, end = fiscal_period(fiscal_year)
    data.update(
        fiscal_year=fiscal_year,
        period={"start": start.isoformat(), "end": end.isoformat()},
        name_th=base.name_th.replace(str(based_on), str(fiscal_year)),
        name_en=base.name_en.replace(str(based_on), str(fiscal_year)),
        family=f"provisional, from FY{based_on}",
        confidence="provisional: the NACC's manual of this year is not out; everything is the last known year's",
        notes=[
            f"Provisional: made by prongsai from the FY{based_on} framework because the NACC's manual for "
            f"FY{fiscal_year} is not out. It is replaced when an administrator loads the real file.",
            *base.notes,
        ],
        schedule={},
        provisional=True,
        based_on=based_on,
    )
    for sub in data["oit"]["sub_indicators"]:
        for item in sub["items"]:
            item["continues"] = [item["code"]]
    return Framework.model_validate(data)


def load_all() -> list[Framework]:
    return [get_framework(year) for year in available_years()]


# --- adding a year -------------------------------------------------------------------------------


def add_framework(text: str, *, source: str, loaded_by: str = "", dry_run: bool = False) -> Framework:
    """Validate a framework file as the shipped ones are and keep it in the frameworks folder.

    A bad file is refused whole with a FrameworkError naming the field and the reason; nothing changes.
    ``dry_run`` validates only (the web's preview before a year with agency data is replaced)."""
    framework = parse_framework(text, source)
    if framework.provisional:
        raise FrameworkError(
            source,
            "provisional",
            "ไฟล์ที่เพิ่มต้องเป็นกรอบจริงของปีนั้น: ลบช่อง provisional ออก "
            "(a loaded file is the year's real framework: remove provisional)",
        )
    previous_year = framework.fiscal_year - 1
    previous = get_framework(previous_year) if previous_year in sources() else None
    check_continuity(framework, previous, source)
    if dry_run:
        return framework
    folder = loaded_dir()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"fy{framework.fiscal_year}.yaml"
    meta = {
        "loaded_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "loaded_by": loaded_by,
        "source": Path(source).name,
        "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
    }
    _write_atomically(target.with_suffix(".json"), json.dumps(meta, ensure_ascii=False, indent=2))
    _write_atomically(target, text)
    forget_sources()
    return framework


def _write_atomically(target: Path, text: str) -> None:
    # Other processes stat and read the folder at any time: they must see the old file or the new, never half.
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=target.parent, delete=False, suffix=".tmp") as tmp:
        tmp.write(text)
    os.replace(tmp.name, target)


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

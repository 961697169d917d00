"""Where the shipped example files are: inside the installed package, or examples/ of a checkout."""

from __future__ import annotations

from pathlib import Path

from prongsai.errors import ProngsaiError

__all__ = ["example_path"]


def example_path(name: str) -> Path:
    here = Path(__file__).resolve().parent
    for folder in (here / "examples", here.parents[1] / "examples"):
        if (folder / name).exists():
            return folder / name
    raise ProngsaiError(f"ไม่พบไฟล์ตัวอย่าง {name} (example file not found)")

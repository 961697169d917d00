"""The ``prongsai`` package imports its public names on first use, so that the checker starts fast."""

from __future__ import annotations

import subprocess
import sys

import pytest

import prongsai


def _fresh(code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()


def test_the_checker_does_not_import_the_scoring_stack() -> None:
    # NumPy and pydantic (analysis, results, frameworks) took 0.65 s of every checker start-up, PyThaiNLP 0.06 s.
    heavy = ("numpy", "pydantic", "pythainlp", "prongsai.analysis", "prongsai.scoring")
    loaded = _fresh(
        "import sys, prongsai.checker.fetch, prongsai.checker.reading; "
        f"print(sorted(m for m in {heavy!r} if m in sys.modules))"
    )
    assert loaded == "[]"


def test_the_public_names_are_there_on_first_use() -> None:
    assert _fresh("from prongsai import score, Framework; print(score.__module__, Framework.__module__)") == (
        "prongsai.scoring prongsai.framework"
    )
    for name in prongsai.__all__:
        assert getattr(prongsai, name) is getattr(sys.modules[prongsai._MODULES[name]], name)
    assert set(prongsai.__all__) <= set(dir(prongsai))


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no_such_name"):
        prongsai.no_such_name  # type: ignore[attr-defined]  # noqa: B018

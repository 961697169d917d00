"""prongsai (โปร่งใส): a Thai agency's yearly ITA integrity and transparency cycle.

The core is pure Python (no Django): frameworks as data, scoring, analysis and the planner.

The public names below are imported on first use (PEP 562), so that ``import prongsai.checker.fetch`` does
not pay for NumPy and pydantic; ``from prongsai import score`` works as before.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from prongsai.analysis import Analysis, analyze
    from prongsai.errors import FrameworkError, InputError, ProngsaiError
    from prongsai.framework import Framework, Indicator, Item, Question, SubIndicator
    from prongsai.frameworks import available_years, get_framework, load_framework
    from prongsai.planner import Plan, plan
    from prongsai.results import Results, load_answers, load_results
    from prongsai.scoring import ScoreResult, item_worth, oit_scores, score
    from prongsai.survey import layout_for, score_answers

# Each public name → the module that defines it.
_MODULES = {
    "Analysis": "prongsai.analysis",
    "analyze": "prongsai.analysis",
    "FrameworkError": "prongsai.errors",
    "InputError": "prongsai.errors",
    "ProngsaiError": "prongsai.errors",
    "Framework": "prongsai.framework",
    "Indicator": "prongsai.framework",
    "Item": "prongsai.framework",
    "Question": "prongsai.framework",
    "SubIndicator": "prongsai.framework",
    "available_years": "prongsai.frameworks",
    "get_framework": "prongsai.frameworks",
    "load_framework": "prongsai.frameworks",
    "Plan": "prongsai.planner",
    "plan": "prongsai.planner",
    "Results": "prongsai.results",
    "load_answers": "prongsai.results",
    "load_results": "prongsai.results",
    "ScoreResult": "prongsai.scoring",
    "item_worth": "prongsai.scoring",
    "oit_scores": "prongsai.scoring",
    "score": "prongsai.scoring",
    "layout_for": "prongsai.survey",
    "score_answers": "prongsai.survey",
}

__all__ = [
    "Analysis",
    "Framework",
    "FrameworkError",
    "Indicator",
    "InputError",
    "Item",
    "Plan",
    "ProngsaiError",
    "Question",
    "Results",
    "ScoreResult",
    "SubIndicator",
    "analyze",
    "available_years",
    "get_framework",
    "item_worth",
    "layout_for",
    "load_answers",
    "load_framework",
    "load_results",
    "oit_scores",
    "plan",
    "score",
    "score_answers",
]


def __getattr__(name: str) -> Any:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module 'prongsai' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later look-ups skip __getattr__
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})

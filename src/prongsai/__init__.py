"""prongsai (โปร่งใส): a Thai agency's yearly ITA integrity and transparency cycle.

The core is pure Python (no Django): frameworks as data, scoring, analysis and the planner.
"""

from prongsai.analysis import Analysis, analyze
from prongsai.errors import FrameworkError, InputError, ProngsaiError
from prongsai.framework import Framework, Indicator, Item, Question, SubIndicator
from prongsai.frameworks import available_years, get_framework, load_framework
from prongsai.planner import Plan, plan
from prongsai.results import Results, load_answers, load_results
from prongsai.scoring import ScoreResult, item_worth, oit_scores, score
from prongsai.survey import layout_for, score_answers

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

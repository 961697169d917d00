"""The indicator chart of the measures document: no label crossed by the pass line, below-mark bars told apart
without colour (grayscale print), and the picture's alternative text in the DOCX."""

from __future__ import annotations

import io

import docx
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from prongsai.documents import load_document_data, make_docx
from prongsai.documents.chart import chart_description, draw_chart
from prongsai.examples import example_path
from prongsai.frameworks import get_framework
from prongsai.results import Results

DOCPR = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"


def _result(year: int, scores: list[float]) -> Results:
    return Results("test", get_framework(year), dict(enumerate(scores, start=1)))


SCORES = [
    [84.9, 85.0, 84.2, 83.5, 86.0, 80.1, 100.0, 85.01, 31.25, 0.0],  # labels that would sit on the line
    [90.0] * 10,
    [40.0, 55.5, 60.0, 70.0, 75.0, 79.0, 81.0, 82.5, 83.9, 84.99],
]


@pytest.mark.parametrize("year", [2564, 2568])
@pytest.mark.parametrize("scores", SCORES)
def test_no_label_is_crossed_by_the_pass_line(year: int, scores: list[float]) -> None:
    result = _result(year, scores).score()
    figure = draw_chart(result, dpi=100)
    renderer = FigureCanvasAgg(figure).get_renderer()  # type: ignore[no-untyped-call]
    (axes,) = figure.axes
    line = axes.transData.transform((result.framework.pass_mark, 0))[0]
    texts = [*axes.texts, *axes.get_yticklabels()]
    crossed = [
        t.get_text() for t in texts if t.get_window_extent(renderer).x0 <= line <= t.get_window_extent(renderer).x1
    ]
    assert not crossed, crossed
    # a reader without colour tells a bar below the mark by its hatching; each bar is labelled with its score
    bars = axes.patches
    mark = result.framework.pass_mark
    for bar, indicator in zip(bars, reversed(result.indicators), strict=True):
        assert bool(bar.get_hatch()) == (indicator.score < mark)
    assert len(axes.texts) == len(bars) + 1 and figure.legends


def test_the_chart_has_alternative_text_in_the_docx() -> None:
    data = load_document_data(example_path("songkhanong-2565-plan.yaml"))
    document = docx.Document(io.BytesIO(make_docx("measures", data)))
    (picture,) = document.element.body.iter(DOCPR)
    described = picture.get("descr")
    assert described == chart_description(data.require_results().score())
    assert "เกณฑ์ ๘๕ คะแนน" in described and "การป้องกันการทุจริต ๓๑.๒๕" in described
    assert "\u2060" not in described

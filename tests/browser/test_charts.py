"""Charts in the real browser: with Chromium's own font measurements, the axis titles
never overlap the tick labels, and the ticks are nice numbers written alike."""

import pytest

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from test_line_chart import overlap  # noqa: E402

pytestmark = pytest.mark.browser

DRAW_CHART = """async ([width, values, yLabel, yUnit]) => {
    const { LineChart } = await import("./js/widgets/line-chart.js");
    const box = document.createElement("div");
    box.style.width = `${width}px`;
    document.querySelector("main").append(box);
    const chart = new LineChart(box, { label: "Test chart", xLabel: "Epochs trained", yLabel, yUnit,
                                       includeZero: true });
    values.forEach((v, i) => chart.addPoint("run", "Run", (i + 1) / values.length, v));
    chart.drawNow();
    const layout = chart.layout;
    box.remove();
    return layout;
}"""


CASES = [([0.13, 0.11, 0.09, 0.07, 0.05], "Cost per sample", ""),
         ([2.3e-4, 1.1e-4, 4e-5], "Cost per sample", ""),
         ([91.2, 95.5, 97.8], "Test accuracy", "%")]


def test_titles_and_labels_do_not_overlap(app):
    page = app(wait_ready=False)         # the chart module needs no Python
    for width in (640, 330):
        for values, y_label, unit in CASES:
            layout = page.evaluate(DRAW_CHART, [width, values, y_label, unit])
            texts = layout["texts"]
            assert {t["kind"] for t in texts} == {"yTitle", "yTick", "xTick", "xTitle"}
            for i, a in enumerate(texts):
                for b in texts[i + 1:]:
                    assert not overlap(a["box"], b["box"]), (width, a, b)
            labels = [t["text"] for t in texts if t["kind"] == "yTick"]
            decimals = {len(label.rstrip("%").partition(".")[2]) for label in labels}
            assert len(decimals) == 1, labels

"""The chart widget's pure parts under Node: ticks are nice numbers (1, 2 or 5 × 10^k
steps) with labels written the same way, and the layout keeps axis titles and tick
labels apart (web/js/widgets/line-chart.js)."""

import math
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def result(node_check):
    return node_check("check_charts.mjs", {"line-chart.js": ROOT / "web" / "js" / "widgets" / "line-chart.js"})


def scale(result, lo, hi):
    return next(s for s in result["scales"] if (s["lo"], s["hi"]) == (lo, hi))


def is_nice(step):
    mantissa = step / 10 ** math.floor(math.log10(step) + 1e-9)
    return any(abs(mantissa - m) < 1e-9 for m in (1, 2, 5))


@pytest.mark.parametrize("lo, hi, labels", [
    (0.05, 0.13, ["0.04", "0.06", "0.08", "0.10", "0.12", "0.14"]),
    (0, 100, ["0", "20", "40", "60", "80", "100"]),
    (90.1, 97.8, ["90", "92", "94", "96", "98"]),
    (0, 2.3e-4, ["0.00000", "0.00005", "0.00010", "0.00015", "0.00020", "0.00025"]),
    (-0.3, 0.7, ["-0.4", "-0.2", "0.0", "0.2", "0.4", "0.6", "0.8"]),
    (0, 30, ["0", "5", "10", "15", "20", "25", "30"]),
    (1e6, 3.5e6, ["1000000", "1500000", "2000000", "2500000", "3000000", "3500000"]),
])
def test_ticks_are_nice_numbers_written_alike(result, lo, hi, labels):
    s = scale(result, lo, hi)
    assert s["labels"] == labels
    assert is_nice(s["step"]), s["step"]
    assert s["min"] <= lo and s["max"] >= hi


def test_every_range_gets_even_nice_ticks_covering_it(result):
    for s in result["scales"]:
        ticks, step = s["ticks"], s["step"]
        assert is_nice(step), s
        assert 3 <= len(ticks) <= 12, s
        assert all(abs((b - a) - step) < step * 1e-9 for a, b in zip(ticks, ticks[1:])), s
        assert all(abs(t / step - round(t / step)) < 1e-6 for t in ticks), s
        assert len({len(label.split(".")[-1]) if "." in label else 0 for label in s["labels"]}) == 1, s
        assert len(set(s["labels"])) == len(s["labels"]), s
        assert s["ticks"][0] <= s["lo"] and s["ticks"][-1] >= s["hi"], s


def test_a_single_value_and_equal_bounds_are_widened(result):
    for lo in (0.13, 0, 3):
        s = scale(result, lo, lo)
        assert s["ticks"][0] < lo < s["ticks"][-1], s
    assert scale(result, 0, 0)["labels"][0] == "-1.0"


def test_a_clamped_axis_never_reaches_past_its_clamps(result):
    for s in result["clamped"]:
        floor = s["options"].get("clampMin", -math.inf)
        ceiling = s["options"].get("clampMax", math.inf)
        assert floor <= s["min"] <= s["lo"] and s["hi"] <= s["max"] <= ceiling, s
        assert s["min"] < s["max"] and len(s["ticks"]) >= 3, s
        assert all(floor <= t <= ceiling for t in s["ticks"]), s
        assert all(s["min"] <= t <= s["max"] for t in s["ticks"]), s
        assert is_nice(s["step"]), s


def test_one_accuracy_point_gets_a_percentage_axis(result):
    # Clear charts mid-run leaves one point at about 93%: 80-100%, not 80-105%.
    s = next(s for s in result["clamped"] if (s["lo"], s["hi"]) == (93, 93))
    assert (s["min"], s["max"]) == (80, 100) and s["ticks"] == [80, 85, 90, 95, 100], s


def test_integer_axes_step_by_whole_numbers(result):
    s = result["integerScale"]
    assert s["step"] == 1 and s["labels"] == ["0", "1", "2", "3"]


def overlap(a, b):
    return a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]


def test_axis_titles_never_overlap_tick_labels(result):
    for layout in result["layouts"] + [result["empty"]]:
        texts = layout["texts"]
        for i, a in enumerate(texts):
            for b in texts[i + 1:]:
                assert not overlap(a["box"], b["box"]), (layout.get("yLabel"), layout.get("width"), a, b)
        plot = layout["plot"]
        for t in texts:
            assert t["box"]["left"] >= 0, t
            inside = (plot["left"] < t["box"]["right"] and t["box"]["left"] < plot["left"] + plot["width"]
                      and plot["top"] < t["box"]["bottom"] and t["box"]["top"] < plot["top"] + plot["height"])
            assert not inside, ("a label sits inside the plot", t)


def test_the_plot_makes_room_for_the_widest_label(result):
    small = next(l for l in result["layouts"] if l["yLabel"] == "Cost per sample" and l["width"] == 640)
    y_ticks = [t for t in small["texts"] if t["kind"] == "yTick"]
    title = next(t for t in small["texts"] if t["kind"] == "yTitle")
    assert y_ticks and min(t["box"]["left"] for t in y_ticks) >= title["box"]["right"]
    kinds = {t["kind"] for t in small["texts"]}
    assert kinds == {"yTitle", "yTick", "xTick", "xTitle"}


def test_a_line_that_goes_on_from_an_earlier_x_replaces_its_later_points(result):
    assert result["line"] == [{"x": 0.5, "y": 0}, {"x": 1, "y": 1}, {"x": 1.1, "y": 4},
                              {"x": 1.6, "y": 5}, {"x": 2, "y": 7}]

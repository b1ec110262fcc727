"""The page's pure modules (web/js/settings/settings.js, web/js/share/url-state.js) run under Node:
settings are parsed and validated with the documented limits, links round-trip, and a
malformed link is ignored with notices instead of an exception."""

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from pycore import settings as py_settings  # noqa: E402
JS = ROOT / "web" / "js"


@pytest.fixture(scope="module")
def result(node_check):
    return node_check("check_modules.mjs", {
        "settings/settings.js": JS / "settings" / "settings.js",
        "share/url-state.js": JS / "share" / "url-state.js",
        "settings/describe.js": JS / "settings" / "describe.js",
        "train/advice.js": JS / "train" / "advice.js",
        "settings_cases.json": ROOT / "tests" / "settings_cases.json"})


def field(result, name, text):
    for n, t, parsed in result["fields"]:
        if (n, t) == (name, text):
            return parsed
    raise KeyError((name, text))


@pytest.mark.parametrize("name, text, value", [
    ("hidden", "30", [30]), ("hidden", "100, 30", [100, 30]), ("hidden", "100 30", [100, 30]),
    ("epochs", "1", 1), ("epochs", "100", 100), ("epochs", " 7 ", 7), ("batch", "1000", 1000),
    ("eta", "1e-3", 0.001), ("eta", "100", 100), ("samples", "50000", 50000), ("lmbda", "0", 0),
    ("cost", "cross-entropy", "cross-entropy"), ("init", "scaled", "scaled"),
    ("seed", "0", 0), ("seed", "2147483647", 2147483647),
])
def test_valid_values_parse(result, name, text, value):
    assert field(result, name, text) == {"ok": True, "value": value}


@pytest.mark.parametrize("name, text, words", [
    ("hidden", "1,2,3,4,5", "1 to 4 hidden layers"), ("hidden", "2000", "1 to 1024 units"),
    ("hidden", "30, abc", "whole numbers"), ("hidden", "", "required"), ("hidden", "0", "1 to 1024"),
    ("epochs", "101", "1 to 100"), ("epochs", "2.5", "whole number"), ("batch", "0", "1 to 1000"),
    ("eta", "0", "greater than 0"), ("eta", "100.5", "at most 100"), ("eta", "-1", "greater than 0"),
    ("eta", "abc", "must be a number"), ("samples", "99", "100 to 50000"), ("lmbda", "1000.1", "0 to 1000"),
    ("cost", "hinge", "quadratic, cross-entropy"), ("seed", "2147483648", "out of range"),
    ("seed", "-1", "whole number"),
])
def test_invalid_values_are_refused_with_a_sentence(result, name, text, words):
    parsed = field(result, name, text)
    assert parsed["ok"] is False
    assert words in parsed["message"]
    assert parsed["message"][0].isupper() and parsed["message"].endswith(".")


def test_defaults_are_the_books_first_experiment(result):
    assert result["defaults"] == {"ok": True, "errors": {}, "settings": {
        "hidden": [30], "epochs": 30, "batch": 10, "eta": 3, "samples": 50000, "mine": "off",
        "cost": "quadratic", "act": "sigmoid", "out": "sigmoid", "lmbda": 0, "reg": "l2", "mu": 0, "dropout": 0, "expand": "off", "schedule": "fixed", "patience": 10, "init": "large", "seed": 1}}


def test_batch_larger_than_samples_is_refused(result):
    assert result["batchOverSamples"]["ok"] is False
    assert "batch" in result["batchOverSamples"]["errors"]


def test_step_work_limit_matches_python(result):
    sizes = [784, 1024, 1024, 1024, 1024, 10]
    assert result["params"] == sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:]))
    assert result["bigButFine"]["ok"] is True
    assert result["hugeStep"]["ok"] is False
    assert "at most 12 samples per mini-batch" in result["hugeStep"]["errors"]["batch"]
    payload = dict(result["bigButFine"]["settings"])
    assert py_settings.parse_settings(payload)["batch"] == 12
    with pytest.raises(ValueError, match="at most 12 samples per mini-batch"):
        py_settings.parse_settings(dict(payload, batch=13))


def test_weight_decay_must_stay_positive(result):
    assert result["decayFine"]["ok"] is True
    assert result["decayNegative"]["ok"] is False
    assert "below 100" in result["decayNegative"]["errors"]["lmbda"]


def test_run_label_names_the_key_settings(result):
    assert result["label"] == "η=0.5, 100-30 hidden, cross-entropy"


def test_hash_written_and_read_back(result):
    assert result["hash"] == ("#hidden=100,30&epochs=30&batch=10&eta=3&samples=50000&mine=off&cost=quadratic"
                              "&act=sigmoid&out=sigmoid&lmbda=0&reg=l2&mu=0&dropout=0&expand=off&schedule=fixed&patience=10&init=large&seed=1")
    hashes = dict((h, r) for h, r in result["hashes"])
    assert hashes[""] == {"values": {}, "autorun": False, "view": None, "notices": []}
    assert hashes["#"] == {"values": {}, "autorun": False, "view": None, "notices": []}
    full = hashes["#hidden=40,20&epochs=2&batch=20&eta=0.5&samples=2000&cost=cross-entropy&lmbda=1.5"
                  "&init=scaled&seed=5"]
    assert full["notices"] == []
    assert full["values"] == {"hidden": [40, 20], "epochs": 2, "batch": 20, "eta": 0.5, "samples": 2000,
                              "cost": "cross-entropy", "lmbda": 1.5, "init": "scaled", "seed": 5}
    assert result["share"] == "http://127.0.0.1/digit-lab/" + result["hash"].replace("100,30", "30")


def test_malformed_links_are_ignored_with_notices(result):
    hashes = dict((h, r) for h, r in result["hashes"])
    bad = hashes["#epochs=abc&hidden=-3&eta=&batch=1e9&foo=bar&cost=<img src=x onerror=alert(1)>"]
    assert bad["values"] == {}
    assert len(bad["notices"]) == 6
    assert any("foo" in n for n in bad["notices"])
    encoded = hashes["#eta=%E0%A4%A&autorun=1"]
    assert encoded["values"] == {} and encoded["autorun"] is True
    assert "not properly encoded" in encoded["notices"][0]
    odd = hashes["#autorun=maybe&&=&seed=7"]
    assert odd["values"] == {"seed": 7} and odd["autorun"] is False and len(odd["notices"]) == 1
    assert result["nonString"] == {"values": {}, "autorun": False, "view": None, "notices": []}


def test_javascript_and_python_accept_and_refuse_the_same_settings(result):
    """The same list of cases (tests/settings_cases.json) through settings.js and
    pycore/settings.py: the same fields refused, the same settings accepted, and
    Python accepts the values the page sends (numbers and lists, not text) alike."""
    cases = json.loads((ROOT / "tests" / "settings_cases.json").read_text())["cases"]
    assert len(result["cases"]) == len(cases)
    refused_somewhere = 0
    for (texts, refused), js in zip(cases, result["cases"]):
        defaults = {name: ", ".join(map(str, v)) if isinstance(v, list) else str(v)
                    for name, v in py_settings.DEFAULTS.items()}
        try:
            py = {"ok": True, "settings": py_settings.parse_settings(dict(defaults, **texts)),
                  "errors": {}}
        except py_settings.SettingsError as e:
            py = {"ok": False, "settings": None, "errors": e.errors}
        assert sorted(js["errors"]) == sorted(py["errors"]) == sorted(refused), texts
        assert js["errors"] == py["errors"], texts          # the same sentences
        refused_somewhere += bool(refused)
        if js["ok"]:
            assert py["settings"] == js["settings"], texts
            assert py_settings.parse_settings(js["settings"]) == js["settings"], texts
        for name in refused:
            assert js["errors"][name] and py["errors"][name], texts
    assert refused_somewhere > 30


def test_zero_hidden_layers_are_refused_on_both_sides(result):
    with pytest.raises(py_settings.SettingsError, match="1 to 4 hidden layers"):
        py_settings.parse_settings({"hidden": []})
    assert field(result, "hidden", "")["ok"] is False


def test_view_present_is_the_only_view_a_link_can_ask_for(result):
    hashes = dict((h, r) for h, r in result["hashes"])
    assert hashes["#seed=3&view=present"] == {
        "values": {"seed": 3}, "autorun": False, "view": "present", "notices": []}
    for odd in ("#view=Present&seed=4", "#view=slides", "#view"):
        assert hashes[odd]["view"] is None
        assert len(hashes[odd]["notices"]) == 1 and "view=present" in hashes[odd]["notices"][0]
    assert hashes["#view=Present&seed=4"]["values"] == {"seed": 4}
    assert result["sharePresent"].endswith("&seed=1&view=present")
    assert "view" not in result["shareOddView"] and "view" not in result["share"]
    assert result["withView"] == ["#seed=3&view=present", "#seed=3&net=x", "#view=present", "#"]


def test_descriptions_come_from_the_table_and_name_a_non_default_activation(result):
    words = result["words"]
    assert words["summary"] == ("[784, 30, 10] · 30 epochs · m = 10 · η = 3 · quadratic cost · λ = 0 · "
                                "n = 50,000 · N(0, 1) init · seed 1")
    assert words["summaryRelu"] == ("[784, 30, 10] · ReLU · 1 epoch · m = 10 · η = 3 · quadratic cost · λ = 0 · "
                                    "n = 1,000 · N(0, 1) init · seed 1")
    assert words["summaryTanh"].startswith("[784, 30, 10] · tanh · 30 epochs") and "scaled init" in words["summaryTanh"]
    assert words["label"] == "η=3, 30 hidden"
    assert words["labelRelu"] == "η=0.1, 100 hidden, ReLU, batch 20, cross-entropy, λ=5, scaled init, 1000 samples, seed 2"
    assert words["full"] == ("hidden 30, 30 epochs, mini-batch 10, η=3, 50000 samples, quadratic cost, "
                             "sigmoid hidden units, λ=0, N(0, 1) init, seed 1")
    assert words["fullTanh"].startswith("hidden 100, 30, 1 epoch, ") and "tanh hidden units" in words["fullTanh"]


def test_every_field_of_the_table_is_described():
    """A new setting must say how the summaries write it (pycore/settings.json's "summary")."""
    for field in py_settings.SCHEMA["fields"]:
        summary = field.get("summary")
        assert summary and "run" in summary and "line" in summary, field["name"]
        assert ("label" in summary) == ("labelRank" in summary), field["name"]


def test_activation_goes_in_the_link_as_act(result):
    assert "&cost=quadratic&act=relu&out=sigmoid&lmbda=0&" in result["hashRelu"]
    assert result["readRelu"]["values"] == {"act": "relu", "eta": 0.1}
    assert result["readBadAct"]["values"] == {} and "Activation" in result["readBadAct"]["notices"][0]


def test_costs_and_output_layers_pair_alike_in_javascript_python_and_the_network(result):
    """The table's cost options name the output layers each goes with; settings.js and
    settings.py refuse the other pairs with the same sentence, and the network (pycore.costs)
    pairs them the same way."""
    from pycore import activations, costs
    assert len(result["pairs"]) == 6
    for cost, out, js in result["pairs"]:
        assert js == py_settings.pair_error(cost, out), (cost, out)
        allowed = out in costs.OUTPUTS[costs.BY_SETTING[cost]]
        assert (js is None) == allowed, (cost, out)
        if not allowed:
            with pytest.raises(ValueError):
                costs.check_pair(costs.BY_SETTING[cost], activations.ACTIVATIONS[out])
    assert py_settings.pair_error("log-likelihood", "sigmoid") == (
        "The log-likelihood cost goes with a softmax output layer; a sigmoid output layer goes "
        "with the quadratic or cross-entropy cost.")
    assert result["summarySoftmax"] == ("[784, 30, 10] · softmax output · 30 epochs · m = 10 · η = 3 · "
                                        "log-likelihood cost · λ = 0 · n = 50,000 · N(0, 1) init · seed 1")


def test_a_run_at_chance_level_gets_advice_that_fits_its_activation(result):
    relu, tanh, relu_small, big, book = result["advice"]
    assert relu == "ReLU units need a much smaller η than sigmoid ones: try scaled init and η = 0.1."
    assert tanh == "tanh units need a much smaller η than sigmoid ones: try η = 0.1."
    assert relu_small.startswith("With η = 0.1 it may just need more training")
    assert big == "Try a smaller learning rate η, e.g. 3 or 0.5."
    assert book.startswith("With η = 3 it may just need more training")


def test_the_log_says_what_a_schedule_did(result):
    halve, low, plateau, best = result["schedule"]
    assert halve == ("Epoch 12: no better validation accuracy for 10 epochs (best 97.12%, epoch 2): "
                     "η halved to 0.25.")
    assert low.endswith("and η is down to η₀/128 = 0.00390625: training stops.")
    assert plateau == "Epoch 5: no better validation accuracy for 1 epoch (best 90.00%, epoch 4): training stops."
    assert best == "The network kept is the one from epoch 4, the best on the 10,000 validation images (90.00%)."

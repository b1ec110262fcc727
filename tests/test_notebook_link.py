"""web/js/notebook/notebook-link.js under Node: the notebook's code round-trips through a
link; malformed, oversized and over-expanding data is refused with a sentence, never thrown."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
JS = ROOT / "web" / "js"


@pytest.fixture(scope="module")
def result(node_check):
    return node_check("check_notebook_link.mjs", {
        "notebook/notebook-link.js": JS / "notebook" / "notebook-link.js",
        "util/link-codec.js": JS / "util" / "link-codec.js",
        "share/url-state.js": JS / "share" / "url-state.js",
        "settings/settings.js": JS / "settings" / "settings.js"})


def test_round_trip_keeps_the_code_exactly(result):
    assert result["encoded"]["ok"]
    value = result["encoded"]["value"]
    assert set(value) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    assert result["decoded"] == {"ok": True, "cells": {
        "1": "import numpy as np\n# ünïcode ✓ 🙂\n",
        "4": "net.SGD(training_data[:2000], 1, 10, 3.0, test_data=test_data)\n"}}


def test_link_keeps_the_settings_and_replaces_an_old_nb(result):
    href = result["href"]
    assert href.startswith("http://h/digit-lab/#epochs=2&seed=3&nb=")
    assert href.count("nb=") == 1 and result["read"] == result["encoded"]["value"]
    assert result["hashNotices"] == []


def test_code_too_long_for_a_link_is_refused_with_a_sentence(result):
    assert result["tooLong"]["ok"] is False
    assert "too long for a link" in result["tooLong"]["message"]
    assert "16,384" in result["tooLong"]["message"]


@pytest.mark.parametrize("name, words", [
    ("empty", "empty"), ("notBase64", "base64url"), ("notDeflate", "compressed"),
    ("oversized", "longer than 16,384"), ("notJson", "JSON"), ("wrongVersion", "format"),
    ("cellsArray", "format"), ("unknownCell", "no code cell “9”"), ("badKey", "no code cell “01”"),
    ("notText", "cell 2 is not text"), ("bomb", "more code than"),
])
def test_malformed_data_is_ignored_with_a_sentence(result, name, words):
    refused = result["refused"][name]
    assert refused["ok"] is False
    assert refused["message"].startswith("The notebook code in the link was ignored: ")
    assert words in refused["message"] and refused["message"].endswith(".")


def test_the_bomb_is_small_in_the_link(result):
    assert result["bombLength"] < result["max"]

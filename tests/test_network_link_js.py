"""web/js/share/network-link.js under Node: a network's bytes round-trip through a link's "net="
value; malformed, truncated, oversized and over-expanding values are refused with a
sentence (never thrown), and a network too large for a link points to Download model."""

import base64
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
JS = ROOT / "web" / "js"


@pytest.fixture(scope="module")
def result(node_check):
    return node_check("check_network_link.mjs", {"share/network-link.js": JS / "share" / "network-link.js",
                                                 "util/link-codec.js": JS / "util" / "link-codec.js"})


def test_round_trip_keeps_every_byte(result):
    assert result["encodedOk"] and result["alphabetOk"] and result["same"]
    assert result["valueLength"] <= 40 * 1024


def test_link_replaces_an_old_net_and_keeps_the_settings(result):
    assert result["href"] == "http://h/digit-lab/#epochs=2&seed=3&net=VALUE"
    assert result["read"]


def test_network_too_large_for_a_link_suggests_download_model(result):
    refused = result["tooLarge"]
    assert refused["ok"] is False
    assert "too large for a link" in refused["message"] and "Download model" in refused["message"]


@pytest.mark.parametrize("name, words", [
    ("empty", "empty"), ("notBase64", "base64url"), ("notDeflate", "damaged or cut short"),
    ("truncated", "damaged or cut short"), ("wrongMagic", "not in Digit Lab's network format"),
    ("oversized", "longer than 65,536"), ("bomb", "more data than"),
])
def test_bad_values_are_refused_with_a_sentence(result, name, words):
    answer = result["answers"][name]
    assert answer["ok"] is False, answer
    assert answer["message"].startswith("The network in the link could not be loaded: ")
    assert words in answer["message"] and answer["message"].endswith("pretrained network.")


def test_base64_for_the_bridge_is_padded_as_python_needs(result):
    for n, text in enumerate(result["padded"], start=1):
        assert base64.b64decode(text, validate=True)[:4] == b"DLN\x01"[:n]
        assert len(base64.b64decode(text, validate=True)) == n
    assert result["unpadded"]


def test_link_versions_one_to_three_pass_to_python_and_others_are_refused(result):
    """Version 2 (with each layer's activation) is what pycore/network_link.py writes for a
    dense network, version 3 (with the conv layers) for a conv network."""
    answers = result["answers"]
    assert answers["version2"]["ok"] is True and answers["version3"]["ok"] is True
    assert answers["version4"]["ok"] is False and "not in Digit Lab's network format" in answers["version4"]["message"]

"""Tests of pycore.json_guard: over-deep, over-long and over-large JSON text is
refused before json.loads parses it; brackets inside strings do not count."""

import json
import os
import random
import subprocess
import sys

import pytest

from pycore import model_io
from pycore.json_guard import check_json_text

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PRETRAINED = os.path.join(ROOT, "web", "models", "pretrained.json")


def refused(text, words, **limits):
    with pytest.raises(ValueError) as info:
        check_json_text(text, **limits)
    message = str(info.value)
    assert words in message, message
    assert message[0].isupper() and message.endswith("."), message
    return message


def depth_of(value):
    """Return how deeply arrays and objects nest in ``value`` (0 for a scalar)."""
    if isinstance(value, list):
        return 1 + max([depth_of(v) for v in value], default=0)
    if isinstance(value, dict):
        return 1 + max([depth_of(v) for v in value.values()], default=0)
    return 0


def test_deep_arrays_are_refused_with_their_depth():
    refused("[" * 3000 + "]" * 3000, "The JSON text is nested 3,000 levels deep; at most 32")
    refused("[" * 100000, "nested 100,000 levels deep")


def test_deep_objects_are_refused():
    text = '{"a":' * 3000 + "1" + "}" * 3000
    refused(text, "nested 3,000 levels deep", what="The model file")
    refused('{"a": [{"b": [[1]]}]}', "The model file is nested 5 levels deep; at most 4",
            max_depth=4, what="The model file")


def test_the_depth_limit_is_inclusive():
    check_json_text("[" * 32 + "]" * 32)
    refused("[" * 33 + "]" * 33, "nested 33 levels deep")
    check_json_text("[[1], [[2]]]", max_depth=3)
    refused("[[1], [[2]]]", "nested 3 levels deep; at most 2", max_depth=2)


def test_brackets_inside_strings_do_not_count():
    check_json_text(json.dumps(["[" * 5000, {"{{{{": "]]]]" * 1000}]))
    check_json_text('["' + "[{" * 5000 + '"]')


def test_escaped_quotes_and_backslashes_are_read_as_json_reads_them():
    inside = '["\\"' + "[" * 100 + '"]'          # \" does not end the string
    assert json.loads(inside) == ['"' + "[" * 100]
    check_json_text(inside)
    outside = '["\\\\", ' + "[" * 100 + "]" * 100 + "]"   # \\ is a backslash: the string ends
    assert depth_of(json.loads(outside)) == 101
    refused(outside, "nested 101 levels deep")
    odd = '["\\\\\\"' + "[" * 100 + '"]'         # \\\" is a backslash and a quote
    assert json.loads(odd) == ['\\"' + "[" * 100]
    check_json_text(odd)


def test_an_unterminated_string_hides_nothing_json_would_parse():
    text = '[1, "abc' + "[" * 5000
    with pytest.raises(ValueError):
        json.loads(text)                          # json stops at the open string
    check_json_text(text)
    check_json_text('"' + '\\"' * 100000)         # linear, no endless rescans


@pytest.mark.parametrize("seed", range(20))
def test_depth_matches_the_parsed_value(seed):
    rng = random.Random(seed)
    alphabet = '[]{}"\\ ,:ab\n\u00e9'

    def value(level):
        kind = rng.random()
        if level > 0 and kind < 0.35:
            return [value(level - 1) for _ in range(rng.randint(0, 3))]
        if level > 0 and kind < 0.6:
            return {"".join(rng.choice(alphabet) for _ in range(rng.randint(0, 6))): value(level - 1)
                    for _ in range(rng.randint(0, 3))}
        if kind < 0.85:
            return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        return rng.choice([1, -2.5, True, None])

    data = value(rng.randint(1, 40))
    text = json.dumps(data, ensure_ascii=rng.random() < 0.5)
    depth = depth_of(data)
    check_json_text(text, max_depth=depth)
    if depth > 0:
        refused(text, "nested {} levels deep".format(depth), max_depth=depth - 1)


def test_over_long_text_is_refused():
    refused("[" + "1," * 60 + "1]", "The model file is 123 characters long; at most 100",
            max_chars=100, what="The model file")
    check_json_text("[" + "1," * 48 + "1]", max_chars=100)


def test_too_many_arrays_are_refused():
    refused("[" + "[]," * 10 + "[]]", "opens or closes 12 arrays and objects; at most 10",
            max_containers=10)
    refused("]" * 11, "opens or closes 11", max_containers=10)


def test_the_pretrained_model_passes_and_model_io_refuses_deep_files():
    with open(PRETRAINED, encoding="utf-8") as f:
        text = f.read()
    check_json_text(text, max_depth=4, max_containers=300)
    assert model_io.loads(text).sizes == [784, 100, 10]
    deep = '{"sizes": [2, 2], "notes": ' + "[" * 3000 + "]" * 3000 + "}"
    with pytest.raises(ValueError, match=r"^The model file is nested 3,001 levels deep; at most 16"):
        model_io.loads(deep)
    with pytest.raises(ValueError, match="The model file is 67,108,865 characters long"):
        model_io.loads(" " * (64 * 1024 * 1024 + 1))


def test_the_guard_imports_no_numpy():
    code = "import sys; import pycore.json_guard; print('numpy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"

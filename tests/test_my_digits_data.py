"""My digits: the digits file is read strictly (a sentence per refusal), the
held-out rule, training with them (the set grows by their copies, the held-out
ones are never in it), the test on them against an independent forward pass,
the bridge's calls and the notebook's ``my_digits()``."""

import json

import numpy as np
import pytest

from pycore import mnist_loader, my_digits
from pycore.bridge import Bridge
from pycore.session import Session

SETTINGS = {"hidden": [20], "epochs": 1, "batch": 10, "eta": 0.5, "samples": 1000,
            "cost": "cross-entropy", "lmbda": 0, "init": "scaled", "seed": 1}


def some_digits(n=30, seed=0):
    """Return n random distinct digits: (pixels (n, 784) uint8, labels (n,))."""
    rng = np.random.RandomState(seed)
    return rng.randint(0, 256, (n, 784)).astype(np.uint8), np.arange(n) % 10


def file_text(**changes):
    pixels, labels = some_digits(3)
    data = {"format": my_digits.FORMAT, "count": 3,
            "digits": [{"label": int(l), "pixels": [int(v) for v in p]}
                       for p, l in zip(pixels, labels)]}
    data.update(changes)
    return data


def test_a_written_file_reads_back_the_same():
    pixels, labels = some_digits()
    marks = my_digits.hold_out(labels)
    text = my_digits.dumps(pixels, labels, marks)
    assert text.count("\n") == len(labels) + 2          # one digit per line
    read, read_labels, read_marks = my_digits.loads(text)
    assert read.dtype == np.uint8 and (read == pixels).all()
    assert (read_labels == labels).all() and read_marks == marks
    assert my_digits.loads(text.encode("utf-8"))[1].tolist() == labels.tolist()
    # 2,000 digits at their largest fit the size cap
    largest = np.full((2000, 784), 255, np.uint8)
    largest[:, 0], largest[:, 1] = 100 + np.arange(2000) % 156, 100 + np.arange(2000) // 156
    full = my_digits.dumps(largest, np.arange(2000) % 10, [False]*2000)
    assert len(full) < my_digits.MAX_BYTES
    assert len(my_digits.loads(full)[1]) == 2000


def test_without_marks_the_first_of_every_five_of_each_digit_is_held_out():
    labels = [3, 3, 7, 3, 3, 3, 3, 7, 3]
    assert my_digits.hold_out(labels) == [True, False, True, False, False, False, True, False,
                                          False]
    # given marks are kept, and counted in the rule for the others
    assert my_digits.hold_out([1, 1], [False, None]) == [False, False]
    text = json.dumps(file_text())
    assert my_digits.loads(text)[2] == [None, None, None]


def bad(data):
    text = data if isinstance(data, str) else json.dumps(data)
    with pytest.raises(ValueError) as e:
        my_digits.loads(text)
    return str(e.value)


def pixels_with(value, at=0):
    data = file_text()
    data["digits"][1]["pixels"][at] = value
    return data


def test_bad_files_are_refused_with_a_sentence_each():
    good = file_text()
    assert len(my_digits.loads(json.dumps(good))[1]) == 3
    assert bad("{not json") .startswith("The file is not JSON")
    assert bad("[1, 2]") == "A digits file is a JSON object, got an array."
    assert bad(dict(good, format="digit-lab-digits/2")) == (
        "This digits file is format digit-lab-digits/2; this version of Digit Lab reads "
        "digit-lab-digits/1.")
    assert bad({k: v for k, v in good.items() if k != "format"}).startswith(
        "This is not a Digit Lab digits file: it has no \"format\"")
    assert bad(dict(good, format="digit-lab-model/2")) == (
        "This is not a Digit Lab digits file: its format is 'digit-lab-model/2', not "
        "digit-lab-digits/1.")
    short = file_text()
    short["digits"][2]["pixels"] = short["digits"][2]["pixels"][:783]
    assert bad(short) == "Digit 3 has 783 pixel values; a digit has 784 (28x28)."
    ten = file_text()
    ten["digits"][0]["label"] = 10
    assert bad(ten) == "Digit 1's label must be a whole number from 0 to 9, got 10."
    assert bad(pixels_with(256, at=5)) == (
        "Digit 2's pixel 6 is 256; pixels are whole numbers from 0 to 255.")
    assert bad(pixels_with(-1)) == "Digit 2's pixel 1 is -1; pixels are whole numbers from 0 to 255."
    assert bad(pixels_with(0.5)) == "Digit 2's pixel 1 is 0.5; pixels are whole numbers from 0 to 255."
    assert bad(pixels_with(True)).startswith("Digit 2's pixel 1 is a boolean;")
    assert bad(json.dumps(good).replace("[", "[NaN, ", 2).replace("[NaN, ", "[", 1)) == (
        "The file contains NaN, which is not a pixel value.")
    assert bad(json.dumps(pixels_with(1)).replace(" 1,", " Infinity,", 1)) == (
        "The file contains Infinity, which is not a pixel value.")
    huge = " " * (10 * 1024 * 1024) + json.dumps(good)
    assert bad(huge) == "The file is 10.0 MB; a digits file can be at most 8 MB."
    many = {"format": my_digits.FORMAT, "digits": [{"label": 1, "pixels": []}] * 100000}
    assert bad(many) == "The file has 100,000 digits; a digits file holds at most 2,000."
    html = file_text()
    html["digits"][0]["label"] = "<img src=x onerror=alert(1)>"
    assert bad(html) == "Digit 1's label must be a whole number from 0 to 9, got a string."
    sneaky = file_text()
    sneaky["digits"][0]["<b>note</b>"] = "hi"
    assert bad(sneaky) == ("Digit 1 has the unknown key '<b>note</b>'; a digit has label, "
                           "pixels and heldOut.")
    assert bad(dict(good, count=4)) == "The file says it has 4 digits but holds 3."
    assert bad(dict(good, writer="x")).startswith("A digits file has the keys format, count and")
    twice = file_text()
    twice["digits"].append(dict(twice["digits"][1]))
    twice["count"] = 4
    assert bad(twice) == ("Digits 2 and 4 are the same drawing; a digits file holds each digit "
                          "once.")
    deep = '{"format": "digit-lab-digits/1", "digits": ' + "[" * 5000 + "]" * 5000 + "}"
    assert "nested" in bad(deep)
    assert bad(dict(good, digits={"a": 1})) == 'The file\'s "digits" must be a list, got an object.'
    mark = file_text()
    mark["digits"][0]["heldOut"] = "yes"
    assert bad(mark) == "Digit 1's heldOut must be true or false, got a string."
    with pytest.raises(ValueError, match="not UTF-8"):
        my_digits.loads(b"\xff\xfe{}")


def test_mixing_repeats_the_digits_to_their_share():
    images = np.zeros((50000, 784), np.uint8)
    labels = np.zeros(50000, np.int64)
    pixels, digit_labels = some_digits(24)
    mixed, mixed_labels, times = my_digits.mix(images, labels, pixels, digit_labels, 0.05)
    assert times == 110 and len(mixed) == len(mixed_labels) == 50000 + 24*110
    assert abs(24*110/len(mixed) - 0.05) < 0.001
    assert (mixed[50000:50024] == pixels).all() and (mixed_labels[-24:] == digit_labels).all()
    assert my_digits.repeats(100, 1000, 0.05) == 1


def test_a_run_with_my_digits_trains_on_them_but_never_on_the_held_out(mnist_data):
    pixels, labels = some_digits(30)
    marks = my_digits.hold_out(labels)
    s = Session()
    s.data = mnist_data
    assert s.set_my_digits(pixels, labels, marks) == {"count": 30, "heldOut": 10, "train": 20}
    info = s.start_run(dict(SETTINGS, mine="25"))
    times = my_digits.repeats(1000, 20, 0.25)
    assert info["mine"] == {"digits": 20, "heldOut": 10, "times": times, "samples": 20*times,
                            "share": 20*times/(1000+20*times)}
    s.set_my_digits(pixels[:3], labels[:3], marks[:3])      # later changes do not touch the run
    s.step_run(0.01)
    trainer = s.run.trainer
    assert trainer.n == 1000 + 20*times                       # the training set grew
    used = set(my_digits.keys(trainer.images, trainer.labels))
    keys = my_digits.keys(pixels, labels)
    assert all(k in used for k, held in zip(keys, marks) if not held)
    assert not any(k in used for k, held in zip(keys, marks) if held)
    while not s.step_run(10)["done"]:
        pass
    s.finish_run()
    s.set_my_digits(pixels, labels, marks)
    result = s.evaluate_mine("run-1")
    assert result["seen"] == [not held for held in marks]
    assert result["unseen"]["total"] == 10
    # a run without the setting trains on MNIST alone, and says so
    info = s.start_run(dict(SETTINGS))
    assert info["mine"] is None
    s.step_run(0.01)
    assert s.run.trainer.n == 1000
    s.stop_run()
    s.finish_run()
    # on, with no digits: MNIST alone, and the reply says there are none
    s.set_my_digits(pixels[:0], labels[:0], [])
    info = s.start_run(dict(SETTINGS, mine="5"))
    assert info["mine"]["digits"] == 0
    s.step_run(0.01)
    assert s.run.trainer.n == 1000


def sigmoid(z):
    return 1.0/(1.0+np.exp(-z))


def test_the_test_on_my_digits_matches_an_independent_forward_pass(mnist_data):
    s = Session()
    s.data = mnist_data
    s.start_run(dict(SETTINGS, samples=2000, epochs=2, cost="quadratic", eta=3.0))
    while not s.step_run(10)["done"]:
        pass
    s.finish_run()
    images, digits = mnist_data["validation"]
    pixels, labels = images[:1200], digits[:1200]
    s.set_my_digits(pixels, labels, my_digits.hold_out(labels))
    result = s.evaluate_mine("run-1")
    net = s.networks["run-1"]
    a = pixels.T/255.0
    for w, b in zip(net.weights, net.biases):            # the book's sigmoid network, by hand
        a = sigmoid(np.dot(w, a) + b)
    answers = np.argmax(a, axis=0)
    assert result["predictions"] == answers.tolist()
    assert result["correct"] == int((answers == labels).sum()) > 600
    assert result["total"] == 1200 and result["seen"] == [False]*1200
    assert result["unseen"] == {"total": 1200, "correct": result["correct"]}
    assert result["mnist"]["total"] == 10000 and result["mnist"]["epoch"] == 1
    # in slices (the worker's way: it answers between them), with the network as it was
    sliced = s.evaluate_mine("run-1", seconds=1e-9)
    assert sliced == {"pending": True, "name": "run-1", "done": 500, "total": 1200}
    s.networks["run-1"].biases[-1][:] += 100.0           # a run trains it meanwhile
    calls = 1
    while sliced.get("pending"):
        sliced = s.evaluate_mine("run-1", seconds=1e-9)
        calls += 1
    assert calls == 3 and sliced["predictions"] == answers.tolist()
    s.set_my_digits(pixels[:0], labels[:0], [])
    assert s.evaluate_mine("run-1")["total"] == 0
    with pytest.raises(ValueError, match="There is no shared network yet."):
        s.evaluate_mine("shared")


def call(bridge, name, payload):
    reply = json.loads(bridge.dispatch(name, json.dumps(payload)))
    return reply


def test_the_bridge_checks_files_and_sets(tmp_path):
    bridge = Bridge(buffers=str(tmp_path / "buffers"))
    pixels, labels = some_digits(4)
    path = tmp_path / "digits.json"
    path.write_text(my_digits.dumps(pixels, labels, [True, False, False, None]))
    reply = call(bridge, "checkDigits", {"path": str(path)})
    assert reply["ok"], reply
    result = reply["result"]
    assert result["count"] == 4 and result["labels"] == labels.tolist()
    assert result["heldOut"] == [True, False, False, False]
    buffer = result["pixels"]
    assert buffer["dtype"] == "uint8" and buffer["shape"] == [4*784]
    assert open(buffer["$buffer"], "rb").read() == pixels.tobytes()
    path.write_text('{"format": "digit-lab-digits/1", "digits": [{"label": 10}]}')
    reply = call(bridge, "checkDigits", {"path": str(path)})
    assert reply == {"ok": False, "error": {
        "name": "ValueError",
        "message": "Digit 1's label must be a whole number from 0 to 9, got 10."}}
    raw = tmp_path / "set.bin"
    raw.write_bytes(pixels.tobytes())
    reply = call(bridge, "setMyDigits", {"path": str(raw), "labels": labels.tolist(),
                                         "heldOut": [True, False, False, False]})
    assert reply["result"] == {"count": 4, "heldOut": 1, "train": 3}
    for payload, sentence in [
            ({"labels": [1, 2, 3, 11], "heldOut": [False]*4}, "a list of whole numbers from 0 to 9"),
            ({"labels": labels.tolist(), "heldOut": [0, 0, 0, 0]}, "a list of true or false"),
            ({"labels": labels.tolist()[:3], "heldOut": [False]*3}, "got 3,136 bytes of pixels for 3")]:
        reply = call(bridge, "setMyDigits", dict(payload, path=str(raw)))
        assert not reply["ok"] and sentence in reply["error"]["message"], reply
    assert bridge.session.mine["labels"].tolist() == labels.tolist()   # the refused calls kept it


def test_the_notebook_reads_my_digits_as_the_books_pairs(tmp_path, mnist_data):
    pixels, labels = some_digits(12)
    (tmp_path / "my-digits.json").write_text(my_digits.dumps(pixels, labels, [False]*12))
    pairs = mnist_loader.my_digits(directory=str(tmp_path))
    assert len(pairs) == 12
    x, y = pairs[3]
    assert x.shape == (784, 1) and x.dtype == np.float32 and y == 3
    assert np.allclose(x.ravel(), pixels[3]/255.0)
    assert mnist_loader.my_digits(str(tmp_path / "my-digits.json"))[11][1] == 1
    with pytest.raises(FileNotFoundError, match="draw and label digits in My digits"):
        mnist_loader.my_digits(directory=str(tmp_path / "nowhere"))
    (tmp_path / "bad.json").write_text("[]")
    with pytest.raises(ValueError, match="A digits file is a JSON object"):
        mnist_loader.my_digits(str(tmp_path / "bad.json"))

"""
my_digits.py
~~~~~~~~~~~~

A person's own handwritten digits as data: the "My digits" file format, its
strict reader, and the rule that holds some digits out of training.

A digits file is JSON::

    {"format": "digit-lab-digits/1", "count": 2,
     "digits": [{"label": 3, "heldOut": false, "pixels": [784 integers 0-255]},
                {"label": 7, "pixels": [...]}]}

Each digit's ``pixels`` are the 28x28 input the network saw, row by row, as
0-255 integers (the pad's preprocessing, times 255, rounded).  ``heldOut``
is optional: a held-out digit is never trained on, so a network's accuracy
on the held-out digits stays an honest test.  A digit without the mark is
given one by ``hold_out``: the 1st, 6th, 11th ... digit of each label in
the file's order is held out.  ``count`` is optional and, if given, must
equal the number of digits.

Standard library and NumPy only.
"""

import json

import numpy as np

from .json_guard import NonFinite as _NonFinite, check_json_text, json_type as _json_type
from .json_guard import reject_constant as _reject_constant

FORMAT = "digit-lab-digits/1"
PIXELS = 784
MAX_DIGITS = 2000
MAX_BYTES = 8 * 1024 * 1024           # 2,000 digits written one per line take about 6.3 MB
HOLD_OUT_EVERY = 5
DIGIT_KEYS = ("label", "pixels", "heldOut")


def loads(text, max_digits=MAX_DIGITS, max_bytes=MAX_BYTES):
    """Return the digits in ``text`` (a digits file, str or UTF-8 bytes) as
    ``(pixels, labels, held_out)``: a (n, 784) uint8 array, an (n,) int64
    array of digits 0-9 and a list of n values True, False or None (no
    mark).  Raise a ValueError sentence if the file is not a valid digits
    file: too large, not JSON, the wrong format, more than ``max_digits``
    digits, a digit that is not an object, has unknown keys, a label not
    0-9, pixels that are not 784 integers 0-255, or the same digit twice."""
    size = len(text.encode("utf-8")) if isinstance(text, str) else len(text)
    if size > max_bytes:
        raise ValueError("The file is {:.1f} MB; a digits file can be at most {} MB."
                         .format(size/1024/1024, max_bytes // (1024*1024)))
    if isinstance(text, (bytes, bytearray)):
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError:
            raise ValueError("The file is not UTF-8 text.")
    if not isinstance(text, str):
        raise ValueError("A digits file must be given as text, got {}.".format(
            type(text).__name__))
    check_json_text(text, max_depth=4, max_chars=max_bytes, what="The file")
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except _NonFinite as e:
        raise ValueError("The file contains {}, which is not a pixel value.".format(e.args[0]))
    except (ValueError, RecursionError) as e:
        raise ValueError("The file is not JSON ({}).".format(e))
    if not isinstance(data, dict):
        raise ValueError("A digits file is a JSON object, got {}.".format(_json_type(data)))
    if data.get("format") != FORMAT:
        raise ValueError(_format_problem(data.get("format")))
    unknown = sorted(set(data) - {"format", "count", "digits"})
    if unknown:
        raise ValueError("A digits file has the keys format, count and digits; this one also "
                         "has {}.".format(", ".join(repr(k) for k in unknown[:3])))
    digits = data.get("digits")
    if not isinstance(digits, list):
        raise ValueError("The file's \"digits\" must be a list, got {}.".format(
            "nothing" if digits is None else _json_type(digits)))
    if len(digits) > max_digits:
        raise ValueError("The file has {:,} digits; a digits file holds at most {:,}."
                         .format(len(digits), max_digits))
    if "count" in data:
        count = data["count"]
        if isinstance(count, bool) or not isinstance(count, int) or count != len(digits):
            raise ValueError("The file says it has {} digits but holds {:,}.".format(
                count if isinstance(count, int) and not isinstance(count, bool)
                else _json_type(count), len(digits)))
    pixels = np.zeros((len(digits), PIXELS), dtype=np.uint8)
    labels = np.zeros(len(digits), dtype=np.int64)
    held_out = []
    for k, digit in enumerate(digits):
        labels[k], pixels[k], mark = _digit(digit, k+1)
        held_out.append(mark)
    _refuse_repeats(pixels, labels)
    return pixels, labels, held_out


def _format_problem(found):
    """Return the sentence for a file whose "format" is ``found``, not FORMAT."""
    if found is None:
        return "This is not a Digit Lab digits file: it has no \"format\": \"{}\".".format(FORMAT)
    if isinstance(found, str) and found.startswith(FORMAT.split("/")[0]+"/"):
        return ("This digits file is format {}; this version of Digit Lab reads {}."
                .format(found[:40], FORMAT))
    return "This is not a Digit Lab digits file: its format is {}, not {}.".format(
        repr(found[:40]) if isinstance(found, str) else _json_type(found), FORMAT)


def _digit(digit, number):
    """Return the label, pixels and held-out mark of the ``number``-th digit."""
    where = "Digit {:,}".format(number)
    if not isinstance(digit, dict):
        raise ValueError("{} must be an object with a label and pixels, got {}.".format(
            where, _json_type(digit)))
    unknown = sorted(set(digit) - set(DIGIT_KEYS))
    if unknown:
        raise ValueError("{} has the unknown key {!r}; a digit has label, pixels and "
                         "heldOut.".format(where, str(unknown[0])[:40]))
    label = digit.get("label")
    if isinstance(label, bool) or not isinstance(label, int) or not 0 <= label <= 9:
        raise ValueError("{}'s label must be a whole number from 0 to 9, got {}.".format(
            where, label if isinstance(label, (int, float)) and not isinstance(label, bool)
            else "nothing" if label is None else _json_type(label)))
    values = digit.get("pixels")
    if not isinstance(values, list):
        raise ValueError("{}'s pixels must be a list of {} numbers, got {}.".format(
            where, PIXELS, "nothing" if values is None else _json_type(values)))
    if len(values) != PIXELS:
        raise ValueError("{} has {} pixel values; a digit has {} (28x28).".format(
            where, len(values), PIXELS))
    if set(map(type, values)) != {int} or not 0 <= min(values) <= max(values) <= 255:
        i, v = next((i, v) for i, v in enumerate(values)
                    if type(v) is not int or not 0 <= v <= 255)
        raise ValueError("{}'s pixel {} is {}; pixels are whole numbers from 0 to 255."
                         .format(where, i+1, v if type(v) in (int, float) else _json_type(v)))
    mark = digit.get("heldOut")
    if mark is not None and not isinstance(mark, bool):
        raise ValueError("{}'s heldOut must be true or false, got {}.".format(
            where, _json_type(mark)))
    return label, values, mark


def _refuse_repeats(pixels, labels):
    """Raise a ValueError naming the first two digits that are the same drawing."""
    seen = {}
    for k in range(len(labels)):
        key = (int(labels[k]), pixels[k].tobytes())
        if key in seen:
            raise ValueError("Digits {:,} and {:,} are the same drawing; a digits file holds "
                             "each digit once.".format(seen[key]+1, k+1))
        seen[key] = k


def hold_out(labels, held_out=None, every=HOLD_OUT_EVERY):
    """Return a list of booleans, one per label in ``labels``: the marks in
    ``held_out`` where given (True or False), else True for the 1st, 6th,
    11th ... digit of each label (counting every digit before it)."""
    marks = []
    counts = [0]*10
    for k, label in enumerate(labels):
        given = held_out[k] if held_out is not None else None
        marks.append(bool(given) if given is not None else counts[int(label)] % every == 0)
        counts[int(label)] += 1
    return marks


def dumps(pixels, labels, held_out):
    """Return a digits file's text for ``pixels`` ((n, 784) integers 0-255),
    ``labels`` and ``held_out`` marks, one digit per line."""
    lines = [json.dumps({"label": int(label), "heldOut": bool(mark),
                         "pixels": [int(v) for v in row]}, separators=(",", ":"))
             for row, label, mark in zip(pixels, labels, held_out)]
    return ('{{"format": "{}", "count": {}, "digits": [\n{}\n]}}\n'
            .format(FORMAT, len(lines), ",\n".join(lines)))


def keys(pixels, labels):
    """Return one hashable key per digit: its label and its 784 bytes."""
    return [(int(label), row.tobytes()) for row, label in zip(pixels, labels)]


def repeats(n, k, share):
    """Return how many times each of ``k`` digits is repeated among ``n``
    other training samples so that they make up about ``share`` (0 < share
    < 1) of every epoch: at least once."""
    return max(1, int(round(share*n/((1.0-share)*k))))


def mix(images, labels, pixels, digit_labels, share):
    """Return ``(images, labels, times)``: the training set ``images`` ((n,
    784) uint8) and ``labels`` with the digits ``pixels`` ((k, 784) uint8)
    and ``digit_labels`` appended, each ``times`` times (``repeats``), so
    that they make up about ``share`` of every epoch.  The digits' copies
    are spread over the epoch by the trainer's shuffle."""
    times = repeats(len(labels), len(digit_labels), share)
    images = np.concatenate([images, np.tile(np.asarray(pixels, dtype=images.dtype), (times, 1))])
    labels = np.concatenate([labels, np.tile(np.asarray(digit_labels, dtype=labels.dtype),
                                             times)])
    return images, labels, times

"""
json_guard.py
~~~~~~~~~~~~~

Refuse JSON text that would be dangerous to parse, before ``json.loads`` sees it.

``json.loads`` recurses once per nested array or object.  In Pyodide 314
(Python 3.14 in WebAssembly) a text nested a few thousand levels deep
overflows the WebAssembly stack before Python's recursion limit is reached:
the runtime dies ("Maximum call stack size exceeded") and every later call
fails with "Pyodide already fatally failed".  ``check_json_text`` measures
the text's length, its nesting depth and how many arrays and objects it
opens, without recursion and without a Python loop per character (regular
expressions and C-level iteration only), and raises a ValueError sentence
when a limit is passed.  Pure Python, standard library only: it imports no
NumPy, so it also runs where NumPy is not (yet) loaded.
"""

import re
from itertools import accumulate

MAX_CHARS = 64 * 1024 * 1024
MAX_DEPTH = 32
MAX_CONTAINERS = 1000000

# A JSON string once its escaped backslashes and quotes are gone (see _outside_strings):
# a quote, anything but a quote, then a quote or the end of the text.  json.loads stops
# at an unterminated string, so nothing after one is parsed.
_STRING = re.compile(r'"[^"]*(?:"|\Z)')
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
# How one bracket changes the depth, indexed by its character code.
_STEP = [0] * 128
_STEP[ord("[")] = _STEP[ord("{")] = 1
_STEP[ord("]")] = _STEP[ord("}")] = -1


def check_json_text(text, max_depth=MAX_DEPTH, max_chars=MAX_CHARS,
                    max_containers=MAX_CONTAINERS, what="The JSON text"):
    """Raise a ValueError sentence naming ``what`` if the string ``text``
    is longer than ``max_chars`` characters, nests arrays and objects more
    than ``max_depth`` levels deep, or opens more than ``max_containers``
    arrays and objects; return None otherwise.  Brackets inside JSON strings
    do not count.  The text is not otherwise validated: ``json.loads`` does
    that, safely once this check has passed."""
    if len(text) > max_chars:
        raise ValueError("{} is {:,} characters long; at most {:,} are allowed.".format(
            what, len(text), max_chars))
    outside = _outside_strings(text)
    opened = outside.count("[") + outside.count("{")
    closed = outside.count("]") + outside.count("}")
    if max(opened, closed) > max_containers:
        raise ValueError("{} opens or closes {:,} arrays and objects; at most {:,} are "
                         "allowed.".format(what, max(opened, closed), max_containers))
    if opened <= max_depth:
        return
    brackets = _NOT_BRACKET.sub("", outside).encode("ascii")
    depth = max(accumulate(map(_STEP.__getitem__, brackets)))
    if depth > max_depth:
        raise ValueError("{} is nested {:,} levels deep; at most {} are allowed.".format(
            what, depth, max_depth))

def _outside_strings(text):
    """Return ``text`` without its JSON strings (as json.loads reads them, up to
    the first place where json.loads would stop with an error)."""
    # Pairs of backslashes go first, left to right as a string is read; a backslash
    # still before a quote then escapes it.  A backslash outside a string is an error
    # at which json.loads stops, so what this does to the rest does not matter.
    text = text.replace("\\\\", "").replace('\\"', "")
    return _STRING.sub("", text)


class NonFinite(Exception):
    """A NaN, Infinity or -Infinity token in JSON text (``reject_constant``)."""


def reject_constant(name):
    """Refuse the NaN, Infinity and -Infinity tokens Python's json accepts
    (``json.loads(text, parse_constant=reject_constant)``)."""
    raise NonFinite(name)


def json_type(value):
    """Return the JSON name of the type of ``value``, for a sentence."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"

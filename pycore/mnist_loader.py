"""
mnist_loader
~~~~~~~~~~~~

The book's ``mnist_loader`` (Python 3 form) on Digit Lab's own MNIST files,
the four IDX files (raw or ``.gz``) the site serves.  ``load_data_wrapper``
gives what the book's ``network.py`` expects:

- ``training_data``: a list of 50,000 tuples ``(x, y)``, x a (784, 1) float32
  array of pixels in [0, 1], y the one-hot (10, 1) float64 unit vector of the
  digit;
- ``validation_data`` and ``test_data``: lists of 10,000 tuples ``(x, y)``, x
  as above, y the digit as an int.

The files are looked for in ``directory``, else in the folder named by the
environment variable ``DIGIT_LAB_MNIST`` (the notebook's worker puts the
downloaded files there), else in ``data``.

``my_digits`` reads the digits a person drew in the page (My digits, the
exported file ``my-digits.json``) in the form of ``test_data``, so that
``net.evaluate(my_digits())`` counts how many of them a network reads.
"""

import os

import numpy as np

from . import mnist
from . import my_digits as digits_file

ENVIRONMENT_VARIABLE = "DIGIT_LAB_MNIST"
DEFAULT_DIRECTORY = "data"
MY_DIGITS_FILE = "my-digits.json"


def data_directory(directory=None):
    """Return the folder the MNIST files are read from: ``directory`` if
    given, else $DIGIT_LAB_MNIST, else "data"."""
    if directory is not None:
        return os.fspath(directory)
    return os.environ.get(ENVIRONMENT_VARIABLE) or DEFAULT_DIRECTORY


def load_data(directory=None):
    """Return the MNIST data as a tuple ``(training_data, validation_data,
    test_data)``, each a tuple ``(images, labels)``: images a float32 (n, 784)
    array of pixels in [0, 1], labels an int64 (n,) array of digits.  n is
    50,000 for training and 10,000 for validation and test, the book's split."""
    path = data_directory(directory)
    try:
        data = mnist.load_directory(path)
    except FileNotFoundError as e:
        raise FileNotFoundError("{} Put the four MNIST IDX files there or pass "
                                "load_data_wrapper(directory=...).".format(e))
    return tuple(((images/np.float32(255)).astype(np.float32), labels.astype(np.int64))
                 for images, labels in (data["training"], data["validation"], data["test"]))


def load_data_wrapper(directory=None):
    """Return ``(training_data, validation_data, test_data)`` in the form
    the book's ``network.py`` uses: lists of tuples ``(x, y)`` with x a
    (784, 1) float32 input; y a one-hot (10, 1) array for training and an
    int label for validation and test.  The inputs are views of one array
    per set, so the lists cost little memory beyond the pixels."""
    tr_d, va_d, te_d = load_data(directory)
    training_inputs = _columns(tr_d[0])
    training_results = [vectorized_result(int(y)) for y in tr_d[1]]
    training_data = list(zip(training_inputs, training_results))
    validation_data = list(zip(_columns(va_d[0]), [int(y) for y in va_d[1]]))
    test_data = list(zip(_columns(te_d[0]), [int(y) for y in te_d[1]]))
    return (training_data, validation_data, test_data)


def my_digits(path=None, directory=None):
    """Return the digits of a My digits file as a list of tuples ``(x, y)``,
    x a (784, 1) float32 input in [0, 1] and y the digit as an int (the
    form of ``test_data``).  ``path`` is the file (by default
    "my-digits.json" in the MNIST folder, see ``data_directory``; the page's
    notebook puts the person's digits there)."""
    if path is None:
        path = os.path.join(data_directory(directory), MY_DIGITS_FILE)
    try:
        with open(path, "rb") as f:
            text = f.read()
    except FileNotFoundError:
        raise FileNotFoundError("There is no {}: draw and label digits in My digits on the page "
                                "(its notebook reads them from there), or pass the path of a file "
                                "exported from My digits.".format(path))
    pixels, labels, _ = digits_file.loads(text)
    inputs = _columns((pixels/np.float32(255)).astype(np.float32))
    return list(zip(inputs, [int(y) for y in labels]))


def vectorized_result(j):
    """Return a (10, 1) float64 unit vector with a 1.0 in the j'th place,
    the network's desired output for the digit j."""
    e = np.zeros((10, 1))
    e[j] = 1.0
    return e


def _columns(images):
    """Return the rows of ``images``, an (n, 784) array, as a list of n
    (784, 1) column views."""
    columns = np.asfortranarray(images.T)
    return [columns[:, i:i+1] for i in range(columns.shape[1])]

"""pycore.mnist_loader gives the book's Python 3 shapes and types."""

import gzip
import os
import shutil

import numpy as np
import pytest

from pycore import mnist_loader


@pytest.fixture(scope="module")
def wrapped(mnist_dir):
    return mnist_loader.load_data_wrapper(mnist_dir)


def test_wrapper_gives_the_books_lists(wrapped):
    training_data, validation_data, test_data = wrapped
    assert [type(d) for d in wrapped] == [list, list, list]
    assert (len(training_data), len(validation_data), len(test_data)) == (50000, 10000, 10000)
    x, y = training_data[0]
    assert x.shape == (784, 1) and x.dtype == np.float32
    assert 0.0 <= x.min() and x.max() <= 1.0 and x.max() > 0.5
    assert y.shape == (10, 1) and y.sum() == 1.0 and y.dtype == np.float64
    for data in (validation_data, test_data):
        x, y = data[0]
        assert x.shape == (784, 1) and x.dtype == np.float32
        assert type(y) is int and 0 <= y <= 9


def test_labels_follow_the_books_split(wrapped, mnist_data):
    training_data, validation_data, test_data = wrapped
    train_labels = [int(np.argmax(y)) for x, y in training_data[:1000]]
    assert train_labels == mnist_data["training"][1][:1000].tolist()
    assert [y for x, y in validation_data[:1000]] == mnist_data["validation"][1][:1000].tolist()
    assert [y for x, y in test_data] == mnist_data["test"][1].tolist()
    first_test = mnist_data["test"][0][0].astype(np.float64) / 255
    assert np.allclose(test_data[0][0].ravel(), first_test, atol=1e-7)


def test_load_data_gives_arrays(mnist_dir):
    tr_d, va_d, te_d = mnist_loader.load_data(mnist_dir)
    assert tr_d[0].shape == (50000, 784) and tr_d[0].dtype == np.float32
    assert va_d[1].shape == (10000,) and te_d[1].shape == (10000,)


def test_gzip_files_from_the_environment_variable(tmp_path, monkeypatch, mnist_dir):
    for name in os.listdir(mnist_dir):
        with open(os.path.join(mnist_dir, name), "rb") as src, \
                gzip.open(str(tmp_path / (name + ".gz")), "wb", compresslevel=1) as dst:
            shutil.copyfileobj(src, dst)
    monkeypatch.setenv(mnist_loader.ENVIRONMENT_VARIABLE, str(tmp_path))
    assert mnist_loader.data_directory() == str(tmp_path)
    tr_d, va_d, te_d = mnist_loader.load_data()
    assert te_d[0].shape == (10000, 784)


def test_missing_files_say_where_they_were_looked_for(tmp_path):
    with pytest.raises(FileNotFoundError, match="load_data_wrapper"):
        mnist_loader.load_data_wrapper(tmp_path)

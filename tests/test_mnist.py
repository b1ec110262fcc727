"""Tests of pycore.mnist on the real files and on hand-made IDX data."""

import gzip
import io
import os
import shutil
import struct

import numpy as np
import pytest

from pycore import mnist

TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]


def idx(magic, dims, payload=None):
    """Return IDX bytes built by hand with ``struct``."""
    size = int(np.prod(dims)) if dims else 0
    if payload is None:
        payload = bytes(i % 256 for i in range(size))
    return struct.pack(">I", magic) + struct.pack(">" + "I" * len(dims), *dims) + payload


def test_real_files_match_the_verified_facts(mnist_data):
    train_images, train_labels = mnist_data["training"]
    val_images, val_labels = mnist_data["validation"]
    test_images, test_labels = mnist_data["test"]
    assert train_images.shape == (50000, 784) and train_labels.shape == (50000,)
    assert val_images.shape == (10000, 784) and val_labels.shape == (10000,)
    assert test_images.shape == (10000, 784) and test_labels.shape == (10000,)
    assert train_images.dtype == np.uint8 and test_labels.dtype == np.uint8
    all_labels = np.concatenate([train_labels, val_labels])
    assert np.bincount(all_labels).tolist() == TRAIN_COUNTS
    assert np.bincount(test_labels).tolist() == TEST_COUNTS
    total = train_images.sum(dtype=np.int64) + val_images.sum(dtype=np.int64)
    assert round(total / (60000 * 784), 3) == 33.318


def test_split_is_the_books(mnist_dir):
    raw = mnist.read_idx(os.path.join(mnist_dir, "train-images-idx3-ubyte"))
    labels = mnist.read_idx(os.path.join(mnist_dir, "train-labels-idx1-ubyte"))
    assert raw.shape == (60000, 28, 28) and labels.shape == (60000,)
    data = mnist.load_data(raw, labels)
    assert np.array_equal(data["training"][0], raw[:50000].reshape(50000, 784))
    assert np.array_equal(data["validation"][1], labels[50000:])
    assert data["test"] is None
    small = mnist.load_data(raw[:600], labels[:600])
    assert len(small["training"][0]) == 500 and len(small["validation"][0]) == 100


def test_gzip_raw_bytes_file_and_path_sources_agree(mnist_dir, tmp_path):
    path = os.path.join(mnist_dir, "t10k-labels-idx1-ubyte")
    with open(path, "rb") as f:
        raw = f.read()
    packed = gzip.compress(raw)
    expected = mnist.read_idx(path)
    assert expected.shape == (10000,)
    for source in (raw, bytearray(raw), memoryview(raw), packed, io.BytesIO(raw),
                   io.BytesIO(packed)):
        assert np.array_equal(mnist.read_idx(source), expected)
    gz_path = tmp_path / "t10k-labels-idx1-ubyte.gz"
    gz_path.write_bytes(packed)
    assert np.array_equal(mnist.read_idx(gz_path), expected)  # PathLike
    assert np.array_equal(mnist.read_idx(str(gz_path)), expected)


def test_load_directory_finds_gz_files(mnist_dir, tmp_path):
    for name in mnist.FILE_NAMES.values():
        src = os.path.join(mnist_dir, name)
        if name.startswith("t10k"):
            with open(src, "rb") as f:
                (tmp_path / (name + ".gz")).write_bytes(gzip.compress(f.read(), 1))
        else:
            shutil.copy(src, str(tmp_path / name))
    data = mnist.load_directory(str(tmp_path))
    assert np.bincount(data["test"][1]).tolist() == TEST_COUNTS
    os.remove(str(tmp_path / "t10k-labels-idx1-ubyte.gz"))
    with pytest.raises(FileNotFoundError):
        mnist.load_directory(str(tmp_path))


def test_small_hand_made_files_parse():
    images = mnist.read_idx(idx(0x803, (3, 28, 28)))
    assert images.shape == (3, 28, 28) and images[0, 0, 5] == 5
    labels = mnist.read_idx(idx(0x801, (3,), bytes([7, 0, 9])))
    data = mnist.load_data(idx(0x803, (3, 28, 28)), bytes(idx(0x801, (3,), bytes([7, 0, 9]))),
                           idx(0x803, (1, 28, 28)), idx(0x801, (1,), b"\x04"))
    assert labels.tolist() == [7, 0, 9]
    assert data["training"][0].shape == (3, 784) and data["test"][1].tolist() == [4]


@pytest.mark.parametrize("data, words", [
    (idx(0x802, (3, 28)), "magic number must be 0x00000801 (labels) or 0x00000803"),
    (idx(0x0d03, (1, 28, 28)), "got 0x00000d03"),
    (b"\x00\x00", "too short"),
    (idx(0x801, (5,))[:-1], "must be 13 bytes long, got 12"),  # truncated
    (idx(0x803, (2, 28, 28))[:100], "must be 1584 bytes long, got 100"),
    (idx(0x801, (5,)) + b"\x00", "got 14"),
    (idx(0x803, (2, 28, 28))[:10], "header needs 16 bytes"),
    (idx(0x803, (2, 0, 28)), "at least one row"),
    (gzip.compress(idx(0x801, (4,)), mtime=0)[:-6], "could not be decompressed"),
    (gzip.compress(idx(0x801, (5,)) + b"\x00\x00\x00", mtime=0), "must be 13 bytes long, got 16"),
    (gzip.compress(idx(0x801, (5,))[:-2], mtime=0), "must be 13 bytes long, got 11"),
    (gzip.compress(struct.pack(">II", 0x801, 2 ** 31), mtime=0), "at most 1073741824 are read"),
])
def test_bad_idx_data_raises_sentences(data, words):
    with pytest.raises(ValueError) as info:
        mnist.read_idx(data)
    assert words in str(info.value)


@pytest.mark.parametrize("args, words", [
    ((idx(0x803, (3, 20, 20)), idx(0x801, (3,), b"\x01\x02\x03")), "must be 28x28, got shape (3, 20, 20)"),
    ((idx(0x801, (3,)), idx(0x801, (3,))), "must be 28x28"),
    ((idx(0x803, (3, 28, 28)), idx(0x803, (3, 28, 28))), "labels must be one-dimensional"),
    ((idx(0x803, (3, 28, 28)), idx(0x801, (2,), b"\x01\x02")), "3 images but 2 labels"),
    ((idx(0x803, (2, 28, 28)), idx(0x801, (2,), b"\x01\x0c")), "digits 0-9, found 12"),
])
def test_wrong_dims_and_counts_raise_sentences(args, words):
    with pytest.raises(ValueError) as info:
        mnist.load_data(*args)
    assert words in str(info.value)


def test_bad_sources_raise_sentences():
    with pytest.raises(ValueError) as info:
        mnist.read_idx(12)
    assert "path, bytes or a binary file object" in str(info.value)
    with pytest.raises(ValueError):
        mnist.read_idx(io.StringIO("text"))


def test_conversions(mnist_data):
    images, labels = [a[:5] for a in mnist_data["test"]]
    X = mnist.as_inputs(images)
    assert X.shape == (784, 5) and X.dtype == np.float64
    assert np.array_equal(X[:, 2], images[2] / 255.0) and X.min() >= 0 and X.max() <= 1
    assert mnist.as_inputs(images, "float32").dtype == np.float32
    assert np.array_equal(mnist.as_inputs(images / 255.0), X)
    Y = mnist.one_hot(labels)
    assert Y.shape == (10, 5) and np.array_equal(Y.argmax(axis=0), labels) and Y.sum() == 5
    assert mnist.vectorized_result(3).shape == (10, 1) and mnist.vectorized_result(3)[3, 0] == 1
    pairs = mnist.as_seed_lists(images, labels)
    assert len(pairs) == 5 and pairs[1][0].shape == (784, 1) and pairs[1][1].shape == (10, 1)
    assert np.array_equal(pairs[1][0][:, 0], X[:, 1]) and pairs[1][1][labels[1], 0] == 1
    ints = mnist.as_seed_lists(images, labels, one_hot_labels=False)
    assert [y for _, y in ints] == labels.tolist() and type(ints[0][1]) is int

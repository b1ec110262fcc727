"""The book's expanded training data (pycore/expand.py): each image and its four one-pixel
displacements equal expand_mnist.py's np.roll with the rolled-in row or column set to 0,
made per mini-batch from the uint8 images (no expanded copy kept), and a run on them trains
as on the same images written out."""

import numpy as np

from pycore.expand import ExpandedImages, expanded_labels
from pycore.fast import LeanStep
from pycore.network import Network
from pycore.trainer import Trainer


def book_expansion(images):
    """Return the book's expanded list of images, written out as expand_mnist.py does it:
    each image, then rolled down, up, right and left with the rolled-in line set to 0."""
    out = []
    for x in images:
        out.append(x)
        image = x.reshape(-1, 28)
        for d, axis, position, index in [(1, 0, "first", 0), (-1, 0, "first", 27),
                                         (1, 1, "last", 0), (-1, 1, "last", 27)]:
            new = np.roll(image, d, axis)
            if position == "first":
                new[index, :] = 0
            else:
                new[:, index] = 0
            out.append(new.reshape(784))
    return np.array(out)


def test_the_displaced_images_are_the_books():
    images = np.random.RandomState(0).randint(0, 256, (7, 784)).astype(np.uint8)
    expanded = ExpandedImages(images)
    assert expanded.shape == (35, 784) and expanded.dtype == np.uint8 and len(expanded) == 35
    book = book_expansion(images)                              # image b's copy k at 5b + k
    ours = expanded[np.array([k * 7 + b for b in range(7) for k in range(5)])]   # ours at k n + b
    assert np.array_equal(ours, book)
    order = np.random.RandomState(1).permutation(35)
    assert np.array_equal(expanded[order], ExpandedImages(images)[order])   # any order, any batch
    labels = np.arange(7)
    assert np.array_equal(expanded_labels(labels)[np.array([k * 7 + 3 for k in range(5)])], [3] * 5)


def test_a_run_on_expanded_data_trains_as_on_the_images_written_out(mnist_data):
    images, labels = mnist_data["training"]
    images, labels = images[:60], labels[:60]
    trainer = Trainer(Network([784, 10, 10], seed=2), (images, labels), 1, 10, 0.5, seed=3, expand=True)
    assert trainer.n == 300 and trainer.batches_per_epoch == 30
    # no expanded copy: the run reads the uint8 images themselves
    assert isinstance(trainer.images, ExpandedImages) and np.shares_memory(trainer.images.images, images)
    trainer.run()
    written = np.concatenate([images.reshape(60, -1)] + [
        book_expansion(images.reshape(60, -1))[k::5] for k in range(1, 5)])
    reference = Network([784, 10, 10], seed=2)
    step = LeanStep(reference, written, np.tile(labels, 5), 10, 0.5)
    order = np.random.RandomState(3).permutation(300)
    for k in range(0, 300, 10):
        step.step(order, k)
    for p, q in zip(trainer.network.weights + trainer.network.biases, reference.weights + reference.biases):
        np.testing.assert_allclose(p, q, rtol=0, atol=1e-12)

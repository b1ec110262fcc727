"""The book's headline experiment on real MNIST, with the fast path: a
[784, 30, 10] network, eta=3.0, mini-batches of 10, quadratic cost, the seed's
N(0, 1) initialization, one epoch on the 50,000 training images.

With this "large" initialization single runs vary a lot: measured once over
seeds 0-19, 14 runs reached 89.98-90.88% and 6 got stuck at 71-82% (saturated
hidden neurons), median 90.4%.  A median over three seeds depends on the seeds
drawn, so the test takes the first eleven seeds, 0-10, unpicked (measured:
71.6, 82.1, 90.0, 90.6, 90.2, 90.8, 74.2, 90.8, 90.0, 90.5, 90.6 -> median
90.17%; about 0.3 s a run).  A broken gradient or update gives ~10-20%, far
below either threshold."""

import numpy as np

from pycore import Network
from pycore.trainer import Trainer


def test_one_epoch_median_accuracy_over_eleven_seeds_is_at_least_90_percent(mnist_data):
    accuracies = []
    for seed in range(11):
        net = Network([784, 30, 10], init="large", seed=seed)
        trainer = Trainer(net, mnist_data["training"], epochs=1, mini_batch_size=10,
                          eta=3.0, test=mnist_data["test"])
        events = trainer.run()
        epoch = [e for e in events if e["type"] == "epoch"][0]
        assert epoch["total"] == 10000
        accuracies.append(epoch["accuracy"])
    print("one-epoch test accuracies:", accuracies)
    assert np.median(accuracies) >= 0.90, accuracies
    assert min(accuracies) > 0.5, accuracies

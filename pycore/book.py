"""
book.py
~~~~~~~

The book's headline MNIST experiments (multilayer perceptrons and chapter 6's
convolutional networks), as one
table (``EXPERIMENTS``): for each, the settings in the page's own names
(pycore/settings.json), the chapter and section of *Neural Networks and Deep
Learning* where it is run, and the figure the book reports, with what that
figure measures (test or validation accuracy, at which epoch).  The page's
"Book experiments" menu is made from this table (build.py writes it as
js/train/book-table.js), and the command

    python3 -m pycore.book --out docs/book-results.md [--only ID ...]
                           [--epochs-scale F] [--results FILE]

runs each experiment in CPython with pycore's ``Trainer`` and writes the
book's figure beside ours as a markdown table.

The book trains on the first 50,000 of MNIST's 60,000 training images and
scores either the 10,000 validation images (the last 10,000 of the training
file) or the 10,000 test images, as each entry says.  The page trains on the
first ``samples`` of the same 50,000 and scores the test images; the command
scores both, so that ours can be compared on the book's own measure.

Every figure and setting below was looked up in the book's text (the
chapter pages at neuralnetworksanddeeplearning.com, read through mirrors of
their text) and in its code (github.com/mnielsen/neural-networks-and-deep-
learning: src/network.py, src/network2.py, src/network3.py, src/conv.py).
"""

import argparse
import json
import os
import sys
import time

from . import settings as settings_table

BOOK_URL = "http://neuralnetworksanddeeplearning.com/"
LARGER_DIFFERENCE = 1.0    # points: a difference the results table must explain
FAR_BELOW = 3.0            # points: the page explains a run ending this far below the book

EXPERIMENTS = [
    {
        "id": "ch1-30",
        "title": "Chapter 1: [784, 30, 10], η = 3",
        "chapter": 1,
        "section": "Implementing our network to classify digits",
        "url": BOOK_URL + "chap1.html",
        "settings": {"hidden": [30], "epochs": 30, "batch": 10, "eta": 3.0,
                     "samples": 50000, "cost": "quadratic", "act": "sigmoid",
                     "out": "sigmoid", "lmbda": 0, "init": "large", "seed": 1},
        "book": {"accuracy": 95.42, "measure": "test", "epoch": 28,
                 "how": "peak test accuracy, 9542 / 10000 at epoch 28 of 30 "
                        "(the book reports the best of three runs)"},
        "differs": "",
        "why": "N(0, 1) weights start many sigmoid units saturated, so some runs learn "
               "slowly or stall; the book took the best of three runs. Try another seed, "
               "or chapter 3's cures: the cross-entropy cost and scaled init.",
    },
    {
        "id": "ch1-100",
        "title": "Chapter 1: [784, 100, 10], η = 3",
        "chapter": 1,
        "section": "Implementing our network to classify digits",
        "url": BOOK_URL + "chap1.html",
        "settings": {"hidden": [100], "epochs": 30, "batch": 10, "eta": 3.0,
                     "samples": 50000, "cost": "quadratic", "act": "sigmoid",
                     "out": "sigmoid", "lmbda": 0, "init": "large", "seed": 1},
        "book": {"accuracy": 96.59, "measure": "test", "epoch": None,
                 "how": "test accuracy (best of three runs); the book warns that readers "
                        "see quite some variation, some runs quite a bit worse"},
        "differs": "",
        "why": "The book itself warns that this run varies a lot. With 100 hidden units, "
               "N(0, 1) weights give each unit a weighted input spread over about ±28, so "
               "most units start saturated and learn very slowly with the quadratic cost: "
               "that is chapter 3's lesson. Try another seed, or Weight init \"Scaled\" "
               "with the cross-entropy cost and η = 0.5.",
    },
    {
        "id": "ch3-ce-30",
        "title": "Chapter 3: cross-entropy, [784, 30, 10], η = 0.5",
        "chapter": 3,
        "section": "The cross-entropy cost function: using the cross-entropy to classify "
                   "MNIST digits",
        "url": BOOK_URL + "chap3.html",
        "settings": {"hidden": [30], "epochs": 30, "batch": 10, "eta": 0.5,
                     "samples": 50000, "cost": "cross-entropy", "act": "sigmoid",
                     "out": "sigmoid", "lmbda": 0, "init": "large", "seed": 1},
        "book": {"accuracy": 95.49, "measure": "test", "epoch": None,
                 "how": "test accuracy after 30 epochs"},
        "differs": "",
        "why": "One run of 30 epochs varies by a few tenths with the seed; a run far below "
               "usually has many saturated hidden units from the N(0, 1) start. Try "
               "another seed, or scaled init.",
    },
    {
        "id": "ch3-overfit",
        "title": "Chapter 3: overfitting on 1,000 images",
        "chapter": 3,
        "section": "Overfitting and regularization",
        "url": BOOK_URL + "chap3.html",
        "settings": {"hidden": [30], "epochs": 100, "batch": 10, "eta": 0.5,
                     "samples": 1000, "cost": "cross-entropy", "act": "sigmoid",
                     "out": "sigmoid", "lmbda": 0, "init": "large", "seed": 1},
        "book": {"accuracy": 82.27, "measure": "test", "epoch": None,
                 "how": "peak test accuracy over 400 epochs on the first 1,000 training "
                        "images (training accuracy reaches 100%)"},
        "differs": "The book trains for 400 epochs; the page's most is 100.",
        "why": "With only 1,000 images the test accuracy depends a lot on the starting "
               "weights, and the book's peak came within 400 epochs while the page stops at "
               "100. Try another seed; to see the cure, set λ = 0.1 (the book then reaches "
               "87.1%).",
    },
    {
        "id": "ch3-l2-30",
        "title": "Chapter 3: L2, λ = 5, [784, 30, 10], η = 0.5",
        "chapter": 3,
        "section": "Overfitting and regularization: regularization",
        "url": BOOK_URL + "chap3.html",
        "settings": {"hidden": [30], "epochs": 30, "batch": 10, "eta": 0.5,
                     "samples": 50000, "cost": "cross-entropy", "act": "sigmoid",
                     "out": "sigmoid", "lmbda": 5.0, "init": "large", "seed": 1},
        "book": {"accuracy": 96.49, "measure": "test", "epoch": None,
                 "how": "test accuracy after 30 epochs"},
        "differs": "",
        "why": "A run far below usually starts with many saturated hidden units (N(0, 1) "
               "weights). Try another seed, or scaled init.",
    },
    {
        "id": "ch3-l2-100",
        "title": "Chapter 3: L2, λ = 5, [784, 100, 10], η = 0.5",
        "chapter": 3,
        "section": "Overfitting and regularization: regularization",
        "url": BOOK_URL + "chap3.html",
        "settings": {"hidden": [100], "epochs": 30, "batch": 10, "eta": 0.5,
                     "samples": 50000, "cost": "cross-entropy", "act": "sigmoid",
                     "out": "sigmoid", "lmbda": 5.0, "init": "large", "seed": 1},
        "book": {"accuracy": 97.92, "measure": "validation", "epoch": None,
                 "how": "validation accuracy after 30 epochs"},
        "differs": "The book scores the validation images; the page scores the test images.",
        "why": "With 100 hidden units and N(0, 1) weights, many units start saturated; "
               "λ = 5 pulls the weights down only slowly. Try another seed, or scaled init.",
    },
    {
        "id": "ch3-l2-100-60",
        "title": "Chapter 3: L2, λ = 5, [784, 100, 10], η = 0.1, 60 epochs",
        "chapter": 3,
        "section": "Overfitting and regularization: regularization",
        "url": BOOK_URL + "chap3.html",
        "settings": {"hidden": [100], "epochs": 60, "batch": 10, "eta": 0.1,
                     "samples": 50000, "cost": "cross-entropy", "act": "sigmoid",
                     "out": "sigmoid", "lmbda": 5.0, "init": "large", "seed": 1},
        "book": {"accuracy": 98.04, "measure": "validation", "epoch": None,
                 "how": "validation accuracy after 60 epochs"},
        "differs": "The book scores the validation images; the page scores the test images.",
        "why": "With 100 hidden units and N(0, 1) weights, many units start saturated and "
               "η = 0.1 moves them out slowly. Try another seed, or scaled init.",
    },
    {
        "id": "ch3-scaled",
        "title": "Chapter 3: scaled init, [784, 30, 10], η = 0.1",
        "chapter": 3,
        "section": "Weight initialization",
        "url": BOOK_URL + "chap3.html",
        "settings": {"hidden": [30], "epochs": 30, "batch": 10, "eta": 0.1,
                     "samples": 50000, "cost": "cross-entropy", "act": "sigmoid",
                     "out": "sigmoid", "lmbda": 5.0, "init": "scaled", "seed": 1},
        "book": {"accuracy": 96.0, "measure": "validation", "epoch": None,
                 "approximate": True,
                 "how": "validation accuracy after 30 epochs, \"somewhat over 96 percent\" "
                        "(read from the book's plot; the text gives no exact figure)"},
        "differs": "The book scores the validation images; the page scores the test images.",
        "why": "Scaled init should make runs reliable; a run far below points to a setting "
               "that differs from the book's (η = 0.1, λ = 5, cross-entropy).",
    },
    {
        "id": "ch6-softmax-100",
        "title": "Chapter 6: [784, 100, 10], softmax output, η = 0.1, 60 epochs",
        "chapter": 6,
        "section": "Convolutional neural networks in practice",
        "url": BOOK_URL + "chap6.html",
        "settings": {"hidden": [100], "epochs": 60, "batch": 10, "eta": 0.1,
                     "samples": 50000, "cost": "log-likelihood", "act": "sigmoid",
                     "out": "softmax", "lmbda": 0, "init": "scaled", "seed": 1},
        "book": {"accuracy": 97.80, "measure": "test at best validation", "epoch": None,
                 "how": "test accuracy at the epoch of best validation accuracy, 60 epochs "
                        "(the best of three runs)"},
        "differs": "network3.py draws the hidden layer's weights from N(0, 1/n_out) and starts "
                   "the softmax layer at zero; the page's nearest choice is scaled init, "
                   "N(0, 1/n_in).",
        "why": "A run far below usually means η or the output layer differ from the book's "
               "(softmax with the log-likelihood cost, η = 0.1). Try another seed.",
    },
    {
        "id": "ch6-conv",
        "title": "Chapter 6: conv 20 5×5 + max-pool, 100, softmax, η = 0.1, 60 epochs",
        "chapter": 6,
        "section": "Convolutional neural networks in practice",
        "url": BOOK_URL + "chap6.html",
        "settings": {"hidden": ["conv 20 5x5 pool 2", 100], "epochs": 60, "batch": 10,
                     "eta": 0.1, "samples": 50000, "cost": "log-likelihood", "act": "sigmoid",
                     "out": "softmax", "lmbda": 0, "init": "scaled", "seed": 1},
        "book": {"accuracy": 98.78, "measure": "test at best validation", "epoch": None,
                 "how": "test accuracy at the epoch of best validation accuracy, 60 epochs "
                        "(the best of three runs)"},
        "differs": "network3.py draws a conv layer's weights from N(0, 1/n_out) with "
                   "n_out = 20·5·5/(2·2) and its biases from N(0, 1); scaled init draws "
                   "N(0, 1/25) and starts a conv layer's biases at 0.",
        "why": "Sigmoid conv layers learn slowly at first; the book ran 60 epochs. "
               "Try another seed, or the chapter's ReLU run.",
    },
    {
        "id": "ch6-conv2",
        "title": "Chapter 6: two conv-pool layers (20 and 40 filters), 100, softmax, η = 0.1",
        "chapter": 6,
        "section": "Convolutional neural networks in practice",
        "url": BOOK_URL + "chap6.html",
        "settings": {"hidden": ["conv 20 5x5 pool 2", "conv 40 5x5 pool 2", 100], "epochs": 60,
                     "batch": 10, "eta": 0.1, "samples": 50000, "cost": "log-likelihood",
                     "act": "sigmoid", "out": "softmax", "lmbda": 0, "init": "scaled", "seed": 1},
        "book": {"accuracy": 99.06, "measure": "test at best validation", "epoch": None,
                 "how": "test accuracy at the epoch of best validation accuracy, 60 epochs "
                        "(the best of three runs)"},
        "differs": "network3.py's initialization differs (see the one-layer run).",
        "why": "Sigmoid conv layers learn slowly at first; the book ran 60 epochs. "
               "Try another seed, or the chapter's ReLU run.",
    },
    {
        "id": "ch6-relu",
        "title": "Chapter 6: two conv-pool layers, ReLU, η = 0.03, λ = 0.1",
        "chapter": 6,
        "section": "Convolutional neural networks in practice",
        "url": BOOK_URL + "chap6.html",
        "settings": {"hidden": ["conv 20 5x5 pool 2", "conv 40 5x5 pool 2", 100], "epochs": 60,
                     "batch": 10, "eta": 0.03, "samples": 50000, "cost": "log-likelihood",
                     "act": "relu", "out": "softmax", "lmbda": 0.1, "init": "scaled", "seed": 1},
        "book": {"accuracy": 99.23, "measure": "test at best validation", "epoch": None,
                 "how": "test accuracy at the epoch of best validation accuracy, 60 epochs "
                        "(the best of three runs)"},
        "differs": "network3.py's initialization differs (see the one-layer run).",
        "why": "A ReLU run far below usually means η is larger than the book's 0.03 "
               "(ReLU units die). Try another seed.",
    },
    {
        "id": "ch6-expanded",
        "title": "Chapter 6: two conv-pool layers, ReLU, expanded data",
        "chapter": 6,
        "section": "Convolutional neural networks in practice",
        "url": BOOK_URL + "chap6.html",
        "settings": {"hidden": ["conv 20 5x5 pool 2", "conv 40 5x5 pool 2", 100], "epochs": 60,
                     "batch": 10, "eta": 0.03, "samples": 50000, "cost": "log-likelihood",
                     "act": "relu", "out": "softmax", "lmbda": 0.1, "init": "scaled",
                     "expand": "on", "seed": 1},
        "book": {"accuracy": 99.37, "measure": "test at best validation", "epoch": None,
                 "how": "the book's figure for 60 epochs on the 250,000 expanded images "
                        "(it says \"training accuracy\"; the chapter compares it with test figures)"},
        "differs": "expand_mnist.py writes the shifted copies once; the page makes them per "
                   "mini-batch (the same 250,000 images).",
        "why": "Each epoch is five times as long; a run stopped early stays below the book's. "
               "Try another seed.",
    },
]

MEASURES = ("test", "validation", "test at best validation")


class BookTableError(ValueError):
    """The table or the command's arguments are not as they must be."""


def check_table(experiments=None):
    """Check every entry of ``experiments`` (the module's table by default)
    and return it; raise BookTableError with a sentence naming the first
    problem found."""
    experiments = EXPERIMENTS if experiments is None else experiments
    seen = set()
    for number, entry in enumerate(experiments):
        where = "Book experiment {} ({})".format(number+1, entry.get("id", "no id"))
        for key, kind in (("id", str), ("title", str), ("chapter", int), ("section", str),
                          ("url", str), ("settings", dict), ("book", dict),
                          ("differs", str), ("why", str)):
            if not isinstance(entry.get(key), kind) or isinstance(entry.get(key), bool):
                raise BookTableError("{} needs “{}” as a {}.".format(
                    where, key, {str: "string", int: "whole number", dict: "table"}[kind]))
        if entry["id"] in seen:
            raise BookTableError("{} repeats the id of an earlier experiment.".format(where))
        seen.add(entry["id"])
        if not entry["section"].strip() or not entry["why"].strip():
            raise BookTableError("{} needs a section and a reason text.".format(where))
        try:
            settings_table.parse_settings(entry["settings"])
        except settings_table.SettingsError as e:
            raise BookTableError("{} has settings the page refuses: {}".format(
                where, " ".join(str(m) for m in e.errors.values())))
        book = entry["book"]
        accuracy = book.get("accuracy")
        if (not isinstance(accuracy, (int, float)) or isinstance(accuracy, bool)
                or not 0 < accuracy <= 100):
            raise BookTableError("{} needs the book's figure as a percentage above 0 and at "
                                 "most 100.".format(where))
        if book.get("measure") not in MEASURES:
            raise BookTableError("{} must say what the book's figure measures: one of {}."
                                 .format(where, ", ".join(MEASURES)))
        if not isinstance(book.get("how"), str) or not book["how"].strip():
            raise BookTableError("{} must say how the book got its figure.".format(where))
    return experiments


def find(experiment_id):
    """Return the table's entry with id ``experiment_id``."""
    for entry in EXPERIMENTS:
        if entry["id"] == experiment_id:
            return entry
    raise BookTableError("There is no book experiment called “{}”; the experiments are {}."
                         .format(str(experiment_id)[:40],
                                 ", ".join(e["id"] for e in EXPERIMENTS)))


def scaled_settings(settings, epochs_scale):
    """Return a copy of ``settings`` with its epochs multiplied by
    ``epochs_scale`` (at least one epoch)."""
    scaled = dict(settings)
    scaled["epochs"] = max(1, int(round(settings["epochs"]*epochs_scale)))
    return scaled


def run_experiment(entry, data, epochs_scale=1.0, report=None):
    """Train the network of ``entry`` on ``data`` (a dict as
    ``mnist.load_data`` returns) exactly as the page would, scoring the test
    and the validation images after every epoch, and return our figures:
    ``{"epochs", "seed", "test_best", "test_best_epoch", "test_final",
    "validation_best", "validation_best_epoch", "validation_final",
    "test_at_best_validation", "seconds"}`` (accuracies in percent).
    ``report(event)`` is called with every epoch event."""
    from .runs import new_network
    from .trainer import Trainer
    s = settings_table.parse_settings(scaled_settings(entry["settings"], epochs_scale))
    images, labels = data["training"]
    n = min(s["samples"], len(labels))
    net = new_network(s)
    trainer = Trainer(net, (images[:n], labels[:n]), s["epochs"], s["batch"], s["eta"],
                      lmbda=s["lmbda"], test=data["test"], validation=data["validation"],
                      seed=s["seed"], mu=s["mu"], reg=s["reg"].upper(), expand=s["expand"] == "on")
    start = time.perf_counter()
    while not trainer.done:
        for event in trainer.step(max_batches=1000):
            if event["type"] == "epoch" and report is not None:
                report(event)
    history = trainer.history
    test = [100.0*e["accuracy"] for e in history]
    validation = [100.0*e["validation"]["accuracy"] for e in history]
    best_test = max(range(len(test)), key=lambda i: (test[i], -i))
    best_val = max(range(len(validation)), key=lambda i: (validation[i], -i))
    return {"epochs": s["epochs"], "seed": s["seed"],
            "test_best": test[best_test], "test_best_epoch": best_test,
            "test_final": test[-1],
            "validation_best": validation[best_val], "validation_best_epoch": best_val,
            "validation_final": validation[-1],
            "test_at_best_validation": test[best_val],
            "seconds": time.perf_counter()-start}


def ours_on_books_measure(entry, ours):
    """Return our figure measured as the book measured its own, in percent."""
    measure = entry["book"]["measure"]
    if measure == "validation":
        return ours["validation_best"] if entry["book"].get("epoch") else ours["validation_final"]
    if measure == "test at best validation":
        return ours["test_at_best_validation"]
    how = entry["book"]["how"]
    return ours["test_best"] if ("peak" in how or entry["book"].get("epoch")) else ours["test_final"]


def _settings_text(settings):
    """Return the settings as a short line, e.g. "[784, 30, 10], 30 epochs, m = 10, η = 3"."""
    s = settings
    parts = ["[784, {}, 10]".format(", ".join(str(h) for h in s["hidden"])),
             "{} epochs".format(s["epochs"]), "m = {}".format(s["batch"]),
             "η = {:g}".format(s["eta"]), "n = {:,}".format(s["samples"]), s["cost"]]
    if s.get("out", "sigmoid") != "sigmoid":
        parts.append(s["out"] + " output")
    if s.get("lmbda"):
        parts.append("λ = {:g}".format(s["lmbda"]))
    parts.append("{} init".format(s["init"]))
    return ", ".join(parts)


def render(results, epochs_scale=1.0):
    """Return the markdown table of the book's figures beside ``results``
    (a dict from experiment id to ``run_experiment``'s answer)."""
    lines = [
        "# The book's results, reproduced",
        "",
        "Written by `python3 -m pycore.book` (pycore's Trainer in CPython, the same code the "
        "page runs). The book trains on the first 50,000 MNIST training images and scores the "
        "10,000 validation images (the last 10,000 of the training file) or the 10,000 test "
        "images, as each row says; we score both, and “ours” is measured the way the book "
        "measured its figure. “Best test” and “final test” are what the page shows. The "
        "book's figures are single runs (chapter 1: the best of three), so differences of a "
        "few tenths are expected; a difference of more than {:g} point is explained."
        .format(LARGER_DIFFERENCE),
        "",
    ]
    if epochs_scale != 1.0:
        lines += ["**Epochs scaled by {:g}: these are not the book's runs.**".format(
            epochs_scale), ""]
    lines += ["| Experiment | Section | Settings | Book | Ours (book's measure) | Difference "
              "| Best test (epoch) | Final test | Seed | Note |",
              "|---|---|---|---|---|---|---|---|---|---|"]
    for entry in EXPERIMENTS:
        if entry["id"] not in results:
            continue
        ours = results[entry["id"]]
        book = entry["book"]
        mine = ours_on_books_measure(entry, ours)
        diff = mine-book["accuracy"]
        settings = dict(entry["settings"], epochs=ours["epochs"])
        note = entry["differs"]
        if abs(diff) > LARGER_DIFFERENCE:
            note = (note + " " if note else "") + entry["why"]
        lines.append("| {} (`{}`) | Ch. {}, {} | {} | {}{:.2f}% ({}) | {:.2f}% | {:+.2f} | "
                     "{:.2f}% ({}) | {:.2f}% | {} | {} |".format(
                         entry["title"], entry["id"], entry["chapter"], entry["section"],
                         _settings_text(settings), "≈ " if book.get("approximate") else "",
                         book["accuracy"], book["how"], mine, diff, ours["test_best"],
                         ours["test_best_epoch"], ours["test_final"], ours["seed"],
                         note.replace("|", "/")))
    lines += ["", "Epochs are counted from 0, as the book prints them."]
    return "\n".join(lines) + "\n"


def parse_args(argv):
    """Return the command's arguments, or raise BookTableError with a
    sentence for the first bad one."""
    parser = argparse.ArgumentParser(
        prog="python3 -m pycore.book",
        description="Run the book's MNIST experiments and write the book's figures beside ours.")
    parser.add_argument("--out", required=True, help="markdown file to write")
    parser.add_argument("--only", nargs="+", metavar="ID", help="run only these experiments")
    parser.add_argument("--epochs-scale", type=float, default=1.0,
                        help="multiply every experiment's epochs by this (above 0, at most 1)")
    parser.add_argument("--data", default=None, help="directory of the MNIST IDX files")
    parser.add_argument("--results", default=None,
                        help="JSON file of results kept between runs: experiments already in "
                             "it are not run again")
    args = parser.parse_args(argv)
    if not 0 < args.epochs_scale <= 1:
        raise BookTableError("--epochs-scale must be above 0 and at most 1, got {:g}."
                             .format(args.epochs_scale))
    for experiment_id in args.only or []:
        find(experiment_id)
    if len(set(args.only or [])) != len(args.only or []):
        raise BookTableError("--only names an experiment twice.")
    directory = os.path.dirname(os.path.abspath(args.out))
    if not os.path.isdir(directory):
        raise BookTableError("The folder of --out ({}) does not exist.".format(directory))
    if not args.out.endswith(".md"):
        raise BookTableError("--out must name a markdown file ending in .md.")
    return args


def main(argv=None):
    """Run the command; return its exit status."""
    try:
        args = parse_args(sys.argv[1:] if argv is None else argv)
        check_table()
    except BookTableError as e:
        print("pycore.book: " + str(e), file=sys.stderr)
        return 2
    from . import mnist
    from .pretrain import DEFAULT_DATA
    results = {}
    if args.results and os.path.isfile(args.results):
        with open(args.results) as f:
            results = json.load(f)
        if results.get("_epochs_scale", 1.0) != args.epochs_scale:
            results = {}
    results["_epochs_scale"] = args.epochs_scale
    data = mnist.load_directory(args.data or DEFAULT_DATA)
    wanted = args.only or [e["id"] for e in EXPERIMENTS]
    for entry in EXPERIMENTS:
        if entry["id"] not in wanted or entry["id"] in results:
            continue
        print("{}: {}".format(entry["id"], entry["title"]), flush=True)

        def report(event):
            print("  Epoch {}: {} / {} test, {} / {} validation, {:.1f} s".format(
                event["epoch"], event["correct"], event["total"],
                event["validation"]["correct"], event["validation"]["total"],
                event["seconds"]), flush=True)

        results[entry["id"]] = run_experiment(entry, data, args.epochs_scale, report)
        mine = ours_on_books_measure(entry, results[entry["id"]])
        print("  Book: {:.2f}% · ours: {:.2f}%".format(entry["book"]["accuracy"], mine),
              flush=True)
        if args.results:
            with open(args.results, "w") as f:
                json.dump(results, f, indent=1, sort_keys=True)
        with open(args.out, "w") as f:
            f.write(render(results, args.epochs_scale))
    with open(args.out, "w") as f:
        f.write(render(results, args.epochs_scale))
    print("Wrote " + args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The book's experiments table (pycore/book.py) and the command that reproduces it."""

import copy
import json

import pytest

from pycore import book, settings


def test_every_experiment_has_settings_the_page_accepts_and_a_figure_with_its_section():
    assert book.check_table() is book.EXPERIMENTS
    ids = [e["id"] for e in book.EXPERIMENTS]
    assert len(ids) == len(set(ids)) == 13
    for entry in book.EXPERIMENTS:
        parsed = settings.parse_settings(entry["settings"])
        assert parsed["hidden"] == entry["settings"]["hidden"]
        figure = entry["book"]["accuracy"]
        assert isinstance(figure, float) and 80 < figure < 100, entry["id"]
        assert entry["section"].strip() and entry["chapter"] in (1, 3, 6)
        assert entry["book"]["measure"] in book.MEASURES
        assert entry["why"].strip()


def test_the_table_holds_the_books_figures():
    figures = {e["id"]: e["book"]["accuracy"] for e in book.EXPERIMENTS}
    assert figures == {"ch1-30": 95.42, "ch1-100": 96.59, "ch3-ce-30": 95.49,
                       "ch3-overfit": 82.27, "ch3-l2-30": 96.49, "ch3-l2-100": 97.92,
                       "ch3-l2-100-60": 98.04, "ch3-scaled": 96.0, "ch6-softmax-100": 97.80,
                       # chapter 6, "Convolutional neural networks in practice"
                       "ch6-conv": 98.78, "ch6-conv2": 99.06, "ch6-relu": 99.23,
                       "ch6-expanded": 99.37}
    assert book.find("ch6-relu")["settings"]["hidden"] == ["conv 20 5x5 pool 2", "conv 40 5x5 pool 2", 100]
    assert book.find("ch6-softmax-100")["settings"]["out"] == "softmax"
    assert book.find("ch6-softmax-100")["settings"]["cost"] == "log-likelihood"


@pytest.mark.parametrize("change, words", [
    (lambda e: e[0].update(settings=dict(e[0]["settings"], eta=-1)), "settings the page refuses"),
    (lambda e: e[0].update(settings=dict(e[0]["settings"], cost="log-likelihood")),
     "settings the page refuses"),
    (lambda e: e[0]["book"].update(accuracy="95.42"), "percentage"),
    (lambda e: e[0]["book"].update(accuracy=101), "percentage"),
    (lambda e: e[0]["book"].update(measure="training"), "what the book's figure measures"),
    (lambda e: e[0].update(section=" "), "section"),
    (lambda e: e[0].pop("chapter"), "“chapter” as a whole number"),
    (lambda e: e[1].update(id=e[0]["id"]), "repeats the id"),
])
def test_a_bad_table_is_refused_with_a_sentence(change, words):
    table = copy.deepcopy(book.EXPERIMENTS)
    change(table)
    with pytest.raises(book.BookTableError) as e:
        book.check_table(table)
    assert words in str(e.value) and str(e.value).endswith(".")


@pytest.mark.parametrize("argv, words", [
    (["--out", "x.md", "--epochs-scale", "0"], "--epochs-scale must be above 0"),
    (["--out", "x.md", "--epochs-scale", "1.5"], "at most 1"),
    (["--out", "x.md", "--only", "ch9-nothing"], "There is no book experiment called “ch9-nothing”"),
    (["--out", "x.md", "--only", "ch1-30", "ch1-30"], "names an experiment twice"),
    (["--out", "no-such-folder/x.md"], "does not exist"),
    (["--out", "x.txt"], "markdown file"),
])
def test_the_command_refuses_bad_arguments(argv, words, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert book.main(argv) == 2
    err = capsys.readouterr().err
    assert words in err and err.strip().endswith("."), err


def test_the_command_runs_a_tiny_table(mnist_dir, tmp_path, capsys):
    out, kept = tmp_path / "book.md", tmp_path / "book.json"
    argv = ["--out", str(out), "--only", "ch3-overfit", "ch3-scaled", "--epochs-scale", "0.01",
            "--data", str(mnist_dir), "--results", str(kept)]
    assert book.main(argv) == 0
    printed = capsys.readouterr().out
    assert "ch3-overfit" in printed and "ch1-30" not in printed
    text = out.read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if line.startswith("| Chapter")]
    assert len(rows) == 2, text
    assert "82.27% (" in rows[0] and "(`ch3-overfit`)" in rows[0] and "1 epochs" in rows[0]
    assert "Epochs scaled by 0.01" in text
    results = json.loads(kept.read_text())
    ours = results["ch3-overfit"]
    assert ours["epochs"] == 1 and 10 < ours["test_final"] <= 100
    assert ours["test_best"] >= ours["test_final"]
    # far more than a point below the book after one epoch: the row explains why
    assert book.find("ch3-overfit")["why"][:40] in rows[0]
    # kept results are not run again
    assert book.main(argv) == 0
    assert "Epoch 0" not in capsys.readouterr().out

"""The Train section's Book experiments menu: it fills the form with the book's settings, names
the book's figure and its section, and a run started from it ends with the book's figure
beside ours (and, far below it, with why that can happen)."""

import re

import pytest
from playwright.sync_api import expect

from axe import axe_violations
from test_train import TRAIN_TIMEOUT_MS, epoch_lines

pytestmark = pytest.mark.browser


def test_an_experiment_fills_the_form_and_a_run_ends_with_the_books_figure_beside_ours(app):
    page = app()
    page.locator("summary", has_text="More settings").click()
    page.get_by_label("Momentum", exact=True).fill("0.5")      # not the book's: back to 0
    menu = page.get_by_label("Book experiments")
    menu.select_option(label="Chapter 3: overfitting on 1,000 images")
    expect(page.get_by_label("Hidden layers")).to_have_value("30")
    expect(page.get_by_label("Epochs", exact=True)).to_have_value("100")
    expect(page.get_by_label("Training samples")).to_have_value("1000")
    expect(page.get_by_label("Learning rate")).to_have_value("0.5")
    expect(page.get_by_label("Cost", exact=True)).to_have_value("cross-entropy")
    expect(page.get_by_label("Momentum", exact=True)).to_have_value("0")
    figure = page.locator("#book-figure")
    expect(figure).to_contain_text(
        "Book: 82.27% (test accuracy; chapter 3, “Overfitting and regularization”)")
    expect(figure).to_contain_text("The book trains for 400 epochs")
    assert axe_violations(page) == []

    # a short run of the same experiment: the menu keeps it, and says what differs
    page.get_by_label("Epochs", exact=True).fill("2")
    expect(figure).to_contain_text("Your settings differ from the book's in: epochs.")
    expect(menu).to_have_value("ch3-overfit")
    page.get_by_role("button", name="Train", exact=True).click()
    log = page.get_by_role("log", name="Training log")
    expect(log).to_contain_text("Book: 82.27% · ours:", timeout=TRAIN_TIMEOUT_MS)
    last = log.locator(".log-line").last
    expect(last).to_have_text(re.compile(
        r"^Book: 82\.27% · ours: \d+\.\d\d% \(epoch [01]; your settings differ in epochs\)$"))
    best = max(int(n) for _, n in epoch_lines(page))
    assert "ours: {:.2f}%".format(best/100) in last.inner_text()
    # two epochs on 1,000 images end far below the book's peak: the page says why
    why = page.locator("#book-why")
    expect(why).to_be_visible()
    expect(why).to_contain_text("more than 3 points below the book's")
    expect(why).to_contain_text("λ = 0.1")
    assert axe_violations(page) == []


def test_the_softmax_experiment_sets_its_output_layer_and_none_leaves_the_form(app):
    page = app()
    menu = page.get_by_label("Book experiments")
    menu.select_option("ch6-softmax-100")
    expect(page.get_by_label("Output layer")).to_have_value("softmax")
    expect(page.get_by_label("Cost", exact=True)).to_have_value("log-likelihood")
    expect(page.get_by_label("Epochs", exact=True)).to_have_value("60")
    expect(page.locator("#book-figure")).to_contain_text(
        "Book: 97.80% (test at best validation accuracy; chapter 6, "
        "“Convolutional neural networks in practice”)")
    menu.select_option("")
    expect(page.get_by_label("Epochs", exact=True)).to_have_value("60")
    expect(page.locator("#book-figure")).not_to_contain_text("Book:")

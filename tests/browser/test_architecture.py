"""The Train section's Architecture menu (issue 19): choosing chapter 6's conv net fills
Hidden layers and the settings that go with it, the menu follows the form (a hand-made
network is "your own"), and a mistake in a conv layer gets the same sentence as Python's."""

import pytest
from playwright.sync_api import expect

from pycore import settings as py_settings

pytestmark = pytest.mark.browser


def test_choosing_the_conv_net_fills_the_form_and_editing_makes_it_your_own(app):
    page = app()
    menu = page.get_by_label("Architecture", exact=True)
    expect(menu).to_have_value("mlp")                 # the defaults are the book's first network
    menu.select_option("conv")
    hidden = page.get_by_label("Hidden layers")
    expect(hidden).to_have_value("conv 20 5x5 pool 2, 100")
    expect(page.get_by_label("Activation", exact=True)).to_have_value("relu")
    expect(page.get_by_label("Cost", exact=True)).to_have_value("log-likelihood")
    expect(page.get_by_label("Output layer", exact=True)).to_have_value("softmax")
    expect(page.get_by_label("Learning rate")).to_have_value("0.03")
    expect(page.locator("#architecture-hint")).to_contain_text("20 5×5 filters")
    hidden.fill("conv 8 5x5 pool 2, 100")
    expect(menu).to_have_value("")
    expect(page.locator("#architecture-hint")).to_contain_text("write your own")


@pytest.mark.parametrize("text", ["conv 20 5x3 pool 2", "100, conv 20 5x5 pool 2",
                                  "conv 20 5x5 pool 2, conv 40 13x13"])
def test_a_mistake_in_a_conv_layer_gets_pythons_sentence(app, text):
    page = app()
    page.get_by_label("Hidden layers").fill(text)
    page.get_by_label("Hidden layers").blur()
    with pytest.raises(ValueError) as e:
        py_settings.parse_field("hidden", text)
    expect(page.locator("#error-hidden")).to_have_text(str(e.value))
    expect(page.get_by_role("button", name="Train", exact=True)).to_be_disabled()

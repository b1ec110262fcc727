"""The training form's rows come from the settings table (pycore/settings.json): every
field has its labelled control, symbol, hint and error line, in the table's order (those
marked "more" under More settings), so a new setting needs no HTML."""

import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "pycore" / "settings.json").read_text())


def test_every_field_of_the_table_has_its_row(app):
    page = app(wait_ready=False)
    rows = page.locator("#train-fields .field")
    expect(rows).to_have_count(len(SCHEMA["fields"]))
    # the table's order, the fields marked "more" under More settings at the end
    order = [f for f in SCHEMA["fields"] if not f.get("more")] + [f for f in SCHEMA["fields"] if f.get("more")]
    more = page.locator("#more-settings .field")
    expect(more).to_have_count(len([f for f in SCHEMA["fields"] if f.get("more")]))
    for row, field in zip(rows.all(), order):
        control = page.get_by_label(field["label"], exact=True)
        expect(control).to_have_attribute("name", field["name"])
        assert control.evaluate("(c) => c.tagName") == ("SELECT" if field["type"] == "choice" else "INPUT")
        expect(control).to_have_accessible_description(field["hint"])
        expect(row.locator(".symbol")).to_have_count(1 if field.get("symbol") else 0)
        if field.get("symbol"):
            expect(row.locator(".symbol")).to_have_text(field["symbol"])
        expect(row.locator("#error-" + field["name"])).to_be_hidden()
    expect(page.get_by_label("Learning rate", exact=True)).to_have_attribute("inputmode", "decimal")
    expect(page.get_by_label("Epochs", exact=True)).to_have_attribute("inputmode", "numeric")
    # a bad value is explained next to its control, as before
    page.get_by_label("Epochs", exact=True).fill("0")
    expect(page.locator("#error-epochs")).to_have_text("Epochs must be from 1 to 100; 0 is out of range.")

"""Model files: Download → Upload round trip, and a corrupt upload refused."""

import json

import pytest
from playwright.sync_api import expect

from drawing import draw_digit
from test_draw import settled_prediction

pytestmark = pytest.mark.browser


def predict_drawn(page, digit):
    page.get_by_role("button", name="Clear", exact=True).click()
    draw_digit(page, digit)
    return settled_prediction(page, digit)


def test_download_upload_round_trip_predicts_identically(app, tmp_path):
    page = app()
    before = predict_drawn(page, "7")
    with page.expect_download() as info:
        page.get_by_role("button", name="Download model").click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(str(path))
    model = json.loads(path.read_text())
    assert model["sizes"][0] == 784 and model["sizes"][-1] == 10
    assert model["cost"] in ("QuadraticCost", "CrossEntropyCost", "LogLikelihoodCost")
    page.get_by_label("Upload model").set_input_files(str(path))
    expect(page.get_by_label("Drawing pad uses")).to_have_value("uploaded")
    assert predict_drawn(page, "7") == before


@pytest.mark.parametrize("content, words", [
    (b"{not json", "JSON"),
    (json.dumps({"sizes": [784, 10], "weights": [[[0.0]]], "biases": [[[0.0]]] * 10,
                 "cost": "QuadraticCost"}).encode(), "weights"),
])
def test_corrupt_upload_is_refused_and_old_network_still_predicts(app, content, words):
    page = app()
    page.get_by_label("Upload model").set_input_files(
        files=[{"name": "broken.json", "mimeType": "application/json", "buffer": content}])
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text(words)
    expect(page.get_by_label("Drawing pad uses")).to_have_value("pretrained-conv")
    predict_drawn(page, "1")

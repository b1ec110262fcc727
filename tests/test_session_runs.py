"""The Session keeps the last MAX_KEPT_RUNS runs' networks, named "run-N" with a label;
older ones are dropped when a run starts; Download names the run."""

import json

from pycore import session as session_module
from pycore.session import MAX_KEPT_RUNS, Session

SETTINGS = {"hidden": [5], "epochs": 1, "batch": 10, "eta": 0.5, "samples": 100,
            "cost": "quadratic", "lmbda": 0, "init": "large", "seed": 1}


def run(session, **changes):
    info = session.start_run(dict(SETTINGS, **changes))
    while not session.step_run(10)["done"]:
        pass
    session.finish_run()
    return info


def test_runs_are_kept_named_labelled_and_bounded(mnist_data):
    s = Session()
    s.data = mnist_data
    first = run(s)
    assert first["name"] == "run-1" and first["dropped"] == []
    assert s.models()["runs"] == [{"name": "run-1", "label": "Run 1 (η = 0.5, 5 hidden)"}]
    second = run(s, eta=3.0, hidden=[6, 4])
    assert s.models()["active"] == "run-2"
    assert s.models()["runs"][1] == {"name": "run-2", "label": "Run 2 (η = 3, 6, 4 hidden)"}
    assert second["dropped"] == []
    assert s.networks["run-1"] is not s.networks["run-2"]
    s.use("run-1")
    for _ in range(MAX_KEPT_RUNS-1):
        last = run(s)
    assert [r["name"] for r in s.models()["runs"]] == ["run-{}".format(n) for n in range(2, 7)]
    assert last["dropped"] == ["Run 1 (η = 0.5, 5 hidden)"]
    assert "run-1" not in s.networks and len(s.kept) == MAX_KEPT_RUNS == 5


def test_download_names_the_run_and_keeps_its_settings(mnist_data):
    s = Session()
    s.data = mnist_data
    run(s)
    run(s, hidden=[7])
    exported = s.export_model("run-1")
    assert exported["filename"] == "digit-lab-run-1-784-5-10.json"
    data = json.loads(exported["text"])
    assert data["model"] == "run-1" and data["training"]["hidden"] == [5]
    assert s.export_model()["filename"] == "digit-lab-run-2-784-7-10.json"
    assert session_module.run_label(3, dict(SETTINGS, hidden=[])) == "Run 3 (η = 0.5, no hidden)"

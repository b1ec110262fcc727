"""web/js/notebook/ipynb.js and notebook-output.js under Node: the page's notebook written
as .ipynb passes nbformat's own validation, reads back to the same cells, a notebook
written by nbformat (the seed's code, as Jupyter saves it) opens, and bad files are
refused with a sentence naming the file; a cell's output keeps a bounded tail that counts
every line it does not show."""

import json
import re
import warnings
from pathlib import Path

import nbformat
import nbformat.validator
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "web" / "js" / "notebook"


@pytest.fixture(scope="module")
def jupyter_notebook(tmp_path_factory):
    """A notebook as Jupyter writes it (nbformat 4.5, sources as one string, outputs of
    every kind), holding the seed's code; return its path."""
    from test_notebook_runner import seed_code
    v4 = nbformat.v4
    nb = v4.new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                  "language": "python"}})
    nb.cells = [
        v4.new_markdown_cell("# network.py\n\nThe seed's code, `Network([784, 30, 10])`."),
        v4.new_code_cell(seed_code(), execution_count=1),
        v4.new_code_cell("net = Network([784, 30, 10])\nnet.sizes", execution_count=2, outputs=[
            v4.new_output("execute_result", data={"text/plain": "[784, 30, 10]"}, execution_count=2),
            v4.new_output("stream", name="stdout", text="hello\n"),
            v4.new_output("error", ename="KeyboardInterrupt", evalue="", traceback=[])]),
        v4.new_raw_cell("raw\ntext"),
    ]
    nbformat.validate(nb)
    path = tmp_path_factory.mktemp("jupyter") / "seed.ipynb"
    path.write_text(nbformat.writes(nb), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def result(node_check, jupyter_notebook):
    return node_check("check_ipynb.mjs", {
        "notebook/ipynb.js": NOTEBOOK / "ipynb.js",
        "notebook/notebook-output.js": NOTEBOOK / "notebook-output.js",
        "notebook/cells.js": NOTEBOOK / "cells.js",
        "jupyter.ipynb": jupyter_notebook})


def written(result):
    """The downloaded notebook read by nbformat, as Jupyter reads a file."""
    return nbformat.reads(json.dumps(result["written"]), as_version=nbformat.NO_CONVERT)


def test_the_downloaded_notebook_is_valid_nbformat_4(result):
    # As written, before nbformat's reader could mend anything (e.g. add missing cell ids),
    # against the 4.5 schema; then as Jupyter reads it, warnings counted as errors.
    validator = nbformat.validator.get_validator(version=4, version_minor=5)
    validator.validate(result["written"])       # raises ValidationError with the reason
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        nb = written(result)
        nbformat.validate(nb)
    assert (nb.nbformat, nb.nbformat_minor) == (4, 5)
    assert nb.metadata.kernelspec == {"display_name": "Python 3 (ipykernel)", "language": "python",
                                      "name": "python3"}
    assert nb.metadata.language_info.name == "python" and nb.metadata.language_info.version == "3.8.2"
    assert len({cell.id for cell in nb.cells}) == len(nb.cells)


def test_the_downloaded_notebook_holds_the_cells_code_and_outputs_as_shown(result):
    nb = written(result)
    kinds = [cell.cell_type for cell in nb.cells]
    assert len(kinds) == result["seedCells"] + 1 and kinds[-1] == "raw"
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    assert [cell.source for cell in code if cell.execution_count is None] == \
        [source for i, source in enumerate(result["seedCode"], 1) if i not in (2, 4)]
    assert code[0].source == result["seedCode"][0] and code[0].outputs == []
    assert code[3].source == "net.SGD(training_data[:5000], 5, 10, 3.0, test_data=test_data)\n"
    assert [cell.execution_count for cell in code[:4]] == [None, 1, None, 2]
    assert code[3].outputs == [{"output_type": "stream", "name": "stdout", "text":
                                "… 3 earlier lines not shown\nEpoch 3: 9000 / 10000\nEpoch 4: 9100 / 10000"}]
    first = nb.cells[0]
    assert first.cell_type == "markdown" and first.source.startswith("### The seed's network.py\n\n")
    assert "`network.py`" in first.source
    # Sources are lists of lines, each but the last ending in a newline (as Jupyter writes).
    raw = result["written"]["cells"][1]["source"]
    assert all(line.endswith("\n") for line in raw[:-1]) and len(raw) > 50


def test_the_downloaded_notebook_reads_back_to_the_same_cells(result):
    reread = result["reread"]
    assert reread["ok"] and reread["codeCells"] == len(result["seedCode"])
    written = result["written"]["cells"]
    assert [c["type"] for c in reread["cells"]] == [c["cell_type"] for c in written]
    assert [c["source"] for c in reread["cells"]] == ["".join(c["source"]) for c in written]


def test_a_notebook_written_by_nbformat_opens_without_its_outputs(result):
    opened = result["jupyter"]
    assert opened["ok"], opened
    assert opened["cells"] == [
        {"type": "markdown", "source": "# network.py\n\nThe seed's code, `Network([784, 30, 10])`."},
        {"type": "code", "source": result["seedCode"][0]},
        {"type": "code", "source": "net = Network([784, 30, 10])\nnet.sizes"},
        {"type": "raw", "source": "raw\ntext"}]
    assert (opened["codeCells"], opened["textCells"]) == (2, 2)
    assert result["fromFile"]["cells"] == [{"type": "code", "source": "print(1)\nprint(2)"},
                                           {"type": "markdown", "source": "# Hi"}]
    assert result["bracketsInCode"]["ok"]


@pytest.mark.parametrize("name, words", [
    ("empty", "it is empty"),
    ("notJson", "its text is not JSON"),
    ("array", "no “nbformat” version"),
    ("noVersion", "no “nbformat” version"),
    ("version3", "a notebook of version 3, and the page opens version 4"),
    ("versionText", "an unknown version"),
    ("badMinor", "“nbformat_minor” is not a whole number"),
    ("cellsNotList", "its “cells” is not a list"),
    ("noCells", "it has no cells"),
    ("tooMany", "it has 501 cells, and the notebook opens at most 500 cells"),
    ("notACell", "cell 2 is not a cell"),
    ("heading", "cell 1 has the type “heading”; a version 4 notebook's cells are markdown, code or raw"),
    ("sourceNumber", "cell 1's source is neither text nor a list of lines"),
    ("sourceMixed", "cell 1's source is neither text nor a list of lines"),
    ("tooDeep", "nests more than 64 levels deep"),
    ("tooLarge", "it is 5.0 MB, and the notebook opens files up to 5.0 MB"),
    ("notUtf8", "its bytes are not UTF-8 text"),
])
def test_bad_files_are_refused_with_a_sentence_naming_the_file(result, name, words):
    refused = result["refused"][name]
    file = {"tooLarge": "huge.ipynb", "notUtf8": "binary.ipynb"}.get(name, name + ".ipynb")
    assert refused["ok"] is False
    message = refused["message"]
    assert message.startswith("“{}” was not opened: ".format(file)), message
    assert words in message and message.endswith(".") and message.count(". ") == 0, message


def test_split_lines_keeps_newlines_as_nbformat_does(result):
    assert result["lines"] == [["a\n", "b\n"], ["a\n", "b"], [], ["\n", "\n"]]


def test_an_output_tail_counts_every_line_it_does_not_show(result):
    flood = result["flood"]
    assert flood["shown"] == 2000 and flood["hidden"] == 198000
    assert flood["note"] == "… 198,000 earlier lines not shown"
    assert flood["text"].startswith("line 198000\n") and flood["text"].endswith("line 199999\n")
    assert result["small"] == {"text": "Epoch 0: 9000 / 10000\nEpoch 1: 9100 / 10000\n", "note": ""}
    assert result["long"] == {"length": 1000, "end": "xEND", "note": "… the start of a long line is not shown"}
    assert re.fullmatch(r"line \d+", flood["text"].splitlines()[0])
    # The live view while output floods: the newest 100 lines, the rest counted.
    assert flood["live"] == {"first": "line 199900", "lines": 100, "note": "… 199,900 earlier lines not shown"}
    # skipped lines drop what was shown (one unbroken tail); a last line without newline
    assert result["partialLast"] == [{"text": "e", "hidden": 7}, {"text": "e", "hidden": 7}]
    assert result["lastLines"] == [{"text": "c", "hidden": 2}, {"text": "a\nb\nc", "hidden": 0},
                                   {"text": "b\nc\n", "hidden": 1}, {"text": "a\nb\nc\n", "hidden": 0}]

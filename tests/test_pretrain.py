"""pycore.pretrain, the command that made the shipped model: a one-epoch run of it on real
MNIST writes a model file that loads and reads test digits well above chance."""

from pycore import model_io, pretrain


def test_a_short_pretrain_run_writes_a_loadable_model(tmp_path, capsys):
    out = tmp_path / "model.json"
    pretrain.main(["--out", str(out), "--epochs", "1", "--hidden", "20"])
    printed = capsys.readouterr().out
    assert "Epoch 0: validation" in printed and "Test accuracy" in printed
    net = model_io.loads(out.read_text())
    assert net.sizes == [784, 20, 10]
    correct = int(printed.split("Test accuracy: ")[1].split(" /")[0])
    assert correct > 8500, printed

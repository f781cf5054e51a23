"""A smoke training run resumes, and its checkpoint exports to ONNX that matches PyTorch."""
import json

import numpy as np
import onnx
import onnxruntime as ort
import pytest
import torch

import export_onnx
import train
from model import ModelArgs, build_model
from tests.test_data import make_tree


@pytest.fixture()
def tiny_data(tmp_path, monkeypatch):
    monkeypatch.setenv("FER_CACHE", str(tmp_path / "cache"))
    make_tree(tmp_path / "fer", "train", per_class=6, seed=1)
    make_tree(tmp_path / "fer", "val", per_class=2, seed=2)
    make_tree(tmp_path / "fer", "test", per_class=2, seed=3)
    return tmp_path / "fer"


def run_train(data, out, *extra):
    # Fresh module globals per run: train.py's settings are module globals (nanoGPT style).
    import importlib

    mod = importlib.reload(train)
    return mod.main(["config/smoke.py", f"--data={data}", f"--out_dir={out}", "--limit_val=0", *extra])


TINY = {
    "resnet50": "{'arch': 'resnet50', 'width': 8, 'stem_stride': 2}",
    "vit": "{'arch': 'vit', 'patch_size': 12, 'embed_dim': 32, 'depth': 2, 'num_heads': 2}",
    "vit-hybrid": "{'arch': 'vit-hybrid', 'stem_channels': (8, 16), 'patch_size': 4, 'embed_dim': 32, 'depth': 2, 'num_heads': 2}",
}


@pytest.mark.parametrize("arch,tta", [("resnet50", "none"), ("vit", "hflip"), ("vit-hybrid", "hflip")])
def test_smoke_train_resume_and_export(tiny_data, tmp_path, arch, tta, monkeypatch):
    monkeypatch.chdir(train.HERE)
    margs = TINY[arch]
    out = tmp_path / "run"
    first = run_train(tiny_data, out, f"--model={margs}", "--epochs=2", "--max_steps=3")
    assert len(first["history"]) == 1
    resumed = run_train(tiny_data, out, f"--model={margs}", "--epochs=2", "--max_steps=6")
    assert [r["epoch"] for r in resumed["history"]] == [1, 2]  # picked up at epoch 2, kept epoch 1's row
    log = (out / "log.csv").read_text().splitlines()
    assert log[0].startswith("epoch,train_loss,train_acc,val_loss,val_acc,lr,seconds")
    assert len(log) == 3

    models = tmp_path / "models"
    card = export_onnx.main(["--ckpt", str(out / "best.pt"), "--id", f"tiny-{arch}", "--name", "Tiny",
                             "--out", str(models), "--data", str(tiny_data), "--test", "--tta", tta])
    onnx_path = models / f"tiny-{arch}.onnx"
    m = onnx.load(str(onnx_path))
    assert m.opset_import[0].version >= 17
    assert [i.name for i in m.graph.input] == ["input"] and [o.name for o in m.graph.output] == ["logits"]
    assert m.graph.input[0].type.tensor_type.shape.dim[0].dim_param  # dynamic batch
    # A batch size not seen at export time runs and matches PyTorch.
    net, _ = export_onnx.load_checkpoint(out / "best.pt")
    if tta == "hflip":
        net = export_onnx.FlipAverage(net).eval()
    assert card["tta"] == tta
    x = torch.randn(5, 1, 48, 48)
    got = ort.InferenceSession(str(onnx_path)).run(["logits"], {"input": x.numpy()})[0]
    assert np.abs(got - net(x).detach().numpy()).max() <= 1e-4
    assert card["metrics"]["fer2013"]["test"]["accuracy"] >= 0
    assert (models / card["log"]).read_text().startswith("epoch,")
    # A second export of the same checkpoint is not better on val, so it is refused.
    with pytest.raises(SystemExit, match="not better"):
        export_onnx.main(["--ckpt", str(out / "best.pt"), "--id", f"tiny-{arch}", "--name", "Tiny",
                          "--out", str(models), "--data", str(tiny_data)])


def test_build_model_rejects_unknown_arch():
    with pytest.raises(ValueError, match="unknown arch"):
        build_model(ModelArgs(arch="alexnet"))


def test_vit_hybrid_takes_patches_from_the_conv_stem():
    net = build_model("vit-hybrid", stem_channels=(8, 16, 32), patch_size=2, embed_dim=32, depth=1, num_heads=2)
    # 48x48 -> stem 12x12 -> 2x2 patches: 36 tokens plus the class token
    assert net.pos_embed.shape[1] == 37
    assert net(torch.zeros(2, 1, 48, 48)).shape == (2, 7)


def test_resnet50_has_bottleneck_3_4_6_3():
    net = build_model("resnet50", width=16)
    assert [len(getattr(net, f"layer{i}")) for i in range(1, 5)] == [3, 4, 6, 3]
    assert net(torch.zeros(2, 1, 48, 48)).shape == (2, 7)

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
    "faceapi-expression": "{'arch': 'faceapi-expression'}",
}
# face-api's net has no batch norm: the smoke config's SGD at lr 0.1 blows it up; it is fine-tuned gently.
TINY_OPTIM = {"faceapi-expression": ["--optimizer=adamw", "--lr=0.0003"]}


@pytest.mark.parametrize("arch,tta", [("resnet50", "none"), ("vit", "hflip"), ("vit-hybrid", "hflip"), ("faceapi-expression", "none")])
def test_smoke_train_resume_and_export(tiny_data, tmp_path, arch, tta, monkeypatch):
    monkeypatch.chdir(train.HERE)
    margs = TINY[arch]
    out = tmp_path / "run"
    optim = TINY_OPTIM.get(arch, [])
    first = run_train(tiny_data, out, f"--model={margs}", "--epochs=2", "--max_steps=3", *optim)
    assert len(first["history"]) == 1
    resumed = run_train(tiny_data, out, f"--model={margs}", "--epochs=2", "--max_steps=6", *optim)
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


def test_faceapi_student_starts_as_face_api_with_every_weight_trainable():
    from faceapi_expression import AppFaceExpressionNet

    student = build_model("faceapi-expression").eval()
    assert all(p.requires_grad for p in student.parameters())
    assert sum(p.numel() for p in student.parameters()) > 300_000
    x = torch.randn(3, 1, 48, 48)
    with torch.no_grad():
        assert torch.allclose(student(x), AppFaceExpressionNet().eval()(x), atol=1e-6)
    with pytest.raises(ValueError, match="48 x 48"):
        build_model("faceapi-expression", img_size=64)


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


def test_fit_epochs_fits_the_budget_and_never_goes_below_the_next_epoch():
    # 100 s left after 10 s spent, 3 s per epoch: 33 more epochs after the 2 done, capped by the plan.
    assert train.fit_epochs(planned=150, done=2, epoch_seconds=3.0, budget=110, spent=10) == 35
    assert train.fit_epochs(planned=20, done=2, epoch_seconds=3.0, budget=110, spent=10) == 20
    assert train.fit_epochs(planned=150, done=5, epoch_seconds=30.0, budget=10, spent=20) == 6  # over budget: just one more


def test_warm_restart_continues_the_log_and_checks_the_model(tiny_data, tmp_path, monkeypatch):
    monkeypatch.chdir(train.HERE)
    margs = TINY["resnet50"]
    run_train(tiny_data, tmp_path / "a", f"--model={margs}", "--epochs=1", "--max_steps=0")
    out = run_train(tiny_data, tmp_path / "b", f"--model={margs}", "--epochs=2", "--max_steps=0",
                    f"--init_from={tmp_path / 'a' / 'best.pt'}")
    assert [r["epoch"] for r in out["history"]] == [1, 2, 3]  # epoch 1 inherited, two new ones
    assert len((tmp_path / "b" / "log.csv").read_text().splitlines()) == 4
    with pytest.raises(SystemExit, match="different model"):
        run_train(tiny_data, tmp_path / "c", f"--model={TINY['vit']}", f"--init_from={tmp_path / 'a' / 'best.pt'}")


def test_export_takes_the_whole_run_log_beside_best_pt(tmp_path):
    hist = [{"epoch": 1, "val_acc": 0.5}, {"epoch": 2, "val_acc": 0.6}]
    (tmp_path / "log.csv").write_text("epoch,train_loss,train_acc,val_loss,val_acc,lr,seconds,ema\n"
                                      "1,1.0,0.4,1.0,0.5,0.1,1.0,0\n2,0.9,0.5,0.9,0.6,0.05,2.0,0\n3,0.8,0.6,0.95,0.58,0.0,3.0,1\n")
    full = export_onnx.full_history({"history": hist}, tmp_path / "best.pt")
    assert [r["epoch"] for r in full] == [1, 2, 3] and full[2]["val_acc"] == 0.58
    (tmp_path / "log.csv").write_text("epoch,train_loss,train_acc,val_loss,val_acc,lr,seconds,ema\n1,1.0,0.4,1.0,0.49,0.1,1.0,0\n")
    assert export_onnx.full_history({"history": hist}, tmp_path / "best.pt") == hist  # another run's log: ignored


def test_warm_restart_with_extra_data_distillation_and_real_face_selection(tiny_data, tmp_path, monkeypatch):
    # The fine-tuning recipe end to end on tiny data: an extra training set, teacher probabilities for both sets,
    # per-epoch scores on another val set, best.pt chosen by their mean, and an export that reads the widened log.
    monkeypatch.chdir(train.HERE)
    from tests.test_data import make_tree

    margs = TINY["resnet50"]
    run_train(tiny_data, tmp_path / "a", f"--model={margs}", "--epochs=1", "--max_steps=0")
    make_tree(tmp_path / "wild", "train", per_class=2, seed=4)
    make_tree(tmp_path / "wild", "val", per_class=2, seed=5)
    teacher = tmp_path / "teacher"
    teacher.mkdir()
    rng = np.random.RandomState(0)
    for name, n in (("fer", 42), ("wild", 14)):
        p = rng.dirichlet(np.ones(7), size=n).astype("<f4")
        p.tofile(teacher / f"{name}-train.f32")
    out = run_train(tiny_data, tmp_path / "b", f"--model={margs}", "--epochs=2", "--max_steps=0",
                    f"--init_from={tmp_path / 'a' / 'best.pt'}", f"--extra_data=['{tmp_path / 'wild'}']",
                    f"--teacher={teacher}", "--kd_weight=0.5", "--select=score",
                    f"--eval_sets=[('wild', '{tmp_path / 'wild'}', 'val')]")
    rows = out["history"]
    assert [r["epoch"] for r in rows] == [1, 2, 3]
    assert all("wild_f1" in r and "score" in r for r in rows[1:]) and "score" not in rows[0]
    assert out["best_val_acc"] == pytest.approx(max(r["score"] for r in rows[1:]), abs=1e-5)  # best.pt follows the score
    card = export_onnx.main(["--ckpt", str(tmp_path / "b" / "best.pt"), "--id", "tiny-ft", "--name", "Tiny",
                             "--out", str(tmp_path / "models"), "--data", str(tiny_data)])
    assert "warm-started" in card["training"]["recipe"] and "wild train" in card["training"]["recipe"]
    assert "distilled" in card["training"]["recipe"]
    # A teacher file that does not match its split is refused rather than silently misaligned.
    (teacher / "wild-train.f32").write_bytes(np.zeros((3, 7), "<f4").tobytes())
    with pytest.raises(SystemExit, match="regenerate"):
        run_train(tiny_data, tmp_path / "c", f"--model={margs}", "--epochs=1", "--max_steps=0",
                  f"--extra_data=['{tmp_path / 'wild'}']", f"--teacher={teacher}", "--kd_weight=0.5")


def test_call_conditions_are_scored_each_epoch_and_join_the_score(tiny_data, tmp_path, monkeypatch):
    # Each eval set is also scored as a call shows it; best.pt follows the score that now includes those F1s.
    monkeypatch.chdir(train.HERE)
    from tests.test_data import make_tree

    make_tree(tmp_path / "wild", "val", per_class=2, seed=5)
    out = run_train(tiny_data, tmp_path / "a", f"--model={TINY['resnet50']}", "--epochs=1", "--max_steps=0",
                    "--select=score", f"--eval_sets=[('wild', '{tmp_path / 'wild'}', 'val')]", "--call_eval=[(24, 40)]",
                    "--augment={'call_p': 0.5, 'blur': 1.0}")
    row = out["history"][-1]
    assert {"wild_f1", "wild@24px_f1", "wild@24px_acc"} <= set(row)
    assert row["score"] == pytest.approx((row["val_acc"] + row["wild_f1"] + row["wild@24px_f1"]) / 3, abs=2e-5)


def test_online_teacher_judges_the_augmented_batch_the_student_sees(tiny_data, tmp_path, monkeypatch):
    # teacher=faceapi-online needs no teacher files: face-api's port is called on every training batch, after
    # augmentation and normalisation, so its soft targets describe the image the student is trained on.
    monkeypatch.chdir(train.HERE)
    import faceapi_expression

    seen = []

    class RecordingTeacher(torch.nn.Module):
        def forward(self, x):
            seen.append(x.detach().clone())
            return torch.log_softmax(torch.zeros(len(x), 7), 1)

    monkeypatch.setattr(faceapi_expression, "AppFaceExpressionNet", RecordingTeacher)
    out = run_train(tiny_data, tmp_path / "online", f"--model={TINY['resnet50']}", "--epochs=1", "--max_steps=2",
                    "--teacher=faceapi-online", "--kd_weight=0.5", "--augment={'erase_p': 1.0}")
    assert len(seen) == 2 and all(x.shape == (8, 1, 48, 48) for x in seen)
    from data.fer2013 import load_split

    clean = (torch.from_numpy(load_split(str(tiny_data), "train")[0]).float() / 255 - 0.5) / 0.25
    # Every image carries an erased block: no batch the teacher saw is a set of clean training images.
    for x in seen:
        assert min(float((x[i, 0] - clean).abs().flatten(1).max(1).values.min()) for i in range(len(x))) > 0.1
    assert out["history"][-1]["train_loss"] > 0

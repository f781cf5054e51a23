"""Distillation pieces: the KD term, teacher files checked against their split, and weights recovered from ONNX."""
import json

import numpy as np
import pytest
import torch

import onnx_to_torch
import train
from model import ModelArgs, build_model


def test_kd_loss_is_zero_when_student_matches_teacher_and_grows_with_disagreement():
    logits = torch.tensor([[2.0, 0.5, -1.0, 0.0, 0.3, -0.2, 1.0]])
    same = torch.softmax(logits, 1)
    assert train.kd_loss(logits, same, 1.0).item() == pytest.approx(0.0, abs=1e-5)
    other = torch.roll(same, 3, dims=1)
    assert train.kd_loss(logits, other, 2.0).item() > 0.1


def test_load_teacher_refuses_a_file_of_another_length(tmp_path):
    np.arange(14, dtype="<f4").tofile(tmp_path / "fer2013-train.f32")
    assert train.load_teacher(str(tmp_path), "/x/fer2013", "train", 2).shape == (2, 7)
    with pytest.raises(SystemExit, match="regenerate"):
        train.load_teacher(str(tmp_path), "/x/fer2013", "train", 3)


def test_weights_recovered_from_onnx_reproduce_its_logits(tmp_path):
    # Export a small ResNet with non-trivial BN statistics, recover it from the ONNX file alone, compare.
    import onnxruntime as ort

    margs = ModelArgs(arch="resnet50", width=8, stem_stride=2)
    net = build_model(margs)
    gen = torch.Generator().manual_seed(0)
    with torch.no_grad():
        for m in net.modules():
            if isinstance(m, torch.nn.BatchNorm2d):
                m.running_mean.copy_(torch.randn(m.num_features, generator=gen) * 0.1)
                m.running_var.copy_(torch.rand(m.num_features, generator=gen) + 0.5)
                m.weight.copy_(torch.rand(m.num_features, generator=gen) + 0.5)
                m.bias.copy_(torch.randn(m.num_features, generator=gen) * 0.1)
    net.eval()
    path = tmp_path / "tiny.onnx"
    x = torch.rand(4, 1, 48, 48, generator=gen)
    torch.onnx.export(net, (x,), str(path), input_names=["input"], output_names=["logits"],
                      dynamic_axes={"input": {0: "batch"}}, opset_version=17, dynamo=False)
    card = {"model_args": json.loads(json.dumps(margs.__dict__))}
    rebuilt = onnx_to_torch.rebuild(path, card)
    images = (np.random.RandomState(1).rand(16, 48, 48) * 255).astype(np.uint8)
    onnx_to_torch.calibrate_bn(rebuilt, images, 0.5, 0.25)
    ref = ort.InferenceSession(str(path)).run(None, {"input": x.numpy()})[0]
    with torch.no_grad():
        got = rebuilt.eval()(x).numpy()
    # Random weights give logits in the hundreds: compare within float32 rounding of their scale.
    assert np.abs(got - ref).max() < 1e-4 + 1e-5 * np.abs(ref).max()
    # The calibrated BN normalises a train-mode batch close to what eval computes, so fine-tuning starts smoothly.
    bns = [m for m in rebuilt.modules() if isinstance(m, torch.nn.BatchNorm2d)]
    assert all(float(b.running_var.mean()) != pytest.approx(1.0) for b in bns[:3])

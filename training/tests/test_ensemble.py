"""An ensemble file computes the weighted sum of its members' logits, with the members' own interface."""
import json

import numpy as np
import onnxruntime as ort
import pytest
import torch

import ensemble
from model import ModelArgs, build_model


def tiny_member(tmp_path, name, seed):
    torch.manual_seed(seed)
    net = build_model(ModelArgs(arch="resnet50", width=8, stem_stride=2)).eval()
    path = tmp_path / f"{name}.onnx"
    torch.onnx.export(net, (torch.zeros(2, 1, 48, 48),), str(path), input_names=["input"], output_names=["logits"],
                      dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}}, opset_version=17, dynamo=False)
    card = {"id": name, "file": path.name, "labels": ["angry", "disgust", "fear", "happy", "neutral", "sad", "surprise"],
            "input": {"name": "input", "channels": 1, "height": 48, "width": 48, "mean": [0.5], "std": [0.25]},
            "output": {"name": "logits", "kind": "logits"}, "params": 1, "flops": 1, "sha256": "0" * 64}
    path.with_suffix(".json").write_text(json.dumps(card))
    return path


def test_weighted_sum_of_member_logits(tmp_path):
    a, b = tiny_member(tmp_path, "a", 0), tiny_member(tmp_path, "b", 1)
    card = ensemble.build([a, b], tmp_path / "out", "ens", "Ensemble", [0.25, 0.75])
    x = np.random.RandomState(0).randn(3, 1, 48, 48).astype(np.float32)
    run = lambda p: ort.InferenceSession(str(p)).run(["logits"], {"input": x})[0]  # noqa: E731
    got = run(tmp_path / "out" / "ens.onnx")
    assert np.allclose(got, 0.25 * run(a) + 0.75 * run(b), atol=1e-4)
    assert [m["weight"] for m in card["members"]] == [0.25, 0.75] and card["arch"] == "ensemble"


def test_members_must_take_the_same_input_and_weights_match_members(tmp_path):
    a, b = tiny_member(tmp_path, "a", 0), tiny_member(tmp_path, "b", 1)
    with pytest.raises(SystemExit, match="weights"):
        ensemble.build([a, b], tmp_path / "out", "ens", "E", [1.0])
    card = json.loads(b.with_suffix(".json").read_text())
    card["input"]["std"] = [0.5]
    b.with_suffix(".json").write_text(json.dumps(card))
    with pytest.raises(SystemExit, match="different inputs"):
        ensemble.build([a, b], tmp_path / "out", "ens", "E")


def test_weight_search_scores_every_combination_on_val_and_puts_the_best_first(tmp_path):
    from tests.test_data import make_tree

    for name in ("fer2013", "ckplus48", "muxspace"):
        make_tree(tmp_path / "sets" / name, "val", per_class=2, seed=len(name))
    a, b = tiny_member(tmp_path, "a", 0), tiny_member(tmp_path, "b", 1)
    best, rows = ensemble.search_weights([a, b], tmp_path / "sets", [0.0, 0.5, 1.0])
    assert len(rows) == 8  # 3 x 3 combinations less the all-zero one
    assert rows[0]["weights"] == best and rows[0]["score"] == max(r["score"] for r in rows)
    for r in rows:
        expected = np.mean([r["fer2013"]["accuracy"], r["ckplus48"]["macro_f1"], r["muxspace"]["macro_f1"]])
        assert r["score"] == pytest.approx(expected)


def test_members_must_have_learnt_the_same_crop_and_the_ensemble_card_carries_it(tmp_path):
    from face_crop import FACE_API_CARD_FRAMING, FER_CARD_FRAMING

    a, b = tiny_member(tmp_path, "a", 0), tiny_member(tmp_path, "b", 1)
    card = ensemble.build([a, b], tmp_path / "out", "ens", "E", [0.5, 0.5])
    assert card["framing"] == FER_CARD_FRAMING  # cards without a framing are FER2013-style
    other = json.loads(b.with_suffix(".json").read_text())
    b.with_suffix(".json").write_text(json.dumps({**other, "framing": FACE_API_CARD_FRAMING}))
    with pytest.raises(SystemExit, match="different crops"):
        ensemble.build([a, b], tmp_path / "out2", "ens", "E", [0.5, 0.5])

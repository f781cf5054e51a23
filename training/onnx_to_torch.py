"""Recover a trainable PyTorch checkpoint from a shipped ONNX model and its card.

    python onnx_to_torch.py ../resources/models/resnet50-fer.onnx --out weights/resnet50-fer.pt

The exporter folds every BatchNorm into the convolution before it, so the ONNX file holds conv weights with a
bias and no BN statistics. Rebuilt as conv (folded weight) + BN, the BN is set to the identity-plus-bias in eval
mode *and* to the statistics of real training images: its running mean/var are the folded conv's output
statistics, its scale sqrt(var + eps) and its shift mean + bias. Eval then computes exactly the ONNX graph, and a
train-mode batch (normalised by its own statistics) starts close to it, so fine-tuning does not begin with a jolt.

The output is a compact checkpoint (fp16 weights, the card's model arguments and training history) that
`train.py --init_from=...` warm-starts from; `--check` verifies that its logits equal onnxruntime's on val images.
Conv nodes are matched to the model's convolutions in forward order, named initializers by name, and the unnamed
transposed MatMul weights (the ViT's Linear layers) to its Linear layers in forward order; every shape is checked.
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

import numpy as np
import onnx
import torch
from onnx import numpy_helper

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from model import ModelArgs, build_model  # noqa: E402


def _conv_bn_pairs(net: torch.nn.Module) -> list[tuple[str, torch.nn.Conv2d, torch.nn.BatchNorm2d | None]]:
    """Each Conv2d in module order with the BatchNorm2d that follows it in the same parent (or None)."""
    mods = list(net.named_modules())
    pairs = []
    for i, (name, m) in enumerate(mods):
        if isinstance(m, torch.nn.Conv2d):
            bn = None
            for _, nxt in mods[i + 1 : i + 3]:
                if isinstance(nxt, torch.nn.BatchNorm2d) and nxt.num_features == m.out_channels:
                    bn = nxt
                    break
            pairs.append((name, m, bn))
    return pairs


def load_onnx_weights(onnx_path: Path) -> tuple[list[tuple[str, np.ndarray]], dict[str, np.ndarray]]:
    """The weights of each Conv node in graph order (weight, bias), and every initializer by name."""
    m = onnx.load(str(onnx_path))
    inits = {i.name: numpy_helper.to_array(i) for i in m.graph.initializer}
    convs = []
    for node in m.graph.node:
        if node.op_type == "Conv":
            w = inits[node.input[1]]
            b = inits[node.input[2]] if len(node.input) > 2 else np.zeros(w.shape[0], np.float32)
            convs.append((w, b))
    return convs, inits


def rebuild(onnx_path: Path, card: dict) -> torch.nn.Module:
    """The card's architecture with the ONNX graph's weights (BN as identity-plus-bias until calibrated)."""
    margs = ModelArgs(**card["model_args"])
    net = build_model(margs).eval()
    convs, inits = load_onnx_weights(onnx_path)
    pairs = _conv_bn_pairs(net)
    if len(pairs) != len(convs):
        raise SystemExit(f"{onnx_path.name}: {len(convs)} Conv nodes, the model has {len(pairs)} convolutions")
    # Conv nodes in graph order follow the forward pass; match them to modules by order, checking each shape.
    for (name, conv, bn), (w, b) in zip(pairs, convs):
        if tuple(conv.weight.shape) != w.shape:
            raise SystemExit(f"{name}: shape {tuple(conv.weight.shape)} vs ONNX {w.shape}; graph order differs")
        with torch.no_grad():
            conv.weight.copy_(torch.from_numpy(w))
            if bn is None:
                if conv.bias is None:
                    raise SystemExit(f"{name}: ONNX conv has a bias but the module has neither bias nor BN")
                conv.bias.copy_(torch.from_numpy(b))
            else:
                bn.running_mean.zero_()
                bn.running_var.fill_(1.0 - bn.eps)
                bn.weight.fill_(1.0)
                bn.bias.copy_(torch.from_numpy(b))
    sd = net.state_dict()
    with torch.no_grad():
        for key, value in inits.items():  # named initializers (fc, ViT parameters) map by name
            if key in sd and tuple(sd[key].shape) == value.shape:
                sd[key].copy_(torch.from_numpy(value))
        # Linear layers exported as MatMul keep an unnamed, transposed weight; they follow the forward pass in order.
        linears = [(n, m) for n, m in net.named_modules() if isinstance(m, torch.nn.Linear) and f"{n}.weight" not in inits]
        matmuls = [inits[n.input[1]] for n in onnx.load(str(onnx_path)).graph.node
                   if n.op_type == "MatMul" and n.input[1] in inits]
        if len(linears) != len(matmuls):
            raise SystemExit(f"{onnx_path.name}: {len(matmuls)} MatMul weights for {len(linears)} unnamed Linear layers")
        for (name, lin), w in zip(linears, matmuls):
            if tuple(lin.weight.shape) != w.T.shape:
                raise SystemExit(f"{name}: shape {tuple(lin.weight.shape)} vs ONNX {w.T.shape}; graph order differs")
            sd[f"{name}.weight"].copy_(torch.from_numpy(np.ascontiguousarray(w.T)))
    net.load_state_dict(sd)
    return net


@torch.no_grad()
def calibrate_bn(net: torch.nn.Module, images: np.ndarray, mean: float, std: float) -> None:
    """Give each folded BN the statistics of its conv's output on real images, keeping eval exactly unchanged."""
    stats: dict[torch.nn.BatchNorm2d, torch.Tensor] = {}
    hooks = []
    for _, conv, bn in _conv_bn_pairs(net):
        if bn is None:
            continue

        def hook(_m, _inp, out, bn=bn):
            z = out.transpose(0, 1).reshape(out.shape[1], -1).double()
            stats[bn] = torch.stack([z.mean(1), z.var(1)])

        hooks.append(conv.register_forward_hook(hook))
    x = (torch.from_numpy(images).unsqueeze(1).float() / 255.0 - mean) / std
    net.eval()(x)
    for h in hooks:
        h.remove()
    for bn, (mu, var) in stats.items():
        b = bn.bias.clone()
        bn.running_mean.copy_(mu.float())
        bn.running_var.copy_(var.float())
        bn.weight.copy_(torch.sqrt(var + bn.eps).float())
        bn.bias.copy_((mu + b.double()).float())


def history_from_log(log_path: Path) -> list[dict]:
    """The shipped per-epoch log as train.py's history rows."""
    if not log_path.exists():
        return []
    with open(log_path, newline="") as f:
        rows = list(csv.DictReader(f))
    return [{k: (float(v) if k not in ("epoch", "ema") else int(float(v))) for k, v in r.items()} for r in rows]


def main(argv: list[str] | None = None) -> Path:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("onnx", type=Path)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--data", default=str(HERE.parent.parent / "shared" / "datasets" / "fer2013"))
    ap.add_argument("--check", action="store_true", help="compare logits with onnxruntime on 256 val images")
    a = ap.parse_args(argv)
    card = json.loads(a.onnx.with_suffix(".json").read_text())
    net = rebuild(a.onnx, card)
    from data.fer2013 import load_split

    mean, std = card["input"]["mean"][0], card["input"]["std"][0]
    xtr, _ = load_split(a.data, "train")
    pick = np.random.RandomState(0).permutation(len(xtr))[:1024]
    calibrate_bn(net, xtr[pick], mean, std)
    if a.check:
        from evaluate import predict_onnx

        xva, _ = load_split(a.data, "val")
        ref = predict_onnx(a.onnx, xva[:256])
        with torch.no_grad():
            got = net((torch.from_numpy(xva[:256]).unsqueeze(1).float() / 255.0 - mean) / std).numpy()
        diff = float(np.abs(got - ref).max())
        print(f"max |torch - onnx| logit difference on 256 val images: {diff:.2e}")
        if diff > 1e-3:
            raise SystemExit("recovered weights do not reproduce the ONNX model")
    history = history_from_log(a.onnx.parent / card.get("log", ""))
    val = card["metrics"]["fer2013"]["val"]["accuracy"]
    ck = dict(model={k: (v.half() if v.dtype.is_floating_point else v) for k, v in net.state_dict().items()},
              model_args=card["model_args"], history=history, best_val_acc=val,
              seconds=card.get("training", {}).get("seconds", 0), source=f"{a.onnx.name} sha256 {card.get('sha256')}")
    a.out.parent.mkdir(parents=True, exist_ok=True)
    torch.save(ck, a.out)
    print(f"wrote {a.out} ({a.out.stat().st_size / 1e6:.1f} MB)")
    return a.out


if __name__ == "__main__":
    main()

"""Export a training checkpoint to ONNX with its JSON model card, and check the export.

    python export_onnx.py --ckpt ~/.cache/fer-training/runs/resnet50-fer/best.pt --id resnet50-fer \
        --name "ResNet50 (FER2013)" --test

Writes <out>/<id>.onnx (opset 17, dynamic batch, float32 NCHW `input` -> `logits`), <out>/<id>.json
(the model card the app reads) and <out>/<id>.log.csv (per-epoch training log). Checks that
onnxruntime's logits match PyTorch's (max abs diff <= 1e-4 on real val images) and that the ONNX
model's val accuracy equals the checkpoint's. Refuses to replace a shipped model that is not better
on val unless --force. --test evaluates the test split once and records it in the card.
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import torch

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from data.fer2013 import CLASSES, load_split  # noqa: E402
from face_crop import FER_CARD_FRAMING  # noqa: E402
from evaluate import DEFAULT_DATA, predict_onnx  # noqa: E402
from metrics import summarize  # noqa: E402
from model import ModelArgs, build_model, count_flops, count_params  # noqa: E402

OPSET = 17
PARITY_TOL = 1e-4
DEFAULT_OUT = HERE.parent / "resources" / "models"


class FlipAverage(torch.nn.Module):
    """Test-time augmentation baked into the graph: mean of the logits of the face and its mirror image."""

    def __init__(self, net: torch.nn.Module):
        super().__init__()
        self.net = net

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return 0.5 * (self.net(x) + self.net(torch.flip(x, dims=[3])))


def load_checkpoint(path: Path) -> tuple[torch.nn.Module, dict]:
    """Rebuild the model from the arguments stored in a checkpoint."""
    ck = torch.load(path, map_location="cpu", weights_only=False)
    net = build_model(ModelArgs(**ck["model_args"]))
    net.load_state_dict(ck["model"])
    return net.eval(), ck


def export(net: torch.nn.Module, margs: ModelArgs, onnx_path: Path) -> None:
    """torch -> ONNX with a dynamic batch axis."""
    x = torch.zeros(2, margs.in_chans, margs.img_size, margs.img_size)
    torch.onnx.export(
        net, (x,), str(onnx_path), input_names=["input"], output_names=["logits"],
        dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}}, opset_version=OPSET, dynamo=False,
    )


def torch_logits(net: torch.nn.Module, images: np.ndarray, mean: float, std: float, bs: int = 256) -> np.ndarray:
    """PyTorch logits for uint8 gray images, fed like the card says."""
    out = []
    with torch.no_grad():
        for i in range(0, len(images), bs):
            x = (torch.from_numpy(images[i : i + bs]).unsqueeze(1).float() / 255.0 - mean) / std
            out.append(net(x).numpy())
    return np.concatenate(out)


def full_history(ck: dict, ckpt_path: Path) -> list[dict]:
    """The whole run's per-epoch log: the run's log.csv beside best.pt when it extends the checkpoint's history
    (best.pt holds the history up to its own epoch only), else the checkpoint's history."""
    hist = ck["history"]
    log = ckpt_path.parent / "log.csv"
    if not log.exists():
        return hist
    with open(log, newline="") as f:
        # Columns a warm restart added (real-face val scores) are empty in the epochs before it: leave them out there.
        rows = [{k: (int(v) if k in ("epoch", "ema") else float(v)) for k, v in row.items() if v != ""} for row in csv.DictReader(f)]
    same = len(rows) >= len(hist) and all(r["epoch"] == h["epoch"] and r["val_acc"] == h["val_acc"] for r, h in zip(rows, hist))
    return rows if same else hist


def build_card(args, ck: dict, net: torch.nn.Module, onnx_path: Path, val: dict, test: dict | None) -> dict:
    """The JSON model card the app and every tool read instead of hard-coded preprocessing."""
    margs = ModelArgs(**ck["model_args"])
    s = ck["settings"]
    hist = ck["history"]
    start = f"warm-started from {Path(s['init_from']).name}" if s.get("init_from") else "from scratch"
    data = "FER2013 train" + "".join(f" + {Path(d).name} train" for d in s.get("extra_data", []))
    extras = []
    if s.get("kd_weight"):
        extras.append(f"distilled from face-api's FaceExpressionNet (weight {s['kd_weight']}, T {s['kd_temp']})")
    if s.get("class_weighting"):
        extras.append("sqrt inverse-frequency class weights")
    recipe = (f"{start}; {data}; {s['optimizer']} lr {s['lr']} wd {s['weight_decay']}, warm-up {s['warmup_epochs']} ep + cosine, "
              f"batch {s['batch_size']}, label smoothing {s['label_smoothing']}, EMA {s['ema_decay']}, "
              + "".join(f"{e}, " for e in extras)
              + f"augment rotation/zoom/translate/flip/brightness/contrast/erasing {json.dumps(s['augment'])}"
              + (f"; best epoch chosen by {s['select']}" if s.get("select", "val_acc") != "val_acc" else ""))
    metrics = {"val": {k: val[k] for k in ("accuracy", "macro_f1", "per_class_recall", "confusion_matrix")}}
    if test is not None:
        metrics["test"] = {k: test[k] for k in ("accuracy", "macro_f1", "per_class_recall", "confusion_matrix")}
    return {
        "id": args.id,
        "name": args.name,
        "arch": margs.arch,
        "file": onnx_path.name,
        "labels": CLASSES,
        "input": {"name": "input", "channels": margs.in_chans, "height": margs.img_size, "width": margs.img_size,
                  "mean": [s["mean"]] * margs.in_chans, "std": [s["std"]] * margs.in_chans},
        # Our models learn from FER2013-style crops (FER2013, muxspace): the app must cut that framing for them.
        "framing": dict(FER_CARD_FRAMING),
        "output": {"name": "logits", "kind": "logits"},
        "metrics": {"fer2013": metrics},
        "params": count_params(net),
        "flops": count_flops(net, margs.in_chans, margs.img_size),
        "model_args": ck["model_args"],
        "training": {"epochs": len(hist), "best_epoch": ck["epoch"] + 1, "recipe": recipe, "seconds": round(hist[-1]["seconds"] if hist else ck["seconds"]),
                     "hardware": ck.get("hardware", "unknown"), "settings": s},
        "tta": args.tta,
        "log": f"{args.id}.log.csv",
        "sha256": hashlib.sha256(onnx_path.read_bytes()).hexdigest(),
        "opset": OPSET,
        "exported": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


def write_compact_weights(ck: dict, path: Path) -> Path:
    """The checkpoint's weights as fp16 with its model arguments, history and settings: small enough for git, and
    what `train.py --init_from=...` warm-starts from on a machine without the original run."""
    compact = dict(model={k: (v.half() if v.dtype.is_floating_point else v) for k, v in ck["model"].items()},
                   model_args=ck["model_args"], history=ck["history"], best_val_acc=ck["best_val_acc"], seconds=ck["seconds"],
                   settings=ck.get("settings"), epoch=ck.get("epoch"), hardware=ck.get("hardware"))
    path.parent.mkdir(parents=True, exist_ok=True)
    torch.save(compact, path)
    return path


def write_log(history: list[dict], path: Path) -> None:
    """Per-epoch CSV for the app's accuracy-per-epoch chart."""
    cols = ["epoch", "train_loss", "train_acc", "val_loss", "val_acc", "lr", "seconds"]
    lines = [",".join(cols)] + [",".join(str(row[c]) for c in cols) for row in history]
    path.write_text("\n".join(lines) + "\n")


def main(argv: list[str] | None = None) -> dict:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--ckpt", required=True, type=Path)
    p.add_argument("--id", required=True)
    p.add_argument("--name", required=True)
    p.add_argument("--out", type=Path, default=DEFAULT_OUT)
    p.add_argument("--data", default=DEFAULT_DATA)
    p.add_argument("--test", action="store_true", help="evaluate the test split once and record it in the card")
    p.add_argument("--tta", choices=["none", "hflip"], default="none",
                   help="bake horizontal-flip test-time augmentation into the graph (2x compute)")
    p.add_argument("--force", action="store_true", help="replace a shipped model even if it is not better on val")
    p.add_argument("--weights-out", type=Path, help="also write the compact fp16 PyTorch weights here (training/weights/<id>.pt)")
    args = p.parse_args(argv)

    net, ck = load_checkpoint(args.ckpt.expanduser())
    ck["history"] = full_history(ck, args.ckpt.expanduser())
    if args.tta == "hflip":
        net = FlipAverage(net).eval()
    margs = ModelArgs(**ck["model_args"])
    mean, std = ck["settings"]["mean"], ck["settings"]["std"]
    xva, yva = load_split(args.data, "val")

    args.out.mkdir(parents=True, exist_ok=True)
    card_path = args.out / f"{args.id}.json"
    tmp = args.out / f".{args.id}.tmp.onnx"
    export(net, margs, tmp)

    # Feed ONNX through a card so the check covers the card's preprocessing too.
    tmp_card = tmp.with_suffix(".json")
    tmp_card.write_text(json.dumps({"input": {"name": "input", "channels": margs.in_chans, "height": margs.img_size,
                                              "width": margs.img_size, "mean": [mean] * margs.in_chans, "std": [std] * margs.in_chans},
                                    "output": {"name": "logits"}}))
    try:
        ref = torch_logits(net, xva, mean, std)
        got = predict_onnx(tmp, xva)
        diff = float(np.abs(ref - got).max())
        print(f"parity: max |onnxruntime - torch| = {diff:.2e} over {len(xva)} val images")
        if diff > PARITY_TOL:
            raise SystemExit(f"parity check failed: {diff} > {PARITY_TOL}")
        val_torch = summarize(yva, ref.argmax(1), CLASSES)
        val = summarize(yva, got.argmax(1), CLASSES)
        print(f"val accuracy: torch {val_torch['accuracy']:.5f}, onnx {val['accuracy']:.5f}")
        if val["accuracy"] != val_torch["accuracy"]:
            raise SystemExit("exported model's val accuracy differs from the checkpoint's")
        if card_path.exists() and not args.force:
            old = json.loads(card_path.read_text())["metrics"]["fer2013"]["val"]["accuracy"]
            if val["accuracy"] <= old:
                raise SystemExit(f"not better on val ({val['accuracy']:.5f} <= shipped {old:.5f}); use --force to replace")
        test = None
        if args.test:
            xte, yte = load_split(args.data, "test")
            test = summarize(yte, predict_onnx(tmp, xte).argmax(1), CLASSES)
            print(f"test accuracy {test['accuracy']:.5f}, macro-F1 {test['macro_f1']:.5f}")
        onnx_path = args.out / f"{args.id}.onnx"
        tmp.replace(onnx_path)
        card = build_card(args, ck, net, onnx_path, val, test)
        card_path.write_text(json.dumps(card, indent=2) + "\n")
        write_log(ck["history"], args.out / card["log"])
        if args.weights_out:
            write_compact_weights(ck, args.weights_out)
        print(f"wrote {onnx_path} ({onnx_path.stat().st_size / 1e6:.1f} MB), {card_path}, {args.out / card['log']}")
        return card
    finally:
        tmp.unlink(missing_ok=True)
        tmp_card.unlink(missing_ok=True)


if __name__ == "__main__":
    main()

"""Evaluate a checkpoint or an exported ONNX model on a FER2013 split.

    python evaluate.py --model ../resources/models/resnet50-fer.onnx --split test
    python evaluate.py --model ~/.cache/fer-training/runs/resnet50-fer/best.pt --split val
    python evaluate.py --model ../resources/models/vit-fer.onnx --data path/to/fer2013.csv --split val
    python evaluate.py --model ../resources/models/faceapi-faces.onnx --split val --call 32:55   # as a call shows it

Prints overall accuracy, per-class recall, macro-F1 and the confusion matrix. An ONNX model is fed
exactly as its JSON card (beside it) says, the same way the app feeds it.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from data.fer2013 import CLASSES, load_split  # noqa: E402
from metrics import summarize  # noqa: E402

DEFAULT_DATA = str(HERE.parent.parent / "shared" / "datasets" / "fer2013")


def card_for(onnx_path: Path) -> dict:
    """The model card beside an ONNX file."""
    card_path = onnx_path.with_suffix(".json")
    return json.loads(card_path.read_text())


def preprocess(images: np.ndarray, card: dict) -> np.ndarray:
    """uint8 [N,H,W] gray -> float32 NCHW as the card's input spec says."""
    spec = card["input"]
    if images.shape[1:] != (spec["height"], spec["width"]):
        raise ValueError(f"images are {images.shape[1:]}, model wants {(spec['height'], spec['width'])}")
    x = images.astype(np.float32)[:, None] / 255.0
    x = np.repeat(x, spec["channels"], axis=1)
    mean = np.asarray(spec["mean"], np.float32).reshape(1, -1, 1, 1)
    std = np.asarray(spec["std"], np.float32).reshape(1, -1, 1, 1)
    return (x - mean) / std


def session_options():
    """onnxruntime options as the app sets them: the exact INT8 product on x86 CPUs without VNNI.

    Without "session.x64quantprecision" onnxruntime multiplies unsigned 8-bit activations by signed
    8-bit weights in saturating 16-bit sums on AVX2-only CPUs, and INT8 models score several points
    lower there (src/main/inference/inference.ts INT8_PRECISION).
    """
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.add_session_config_entry("session.x64quantprecision", "1")
    return options


def predict_onnx(onnx_path: Path, images: np.ndarray, batch: int = 256) -> np.ndarray:
    """Class scores from an ONNX model run with onnxruntime on the CPU."""
    import onnxruntime as ort

    card = card_for(onnx_path)
    sess = ort.InferenceSession(str(onnx_path), session_options(), providers=["CPUExecutionProvider"])
    out = []
    for i in range(0, len(images), batch):
        out.append(sess.run([card["output"]["name"]], {card["input"]["name"]: preprocess(images[i : i + batch], card)})[0])
    return np.concatenate(out)


def predict_checkpoint(ckpt_path: Path, images: np.ndarray, batch: int = 256) -> np.ndarray:
    """Logits from a training checkpoint (best.pt / last.pt)."""
    import torch

    from model import ModelArgs, build_model

    ck = torch.load(ckpt_path, map_location="cpu", weights_only=False)
    net = build_model(ModelArgs(**ck["model_args"]))
    net.load_state_dict(ck["model"])
    net.eval()
    mean, std = ck["settings"]["mean"], ck["settings"]["std"]
    out = []
    with torch.no_grad():
        for i in range(0, len(images), batch):
            x = (torch.from_numpy(images[i : i + batch]).unsqueeze(1).float() / 255.0 - mean) / std
            out.append(net(x).numpy())
    return np.concatenate(out)


def evaluate(model_path: str | Path, split: str, data: str = DEFAULT_DATA, call: tuple[int, int] | None = None) -> dict:
    """Metrics of a .onnx or .pt model on one split; call=(crop side px, JPEG quality) first shows each face as a
    video call would (augment.call_degrade: shrunk to that side, JPEG-like at that quality, enlarged back)."""
    model_path = Path(model_path).expanduser()
    x, y = load_split(data, split)
    if call is not None:
        import torch

        from augment import call_degrade

        x = call_degrade(torch.from_numpy(x).unsqueeze(1), int(call[0]), int(call[1]))[:, 0].numpy()
    scores = predict_onnx(model_path, x) if model_path.suffix == ".onnx" else predict_checkpoint(model_path, x)
    return summarize(y, scores.argmax(1), CLASSES)


def format_report(m: dict, title: str) -> str:
    """Human-readable metrics with the confusion matrix."""
    lines = [title, f"accuracy {m['accuracy'] * 100:.2f} %   macro-F1 {m['macro_f1'] * 100:.2f} %   n {m['n']}", "per-class recall:"]
    lines += [f"  {c:<9} {r * 100:6.2f} %" for c, r in m["per_class_recall"].items()]
    lines.append("confusion matrix (rows true, columns predicted):")
    lines.append("          " + "".join(f"{c[:7]:>8}" for c in CLASSES))
    lines += [f"  {c:<8}" + "".join(f"{v:>8}" for v in row) for c, row in zip(CLASSES, m["confusion_matrix"])]
    return "\n".join(lines)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", required=True, help=".onnx (card beside it) or a training checkpoint .pt")
    p.add_argument("--split", default="val", choices=["train", "val", "test"])
    p.add_argument("--data", default=DEFAULT_DATA, help="FER2013 folder tree or Kaggle fer2013.csv")
    p.add_argument("--call", default=None, help="SIDE:QUALITY: shrink each face to SIDE px, JPEG-like at QUALITY, enlarge back")
    p.add_argument("--json", action="store_true", help="print metrics as JSON")
    a = p.parse_args()
    call = tuple(int(v) for v in a.call.split(":")) if a.call else None
    m = evaluate(a.model, a.split, a.data, call)
    title = f"{a.model} on {a.split}" + (f" at call conditions {a.call}" if call else "")
    print(json.dumps(m) if a.json else format_report(m, title))


if __name__ == "__main__":
    main()

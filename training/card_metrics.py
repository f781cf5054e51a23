"""Measure a shipped ONNX model beyond FER2013 and calibrate its confidence; write both into its model card.

    python card_metrics.py ../resources/models/resnet50-fer.onnx --summary "Best on FER2013's own faces"
    python card_metrics.py ../resources/models/resnet50-fer.onnx --no-test     # val sets only (while choosing)

For each set (FER2013, CK+48, muxspace; ../shared/datasets) and split it records accuracy, macro-F1, per-class
recall, the confusion matrix and the expected calibration error, fed exactly as the card says (evaluate.py's path).
Temperature scaling (Guo et al. 2017) is fitted on the val splits of all three sets together, so the percentage the
overlay shows means what it says; the card keeps the ECE before and after. Test splits are scored only with
--test, once per shipped model: settings are chosen on val.
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
from evaluate import predict_onnx  # noqa: E402
from metrics import summarize  # noqa: E402

DATASETS = HERE.parent.parent / "shared" / "datasets"
SETS = ("fer2013", "ckplus48", "muxspace")
ECE_BINS = 15


def softmax(logits: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    z = logits / temperature
    z = z - z.max(1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(1, keepdims=True)


def ece(probs: np.ndarray, labels: np.ndarray, bins: int = ECE_BINS) -> float:
    """Expected calibration error of the top-1 confidence, equal-width bins (Guo et al. 2017)."""
    conf = probs.max(1)
    correct = probs.argmax(1) == labels
    edges = np.linspace(0, 1, bins + 1)
    total = 0.0
    for lo, hi in zip(edges[:-1], edges[1:]):
        inside = (conf > lo) & (conf <= hi)
        if inside.any():
            total += inside.mean() * abs(conf[inside].mean() - correct[inside].mean())
    return float(total)


def nll(logits: np.ndarray, labels: np.ndarray, temperature: float) -> float:
    p = softmax(logits, temperature)
    return float(-np.log(np.clip(p[np.arange(len(labels)), labels], 1e-12, None)).mean())


def fit_temperature(logits: np.ndarray, labels: np.ndarray) -> float:
    """The temperature that minimises the negative log-likelihood: golden-section search over log T in [1/8, 8]."""
    lo, hi = np.log(1 / 8), np.log(8)
    ratio = (np.sqrt(5) - 1) / 2
    a, b = hi - ratio * (hi - lo), lo + ratio * (hi - lo)
    fa, fb = nll(logits, labels, np.exp(a)), nll(logits, labels, np.exp(b))
    for _ in range(60):
        if fa < fb:
            hi, b, fb = b, a, fa
            a = hi - ratio * (hi - lo)
            fa = nll(logits, labels, np.exp(a))
        else:
            lo, a, fa = a, b, fb
            b = lo + ratio * (hi - lo)
            fb = nll(logits, labels, np.exp(b))
    return float(np.exp((lo + hi) / 2))


def set_metrics(logits: np.ndarray, labels: np.ndarray, temperature: float) -> dict:
    m = summarize(labels, logits.argmax(1), CLASSES)
    m.pop("n", None)
    m["ece"] = round(ece(softmax(logits, temperature), labels), 5)
    return m


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("onnx", type=Path)
    ap.add_argument("--summary", help="one line saying what this model is good at (the app's model picker shows it)")
    ap.add_argument("--test", dest="test", action="store_true", default=True)
    ap.add_argument("--no-test", dest="test", action="store_false")
    ap.add_argument("--datasets", type=Path, default=DATASETS)
    ap.add_argument("--dry-run", action="store_true", help="print, do not write the card")
    a = ap.parse_args(argv)
    card_path = a.onnx.with_suffix(".json")
    card = json.loads(card_path.read_text())
    splits = ("val", "test") if a.test else ("val",)
    logits: dict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = {}
    for name in SETS:
        for split in splits:
            root = a.datasets / name
            if not (root / split).is_dir():
                print(f"{name}/{split}: not found under {a.datasets}, skipped")
                continue
            x, y = load_split(root, split)
            logits[(name, split)] = (predict_onnx(a.onnx, x), y)
    val = [(z, y) for (n, s), (z, y) in logits.items() if s == "val"]
    zv, yv = np.concatenate([z for z, _ in val]), np.concatenate([y for _, y in val])
    temperature = fit_temperature(zv, yv)
    calibration = {
        "method": "temperature",
        "temperature": round(temperature, 4),
        "fitted_on": [f"{n}/val" for (n, s) in logits if s == "val"],
        "ece_before": round(ece(softmax(zv), yv), 5),
        "ece_after": round(ece(softmax(zv, temperature), yv), 5),
    }
    metrics = card.setdefault("metrics", {})
    for (name, split), (z, y) in logits.items():
        m = set_metrics(z, y, temperature)
        print(f"{name:9s} {split:4s} acc {m['accuracy']:.4f} macro-F1 {m['macro_f1']:.4f} ECE {m['ece']:.4f} "
              f"recall " + " ".join(f"{c[:3]} {r:.2f}" for c, r in m["per_class_recall"].items()))
        metrics.setdefault(name, {})[split] = m
    print(f"temperature {temperature:.3f}: val ECE {calibration['ece_before']:.4f} -> {calibration['ece_after']:.4f}")
    card["calibration"] = calibration
    if a.summary:
        card["summary"] = a.summary
    if not a.dry_run:
        card_path.write_text(json.dumps(card, indent=2) + "\n")
        print(f"wrote {card_path}")
    return card


if __name__ == "__main__":
    main()

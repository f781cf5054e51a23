"""Make INT8 statically quantised variants of the shipped models for the CPU; ship one only if it
keeps FER2013 val accuracy within 0.5 point of its float model.

    ../.venv/bin/python quantize.py                      # every float model card in ../resources/models
    ../.venv/bin/python quantize.py --id resnet50-fer    # one model
    ../.venv/bin/python quantize.py --max-drop 0.5 --dry-run

For each float model <id>: onnxruntime.quantization.quantize_static in QDQ format (weights INT8 per
channel, activations UINT8 with scales calibrated (min/max) on 512 training images), evaluated on val
exactly as the app feeds it (evaluate.py, the card's preprocessing). Static, not dynamic: dynamic
quantisation computes activation scales per batch, so a face's answer would depend on the other faces
in its batch, and its ConvInteger kernels ran ResNet50 about 2x slower than float here. The decision is made on val only. A variant that qualifies is written as
<id>.int8.onnx with its own card <id>.int8.json (test evaluated once, like export_onnx.py --test);
one that does not is not shipped, and any stale <id>.int8.* from an earlier run is removed. Every
decision is recorded in ../docs/bench/quantization.json, which `npm run bench` puts in its report.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from evaluate import DEFAULT_DATA, evaluate  # noqa: E402

MODELS = HERE.parent / "resources" / "models"
RECORD = HERE.parent / "docs" / "bench" / "quantization.json"
SUFFIX = ".int8"


def float_cards(models: Path, only: list[str] | None) -> list[dict]:
    """Cards of float models (not themselves quantised), optionally only the given ids."""
    cards = []
    for path in sorted(models.glob("*.json")):
        if path.name.endswith(".schema.json"):
            continue
        card = json.loads(path.read_text())
        if "quantization" in card or card["id"].endswith(SUFFIX):
            continue
        if only and card["id"] not in only:
            continue
        cards.append(card)
    return cards


CALIBRATION_IMAGES = 512
CALIBRATION_SEED = 0


def calibration_reader(card: dict, data: str, n: int = CALIBRATION_IMAGES, batch: int = 32):
    """Feeds n random training images (never val or test), preprocessed as the card says, for calibration."""
    import numpy as np
    from onnxruntime.quantization import CalibrationDataReader

    from data.fer2013 import load_split

    x, _ = load_split(data, "train")
    idx = np.random.RandomState(CALIBRATION_SEED).permutation(len(x))[:n]
    spec = card["input"]
    mean, std = float(spec["mean"][0]), float(spec["std"][0])

    class Reader(CalibrationDataReader):
        def __init__(self) -> None:
            self.i = 0

        def get_next(self):
            if self.i >= len(idx):
                return None
            b = x[idx[self.i : self.i + batch]][:, None].astype(np.float32) / 255.0
            self.i += batch
            return {spec["name"]: (b - mean) / std}

    return Reader()


def quantize(src: Path, dst: Path, reader) -> None:
    """Static INT8 quantisation (QDQ, per-channel weights, min/max calibration); shape inference first,
    as onnxruntime recommends."""
    from onnxruntime.quantization import CalibrationMethod, QuantFormat, QuantType, quantize_static
    from onnxruntime.quantization.shape_inference import quant_pre_process

    with tempfile.TemporaryDirectory() as tmp:
        prepared = Path(tmp) / "prepared.onnx"
        try:
            quant_pre_process(str(src), str(prepared), skip_symbolic_shape=True)
        except Exception as error:  # a graph the pre-processor cannot handle still quantises
            print(f"  pre-processing skipped: {error}")
            shutil.copyfile(src, prepared)
        quantize_static(str(prepared), str(dst), reader, quant_format=QuantFormat.QDQ, per_channel=True,
                        activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8,
                        calibrate_method=CalibrationMethod.MinMax)


def int8_card(card: dict, onnx_path: Path, val: dict, test: dict | None, float_val: float) -> dict:
    """The INT8 variant's own card: the float card's preprocessing and provenance, its own file and metrics."""
    import onnxruntime

    out = dict(card)
    out["id"] = card["id"] + SUFFIX
    out["name"] = f"{card['name']} INT8"
    out["file"] = onnx_path.name
    out["sha256"] = hashlib.sha256(onnx_path.read_bytes()).hexdigest()
    out["exported"] = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    split = lambda m: {k: m[k] for k in ("accuracy", "macro_f1", "per_class_recall", "confusion_matrix")}  # noqa: E731
    out["metrics"] = {"fer2013": {"val": split(val), **({"test": split(test)} if test else {})}}
    out["quantization"] = {
        "from": card["id"],
        "method": "onnxruntime.quantization.quantize_static (QDQ, per-channel, min/max calibration)",
        "weight_type": "QInt8",
        "activation_type": "QUInt8",
        "calibration": f"{CALIBRATION_IMAGES} FER2013 train images (seed {CALIBRATION_SEED})",
        "onnxruntime": onnxruntime.__version__,
        "val_accuracy_float": float_val,
        "val_accuracy_int8": val["accuracy"],
    }
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--models", type=Path, default=MODELS)
    p.add_argument("--id", action="append", help="model id (repeatable); default: every float model")
    p.add_argument("--data", default=DEFAULT_DATA)
    p.add_argument("--max-drop", type=float, default=0.5, help="largest val accuracy loss allowed, in points")
    p.add_argument("--record", type=Path, default=RECORD)
    p.add_argument("--dry-run", action="store_true", help="measure and record, but ship nothing")
    args = p.parse_args()

    cards = float_cards(args.models, args.id)
    if not cards:
        raise SystemExit(f"no float model cards in {args.models}")
    rows = []
    for card in cards:
        src = args.models / card["file"]
        print(f"{card['id']}: quantising {src.name}")
        with tempfile.TemporaryDirectory() as tmp:
            cand = Path(tmp) / f"{card['id']}{SUFFIX}.onnx"
            quantize(src, cand, calibration_reader(card, args.data))
            # evaluate.py reads the card beside the .onnx: give the candidate the float card's input spec.
            (cand.with_suffix(".json")).write_text(json.dumps(card))
            float_val = evaluate(src, "val", args.data)
            int8_val = evaluate(cand, "val", args.data)
            delta = (int8_val["accuracy"] - float_val["accuracy"]) * 100
            ok = delta >= -args.max_drop
            ship = ok and not args.dry_run
            print(f"  val accuracy float {float_val['accuracy'] * 100:.2f} %, int8 {int8_val['accuracy'] * 100:.2f} % ({delta:+.2f} points): "
                  f"{'ships' if ship else 'within the limit, dry run' if ok else f'more than {args.max_drop} point lost, not shipped'}")
            dst = args.models / cand.name
            dst_card = dst.with_suffix(".json")
            if ship:
                shutil.copyfile(cand, dst)
                # The card must be beside the file before evaluate.py can read it.
                dst_card.write_text(json.dumps(int8_card(card, dst, int8_val, None, float_val["accuracy"]), indent=1))
                # Test is evaluated once, for the card, after the decision was made on val.
                test = evaluate(dst, "test", args.data)
                dst_card.write_text(json.dumps(int8_card(card, dst, int8_val, test, float_val["accuracy"]), indent=1))
            elif not args.dry_run:
                for stale in (dst, dst_card):
                    stale.unlink(missing_ok=True)
            rows.append({
                "model": card["id"],
                "int8Model": card["id"] + SUFFIX,
                "shipped": ship,
                "valAccuracyFloat": float_val["accuracy"],
                "valAccuracyInt8": int8_val["accuracy"],
                "deltaPoints": round(delta, 3),
                "sizeMbFloat": round(src.stat().st_size / 2**20, 2),
                "sizeMbInt8": round(cand.stat().st_size / 2**20, 2),
                "note": (f"within {args.max_drop} point on val" if ok else f"lost more than {args.max_drop} point on val")
                + (" (dry run: not shipped)" if ok and args.dry_run else ""),
            })
    args.record.parent.mkdir(parents=True, exist_ok=True)
    previous = json.loads(args.record.read_text()).get("models", []) if args.record.exists() else []
    done = {r["model"] for r in rows}
    record = {
        "generated": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "max_drop_points": args.max_drop,
        "split": "val",
        "models": [r for r in previous if r["model"] not in done] + rows,
    }
    args.record.write_text(json.dumps(record, indent=1) + "\n")
    print(f"recorded in {args.record}")


if __name__ == "__main__":
    main()

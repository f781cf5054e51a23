"""Build an ensemble of two shipped models as one ONNX file with its own card: the mean of their logits.

    python ensemble.py ../resources/models/resnet50-realfaces.onnx ../resources/models/vit-fer.onnx \
        --id ensemble-realfaces --name "ResNet50 + ViT ensemble"

The study named combinations of networks as future work; this is the simplest one: every member sees the same face
and their logits are summed with weights (`--weights`, chosen on val sets; by default each member's logits are
divided by its own calibrated temperature and the member count, so none dominates by scale). The members must take the same input (size, channels,
normalisation); the graph has the members' usual `input` -> `logits` interface, so the app runs it like any model.
Run card_metrics.py on the result to measure and calibrate it; ship it only if it wins on val.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from datetime import datetime, timezone
from pathlib import Path

import onnx
from onnx import compose, helper, numpy_helper

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from face_crop import card_framing  # noqa: E402


def member(path: Path, prefix: str) -> tuple[onnx.ModelProto, dict]:
    card = json.loads(path.with_suffix(".json").read_text())
    model = onnx.load(str(path))
    return compose.add_prefix(model, prefix), card


def build(paths: list[Path], out: Path, ident: str, name: str, weights: list[float] | None = None) -> dict:
    """Writes <out>/<id>.onnx and a card for it; returns the card. Without weights each member counts
    1/(its temperature x members); with weights, member i's logits are multiplied by weights[i]."""
    members = [member(p, f"m{i}_") for i, p in enumerate(paths)]
    if weights is not None and len(weights) != len(paths):
        raise SystemExit(f"{len(weights)} weights for {len(paths)} members")
    cards = [c for _, c in members]
    spec = cards[0]["input"]
    # One graph, one input: every member must have learnt the same crop. A member with another framing (face-api's
    # own net) cannot join; it would need its own crop, cut by the app and run as a separate model.
    framing = card_framing(cards[0])
    for c in cards[1:]:
        if c["input"] != spec:
            raise SystemExit(f"members take different inputs: {spec} vs {c['input']}")
        if card_framing(c) != framing:
            raise SystemExit(f"members learnt different crops: {c['id']} {card_framing(c)} vs {cards[0]['id']} {framing}")
    opset = max(m.opset_import[0].version for m, _ in members)
    nodes, inits = [], []
    outs = []
    for i, (m, c) in enumerate(members):
        g = m.graph
        for n in g.node:  # every member reads the shared input
            for k, v in enumerate(n.input):
                if v == f"m{i}_{spec['name']}":
                    n.input[k] = spec["name"]
        nodes += list(g.node)
        inits += list(g.initializer)
        logits = f"m{i}_{c['output']['name']}"
        t = c.get("calibration", {}).get("temperature", 1.0)
        w = weights[i] if weights is not None else 1.0 / (t * len(members))
        scale = numpy_helper.from_array(np.asarray(w, np.float32), f"m{i}_ensemble_scale")
        inits.append(scale)
        nodes.append(helper.make_node("Mul", [logits, scale.name], [f"m{i}_scaled"]))
        outs.append(f"m{i}_scaled")
    nodes.append(helper.make_node("Sum", outs, ["logits"]))
    graph = helper.make_graph(
        nodes, ident, [helper.make_tensor_value_info(spec["name"], onnx.TensorProto.FLOAT, ["batch", spec["channels"], spec["height"], spec["width"]])],
        [helper.make_tensor_value_info("logits", onnx.TensorProto.FLOAT, ["batch", len(cards[0]["labels"])])], inits,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)], producer_name="emotion-overlay ensemble.py")
    model.ir_version = members[0][0].ir_version
    onnx.checker.check_model(model)
    out.mkdir(parents=True, exist_ok=True)
    onnx_path = out / f"{ident}.onnx"
    onnx.save(model, str(onnx_path))
    card = {
        "id": ident,
        "name": name,
        "arch": "ensemble",
        "file": onnx_path.name,
        "labels": cards[0]["labels"],
        "input": spec,
        "framing": framing,
        "output": {"name": "logits", "kind": "logits"},
        "metrics": {},
        "params": sum(c.get("params", 0) for c in cards),
        "flops": sum(c.get("flops", 0) for c in cards),
        "members": [{"id": c["id"], "file": c["file"], "sha256": c.get("sha256"),
                     "weight": round(float(weights[i] if weights is not None else 1.0 / (c.get("calibration", {}).get("temperature", 1.0) * len(cards))), 6)}
                    for i, c in enumerate(cards)],
        "training": {"recipe": "weighted sum of the members' logits (weights chosen on val sets); no training of its own",
                     "seconds": 0, "hardware": "none"},
        "tta": "none",
        "sha256": hashlib.sha256(onnx_path.read_bytes()).hexdigest(),
        "opset": opset,
        "exported": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    onnx_path.with_suffix(".json").write_text(json.dumps(card, indent=2) + "\n")
    return card


def search_weights(paths: list[Path], datasets: Path, grid: list[float]) -> tuple[list[float], list[dict]]:
    """Weights for the members chosen on val only: every combination from `grid`, scored by the mean of FER2013 val
    accuracy and the CK+48 and muxspace val macro-F1s (the score train.py picks checkpoints by). Best first."""
    import itertools
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from data.fer2013 import CLASSES, load_split
    from evaluate import predict_onnx
    from metrics import summarize

    sets = {n: load_split(datasets / n, "val") for n in ("fer2013", "ckplus48", "muxspace")}
    logits = {(i, n): predict_onnx(p, x) for i, p in enumerate(paths) for n, (x, _) in sets.items()}
    rows = []
    for w in itertools.product(grid, repeat=len(paths)):
        if sum(w) == 0:
            continue
        row: dict = {"weights": list(w)}
        for n, (_, y) in sets.items():
            z = sum(wi * logits[(i, n)] for i, wi in enumerate(w))
            m = summarize(y, z.argmax(1), CLASSES)
            row[n] = {"accuracy": m["accuracy"], "macro_f1": m["macro_f1"]}
        row["score"] = float(np.mean([row["fer2013"]["accuracy"], row["ckplus48"]["macro_f1"], row["muxspace"]["macro_f1"]]))
        rows.append(row)
    rows.sort(key=lambda r: -r["score"])
    return rows[0]["weights"], rows


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("members", type=Path, nargs="+")
    ap.add_argument("--id", required=True)
    ap.add_argument("--name", required=True)
    ap.add_argument("--weights", type=float, nargs="+", help="one weight per member, chosen on val (default: 1/(T x n))")
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parent.parent / "resources" / "models")
    ap.add_argument("--search", type=float, nargs="+", metavar="W",
                    help="choose the weights on the val sets from this grid (e.g. 0 0.25 0.5 1) instead of --weights")
    ap.add_argument("--datasets", type=Path, default=Path(__file__).resolve().parent.parent.parent / "shared" / "datasets")
    a = ap.parse_args(argv)
    weights = a.weights
    if a.search:
        weights, rows = search_weights(a.members, a.datasets, a.search)
        for r in rows[:10]:
            print(f"weights {r['weights']}: score {r['score']:.4f}  " + "  ".join(
                f"{n} {r[n]['accuracy']:.4f}/{r[n]['macro_f1']:.4f}" for n in ("fer2013", "ckplus48", "muxspace")))
        print(f"chosen on val: {weights}")
    card = build(a.members, a.out, a.id, a.name, weights)
    print(f"wrote {a.out / card['file']} ({(a.out / card['file']).stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()

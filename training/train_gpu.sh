#!/usr/bin/env bash
# Trains the shipped models on one CUDA GPU inside a wall-time budget (what trained resources/models/*.onnx).
#
#   python -m data.fer2013 --pack ../../shared/datasets/fer2013 ../.devdata/fer.npz.xz train val   # once, on the data machine
#   BUDGET=430 OUT=/tmp/gpu-out bash training/train_gpu.sh                                           # on the GPU machine
#
# Runs the trainings named in SET side by side (small models leave an H100 mostly idle, so they share it), each fitting
# its cosine schedule into BUDGET seconds (train.py --time_budget); by default ResNet50 (stride-2 stem) and the hybrid
# ViT. SET may add resnet50-s1-fer (stride-1 stem, 4x the FLOPs per face) and vit-lr1e-3-fer. Then, on val only, it keeps
# one ResNet50 (stride-1 only if it beats stride 2 by at least 0.5 point) and the best ViT, and writes their best.pt,
# every log.csv and every run's output into $OUT as results.tar split into 15 MB parts (cat results.tar.part-* | tar x).
set -u
cd "$(dirname "$0")/.."
BUDGET=${BUDGET:-430}
DATA=${DATA:-.devdata/fer.npz.xz}
OUT=${OUT:-gpu-out}
RUNS=${RUNS:-/tmp/fer-runs}
PY=${PY:-python3}
EXTRA=${EXTRA:-}
mkdir -p "$OUT" "$RUNS"
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader
$PY -c "import torch, timm; print('torch', torch.__version__, 'cuda', torch.cuda.is_available(), 'timm', timm.__version__)"
NPZ="$RUNS/fer.npz"
$PY -c "import lzma, sys; open(sys.argv[2], 'wb').write(lzma.decompress(open(sys.argv[1], 'rb').read()) if sys.argv[1].endswith('.xz') else open(sys.argv[1], 'rb').read())" "$DATA" "$NPZ" || exit 1

run() {
  local name=$1; shift
  # shellcheck disable=SC2086
  timeout -k 10 $((BUDGET + 60)) $PY training/train.py "$@" --name="$name" --out_dir="$RUNS/$name" --data="$NPZ" \
    --time_budget="$BUDGET" --save_every=5 --threads=2 $EXTRA >"$RUNS/$name.out" 2>&1 &
}
SET=${SET:-resnet50-fer vit-fer}
for r in $SET; do
  case $r in
    resnet50-fer) run "$r" training/config/resnet50.py ;;
    resnet50-s1-fer) run "$r" training/config/resnet50.py --model="{'arch': 'resnet50', 'width': 32, 'stem_stride': 1, 'drop_rate': 0.2}" ;;
    vit-fer) run "$r" training/config/vit.py ;;
    vit-lr1e-3-fer) run "$r" training/config/vit.py --lr=1e-3 ;;
    *) echo "unknown run $r" >&2; exit 2 ;;
  esac
done
wait
tail -n 3 "$RUNS"/*.out

$PY - "$RUNS" <<'PY'
import sys, pathlib, torch
runs = pathlib.Path(sys.argv[1])
val = {}
for d in sorted(p for p in runs.iterdir() if (p / "best.pt").exists()):
    val[d.name] = torch.load(d / "best.pt", map_location="cpu", weights_only=False)["best_val_acc"]
    print(f"{d.name}: best val {val[d.name]:.4f}")
keep = []
if "resnet50-fer" in val or "resnet50-s1-fer" in val:
    s2, s1 = val.get("resnet50-fer", -1), val.get("resnet50-s1-fer", -1)
    keep.append("resnet50-s1-fer" if s1 >= s2 + 0.005 else "resnet50-fer")
vits = [n for n in val if n.startswith("vit")]
if vits:
    keep.append(max(vits, key=val.get))
print("keep:", " ".join(keep))
(runs / "keep.txt").write_text("\n".join(keep) + "\n")
PY
files=$(for k in $(cat "$RUNS/keep.txt"); do echo "$k/best.pt"; done)
# shellcheck disable=SC2086
(cd "$RUNS" && tar cf - keep.txt ./*.out ./*/log.csv $files) | split -b 15M - "$OUT/results.tar.part-"
ls -la "$OUT"

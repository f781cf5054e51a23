"""Train an emotion model on FER2013; resumable, logs one CSV row per epoch.

    python train.py config/resnet50.py                 # train (resumes from out_dir/last.pt if present)
    python train.py config/vit.py --epochs=30 --threads=1
    python train.py config/smoke.py                    # a few steps on a few dozen images
    python train.py config/resnet50.py --time_budget=400   # fit the cosine schedule into ~400 s (GPU runs)

Settings are the globals below; a config file overrides them, then --key=value does. Checkpoints
(last.pt every epoch, best.pt on best val accuracy) store the model arguments, so export_onnx.py
and evaluate.py rebuild the model from the checkpoint alone. Checkpoints are chosen on val only.
"""
from __future__ import annotations

import ast
import copy
import csv
import json
import math
import os
import platform
import sys
import time
from dataclasses import asdict
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from augment import AugmentArgs, augment_batch, call_degrade  # noqa: E402
from data.fer2013 import CLASSES, load_split  # noqa: E402
from metrics import summarize  # noqa: E402
from model import ModelArgs, build_model, count_params  # noqa: E402

# ---- defaults (override in config/*.py or with --key=value) ----
name = "resnet50-fer"
data = str(HERE.parent.parent / "shared" / "datasets" / "fer2013")  # folder tree or Kaggle fer2013.csv
out_dir = ""  # default: $FER_RUNS or ~/.cache/fer-training/runs/<name>
model = dict(arch="resnet50")  # ModelArgs overrides
augment = dict()  # AugmentArgs overrides
mean, std = 0.5, 0.25  # input normalisation; written into the model card
epochs = 10
batch_size = 64
optimizer = "sgd"  # sgd | adamw
lr = 0.1
weight_decay = 5e-4
momentum = 0.9
warmup_epochs = 1.0
min_lr_ratio = 0.0
label_smoothing = 0.1
class_weighting = False
ema_decay = 0.999  # 0 disables the weight EMA
grad_clip = 0.0
threads = 0  # 0: torch default
device = "auto"  # auto: cuda when available, else cpu; the whole dataset and the augmentation live there
time_budget = 0.0  # >0 seconds: after the first and each warm-up epoch, fit `epochs` (never above it) to this wall time
save_every = 1  # write last.pt every this many epochs (and after the last one); best.pt whenever val improves
amp = "bf16"  # bf16: autocast the training forward pass (CPUs with AVX512-BF16/AMX, GPUs); none: fp32
channels_last = True  # NHWC memory layout: faster convolutions with oneDNN and cuDNN
seed = 1337
limit_train = 0  # >0: use only this many training images (smoke runs)
limit_val = 0
max_steps = 0  # >0: stop after this many optimiser steps (smoke runs)
resume = True
init_from = ""  # a best.pt/last.pt to start from: its weights and per-epoch history, with a fresh schedule (a warm restart)
extra_data = []  # more folder trees whose train split joins FER2013's (faces in the wild: muxspace), resized to 48x48
teacher = ""  # folder of <set>-<split>.f32 teacher probabilities (scripts/face-api-teacher.ts) for distillation,
# or "faceapi-online": face-api's FaceExpressionNet (faceapi_expression.py's port) judges each augmented batch as the
# student sees it, so the soft targets follow the flips, crops, blur and occlusion instead of the clean image
kd_weight = 0.0  # share of the loss given to matching the teacher (0 disables distillation)
kd_temp = 2.0  # softening temperature for teacher and student in the distillation term
eval_sets = []  # (name, folder, split) val sets scored every epoch beside FER2013 val, e.g. ("ckplus48", ".../ckplus48", "val")
call_eval = []  # (crop side px, JPEG quality) call conditions: each eval set is also scored through augment.call_degrade
# at each (its rows named <set>@<side>px), and those macro-F1s join the score, so best.pt is chosen on small faces too
select = "val_acc"  # what picks best.pt: val_acc (FER2013 val) or score (mean of FER2013 val acc and each eval set's macro-F1)
# ----------------------------------------------------------------


def apply_overrides(argv: list[str], g: dict) -> None:
    """nanoGPT-style configurator: config files are exec'd, --key=value literals override."""
    for arg in argv:
        if not arg.startswith("--"):
            exec(Path(arg).read_text(), g)
            continue
        key, _, val = arg[2:].partition("=")
        if key not in g:
            raise SystemExit(f"unknown setting {key!r}")
        try:
            g[key] = ast.literal_eval(val)
        except (ValueError, SyntaxError):
            g[key] = val


def lr_at(step: int, total: int, warmup: int, base: float) -> float:
    """Linear warm-up then cosine decay to base*min_lr_ratio."""
    if step < warmup:
        return base * (step + 1) / warmup
    t = (step - warmup) / max(1, total - warmup)
    return base * (min_lr_ratio + (1 - min_lr_ratio) * 0.5 * (1 + math.cos(math.pi * min(1.0, t))))


@torch.no_grad()
def evaluate_arrays(net: torch.nn.Module, x: np.ndarray | torch.Tensor, y: np.ndarray | torch.Tensor,
                    bs: int = 512) -> tuple[float, float]:
    """Loss and accuracy of net (in float32) on uint8 images, on the device the images live on."""
    net.eval()
    x, y = torch.as_tensor(x), torch.as_tensor(y)
    loss_sum = torch.zeros((), device=x.device)
    correct = torch.zeros((), device=x.device, dtype=torch.long)
    for i in range(0, len(x), bs):
        xb = (x[i : i + bs].unsqueeze(1).float() / 255.0 - mean) / std
        yb = y[i : i + bs]
        logits = net(xb)
        loss_sum += F.cross_entropy(logits, yb, reduction="sum")
        correct += (logits.argmax(1) == yb).sum()
    return loss_sum.item() / len(x), correct.item() / len(x)


@torch.no_grad()
def predict_arrays(net: torch.nn.Module, x: np.ndarray, bs: int = 512) -> np.ndarray:
    """Predicted classes of net (float32) for uint8 images."""
    net.eval()
    dev = next(net.parameters()).device
    out = []
    for i in range(0, len(x), bs):
        xb = (torch.from_numpy(x[i : i + bs]).to(dev).unsqueeze(1).float() / 255.0 - mean) / std
        out.append(net(xb).argmax(1).cpu().numpy())
    return np.concatenate(out)


def load_teacher(folder: str, source: str, split: str, n: int) -> np.ndarray:
    """Teacher probabilities for one split, in load_split's image order (checked by count)."""
    path = Path(folder) / f"{Path(source).name}-{split}.f32"
    probs = np.fromfile(path, dtype="<f4").reshape(-1, len(CLASSES))
    if len(probs) != n:
        raise SystemExit(f"{path} holds {len(probs)} rows, the split has {n} images: regenerate it")
    return probs


def kd_loss(logits: torch.Tensor, teacher_p: torch.Tensor, temp: float) -> torch.Tensor:
    """Hinton et al.'s distillation term: KL(teacher_T || student_T) x T^2, the teacher's probabilities softened
    by the same temperature as the student's logits."""
    t = teacher_p.clamp_min(1e-6) ** (1.0 / temp)
    t = t / t.sum(1, keepdim=True)
    return F.kl_div(F.log_softmax(logits / temp, 1), t, reduction="batchmean") * temp * temp


def pick_device(name: str) -> torch.device:
    """`auto` takes CUDA when present; anything else is passed to torch.device as it is."""
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(name)


def cpu_state(module: torch.nn.Module) -> dict:
    """A state dict on the CPU, so checkpoints load anywhere."""
    return {k: v.detach().cpu() for k, v in module.state_dict().items()}


def fit_epochs(planned: int, done: int, epoch_seconds: float, budget: float, spent: float) -> int:
    """How many epochs fit in the wall-time budget, given the seconds one epoch took; never fewer than done+1."""
    left = budget - spent
    return max(done + 1, min(planned, done + int(left // max(epoch_seconds, 1e-6))))


def main(argv: list[str]) -> dict:
    """Train with the settings in this module's globals after overrides; returns the final history."""
    g = globals()
    apply_overrides(argv, g)
    run_dir = Path(out_dir or os.environ.get("FER_RUNS", Path.home() / ".cache" / "fer-training" / "runs")) / name
    if out_dir:
        run_dir = Path(out_dir)
    run_dir.mkdir(parents=True, exist_ok=True)
    if threads:
        torch.set_num_threads(threads)
    dev = pick_device(device)
    if dev.type == "cuda":
        torch.backends.cudnn.benchmark = True
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True
    torch.manual_seed(seed)
    np.random.seed(seed)

    xtr, ytr = load_split(data, "train")
    xva, yva = load_split(data, "val")
    online_teacher = teacher == "faceapi-online" and kd_weight > 0
    ttr = load_teacher(teacher, data, "train", len(xtr)) if kd_weight and not online_teacher else None
    for extra in extra_data:
        xe, ye = load_split(extra, "train")
        xtr, ytr = np.concatenate([xtr, xe]), np.concatenate([ytr, ye])
        if ttr is not None:
            ttr = np.concatenate([ttr, load_teacher(teacher, extra, "train", len(xe))])
    evals = [(n, *load_split(root, split)) for n, root, split in eval_sets]
    for set_name, xs, ys in list(evals):
        for side, quality in call_eval:
            degraded = call_degrade(torch.from_numpy(xs).unsqueeze(1), int(side), int(quality))[:, 0].numpy()
            evals.append((f"{set_name}@{side}px", degraded, ys))
    if limit_train:
        idx = np.random.RandomState(seed).permutation(len(xtr))[:limit_train]
        xtr, ytr = xtr[idx], ytr[idx]
        ttr = ttr[idx] if ttr is not None else None
    if limit_val:
        xva, yva = xva[:limit_val], yva[:limit_val]

    margs = ModelArgs(**model)
    aargs = AugmentArgs(**augment)
    net = build_model(margs).to(dev)
    teacher_net = None
    if online_teacher:
        if (mean, std) != (0.5, 0.25):
            raise SystemExit("the online face-api teacher reads the app's input normalisation (mean 0.5, std 0.25)")
        from faceapi_expression import AppFaceExpressionNet

        teacher_net = AppFaceExpressionNet().to(dev).eval()
        for p in teacher_net.parameters():
            p.requires_grad_(False)
    if channels_last:
        net = net.to(memory_format=torch.channels_last)
    ema = copy.deepcopy(net).eval() if ema_decay else None
    if optimizer == "sgd":
        opt = torch.optim.SGD(net.parameters(), lr=lr, momentum=momentum, nesterov=True, weight_decay=weight_decay)
    elif optimizer == "adamw":
        decay = [p for n, p in net.named_parameters() if p.ndim > 1 and "pos_embed" not in n and "cls_token" not in n]
        no_decay = [p for n, p in net.named_parameters() if not (p.ndim > 1 and "pos_embed" not in n and "cls_token" not in n)]
        opt = torch.optim.AdamW(
            [{"params": decay, "weight_decay": weight_decay}, {"params": no_decay, "weight_decay": 0.0}], lr=lr, betas=(0.9, 0.999)
        )
    else:
        raise SystemExit(f"unknown optimizer {optimizer!r}")

    class_w = None
    if class_weighting:
        counts = np.bincount(ytr, minlength=len(CLASSES)).astype(np.float64)
        class_w = torch.tensor((counts.sum() / (len(CLASSES) * np.maximum(counts, 1))) ** 0.5, dtype=torch.float32, device=dev)

    steps_per_epoch = len(xtr) // batch_size
    offset = 0  # epochs inherited from init_from; this run's schedule covers epochs offset+1 .. planned_epochs
    planned_epochs = epochs
    total_steps = steps_per_epoch * planned_epochs
    warmup = int(warmup_epochs * steps_per_epoch)
    start_epoch, step, history, best_acc, seconds = 0, 0, [], -1.0, 0.0
    settings = {k: g[k] for k in SETTINGS}

    last = run_dir / "last.pt"
    if resume and last.exists():
        ck = torch.load(last, map_location="cpu", weights_only=False)
        net.load_state_dict(ck["model"])
        opt.load_state_dict(ck["optimizer"])
        offset = ck.get("offset", 0)
        if ck.get("planned_epochs"):
            planned_epochs = ck["planned_epochs"]
            total_steps = steps_per_epoch * (planned_epochs - offset)
        if ema is not None and ck.get("ema"):
            ema.load_state_dict(ck["ema"])
        start_epoch, step, history = ck["epoch"] + 1, ck["step"], ck["history"]
        best_acc, seconds = ck["best_val_acc"], ck["seconds"]
        torch.set_rng_state(ck["torch_rng"])
        if dev.type == "cuda" and ck.get("cuda_rng") is not None:
            torch.cuda.set_rng_state(ck["cuda_rng"])
        print(f"resumed {last} at epoch {start_epoch} (best val {best_acc:.4f})", flush=True)
    elif init_from:
        ck = torch.load(init_from, map_location="cpu", weights_only=False)
        if json.loads(json.dumps(ck["model_args"])) != json.loads(json.dumps(asdict(margs))):  # tuples vs lists
            raise SystemExit(f"{init_from} holds a different model: {ck['model_args']} vs {asdict(margs)}")
        net.load_state_dict(ck["model"])
        if ema is not None:
            ema.load_state_dict(ck["model"])
        history, seconds = list(ck["history"]), ck["seconds"]
        offset = start_epoch = len(history)
        planned_epochs = offset + epochs
        print(f"warm restart from {init_from} after {offset} epochs (its best val {ck['best_val_acc']:.4f})", flush=True)
    hardware = (f"{torch.cuda.get_device_name(dev)}, torch {torch.__version__}" if dev.type == "cuda" else
                f"{platform.processor() or platform.machine()}, {torch.get_num_threads()} threads, torch {torch.__version__}")
    print(f"{name}: {margs.arch} {count_params(net) / 1e6:.2f}M params, {len(xtr)} train / {len(xva)} val, "
          f"{planned_epochs} epochs x {steps_per_epoch} steps on {hardware}", flush=True)
    xtr_d, ytr_d = torch.from_numpy(xtr).to(dev), torch.from_numpy(ytr).to(dev)
    ttr_d = torch.from_numpy(ttr).to(dev) if ttr is not None else None
    xva_d, yva_d = torch.from_numpy(xva).to(dev), torch.from_numpy(yva).to(dev)
    # EMA and live tensors, paired; the float ones are averaged, the integer ones (BN's batch counter) copied.
    pairs = list(zip(ema.state_dict().values(), net.state_dict().values())) if ema is not None else []
    ema_f = [pe for pe, pn in pairs if pe.dtype.is_floating_point]
    net_f = [pn for pe, pn in pairs if pe.dtype.is_floating_point]
    ema_i = [(pe, pn) for pe, pn in pairs if not pe.dtype.is_floating_point]
    log_path = run_dir / "log.csv"
    t_start = time.time()
    save_s = 0.0  # seconds the previous epoch spent writing checkpoints, counted into the budget fit
    epoch = start_epoch
    while epoch < planned_epochs:
        t0 = time.time()
        net.train()
        perm = torch.randperm(len(xtr), device=dev)
        loss_sum = torch.zeros((), device=dev)
        correct = torch.zeros((), device=dev, dtype=torch.long)
        seen = 0
        for i in range(steps_per_epoch):
            if max_steps and step >= max_steps:
                break
            idx = perm[i * batch_size : (i + 1) * batch_size]
            xb = augment_batch(xtr_d[idx].unsqueeze(1), aargs)
            xb = (xb - mean) / std
            if channels_last:
                xb = xb.contiguous(memory_format=torch.channels_last)
            yb = ytr_d[idx]
            cur_lr = lr_at(step, total_steps, warmup, lr)
            for group in opt.param_groups:
                group["lr"] = cur_lr
            with torch.autocast(dev.type, dtype=torch.bfloat16, enabled=amp == "bf16"):
                logits = net(xb)
            loss = F.cross_entropy(logits.float(), yb, weight=class_w, label_smoothing=label_smoothing)
            if ttr_d is not None:
                loss = (1 - kd_weight) * loss + kd_weight * kd_loss(logits.float(), ttr_d[idx], kd_temp)
            elif teacher_net is not None:
                with torch.no_grad():
                    tp = teacher_net(xb.contiguous()).exp()  # log-probabilities -> probabilities
                loss = (1 - kd_weight) * loss + kd_weight * kd_loss(logits.float(), tp, kd_temp)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            if grad_clip:
                torch.nn.utils.clip_grad_norm_(net.parameters(), grad_clip)
            opt.step()
            if ema is not None:
                with torch.no_grad():
                    d = min(ema_decay, (1 + step) / (10 + step))
                    torch._foreach_lerp_(ema_f, net_f, 1 - d)  # ema = d*ema + (1-d)*net, one kernel per few tensors
                    for pe, pn in ema_i:
                        pe.copy_(pn)
            step += 1
            loss_sum += loss.detach() * len(yb)
            correct += (logits.argmax(1) == yb).sum()
            seen += len(yb)
            if i % 100 == 0 and (dev.type == "cpu" or i == 0):
                print(f"  epoch {epoch + 1} step {i}/{steps_per_epoch} loss {loss.item():.3f} lr {cur_lr:.4g}", flush=True)
        val_loss, val_acc = evaluate_arrays(net, xva_d, yva_d)
        use_ema = False
        if ema is not None:
            ema_loss, ema_acc = evaluate_arrays(ema, xva_d, yva_d)
            if ema_acc > val_acc:
                val_loss, val_acc, use_ema = ema_loss, ema_acc, True
        extra_scores = {}
        for set_name, xs, ys in evals:
            summary = summarize(ys, predict_arrays(ema if use_ema else net, xs), CLASSES)
            extra_scores[f"{set_name}_acc"] = round(summary["accuracy"], 5)
            extra_scores[f"{set_name}_f1"] = round(summary["macro_f1"], 5)
        score = float(np.mean([val_acc] + [v for k, v in extra_scores.items() if k.endswith("_f1")]))
        seconds += time.time() - t0
        if time_budget and (epoch == start_epoch or step <= warmup):
            # Re-fitted after every warm-up epoch: the warm-up's lr does not depend on the total, so the cosine that
            # follows is fitted from a steady-state epoch time (the first one includes cuDNN's autotuning).
            fitted = fit_epochs(offset + epochs, epoch + 1, time.time() - t0 + save_s, time_budget, time.time() - t_start)
            if fitted != planned_epochs:
                print(f"time budget {time_budget:.0f} s: {planned_epochs} -> {fitted} epochs "
                      f"({time.time() - t0 + save_s:.1f} s per epoch)", flush=True)
                planned_epochs = fitted
                total_steps = steps_per_epoch * (planned_epochs - offset)
                settings["epochs"] = planned_epochs - offset
        row = dict(epoch=epoch + 1, train_loss=round(loss_sum.item() / max(seen, 1), 5),
                   train_acc=round(correct.item() / max(seen, 1), 5),
                   val_loss=round(val_loss, 5), val_acc=round(val_acc, 5), lr=round(cur_lr, 7), seconds=round(seconds, 1),
                   ema=int(use_ema))
        if evals:
            row.update(extra_scores, score=round(score, 5))
        chosen = score if select == "score" else val_acc
        history.append(row)
        print(f"epoch {epoch + 1}/{planned_epochs} " + " ".join(f"{k} {v}" for k, v in row.items()), flush=True)
        ck = dict(model=cpu_state(net), optimizer=opt.state_dict(), ema=cpu_state(ema) if ema is not None else None,
                  epoch=epoch, step=step, history=history, best_val_acc=max(best_acc, chosen), seconds=seconds,
                  torch_rng=torch.get_rng_state(), cuda_rng=torch.cuda.get_rng_state() if dev.type == "cuda" else None,
                  planned_epochs=planned_epochs, offset=offset, model_args=asdict(margs), settings=settings, hardware=hardware)
        t_save = time.time()
        if chosen > best_acc:
            best_acc = chosen
            best = dict(ck, model=cpu_state(ema if use_ema else net), optimizer=None, ema=None)
            torch.save(best, run_dir / "best.pt.tmp")
            os.replace(run_dir / "best.pt.tmp", run_dir / "best.pt")
        if (epoch + 1) % save_every == 0 or epoch + 1 >= planned_epochs or (max_steps and step >= max_steps):
            torch.save(ck, run_dir / "last.pt.tmp")
            os.replace(run_dir / "last.pt.tmp", last)  # atomic: an interruption never leaves a torn checkpoint
        save_s = time.time() - t_save
        with open(log_path, "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=list(row))
            w.writeheader()
            w.writerows(history)
        if max_steps and step >= max_steps:
            break
        epoch += 1
    print(f"done: best {select} {best_acc:.4f}; checkpoints in {run_dir}", flush=True)
    return {"history": history, "best_val_acc": best_acc, "run_dir": str(run_dir)}


SETTINGS = ["name", "data", "model", "augment", "mean", "std", "epochs", "batch_size", "optimizer", "lr", "weight_decay",
            "momentum", "warmup_epochs", "min_lr_ratio", "label_smoothing", "class_weighting", "ema_decay", "grad_clip", "seed",
            "amp", "channels_last", "time_budget", "init_from", "extra_data", "teacher", "kd_weight", "kd_temp", "eval_sets",
            "call_eval", "select"]

if __name__ == "__main__":
    main(sys.argv[1:])

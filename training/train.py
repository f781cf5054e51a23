"""Train an emotion model on FER2013; resumable, logs one CSV row per epoch.

    python train.py config/resnet50.py                 # train (resumes from out_dir/last.pt if present)
    python train.py config/vit.py --epochs=30 --threads=1
    python train.py config/smoke.py                    # a few steps on a few dozen images

Settings are the globals below; a config file overrides them, then --key=value does. Checkpoints
(last.pt every epoch, best.pt on best val accuracy) store the model arguments, so export_onnx.py
and evaluate.py rebuild the model from the checkpoint alone. Checkpoints are chosen on val only.
"""
from __future__ import annotations

import ast
import copy
import csv
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

from augment import AugmentArgs, augment_batch  # noqa: E402
from data.fer2013 import CLASSES, load_split  # noqa: E402
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
amp = "bf16"  # bf16: autocast the training forward pass (CPUs with AVX512-BF16/AMX, GPUs); none: fp32
channels_last = True  # NHWC memory layout: faster convolutions with oneDNN and cuDNN
seed = 1337
limit_train = 0  # >0: use only this many training images (smoke runs)
limit_val = 0
max_steps = 0  # >0: stop after this many optimiser steps (smoke runs)
resume = True
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
def evaluate_arrays(net: torch.nn.Module, x: np.ndarray, y: np.ndarray, bs: int = 256) -> tuple[float, float]:
    """Loss and accuracy of net on uint8 images."""
    net.eval()
    loss_sum, correct = 0.0, 0
    for i in range(0, len(x), bs):
        xb = (torch.from_numpy(x[i : i + bs]).unsqueeze(1).float() / 255.0 - mean) / std
        yb = torch.from_numpy(y[i : i + bs])
        logits = net(xb)
        loss_sum += F.cross_entropy(logits, yb, reduction="sum").item()
        correct += (logits.argmax(1) == yb).sum().item()
    return loss_sum / len(x), correct / len(x)


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
    torch.manual_seed(seed)
    np.random.seed(seed)

    xtr, ytr = load_split(data, "train")
    xva, yva = load_split(data, "val")
    if limit_train:
        idx = np.random.RandomState(seed).permutation(len(xtr))[:limit_train]
        xtr, ytr = xtr[idx], ytr[idx]
    if limit_val:
        xva, yva = xva[:limit_val], yva[:limit_val]

    margs = ModelArgs(**model)
    aargs = AugmentArgs(**augment)
    net = build_model(margs)
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
        class_w = torch.tensor((counts.sum() / (len(CLASSES) * np.maximum(counts, 1))) ** 0.5, dtype=torch.float32)

    steps_per_epoch = len(xtr) // batch_size
    total_steps = steps_per_epoch * epochs
    warmup = int(warmup_epochs * steps_per_epoch)
    start_epoch, step, history, best_acc, seconds = 0, 0, [], -1.0, 0.0
    settings = {k: g[k] for k in SETTINGS}

    last = run_dir / "last.pt"
    if resume and last.exists():
        ck = torch.load(last, map_location="cpu", weights_only=False)
        net.load_state_dict(ck["model"])
        opt.load_state_dict(ck["optimizer"])
        if ema is not None and ck.get("ema"):
            ema.load_state_dict(ck["ema"])
        start_epoch, step, history = ck["epoch"] + 1, ck["step"], ck["history"]
        best_acc, seconds = ck["best_val_acc"], ck["seconds"]
        torch.set_rng_state(ck["torch_rng"])
        print(f"resumed {last} at epoch {start_epoch} (best val {best_acc:.4f})", flush=True)

    print(f"{name}: {margs.arch} {count_params(net) / 1e6:.2f}M params, {len(xtr)} train / {len(xva)} val, "
          f"{epochs} epochs x {steps_per_epoch} steps, threads {torch.get_num_threads()}", flush=True)
    log_path = run_dir / "log.csv"
    for epoch in range(start_epoch, epochs):
        t0 = time.time()
        net.train()
        perm = torch.randperm(len(xtr))
        loss_sum, correct, seen = 0.0, 0, 0
        for i in range(steps_per_epoch):
            if max_steps and step >= max_steps:
                break
            idx = perm[i * batch_size : (i + 1) * batch_size]
            xb = augment_batch(torch.from_numpy(xtr[idx.numpy()]).unsqueeze(1), aargs)
            xb = (xb - mean) / std
            if channels_last:
                xb = xb.contiguous(memory_format=torch.channels_last)
            yb = torch.from_numpy(ytr[idx.numpy()])
            cur_lr = lr_at(step, total_steps, warmup, lr)
            for group in opt.param_groups:
                group["lr"] = cur_lr
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=amp == "bf16"):
                logits = net(xb)
            loss = F.cross_entropy(logits.float(), yb, weight=class_w, label_smoothing=label_smoothing)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            if grad_clip:
                torch.nn.utils.clip_grad_norm_(net.parameters(), grad_clip)
            opt.step()
            if ema is not None:
                with torch.no_grad():
                    d = min(ema_decay, (1 + step) / (10 + step))
                    for pe, pn in zip(ema.state_dict().values(), net.state_dict().values()):
                        if pe.dtype.is_floating_point:
                            pe.mul_(d).add_(pn.detach(), alpha=1 - d)
                        else:
                            pe.copy_(pn)
            step += 1
            loss_sum += loss.item() * len(yb)
            correct += (logits.argmax(1) == yb).sum().item()
            seen += len(yb)
            if i % 100 == 0:
                print(f"  epoch {epoch + 1} step {i}/{steps_per_epoch} loss {loss.item():.3f} lr {cur_lr:.4g}", flush=True)
        val_loss, val_acc = evaluate_arrays(net, xva, yva)
        use_ema = False
        if ema is not None:
            ema_loss, ema_acc = evaluate_arrays(ema, xva, yva)
            if ema_acc > val_acc:
                val_loss, val_acc, use_ema = ema_loss, ema_acc, True
        seconds += time.time() - t0
        row = dict(epoch=epoch + 1, train_loss=round(loss_sum / max(seen, 1), 5), train_acc=round(correct / max(seen, 1), 5),
                   val_loss=round(val_loss, 5), val_acc=round(val_acc, 5), lr=round(cur_lr, 7), seconds=round(seconds, 1),
                   ema=int(use_ema))
        history.append(row)
        print(f"epoch {epoch + 1}/{epochs} " + " ".join(f"{k} {v}" for k, v in row.items()), flush=True)
        ck = dict(model=net.state_dict(), optimizer=opt.state_dict(), ema=ema.state_dict() if ema is not None else None,
                  epoch=epoch, step=step, history=history, best_val_acc=max(best_acc, val_acc), seconds=seconds,
                  torch_rng=torch.get_rng_state(), model_args=asdict(margs), settings=settings,
                  hardware=f"{platform.processor() or platform.machine()}, {torch.get_num_threads()} threads, torch {torch.__version__}")
        if val_acc > best_acc:
            best_acc = val_acc
            best = dict(ck, model=(ema if use_ema else net).state_dict(), optimizer=None, ema=None)
            torch.save(best, run_dir / "best.pt.tmp")
            os.replace(run_dir / "best.pt.tmp", run_dir / "best.pt")
        torch.save(ck, run_dir / "last.pt.tmp")
        os.replace(run_dir / "last.pt.tmp", last)  # atomic: an interruption never leaves a torn checkpoint
        with open(log_path, "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=list(row))
            w.writeheader()
            w.writerows(history)
        if max_steps and step >= max_steps:
            break
    print(f"done: best val acc {best_acc:.4f}; checkpoints in {run_dir}", flush=True)
    return {"history": history, "best_val_acc": best_acc, "run_dir": str(run_dir)}


SETTINGS = ["name", "data", "model", "augment", "mean", "std", "epochs", "batch_size", "optimizer", "lr", "weight_decay",
            "momentum", "warmup_epochs", "min_lr_ratio", "label_smoothing", "class_weighting", "ema_decay", "grad_clip", "seed",
            "amp", "channels_last"]

if __name__ == "__main__":
    main(sys.argv[1:])

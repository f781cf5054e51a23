"""FER2013 loaders: the folder layout (<root>/<split>/<class>/*.jpg), Kaggle's fer2013.csv, and a packed file.

Both return (images uint8 [N,48,48], labels int64 [N]) with labels in CLASSES order (the folder
names, alphabetical). Kaggle's CSV numbers classes 0 angry, 1 disgust, 2 fear, 3 happy, 4 sad,
5 surprise, 6 neutral, and names splits by its `Usage` column; both are mapped here.

    python -m data.fer2013 ../../shared/datasets/fer2013   # prints split sizes and class counts
    python -m data.fer2013 --pack ../../shared/datasets/fer2013 /tmp/fer.npz.xz train val
        # one xz-compressed file holding decoded splits, to carry the data to another machine (a lent GPU)
"""
from __future__ import annotations

import csv
import hashlib
import io
import lzma
import os
import sys
from pathlib import Path

import numpy as np
from PIL import Image

CLASSES = ["angry", "disgust", "fear", "happy", "neutral", "sad", "surprise"]
KAGGLE_LABELS = ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"]
KAGGLE_USAGE = {"train": "Training", "val": "PublicTest", "test": "PrivateTest"}
IMG_SIZE = 48


def load_folder_split(root: str | Path, split: str) -> tuple[np.ndarray, np.ndarray]:
    """Read <root>/<split>/<class>/*.jpg|png as 48x48 grayscale; classes must be CLASSES."""
    split_dir = Path(root) / split
    if not split_dir.is_dir():
        raise FileNotFoundError(f"no split folder {split_dir}")
    unknown = sorted(p.name for p in split_dir.iterdir() if p.is_dir() and p.name not in CLASSES)
    if unknown:
        raise ValueError(f"unknown class folders in {split_dir}: {unknown}; expected {CLASSES}")
    images, labels = [], []
    for label, name in enumerate(CLASSES):
        class_dir = split_dir / name
        if not class_dir.is_dir():
            continue
        for path in sorted(class_dir.iterdir()):
            if path.suffix.lower() not in {".jpg", ".jpeg", ".png", ".bmp"}:
                continue
            with Image.open(path) as im:
                im = im.convert("L")
                if im.size != (IMG_SIZE, IMG_SIZE):
                    im = im.resize((IMG_SIZE, IMG_SIZE), Image.BILINEAR)
                images.append(np.asarray(im, dtype=np.uint8))
            labels.append(label)
    if not images:
        raise ValueError(f"no images under {split_dir}")
    return np.stack(images), np.asarray(labels, dtype=np.int64)


def load_kaggle_csv(path: str | Path, split: str) -> tuple[np.ndarray, np.ndarray]:
    """Read one split of Kaggle's fer2013.csv (columns emotion, pixels, Usage)."""
    usage = KAGGLE_USAGE[split]
    images, labels = [], []
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            if row["Usage"].strip() != usage:
                continue
            pixels = np.asarray(row["pixels"].split(), dtype=np.uint8)
            if pixels.size != IMG_SIZE * IMG_SIZE:
                raise ValueError(f"row with {pixels.size} pixels in {path}; expected {IMG_SIZE * IMG_SIZE}")
            images.append(pixels.reshape(IMG_SIZE, IMG_SIZE))
            labels.append(CLASSES.index(KAGGLE_LABELS[int(row["emotion"])]))
    if not images:
        raise ValueError(f"no rows with Usage={usage} in {path}")
    return np.stack(images), np.asarray(labels, dtype=np.int64)


def pack_splits(source: str | Path, out: str | Path, splits: list[str]) -> Path:
    """Write the decoded splits (x_<split>, y_<split>) to one .npz, xz-compressed when out ends in .xz."""
    arrays = {}
    for split in splits:
        arrays[f"x_{split}"], arrays[f"y_{split}"] = load_split(source, split)
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    data = buf.getvalue()
    out = Path(out)
    out.write_bytes(lzma.compress(data, preset=9 | lzma.PRESET_EXTREME) if out.suffix == ".xz" else data)
    return out


def load_packed(path: str | Path, split: str) -> tuple[np.ndarray, np.ndarray]:
    """Read one split from a file written by pack_splits."""
    path = Path(path)
    raw = path.read_bytes()
    if path.suffix == ".xz":
        raw = lzma.decompress(raw)
    with np.load(io.BytesIO(raw)) as z:
        if f"x_{split}" not in z.files:
            raise ValueError(f"{path} holds no split {split!r}; it has {sorted(k[2:] for k in z.files if k.startswith('x_'))}")
        x, y = z[f"x_{split}"], z[f"y_{split}"]
    if x.ndim != 3 or x.shape[1:] != (IMG_SIZE, IMG_SIZE) or x.dtype != np.uint8 or len(x) != len(y):
        raise ValueError(f"{path}: split {split!r} is not uint8 [N,{IMG_SIZE},{IMG_SIZE}] with N labels")
    return x, y.astype(np.int64)


def load_split(source: str | Path, split: str, cache_dir: str | Path | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Load a split from a folder tree or a .csv file, caching decoded arrays as .npz outside the repo."""
    source = Path(source)
    if source.name.endswith((".npz", ".npz.xz")):
        return load_packed(source, split)
    if cache_dir is None:
        cache_dir = Path(os.environ.get("FER_CACHE", Path.home() / ".cache" / "fer-training"))
    key = hashlib.sha1(f"{source.resolve()}|{split}|{source.stat().st_mtime_ns}".encode()).hexdigest()[:16]
    cache = Path(cache_dir) / f"{split}-{key}.npz"
    if cache.exists():
        with np.load(cache) as z:
            return z["x"], z["y"]
    if source.suffix.lower() == ".csv":
        x, y = load_kaggle_csv(source, split)
    else:
        x, y = load_folder_split(source, split)
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        np.savez(cache, x=x, y=y)
    except OSError:
        pass  # a read-only cache only costs speed
    return x, y


if __name__ == "__main__":
    if len(sys.argv) > 3 and sys.argv[1] == "--pack":
        print(pack_splits(sys.argv[2], sys.argv[3], sys.argv[4:] or ["train", "val"]))
        sys.exit(0)
    root = sys.argv[1] if len(sys.argv) > 1 else "../../shared/datasets/fer2013"
    for s in ("train", "val", "test"):
        x, y = load_split(root, s)
        print(s, x.shape, np.bincount(y, minlength=len(CLASSES)).tolist())

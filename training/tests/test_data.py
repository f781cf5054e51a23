"""Loading FER2013 from its folder layout and from Kaggle's fer2013.csv gives the same arrays."""
import numpy as np
import pytest
from PIL import Image

from data.fer2013 import CLASSES, KAGGLE_LABELS, load_folder_split, load_kaggle_csv, load_split


def make_tree(root, split, per_class=2, seed=0):
    rng = np.random.RandomState(seed)
    expected = []
    for name in CLASSES:
        d = root / split / name
        d.mkdir(parents=True)
        for i in range(per_class):
            img = rng.randint(0, 256, (48, 48), dtype=np.uint8)
            Image.fromarray(img).save(d / f"{i}.png")
            expected.append((img, CLASSES.index(name)))
    return expected


def test_folder_layout_reads_every_class_in_folder_order(tmp_path):
    expected = make_tree(tmp_path, "train")
    x, y = load_folder_split(tmp_path, "train")
    assert x.shape == (14, 48, 48) and x.dtype == np.uint8
    assert y.tolist() == [label for _, label in expected]
    assert np.array_equal(x[0], expected[0][0])


def test_folder_layout_rejects_unknown_classes_and_missing_split(tmp_path):
    (tmp_path / "train" / "contempt").mkdir(parents=True)
    with pytest.raises(ValueError, match="contempt"):
        load_folder_split(tmp_path, "train")
    with pytest.raises(FileNotFoundError):
        load_folder_split(tmp_path, "val")


def test_kaggle_csv_maps_original_indices_and_usage(tmp_path):
    rng = np.random.RandomState(1)
    rows, want = [], {"train": [], "val": [], "test": []}
    usage = {"train": "Training", "val": "PublicTest", "test": "PrivateTest"}
    for k in range(21):
        split = ["train", "val", "test"][k % 3]
        emotion = k % 7
        img = rng.randint(0, 256, 48 * 48, dtype=np.uint8)
        rows.append(f'{emotion},"{" ".join(map(str, img))}",{usage[split]}')
        want[split].append((img.reshape(48, 48), CLASSES.index(KAGGLE_LABELS[emotion])))
    path = tmp_path / "fer2013.csv"
    path.write_text("emotion,pixels,Usage\n" + "\n".join(rows) + "\n")
    for split in ("train", "val", "test"):
        x, y = load_kaggle_csv(path, split)
        assert y.tolist() == [label for _, label in want[split]]
        assert np.array_equal(x, np.stack([img for img, _ in want[split]]))
    # Kaggle's 4 is sad and 6 is neutral; the folder order puts neutral before sad.
    assert CLASSES.index(KAGGLE_LABELS[4]) == CLASSES.index("sad") == 5
    assert CLASSES.index(KAGGLE_LABELS[6]) == CLASSES.index("neutral") == 4


def test_load_split_caches_and_reads_csv_or_tree(tmp_path, monkeypatch):
    monkeypatch.setenv("FER_CACHE", str(tmp_path / "cache"))
    make_tree(tmp_path / "data", "val", per_class=1)
    x1, y1 = load_split(tmp_path / "data", "val")
    assert list((tmp_path / "cache").glob("val-*.npz"))
    x2, y2 = load_split(tmp_path / "data", "val")
    assert np.array_equal(x1, x2) and np.array_equal(y1, y2)


@pytest.mark.parametrize("name", ["packed.npz", "packed.npz.xz"])
def test_packed_file_round_trips_the_splits(tmp_path, name):
    from data.fer2013 import pack_splits

    make_tree(tmp_path / "src", "train", seed=3)
    make_tree(tmp_path / "src", "val", seed=4)
    out = pack_splits(tmp_path / "src", tmp_path / name, ["train", "val"])
    for split in ("train", "val"):
        want_x, want_y = load_folder_split(tmp_path / "src", split)
        x, y = load_split(out, split)
        assert np.array_equal(x, want_x) and np.array_equal(y, want_y) and y.dtype == np.int64
    with pytest.raises(ValueError, match="no split 'test'"):
        load_split(out, "test")

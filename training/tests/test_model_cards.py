"""Every shipped model card in resources/models follows the schema and describes the file beside it."""
import hashlib
import json
from pathlib import Path

import jsonschema
import onnx
import pytest

from data.fer2013 import CLASSES

MODELS = Path(__file__).resolve().parents[2] / "resources" / "models"
SCHEMA = json.loads((MODELS / "model-card.schema.json").read_text())
CARDS = sorted(p for p in MODELS.glob("*.json") if p.name != "model-card.schema.json")
REQUIRED_IDS = {"resnet50-fer", "vit-fer"}


def test_both_models_ship():
    assert REQUIRED_IDS <= {json.loads(p.read_text())["id"] for p in CARDS}


@pytest.mark.parametrize("card_path", CARDS, ids=[p.stem for p in CARDS])
def test_card_matches_schema_and_files(card_path):
    card = json.loads(card_path.read_text())
    jsonschema.validate(card, SCHEMA)
    assert card["id"] == card_path.stem
    assert card["labels"] == CLASSES
    assert len(card["input"]["mean"]) == len(card["input"]["std"]) == card["input"]["channels"]
    onnx_path = MODELS / card["file"]
    assert hashlib.sha256(onnx_path.read_bytes()).hexdigest() == card["sha256"]
    model = onnx.load(str(onnx_path))
    assert [i.name for i in model.graph.input] == [card["input"]["name"]]
    assert [o.name for o in model.graph.output] == [card["output"]["name"]]
    dims = model.graph.input[0].type.tensor_type.shape.dim
    assert [d.dim_value for d in dims[1:]] == [card["input"]["channels"], card["input"]["height"], card["input"]["width"]]
    assert onnx_path.stat().st_size < 100e6
    if "log" in card:  # models we trained keep their per-epoch log; borrowed weights and ensembles have none
        log = (MODELS / card["log"]).read_text().splitlines()
        assert log[0] == "epoch,train_loss,train_acc,val_loss,val_acc,lr,seconds"
        assert len(log) - 1 == card["training"]["epochs"]
    else:
        assert "epochs" not in card["training"] and "model_args" not in card
    for member in card.get("members", []):  # an ensemble names the shipped models it was built from, as they are now
        shipped = json.loads((MODELS / f"{member['id']}.json").read_text())
        assert shipped["sha256"] == member["sha256"], f"{member['id']} changed since the ensemble was built"
    assert "test" in card["metrics"]["fer2013"], "shipped models report test once"


INT8_CARDS = [p for p in CARDS if "quantization" in json.loads(p.read_text())]


@pytest.mark.parametrize("card_path", INT8_CARDS, ids=[p.stem for p in INT8_CARDS])
def test_int8_variant_keeps_val_within_half_a_point_and_answers_each_face_alone(card_path):
    import numpy as np
    import onnxruntime as ort

    card = json.loads(card_path.read_text())
    float_card = json.loads((MODELS / f"{card['quantization']['from']}.json").read_text())
    float_val = float_card["metrics"]["fer2013"]["val"]["accuracy"]
    assert card["quantization"]["val_accuracy_float"] == pytest.approx(float_val, abs=1e-9)
    assert card["metrics"]["fer2013"]["val"]["accuracy"] >= float_val - 0.005
    # Static quantisation: fixed activation scales, so a face's logits do not depend on its batch mates.
    sess = ort.InferenceSession(str(MODELS / card["file"]), providers=["CPUExecutionProvider"])
    rng = np.random.RandomState(0)
    batch = rng.uniform(-2, 2, (4, 1, 48, 48)).astype(np.float32)
    batch[1:] *= 3  # louder neighbours would move a per-batch scale
    together = sess.run(None, {"input": batch})[0][0]
    alone = sess.run(None, {"input": batch[:1]})[0][0]
    np.testing.assert_allclose(together, alone, atol=1e-5)


def _optional_fields_card():
    """A shipped card with every optional field issue-free, as export will write them."""
    card = json.loads((MODELS / "resnet50-fer.json").read_text())
    split = dict(card["metrics"]["fer2013"]["val"], ece=0.05)
    card["summary"] = "Best on faces in the wild; weak on disgust"
    card["calibration"] = {"method": "temperature", "temperature": 1.3, "fitted_on": ["fer2013/val", "muxspace/val"], "ece_before": 0.08, "ece_after": 0.03}
    card["metrics"]["ckplus48"] = {"val": split, "test": split}
    card["metrics"]["muxspace"] = {"val": split}
    return card


def test_schema_accepts_summary_calibration_and_real_face_metrics():
    jsonschema.validate(_optional_fields_card(), SCHEMA)


@pytest.mark.parametrize(
    "change",
    [
        lambda c: c["calibration"].update(temperature=0),
        lambda c: c["calibration"].update(temperature=-1.3),
        lambda c: c["calibration"].pop("temperature"),
        lambda c: c["calibration"].update(method="platt"),
        lambda c: c["calibration"].update(fitted_on=["muxspace/test"]),  # fitted on test would make test meaningless
        lambda c: c["calibration"].update(ece_after=1.5),
        lambda c: c.update(summary="two\nlines"),
        lambda c: c.update(summary=""),
        lambda c: c["metrics"]["muxspace"]["val"].update(ece=-0.1),
        lambda c: c["metrics"]["ckplus48"]["val"].pop("macro_f1"),
    ],
    ids=["zero-temperature", "negative-temperature", "no-temperature", "unknown-method", "fitted-on-test", "ece-above-1", "two-line-summary", "empty-summary", "negative-ece", "no-macro-f1"],
)
def test_schema_rejects_bad_optional_fields(change):
    card = _optional_fields_card()
    change(card)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(card, SCHEMA)


CALIBRATED = [p for p in CARDS if "calibration" in json.loads(p.read_text())]


@pytest.mark.parametrize("card_path", CALIBRATED, ids=[p.stem for p in CALIBRATED])
def test_calibration_does_not_worsen_the_ece_it_was_fitted_for(card_path):
    cal = json.loads(card_path.read_text())["calibration"]
    if "ece_before" in cal and "ece_after" in cal:
        assert cal["ece_after"] <= cal["ece_before"] + 1e-9

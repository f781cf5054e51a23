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
    log = (MODELS / card["log"]).read_text().splitlines()
    assert log[0] == "epoch,train_loss,train_acc,val_loss,val_acc,lr,seconds"
    assert len(log) - 1 == card["training"]["epochs"]
    assert "test" in card["metrics"]["fer2013"], "shipped models report test once"

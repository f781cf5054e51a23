"""The PyTorch port of face-api's FaceExpressionNet and its ONNX export against face-api's own probabilities.

The fixture (faces from face-api's demo photos, as lossless PNGs, and what face-api answered for them in Node) is
written by `npx tsx training/tests/face-api-fixture.ts training/tests/fixtures/face-api`.
"""
import json
import shutil
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

import faceapi_expression as fx

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "face-api"
EXPECTED = json.loads((FIXTURE / "face-api-expressions.json").read_text())
FACES = EXPECTED["faces"]
ONNX = fx.OUT_DIR / "faceapi-expression.onnx"
# TF.js (WASM, XNNPACK) and PyTorch sum in different orders; what is left is float32 rounding.
TOLERANCE = 1e-4

needs_weights = pytest.mark.skipif(not (fx.MODEL_DIR / fx.MANIFEST).exists(),
                                   reason="@vladmandic/face-api is not installed (npm ci)")


@pytest.fixture(scope="module")
def net():
    return fx.FaceExpressionNet().eval()


def test_fixture_covers_padding_on_both_axes_and_resizing_both_ways():
    sizes = [Image.open(FIXTURE / f["rgb"]).size for f in FACES]
    assert any(w > h for w, h in sizes) and any(h > w for w, h in sizes)
    assert any(max(s) > fx.INPUT_SIZE for s in sizes) and any(max(s) < fx.INPUT_SIZE for s in sizes)
    assert EXPECTED["classes"] == fx.EMOTIONS


def test_tf_same_padding_puts_the_odd_pixel_after():
    assert fx.same_padding(112, 2) == (0, 1)
    assert fx.same_padding(7, 2) == (1, 1)
    assert fx.same_padding(56, 1) == (1, 1)


def test_resize_matches_tf_legacy_bilinear():
    # TF's align_corners=False, half_pixel_centers=False: output pixel i samples input i * in / out.
    x = torch.arange(4.0).view(1, 1, 1, 4).expand(1, 1, 4, 4)
    out = fx.resize_bilinear(x, 8)[0, 0, 0]
    np.testing.assert_allclose(out.numpy(), [0, 0.5, 1, 1.5, 2, 2.5, 3, 3], atol=1e-6)


def test_pad_to_square_puts_the_rounded_half_after():
    x = torch.ones(1, 1, 4, 1)
    padded = fx.pad_to_square(x)[0, 0, 0]
    assert padded.tolist() == [0, 1, 0, 0]  # diff 3: round(1.5) = 2 after, 1 before


@needs_weights
def test_port_matches_face_api_on_rgb_crops(net):
    crops = [np.asarray(Image.open(FIXTURE / f["rgb"]).convert("RGB")) for f in FACES]
    got = fx.predict_expressions(net, crops)
    want = np.array([f["rgb_probabilities"] for f in FACES])
    np.testing.assert_allclose(got, want, atol=TOLERANCE)


@needs_weights
def test_app_model_matches_face_api_on_48x48_gray_crops(net):
    gray = fx.read_gray48([FIXTURE / f["gray48"] for f in FACES])
    with torch.no_grad():
        got = torch.exp(fx.AppFaceExpressionNet(net)(torch.from_numpy(fx.app_input(gray)))).numpy()
    want = np.array([f["gray48_probabilities"] for f in FACES])
    np.testing.assert_allclose(got, want, atol=TOLERANCE)


@pytest.mark.skipif(not ONNX.exists(), reason="faceapi-expression.onnx not exported")
def test_shipped_onnx_matches_face_api_and_batches_dynamically():
    import onnxruntime as ort

    gray = fx.read_gray48([FIXTURE / f["gray48"] for f in FACES])
    sess = ort.InferenceSession(str(ONNX), providers=["CPUExecutionProvider"])
    logits = sess.run(["logits"], {"input": fx.app_input(gray)})[0]
    want = np.array([f["gray48_probabilities"] for f in FACES])
    probs = torch.softmax(torch.from_numpy(logits), 1).numpy()
    np.testing.assert_allclose(probs, want, atol=TOLERANCE)
    alone = sess.run(["logits"], {"input": fx.app_input(gray[:1])})[0]
    np.testing.assert_allclose(alone[0], logits[0], atol=1e-5)


@needs_weights
def test_load_weights_refuses_a_truncated_bin(tmp_path):
    shutil.copy(fx.MODEL_DIR / fx.MANIFEST, tmp_path / fx.MANIFEST)
    data = (fx.MODEL_DIR / "face_expression_model.bin").read_bytes()
    (tmp_path / "face_expression_model.bin").write_bytes(data[:-4])
    with pytest.raises(ValueError):
        fx.load_weights(tmp_path)

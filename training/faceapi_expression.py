"""face-api.js's FaceExpressionNet re-implemented in PyTorch, with the published weights read from the npm package
@vladmandic/face-api (MIT), and its export as an app-ready ONNX model (48x48 gray in, log-probabilities out).

The port follows face-api's TypeScript source (src/faceFeatureExtractor, src/faceProcessor, src/faceExpressionNet):
  input:  any HxWx3 RGB face crop, 0..255; padded with zeros to a square (centred: the extra half, rounded, goes
          after the image, the rest before), resized to 112x112 with TF's legacy bilinear (align_corners and
          half_pixel_centers both false, no antialias), RGB mean [122.782, 117.001, 104.298] subtracted, / 255;
  net:    four dense blocks (conv0 stride 2, conv1..conv3 stride 1, each block's conv i+1 fed the ReLU of the sum of
          all earlier outputs), the first conv0 a plain 3x3 conv, every other conv a depthwise-separable one, all
          with TF 'same' padding; 7x7 average pool; fc 256 -> 7; softmax.

    .venv/bin/python training/faceapi_expression.py            # writes resources/models/faceapi-expression.onnx + .json
    .venv/bin/python training/faceapi_expression.py --teacher ~/.cache/fer-training/teacher/ckplus48-val.f32
    npx tsx training/tests/face-api-fixture.ts --decode ~/.cache/fer-training/teacher/ckplus48-val.json \
        ../shared/datasets/ckplus48 /tmp/ckplus48-val.u8        # the pixels face-api saw, then:
    .venv/bin/python training/faceapi_expression.py --teacher ~/.cache/fer-training/teacher/ckplus48-val.f32 \
        --pixels /tmp/ckplus48-val.u8
"""
import argparse
import hashlib
import json
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from face_crop import FACE_API_CARD_FRAMING  # noqa: E402
MODEL_DIR = ROOT / "node_modules" / "@vladmandic" / "face-api" / "model"
MANIFEST = "face_expression_model-weights_manifest.json"
OUT_DIR = ROOT / "resources" / "models"

EMOTIONS = ["angry", "disgust", "fear", "happy", "neutral", "sad", "surprise"]
FACE_API_LABELS = ["neutral", "happy", "sad", "angry", "fearful", "disgusted", "surprised"]
# For each of our classes, the index of face-api's output that holds it.
FACE_API_INDEX = [FACE_API_LABELS.index(n) for n in
                  ["angry", "disgusted", "fearful", "happy", "neutral", "sad", "surprised"]]

INPUT_SIZE = 112
MEAN_RGB = (122.782, 117.001, 104.298)
# The app's crop normalisation (resources/models/*.json input mean/std): x = (pixel / 255 - MEAN) / STD.
APP_MEAN, APP_STD, APP_SIZE = 0.5, 0.25, 48


def load_weights(model_dir=MODEL_DIR):
    """The net's tensors by name, in TF layout (HWIO filters), dequantised as TF.js does: q * scale + min."""
    model_dir = Path(model_dir)
    manifest = json.loads((model_dir / MANIFEST).read_text())
    weights = {}
    for group in manifest:
        data = b"".join((model_dir / p).read_bytes() for p in group["paths"])
        offset = 0
        for spec in group["weights"]:
            count = int(np.prod(spec["shape"]))
            quant = spec.get("quantization")
            if quant:
                if quant["dtype"] != "uint8":
                    raise ValueError(f"{spec['name']}: unsupported quantisation {quant['dtype']}")
                q = np.frombuffer(data, np.uint8, count, offset)
                offset += count
                # TF.js computes in float64 and stores float32; so do we.
                values = (q.astype(np.float64) * quant["scale"] + quant["min"]).astype(np.float32)
            else:
                if spec["dtype"] != "float32":
                    raise ValueError(f"{spec['name']}: unsupported dtype {spec['dtype']}")
                values = np.frombuffer(data, "<f4", count, offset).copy()
                offset += 4 * count
            weights[spec["name"]] = values.reshape(spec["shape"])
        if offset != len(data):
            raise ValueError(f"{group['paths']}: manifest describes {offset} bytes, files hold {len(data)}")
    return weights


def same_padding(size, stride, kernel=3):
    """TF's 'same' padding (before, after) along one axis: the odd pixel goes after, so stride 2 on an even size
    pads only the bottom/right, unlike PyTorch's symmetric padding."""
    out = -(-size // stride)
    total = max((out - 1) * stride + kernel - size, 0)
    return total // 2, total - total // 2


class SameConv(nn.Module):
    """A 3x3 conv (plain or depthwise-separable) + bias with TF 'same' padding for a fixed input size."""

    def __init__(self, size, stride, depthwise, pointwise, bias):
        super().__init__()
        self.stride = stride
        top, bottom = same_padding(size, stride)
        # Symmetric padding goes into the conv itself; only TF's lopsided stride-2 case needs a Pad op.
        self.conv_pad = top if top == bottom else 0
        self.pad = None if top == bottom else (top, bottom, top, bottom)  # F.pad: left, right, top, bottom
        self.groups = depthwise.shape[0] if pointwise is not None else 1
        self.depthwise = nn.Parameter(depthwise, requires_grad=False)
        self.pointwise = None if pointwise is None else nn.Parameter(pointwise, requires_grad=False)
        self.bias = nn.Parameter(bias, requires_grad=False)

    def forward(self, x):
        if self.pad is not None:
            x = F.pad(x, self.pad)
        if self.pointwise is None:
            return F.conv2d(x, self.depthwise, self.bias, self.stride, self.conv_pad)
        x = F.conv2d(x, self.depthwise, None, self.stride, self.conv_pad, groups=self.groups)
        return F.conv2d(x, self.pointwise, self.bias)


def _conv(weights, prefix, size, stride):
    """face-api's conv `prefix` (a plain conv when it has `filters`, else depthwise-separable) in PyTorch layout."""
    w = {k[len(prefix) + 1:]: torch.from_numpy(v) for k, v in weights.items() if k.startswith(prefix + "/")}
    if "filters" in w:  # HWIO -> OIHW
        return SameConv(size, stride, w["filters"].permute(3, 2, 0, 1).contiguous(), None, w["bias"])
    # depthwise [kh, kw, C, 1] -> [C, 1, kh, kw]; pointwise [1, 1, Cin, Cout] -> [Cout, Cin, 1, 1]
    return SameConv(size, stride, w["depthwise_filter"].permute(2, 3, 0, 1).contiguous(),
                    w["pointwise_filter"].permute(3, 2, 0, 1).contiguous(), w["bias"])


class DenseBlock(nn.Module):
    """face-api's denseBlock4: conv0 halves the size; each later conv sees ReLU(sum of all earlier outputs)."""

    def __init__(self, weights, name, size):
        super().__init__()
        half = -(-size // 2)
        self.convs = nn.ModuleList([_conv(weights, f"{name}/conv0", size, 2)] +
                                   [_conv(weights, f"{name}/conv{i}", half, 1) for i in (1, 2, 3)])

    def forward(self, x):
        out = torch.relu(self.convs[0](x))
        total = out
        for conv in self.convs[1:]:
            total = total + conv(out if conv is self.convs[1] else torch.relu(total))
        return torch.relu(total)


class FaceExpressionNet(nn.Module):
    """FaceExpressionNet on face-api's normalised 112x112 input (N x 3 x 112 x 112); returns the fc output
    (pre-softmax) in our EMOTIONS order."""

    def __init__(self, weights=None):
        super().__init__()
        weights = load_weights() if weights is None else weights
        sizes = [INPUT_SIZE, INPUT_SIZE // 2, INPUT_SIZE // 4, INPUT_SIZE // 8]
        self.blocks = nn.Sequential(*[DenseBlock(weights, f"dense{i}", s) for i, s in enumerate(sizes)])
        order = torch.tensor(FACE_API_INDEX)
        self.fc_weight = nn.Parameter(torch.from_numpy(weights["fc/weights"])[:, order].contiguous(), requires_grad=False)
        self.fc_bias = nn.Parameter(torch.from_numpy(weights["fc/bias"])[order].contiguous(), requires_grad=False)

    def forward(self, x):
        x = self.blocks(x)
        # face-api's avgPool(7x7, stride 2, 'valid') on the 7x7 map is a plain mean.
        x = x.mean((2, 3))
        return x @ self.fc_weight + self.fc_bias


def resize_matrix(src, dst):
    """(dst x src) matrix of TF's legacy bilinear resize along one axis (align_corners=False,
    half_pixel_centers=False, no antialias): sample point i * src / dst, neighbours clamped to the edge."""
    m = np.zeros((dst, src), np.float64)
    scale = src / dst
    for i in range(dst):
        y = i * scale
        lo = int(np.floor(y))
        hi = min(lo + 1, src - 1)
        frac = y - lo
        m[i, lo] += 1 - frac
        m[i, hi] += frac
    return torch.from_numpy(m.astype(np.float32))


def resize_bilinear(x, size=INPUT_SIZE):
    """TF.js's tf.image.resizeBilinear(x, [size, size]) (its defaults) on an N x C x H x W tensor."""
    h, w = x.shape[-2:]
    return resize_matrix(h, size) @ x @ resize_matrix(w, size).T


def pad_to_square(x):
    """face-api's padToSquare(x, isCenterImage=true) on N x C x H x W: zeros, round(diff / 2) after, the rest before."""
    h, w = x.shape[-2:]
    diff = abs(h - w)
    after = int(np.floor(diff * 0.5 + 0.5))  # JS Math.round
    before = diff - after
    return F.pad(x, (before, after, 0, 0) if h > w else (0, 0, before, after))


def face_api_input(rgb):
    """face-api's toBatchTensor(112) + normalisation for one HxWx3 crop (uint8 or 0..255 floats) -> 1 x 3 x 112 x 112."""
    x = torch.as_tensor(np.asarray(rgb, np.float32)).permute(2, 0, 1)[None]
    x = pad_to_square(x)
    if x.shape[-1] != INPUT_SIZE:
        x = resize_bilinear(x)
    return (x - torch.tensor(MEAN_RGB).view(1, 3, 1, 1)) / 255


@torch.no_grad()
def predict_expressions(net, crops):
    """face-api's predictExpressions for a list of HxWx3 RGB crops: N x 7 probabilities in EMOTIONS order."""
    return torch.softmax(net(torch.cat([face_api_input(c) for c in crops])), 1).numpy()


class AppFaceExpressionNet(nn.Module):
    """The app's input (N x 1 x 48 x 48, (pixel / 255 - 0.5) / 0.25) to log-probabilities, as face-api sees a
    48x48 gray crop copied to R, G, B and resized to 112x112 with TF.js's resizeBilinear."""

    def __init__(self, net=None):
        super().__init__()
        self.net = FaceExpressionNet() if net is None else net
        self.register_buffer("resize_h", resize_matrix(APP_SIZE, INPUT_SIZE))
        self.register_buffer("resize_w_t", resize_matrix(APP_SIZE, INPUT_SIZE).T.contiguous())
        self.register_buffer("mean_rgb", torch.tensor(MEAN_RGB).view(1, 3, 1, 1))

    def forward(self, x):
        pixels = (x * APP_STD + APP_MEAN) * 255
        # Resizing before the gray -> RGB copy is the same thing, at a third of the cost.
        pixels = self.resize_h @ pixels @ self.resize_w_t
        x = (pixels.expand(-1, 3, -1, -1) - self.mean_rgb) / 255
        return torch.log_softmax(self.net(x), 1)


def count_flops(net):
    """Multiply-accumulates x 2 for one 48x48 face (resize included), counted as training/model.py counts."""
    from torch.utils.flop_counter import FlopCounterMode

    with FlopCounterMode(display=False) as counter, torch.no_grad():
        net.eval()(torch.zeros(1, 1, APP_SIZE, APP_SIZE))
    return int(counter.get_total_flops())


def read_gray48(paths):
    """48x48 gray images as uint8 N x 48 x 48 (PIL's convert('L'), the same BT.601 weights the bench uses)."""
    from PIL import Image

    out = []
    for p in paths:
        img = Image.open(p).convert("L")
        if img.size != (APP_SIZE, APP_SIZE):
            raise ValueError(f"{p}: {img.size}, expected 48x48")
        out.append(np.asarray(img))
    return np.stack(out)


def app_input(gray):
    """uint8 N x 48 x 48 -> the app's normalised N x 1 x 48 x 48 float32."""
    return ((gray.astype(np.float32) / 255 - APP_MEAN) / APP_STD)[:, None]


def export(out_dir=OUT_DIR, name="faceapi-expression"):
    """Writes <name>.onnx (opset 17, dynamic batch) and its model card; returns their paths."""
    import onnx

    net = AppFaceExpressionNet().eval()
    onnx_path = Path(out_dir) / f"{name}.onnx"
    x = torch.from_numpy(app_input(np.random.RandomState(0).randint(0, 256, (2, 48, 48)).astype(np.uint8)))
    with torch.no_grad():
        torch.onnx.export(net, (x,), str(onnx_path), input_names=["input"], output_names=["logits"],
                          dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}}, opset_version=17,
                          dynamo=False)
    onnx.checker.check_model(onnx.load(str(onnx_path)))
    card = {
        "id": name,
        "name": "face-api FaceExpressionNet (MIT, from @vladmandic/face-api)",
        "arch": "faceapi-expression",
        "file": onnx_path.name,
        "labels": EMOTIONS,
        "input": {"name": "input", "channels": 1, "height": APP_SIZE, "width": APP_SIZE,
                  "mean": [APP_MEAN], "std": [APP_STD]},
        # face-api's net learnt face-api's crop (the detection box, black padding, bilinear): the app cuts that for it.
        "framing": dict(FACE_API_CARD_FRAMING),
        "output": {"name": "logits", "kind": "logits"},
        "params": sum(p.numel() for p in net.net.parameters()),
        "flops": count_flops(net),
        "training": {
            "recipe": "face-api.js's published weights, not trained by us: FaceExpressionNet from "
                      f"@vladmandic/face-api {_face_api_version()} (model/{MANIFEST}), uint8-dequantised; the graph "
                      "resizes the 48x48 crop to 112x112 as TF.js's resizeBilinear does and outputs log-softmax, "
                      "so softmax(logits) is face-api's probabilities",
            "source": "https://github.com/vladmandic/face-api (MIT)",
            # No epochs and no log: there was no training run of ours to count or log.
            "seconds": 0,
            "hardware": "unknown: trained by face-api.js's author",
        },
        "tta": "none",
        "sha256": hashlib.sha256(onnx_path.read_bytes()).hexdigest(),
        "opset": 17,
        "exported": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    card_path = onnx_path.with_suffix(".json")
    if card_path.exists():  # keep metrics and anything the lead's tools added
        old = json.loads(card_path.read_text())
        card = {**old, **card}
    card_path.write_text(json.dumps(card, indent=2) + "\n")
    return onnx_path, card_path


def _face_api_version():
    return json.loads((MODEL_DIR.parent / "package.json").read_text())["version"]


def check_teacher(teacher_f32, dataset_root, onnx_path=None, pixels=None):
    """Max abs difference of the port's (and the ONNX model's) probabilities vs face-api's teacher file. The images
    are decoded with PIL, as training reads them, or taken from `pixels` (N x 48 x 48 bytes, decoded as the teacher
    script did: training/tests/face-api-fixture.ts --decode); JPEG decoders differ by a grey level here and there."""
    teacher_f32 = Path(teacher_f32)
    listing = json.loads(teacher_f32.with_suffix(".json").read_text())
    want = np.fromfile(teacher_f32, "<f4").reshape(listing["count"], len(EMOTIONS))
    if pixels:
        gray = np.fromfile(pixels, np.uint8).reshape(listing["count"], APP_SIZE, APP_SIZE)
    else:
        gray = read_gray48([Path(dataset_root) / f for f in listing["files"]])
    x = app_input(gray)
    net = AppFaceExpressionNet().eval()
    with torch.no_grad():
        got = torch.exp(net(torch.from_numpy(x))).numpy()
    report = {"images": len(want), "torch_max_abs": float(np.abs(got - want).max()),
              "torch_mean_abs": float(np.abs(got - want).mean()),
              "torch_argmax_agreement": float((got.argmax(1) == want.argmax(1)).mean())}
    if onnx_path:
        import onnxruntime as ort

        sess = ort.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"])
        logits = sess.run(["logits"], {"input": x})[0]
        probs = np.exp(logits)
        report.update(onnx_max_abs=float(np.abs(probs - want).max()),
                      onnx_vs_torch_max_abs=float(np.abs(probs - got).max()),
                      onnx_prob_sum_max_dev=float(np.abs(probs.sum(1) - 1).max()))
    return report


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=str(OUT_DIR), help="folder for the .onnx and its card")
    parser.add_argument("--teacher", help="face-api probabilities (.f32 beside its .json) to check parity against")
    parser.add_argument("--dataset", default=str(ROOT.parent / "shared" / "datasets" / "ckplus48"),
                        help="dataset root the teacher listing's files are relative to")
    parser.add_argument("--pixels", help="the listing's images as the teacher script decoded them (N x 48 x 48 bytes)")
    args = parser.parse_args(argv)
    if args.teacher:
        onnx_path = Path(args.out) / "faceapi-expression.onnx"
        started = time.time()
        report = check_teacher(args.teacher, args.dataset, onnx_path if onnx_path.exists() else None, args.pixels)
        print(json.dumps({**report, "seconds": round(time.time() - started, 1)}, indent=2))
        return 0
    onnx_path, card_path = export(args.out)
    print(f"wrote {onnx_path} ({onnx_path.stat().st_size} bytes) and {card_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

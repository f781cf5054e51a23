"""The app's face crop in numpy: the same maths as src/shared/face-crop.ts, so training sees faces
exactly as the app and the bench cut them.

A square around the detector box framed as the model's card says (its "framing"; DEFAULT_FRAMING, the
FER2013-style one: 0.8 x its longer side, centred 0.1 x that side above the box's centre, shifted inside the
frame when it fits), 8-bit gray (BT.601), the card's pad gray outside the frame (mid-grey, 128, by default),
and the card's resampling: "area" averages when shrinking (a 200 px face to 48 px does not alias) and is
bilinear between pixel centres when enlarging; "bilinear" is bilinear at any scale (face-api's own crop).
Rounded once, at the end, half up.

    from face_crop import crop_face
    face = crop_face(np.asarray(Image.open("photo.jpg").convert("RGB")), box=(x, y, w, h), size=48)
"""
import math

import numpy as np

# (scale, shift_y) in units of the box's longer side, as DEFAULT_FRAMING in face-crop.ts (fitted there).
DEFAULT_FRAMING = (0.8, -0.1)
PAD_GRAY = 128.0
# The card "framing" of the models trained on FER2013-style crops (FER2013, muxspace, CK+48 all frame a face
# alike), and of face-api's FaceExpressionNet, which learnt face-api's own crop: the detection box itself,
# padded square with black, resized bilinearly (FACE_API_FRAMING in face-crop.ts).
FER_CARD_FRAMING = {"box_scale": 0.8, "box_shift_x": 0.0, "box_shift_y": -0.1, "resize": "area", "pad": 128}
FACE_API_CARD_FRAMING = {"box_scale": 1.0, "box_shift_x": 0.0, "box_shift_y": 0.0, "resize": "bilinear", "pad": 0}


def _framing(framing):
    """(scale, shift_x, shift_y, resize, pad) from a (scale, shift_y) pair or a card's framing dict."""
    if isinstance(framing, dict):
        return (float(framing["box_scale"]), float(framing["box_shift_x"]), float(framing["box_shift_y"]),
                framing["resize"], float(framing["pad"]))
    scale, shift_y = framing
    return float(scale), 0.0, float(shift_y), "area", PAD_GRAY


def card_framing(card):
    """A model card's framing dict; the FER2013-style one for a card written before cards carried it."""
    return dict(card.get("framing") or FER_CARD_FRAMING)


def square_crop(box, frame_width, frame_height, framing=DEFAULT_FRAMING):
    """(x, y, side) of the square crop around box=(x, y, w, h), as squareCrop in face-crop.ts.
    framing: (scale, shift_y) or a card's framing dict."""
    bx, by, bw, bh = (float(v) for v in box)
    scale, shift_x, shift_y, _, _ = _framing(framing)
    longer = max(bw, bh)
    side = max(1.0, longer * scale)
    cx, cy = bx + bw / 2 + shift_x * longer, by + bh / 2 + shift_y * longer

    def fit(start, limit):
        return start if side > limit else min(max(start, 0.0), limit - side)

    return fit(cx - side / 2, frame_width), fit(cy - side / 2, frame_height), side


def whole_image_crop(width, height):
    """The square a ready-made face crop is classified through: centred on its longer side."""
    side = max(width, height)
    return (width - side) / 2, (height - side) / 2, float(side)


def _axis_weights(start, side, size, length, resize="area"):
    """[size, length] source weights per output pixel and [size] weight falling outside [0, length)."""
    scale = side / size
    inside = np.zeros((size, length), dtype=np.float64)
    outside = np.zeros(size, dtype=np.float64)
    for j in range(size):
        if scale >= 1 and resize == "area":
            a = start + j * scale
            b = a + scale
            pairs = []
            c = math.floor(a)
            while c < b:
                overlap = min(b, c + 1) - max(a, c)
                if overlap > 0:
                    pairs.append((c, overlap / scale))
                c += 1
        else:
            centre = start + (j + 0.5) * scale - 0.5
            c0 = math.floor(centre)
            t = centre - c0
            pairs = [(c0, 1 - t), (c0 + 1, t)]
        for c, w in pairs:
            if 0 <= c < length:
                inside[j, c] += w
            else:
                outside[j] += w
    return inside, outside


def to_gray(pixels):
    """float64 gray of an HxW, HxWx3 (RGB) or HxWx4 (RGBA) uint8 array, BT.601 weights, not rounded."""
    pixels = np.asarray(pixels)
    if pixels.ndim == 2:
        return pixels.astype(np.float64)
    if pixels.ndim == 3 and pixels.shape[2] in (3, 4):
        p = pixels.astype(np.float64)
        return 0.299 * p[..., 0] + 0.587 * p[..., 1] + 0.114 * p[..., 2]
    raise ValueError(f"expected HxW, HxWx3 or HxWx4 pixels, got shape {pixels.shape}")


def sample_crop(pixels, crop, size=48, resize="area", pad=PAD_GRAY):
    """The square crop=(x, y, side) of pixels resampled to size x size uint8 gray (size may be (w, h))."""
    out_w, out_h = (size, size) if np.isscalar(size) else size
    gray = to_gray(pixels)
    h, w = gray.shape
    x, y, side = crop
    if not side > 0:
        raise ValueError("crop side must be positive")
    wx, ox = _axis_weights(x, side, int(out_w), w, resize)
    wy, oy = _axis_weights(y, side, int(out_h), h, resize)
    # Horizontal pass (the pad gray for the part outside the frame), then vertical, as the TypeScript does.
    rows = gray @ wx.T + pad * ox[None, :]
    out = wy @ rows + pad * oy[:, None]
    return np.clip(np.floor(out + 0.5), 0, 255).astype(np.uint8)


def crop_face(pixels, box, size=48, framing=DEFAULT_FRAMING):
    """The face at box=(x, y, w, h) in a whole frame as the app feeds it to a model: uint8 [size, size] gray.
    framing: (scale, shift_y) or a card's framing dict (its resize and pad too)."""
    gray = np.asarray(pixels)
    h, w = gray.shape[:2]
    _, _, _, resize, pad = _framing(framing)
    return sample_crop(gray, square_crop(box, w, h, framing), size, resize, pad)

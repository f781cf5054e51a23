"""Batched augmentation on uint8 face tensors, done with affine grids so it is cheap on a CPU
and runs on the GPU when the batch lives there.

Matches the study's rotation / zoom / horizontal flip and adds translation, brightness/contrast
jitter and random erasing. Input uint8 [B,1,H,W]; output float in [0,1] of the same shape.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F


@dataclass
class AugmentArgs:
    """Strength of each augmentation; zero disables it."""

    rotate_deg: float = 15.0
    zoom: float = 0.15  # scale drawn from [1-zoom, 1+zoom]
    translate: float = 0.1  # fraction of the image side
    hflip: float = 0.5
    brightness: float = 0.25
    contrast: float = 0.25
    erase_p: float = 0.25
    erase_max: float = 0.3  # largest erased side as fraction of the image side
    # What the app's crops add to FER2013's look: a face that was small on screen or came through a video codec
    # (shrunk, then enlarged back: soft detail), camera gamma, sensor noise.
    lowres_p: float = 0.0  # probability of shrinking to lowres_min..side px (area-averaged) and enlarging back
    lowres_min: int = 16
    gamma: float = 0.0  # gamma drawn from [1/(1+gamma), 1+gamma] (log-uniform)
    noise: float = 0.0  # largest Gaussian noise sigma (fraction of full scale), drawn per image
    # A face as a video call shows it: the crop shrunk to call_min..call_max px (a 40-100 px face box gives a 32-80 px
    # crop at the usual 0.8 framing), JPEG-compressed at that size (8x8 DCT blocks quantised with the standard luminance
    # table at a quality drawn from jpeg_q), then enlarged back with the app's bilinear resampling.
    call_p: float = 0.0
    call_min: int = 24
    call_max: int = 64
    jpeg_q: tuple[int, int] = (35, 85)
    blur: float = 0.0  # largest Gaussian blur sigma in pixels of the 48 px crop (one sigma per batch, per-image on/off)
    blur_p: float = 0.3


def augment_batch(x: torch.Tensor, a: AugmentArgs, generator: torch.Generator | None = None) -> torch.Tensor:
    """Random affine (rotation, zoom, translation, flip), photometric jitter, and random erasing."""
    b, c, h, w = x.shape
    g = generator
    img = x.float() / 255.0

    dev = x.device  # a generator, if given, must live on the same device as x

    def rand(*shape: int) -> torch.Tensor:
        return torch.rand(*shape, generator=g, device=dev)

    def u(lo: float, hi: float, n: int = b) -> torch.Tensor:
        return rand(n) * (hi - lo) + lo

    angle = u(-a.rotate_deg, a.rotate_deg) * math.pi / 180
    scale = u(1 - a.zoom, 1 + a.zoom)
    tx, ty = u(-a.translate, a.translate) * 2, u(-a.translate, a.translate) * 2
    flip = torch.where(rand(b) < a.hflip, -1.0, 1.0)
    cos, sin = torch.cos(angle) / scale, torch.sin(angle) / scale
    theta = torch.stack([torch.stack([cos * flip, -sin, tx], 1), torch.stack([sin * flip, cos, ty], 1)], 1)
    grid = F.affine_grid(theta, list(img.shape), align_corners=False)
    img = F.grid_sample(img, grid, mode="bilinear", padding_mode="reflection", align_corners=False)

    if a.brightness or a.contrast:
        mean = img.mean(dim=(1, 2, 3), keepdim=True)
        contrast = u(1 - a.contrast, 1 + a.contrast).view(b, 1, 1, 1)
        bright = u(-a.brightness, a.brightness).view(b, 1, 1, 1) * 0.5
        img = ((img - mean) * contrast + mean + bright).clamp(0, 1)

    if a.lowres_p > 0:
        # One shrink size per batch keeps it a pair of cheap resizes; which images take it is per image.
        side = int(torch.randint(a.lowres_min, h, (1,), generator=g, device=dev).item()) if h > a.lowres_min else h
        small = F.interpolate(img, size=(side, side * w // h), mode="area")
        soft = F.interpolate(small, size=(h, w), mode="bilinear", align_corners=False)
        img = torch.where((rand(b) < a.lowres_p).view(b, 1, 1, 1), soft, img)

    if a.call_p > 0:
        side = int(torch.randint(a.call_min, a.call_max + 1, (1,), generator=g, device=dev).item())
        small = F.interpolate(img, size=(side, max(1, side * w // h)), mode="area") if side < h else img
        q = torch.randint(a.jpeg_q[0], a.jpeg_q[1] + 1, (b,), generator=g, device=dev)
        small = jpeg_like(small, q)
        call = F.interpolate(small, size=(h, w), mode="bilinear", align_corners=False) if side < h else small
        img = torch.where((rand(b) < a.call_p).view(b, 1, 1, 1), call, img)

    if a.blur > 0:
        sigma = float(u(0.3, a.blur, 1).item())
        img = torch.where((rand(b) < a.blur_p).view(b, 1, 1, 1), gaussian_blur(img, sigma), img)

    if a.gamma > 0:
        lg = math.log(1 + a.gamma)
        gam = torch.exp(u(-lg, lg)).view(b, 1, 1, 1)
        img = img.clamp_min(1e-4) ** gam

    if a.noise > 0:
        sigma = u(0, a.noise).view(b, 1, 1, 1)
        img = (img + torch.randn(img.shape, generator=g, device=dev) * sigma).clamp(0, 1)

    if a.erase_p > 0:
        ys = torch.arange(h, device=dev).view(1, h, 1)
        xs = torch.arange(w, device=dev).view(1, 1, w)
        eh = (u(0.1, a.erase_max) * h).long().view(b, 1, 1)
        ew = (u(0.1, a.erase_max) * w).long().view(b, 1, 1)
        y0 = (rand(b) * h).long().view(b, 1, 1)
        x0 = (rand(b) * w).long().view(b, 1, 1)
        box = (ys >= y0) & (ys < y0 + eh) & (xs >= x0) & (xs < x0 + ew)
        on = (rand(b) < a.erase_p).view(b, 1, 1)
        mask = (box & on).unsqueeze(1)
        img = torch.where(mask, rand(b, 1, 1, 1).expand_as(img), img)
    return img


# The standard JPEG luminance quantisation table (ITU T.81 annex K), scaled by quality as libjpeg does.
_JPEG_LUMA = torch.tensor([
    [16, 11, 10, 16, 24, 40, 51, 61], [12, 12, 14, 19, 26, 58, 60, 55], [14, 13, 16, 24, 40, 57, 69, 56],
    [14, 17, 22, 29, 51, 87, 80, 62], [18, 22, 37, 56, 68, 109, 103, 77], [24, 35, 55, 64, 81, 104, 113, 92],
    [49, 64, 78, 87, 103, 121, 120, 101], [72, 92, 95, 98, 112, 100, 103, 99]], dtype=torch.float32)


def _dct_matrix(n: int = 8) -> torch.Tensor:
    k = torch.arange(n, dtype=torch.float32).view(n, 1)
    i = torch.arange(n, dtype=torch.float32).view(1, n)
    m = torch.cos(math.pi * (2 * i + 1) * k / (2 * n)) * math.sqrt(2 / n)
    m[0] /= math.sqrt(2)
    return m


_DCT = _dct_matrix()


def jpeg_table(quality: torch.Tensor) -> torch.Tensor:
    """[B,8,8] luminance quantisation steps for qualities 1..100, libjpeg's scaling."""
    q = quality.float().clamp(1, 100)
    scale = torch.where(q < 50, 5000 / q, 200 - 2 * q).view(-1, 1, 1)
    return ((_JPEG_LUMA.to(q.device) * scale + 50) / 100).floor().clamp(1, 255)


def jpeg_like(img: torch.Tensor, quality: torch.Tensor) -> torch.Tensor:
    """Gray JPEG's loss without a codec: 8x8 block DCT, coefficients rounded to the quality's luminance steps, 8-bit
    pixels back. img float [B,1,H,W] in [0,1]; quality int [B]; edges replicate-padded to whole blocks as encoders do."""
    b, c, h, w = img.shape
    ph, pw = -h % 8, -w % 8
    x = F.pad(img * 255 - 128, (0, pw, 0, ph), mode="replicate") if ph or pw else img * 255 - 128
    hb, wb = x.shape[2] // 8, x.shape[3] // 8
    blocks = x.reshape(b, c, hb, 8, wb, 8).permute(0, 1, 2, 4, 3, 5)  # [B,C,hb,wb,8,8]
    d = _DCT.to(img.device)
    coef = d @ blocks @ d.T
    step = jpeg_table(quality).view(b, 1, 1, 1, 8, 8)
    coef = torch.round(coef / step) * step
    back = (d.T @ coef @ d).permute(0, 1, 2, 4, 3, 5).reshape(b, c, hb * 8, wb * 8)[:, :, :h, :w]
    return (torch.round(back + 128).clamp(0, 255)) / 255


def gaussian_blur(img: torch.Tensor, sigma: float) -> torch.Tensor:
    """Separable Gaussian blur (reflect-padded) of a [B,C,H,W] batch."""
    r = max(1, int(math.ceil(2.5 * sigma)))
    t = torch.arange(-r, r + 1, dtype=img.dtype, device=img.device)
    k = torch.exp(-0.5 * (t / sigma) ** 2)
    k = k / k.sum()
    c = img.shape[1]
    x = F.pad(img, (r, r, 0, 0), mode="reflect")
    x = F.conv2d(x, k.view(1, 1, 1, -1).expand(c, 1, 1, -1), groups=c)
    x = F.pad(x, (0, 0, r, r), mode="reflect")
    return F.conv2d(x, k.view(1, 1, -1, 1).expand(c, 1, -1, 1), groups=c)


def call_degrade(images: torch.Tensor, side: int, quality: int) -> torch.Tensor:
    """The deterministic call condition used to score val sets: uint8 [N,1,H,W] crops shrunk to `side` px (area),
    JPEG-like at `quality`, enlarged back bilinearly; uint8 out, so evaluation reads them like any image."""
    img = images.float() / 255
    h, w = img.shape[2:]
    small = F.interpolate(img, size=(side, max(1, side * w // h)), mode="area") if side < h else img
    small = jpeg_like(small, torch.full((len(img),), quality, device=img.device))
    out = F.interpolate(small, size=(h, w), mode="bilinear", align_corners=False) if side < h else small
    return torch.round(out * 255).clamp(0, 255).to(torch.uint8)

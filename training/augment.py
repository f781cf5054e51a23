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

"""Augmentation keeps shapes, stays in [0, 1], changes images, and is identity when switched off."""
import torch

from augment import AugmentArgs, augment_batch


def batch(n=16):
    g = torch.Generator().manual_seed(0)
    return torch.randint(0, 256, (n, 1, 48, 48), dtype=torch.uint8, generator=g)


def test_shapes_and_range():
    out = augment_batch(batch(), AugmentArgs(), torch.Generator().manual_seed(1))
    assert out.shape == (16, 1, 48, 48) and out.dtype == torch.float32
    assert out.min() >= 0 and out.max() <= 1


def test_off_is_identity_and_on_changes_images():
    x = batch()
    off = AugmentArgs(rotate_deg=0, zoom=0, translate=0, hflip=0, brightness=0, contrast=0, erase_p=0)
    assert torch.allclose(augment_batch(x, off), x.float() / 255, atol=1e-5)
    on = augment_batch(x, AugmentArgs(), torch.Generator().manual_seed(2))
    assert (on - x.float() / 255).abs().mean() > 0.01


def test_flip_only_mirrors():
    x = batch(4)
    flip = AugmentArgs(rotate_deg=0, zoom=0, translate=0, hflip=1.0, brightness=0, contrast=0, erase_p=0)
    assert torch.allclose(augment_batch(x, flip), torch.flip(x.float() / 255, dims=[3]), atol=1e-5)

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


OFF = dict(rotate_deg=0, zoom=0, translate=0, hflip=0, brightness=0, contrast=0, erase_p=0)


def test_lowres_softens_detail_and_keeps_range():
    # A checkerboard has all its energy at the finest scale: a shrink-and-enlarge must wash most of it out.
    x = ((torch.arange(48).view(1, 48) + torch.arange(48).view(48, 1)) % 2 * 255).to(torch.uint8).expand(8, 1, 48, 48)
    out = augment_batch(x, AugmentArgs(**OFF, lowres_p=1.0, lowres_min=16), torch.Generator().manual_seed(3))
    assert out.shape == x.shape and out.min() >= 0 and out.max() <= 1
    assert out.std() < 0.5 * (x.float() / 255).std()


def test_gamma_and_noise_change_images_within_range():
    x = batch()
    for extra in (dict(gamma=0.5), dict(noise=0.05)):
        out = augment_batch(x, AugmentArgs(**OFF, **extra), torch.Generator().manual_seed(4))
        assert out.min() >= 0 and out.max() <= 1
        assert (out - x.float() / 255).abs().mean() > 0.005, extra


def test_jpeg_like_matches_a_real_jpeg_encoder():
    # PIL's libjpeg at the same quality on a smooth 48x48 face-like image: the same loss within a grey level.
    import io

    import numpy as np
    from PIL import Image

    from augment import jpeg_like

    g = torch.Generator().manual_seed(0)
    x = torch.nn.functional.interpolate(torch.rand(1, 1, 8, 8, generator=g), size=(48, 48), mode="bilinear")
    arr = (x[0, 0] * 255).round().to(torch.uint8).numpy()
    for q in (30, 55, 85):
        buf = io.BytesIO()
        Image.fromarray(arr).save(buf, "JPEG", quality=q)
        pil = np.asarray(Image.open(buf)).astype(float)
        ours = jpeg_like(torch.from_numpy(arr).float()[None, None] / 255, torch.tensor([q]))[0, 0].numpy() * 255
        assert np.abs(ours - pil).mean() < 0.5, q
        assert np.abs(ours - arr).mean() > 0.3, q  # and it is lossy


def test_call_conditions_soften_detail_and_stay_in_range():
    x = ((torch.arange(48).view(1, 48) + torch.arange(48).view(48, 1)) % 2 * 255).to(torch.uint8).expand(8, 1, 48, 48)
    out = augment_batch(x, AugmentArgs(**OFF, call_p=1.0, call_min=24, call_max=32), torch.Generator().manual_seed(5))
    assert out.shape == x.shape and out.min() >= 0 and out.max() <= 1
    assert out.std() < 0.5 * (x.float() / 255).std()


def test_blur_softens_and_call_degrade_is_deterministic():
    from augment import call_degrade

    x = batch()
    blurred = augment_batch(x, AugmentArgs(**OFF, blur=1.5, blur_p=1.0), torch.Generator().manual_seed(6))
    assert blurred.std() < (x.float() / 255).std()
    a, b = call_degrade(x, 32, 55), call_degrade(x, 32, 55)
    assert a.dtype == torch.uint8 and torch.equal(a, b) and not torch.equal(a, x)

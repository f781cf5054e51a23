"""Model definitions: ResNet50 and ViT for 48x48 grayscale faces, built from timm.

Both are the standard architectures (timm's implementations), sized for FER2013:
  * resnet50: He et al. 2016 bottleneck blocks 3-4-6-3. Its ImageNet stem (7x7 stride 2 + max-pool)
    would shrink a 48x48 face to 12x12 before the first block, so the stem is a 3x3 conv with
    `stem_stride` and no max-pool (as CIFAR ResNets do); `width` scales the stage widths.
  * vit: Dosovitskiy et al. 2021: patch embedding, class token, learned position embedding,
    pre-norm transformer encoder; patch size and width sized for 48x48 input.
  * vit-hybrid: the same ViT with the paper's hybrid input (Dosovitskiy et al. 2021, section 3.1):
    patches are taken from a small CNN's feature map instead of raw pixels (timm's HybridEmbed);
    the study this app reproduces named such CNN+transformer hybrids as future work.

    python -c "from model import build_model; print(build_model('resnet50'))"
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

import timm.models.resnet as tresnet
import timm.models.vision_transformer as tvit
import torch
from torch import nn

NUM_CLASSES = 7


@dataclass
class ModelArgs:
    """Everything needed to rebuild a model; stored in every checkpoint."""

    arch: str = "resnet50"  # resnet50 | vit | vit-hybrid | faceapi-expression
    in_chans: int = 1
    img_size: int = 48
    num_classes: int = NUM_CLASSES
    drop_rate: float = 0.0
    drop_path_rate: float = 0.0
    # resnet50
    width: int = 64  # stage widths are (w, 2w, 4w, 8w) x 4 (bottleneck expansion)
    stem_stride: int = 1
    # vit
    patch_size: int = 4
    embed_dim: int = 192
    depth: int = 8
    num_heads: int = 3
    mlp_ratio: float = 4.0
    # vit-hybrid: conv stem widths; each stage after the first halves the resolution
    stem_channels: tuple = (32, 64, 128)
    extra: dict = field(default_factory=dict)


def _resnet50(a: ModelArgs) -> nn.Module:
    w = a.width
    model = tresnet.ResNet(
        block=tresnet.Bottleneck,
        layers=(3, 4, 6, 3),
        num_classes=a.num_classes,
        in_chans=a.in_chans,
        channels=(w, 2 * w, 4 * w, 8 * w),
        base_width=64,  # keeps bottleneck inner width == stage width, as in ResNet50
        stem_width=w,
        drop_rate=a.drop_rate,
        drop_path_rate=a.drop_path_rate,
    )
    # Small-image stem: 3x3 conv, no max-pool (a 48x48 face keeps its detail into layer1).
    model.conv1 = nn.Conv2d(a.in_chans, model.bn1.num_features, kernel_size=3, stride=a.stem_stride, padding=1, bias=False)
    model.maxpool = nn.Identity()
    return model


def _vit(a: ModelArgs, **extra) -> nn.Module:
    return tvit.VisionTransformer(
        img_size=a.img_size,
        patch_size=a.patch_size,
        in_chans=a.in_chans,
        num_classes=a.num_classes,
        embed_dim=a.embed_dim,
        depth=a.depth,
        num_heads=a.num_heads,
        mlp_ratio=a.mlp_ratio,
        class_token=True,
        global_pool="token",
        pos_embed="learn",
        drop_rate=a.drop_rate,
        drop_path_rate=a.drop_path_rate,
        **extra,
    )


def _conv_stem(in_chans: int, widths: tuple) -> nn.Module:
    """3x3 conv-BN-ReLU stages; the first keeps the resolution, each later one halves it."""
    layers, c = [], in_chans
    for i, w in enumerate(widths):
        layers += [nn.Conv2d(c, w, 3, stride=1 if i == 0 else 2, padding=1, bias=False), nn.BatchNorm2d(w), nn.ReLU(inplace=True)]
        c = w
    stem = nn.Sequential(*layers)
    stem.num_features = c  # what timm's HybridEmbed reads to size its projection
    return stem


def _vit_hybrid(a: ModelArgs) -> nn.Module:
    from functools import partial

    from timm.layers import HybridEmbed

    stem = _conv_stem(a.in_chans, tuple(a.stem_channels))
    feature = a.img_size // 2 ** (len(a.stem_channels) - 1)
    embed = partial(HybridEmbed, backbone=stem, feature_size=feature, feature_ratio=a.img_size // feature)
    return _vit(a, embed_layer=embed)  # patch_size now applies to the stem's feature map


def _faceapi_expression(a: ModelArgs) -> nn.Module:
    """face-api's FaceExpressionNet behind the app's 48x48 gray input (faceapi_expression.py's port), started from the
    published weights in the npm package and every weight trainable: a student that begins where face-api is."""
    if (a.in_chans, a.img_size, a.num_classes) != (1, 48, NUM_CLASSES):
        raise ValueError("faceapi-expression takes 1 x 48 x 48 crops and has 7 classes")
    from faceapi_expression import AppFaceExpressionNet

    net = AppFaceExpressionNet()
    for p in net.parameters():
        p.requires_grad_(True)
    return net


BUILDERS = {"resnet50": _resnet50, "vit": _vit, "vit-hybrid": _vit_hybrid, "faceapi-expression": _faceapi_expression}


def build_model(arch: str | ModelArgs = "resnet50", **overrides) -> nn.Module:
    """Build a model from an arch name plus overrides, or from stored ModelArgs."""
    args = arch if isinstance(arch, ModelArgs) else ModelArgs(arch=arch, **overrides)
    if args.arch not in BUILDERS:
        raise ValueError(f"unknown arch {args.arch!r}; choose one of {sorted(BUILDERS)}")
    return BUILDERS[args.arch](args)


def model_args_dict(args: ModelArgs) -> dict:
    """ModelArgs as a plain dict for checkpoints and model cards."""
    return asdict(args)


def count_params(model: nn.Module) -> int:
    """Number of trainable parameters."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


def count_flops(model: nn.Module, in_chans: int, img_size: int) -> int:
    """Multiply-accumulates x2 for one face, counted with torch's FLOP counter."""
    from torch.utils.flop_counter import FlopCounterMode

    model = model.eval()
    x = torch.zeros(1, in_chans, img_size, img_size)
    with FlopCounterMode(display=False) as counter, torch.no_grad():
        model(x)
    return int(counter.get_total_flops())

# ViT with the hybrid input of Dosovitskiy et al. 2021 (section 3.1): a 3-stage conv stem (32-64-128, 48x48 -> 12x12)
# feeds 2x2 patches -> 36 tokens + class token, 8 pre-norm blocks, width 192; from scratch; AdamW + cosine.
name = "vit-fer"
model = dict(arch="vit-hybrid", stem_channels=(32, 64, 128), patch_size=2, embed_dim=192, depth=8, num_heads=3,
             drop_path_rate=0.1)
epochs = 10
batch_size = 64
optimizer = "adamw"
lr = 8e-4
weight_decay = 0.05
warmup_epochs = 1.0
label_smoothing = 0.1
grad_clip = 1.0

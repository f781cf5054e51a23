# ViT (6x6 patches -> 64 tokens + class token, 8 pre-norm blocks, width 192) from scratch; AdamW + cosine.
name = "vit-fer"
model = dict(arch="vit", patch_size=6, embed_dim=192, depth=8, num_heads=3, drop_path_rate=0.1)
epochs = 8
batch_size = 64
optimizer = "adamw"
lr = 1e-3
weight_decay = 0.05
warmup_epochs = 1.0
label_smoothing = 0.1
grad_clip = 1.0

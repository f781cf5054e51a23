# ViT with the hybrid input of Dosovitskiy et al. 2021 (section 3.1): a 3-stage conv stem (32-64-128, 48x48 -> 12x12)
# feeds 2x2 patches -> 36 tokens + class token, 8 pre-norm blocks, width 192; from scratch; AdamW + cosine.
# Sized for a GPU (train_gpu.sh): ~250 epochs, or what fits --time_budget.
name = "vit-fer"
model = dict(arch="vit-hybrid", stem_channels=(32, 64, 128), patch_size=2, embed_dim=192, depth=8, num_heads=3,
             drop_path_rate=0.1)
augment = dict(erase_p=0.5)
epochs = 250
batch_size = 128
optimizer = "adamw"
lr = 5e-4  # chosen on val over 1e-3 (train_gpu.sh, first H100 run: 57.95 % vs 57.26 % after ~30 epochs)
weight_decay = 0.05
warmup_epochs = 5.0
label_smoothing = 0.1
grad_clip = 1.0

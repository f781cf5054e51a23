# Plain ViT (6x6 pixel patches -> 64 tokens + class token, 8 pre-norm blocks, width 192) from scratch; AdamW + cosine.
# Not shipped: on the 2-core CPU budget it stayed on the class-prior plateau (val 24.9-25.2 % after 1-2 epochs
# at lr 1e-3 and 5e-4); the hybrid in vit.py trains far faster. Kept to reproduce that finding with a longer budget.
name = "vit-plain-fer"
model = dict(arch="vit", patch_size=6, embed_dim=192, depth=8, num_heads=3, drop_path_rate=0.1)
epochs = 7
batch_size = 64
optimizer = "adamw"
lr = 5e-4
weight_decay = 0.05
warmup_epochs = 1.0
label_smoothing = 0.1
grad_clip = 1.0

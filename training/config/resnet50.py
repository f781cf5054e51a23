# ResNet50 (bottleneck 3-4-6-3, half width, 3x3 stem stride 2) from scratch; SGD + cosine.
# Sized for a GPU (train_gpu.sh): ~150 epochs, or what fits --time_budget.
name = "resnet50-fer"
model = dict(arch="resnet50", width=32, stem_stride=2, drop_rate=0.2)
augment = dict(erase_p=0.5)
epochs = 150
batch_size = 128
optimizer = "sgd"
lr = 0.1
weight_decay = 5e-4
warmup_epochs = 3.0
label_smoothing = 0.1

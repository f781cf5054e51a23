# ResNet50 (bottleneck 3-4-6-3, half width, 3x3 stem stride 2) from scratch; SGD + cosine.
name = "resnet50-fer"
model = dict(arch="resnet50", width=32, stem_stride=2, drop_rate=0.2)
epochs = 12
batch_size = 64
optimizer = "sgd"
lr = 0.05
weight_decay = 5e-4
warmup_epochs = 0.5
label_smoothing = 0.1

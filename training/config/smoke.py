# A few optimiser steps on a few dozen images: checks the whole loop in seconds.
name = "smoke"
model = dict(arch="resnet50", width=8, stem_stride=2)
epochs = 1
batch_size = 8
limit_train = 48
limit_val = 32
max_steps = 3
ema_decay = 0.99

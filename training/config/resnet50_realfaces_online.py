# resnet50-faces, fine-tuned further with face-api's FaceExpressionNet as an online teacher: the PyTorch port judges
# every augmented batch exactly as the student sees it (flipped, shifted, shrunk, noisy, partly erased), where the
# first fine-tune (resnet50_realfaces.py) matched teacher probabilities computed once on the clean images.
# Warm-starts from weights/resnet50-faces.pt at a lower learning rate; picks best.pt by the same val score (mean of
# FER2013 val accuracy and the macro-F1 of CK+48 val and muxspace val). About 8 minutes an epoch on 2 idle cores.
import os
from pathlib import Path

exec(open(HERE / "config" / "resnet50_realfaces.py").read())  # the first fine-tune's settings, then what differs
name = "resnet50-realfaces-online"
init_from = str(HERE / "weights" / "resnet50-faces.pt")
teacher = "faceapi-online"
kd_weight = 0.6
lr = 0.01
epochs = 3

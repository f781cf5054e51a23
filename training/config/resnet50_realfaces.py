# ResNet50 fine-tuned for faces beyond FER2013, warm-started from the shipped FER2013 weights (weights/resnet50-fer.pt,
# recovered from its ONNX file by onnx_to_torch.py). Adds muxspace's in-the-wild faces to FER2013's train split,
# distils face-api's FaceExpressionNet (teacher probabilities from scripts/face-api-teacher.ts) beside the labels,
# weights rare classes up, and augments towards what the app's crops look like (shrunk faces, gamma, noise, looser
# framing). Picks best.pt by the mean of FER2013 val accuracy and the macro-F1 of CK+48 val and muxspace val.
# Sized for 2 CPU cores; on a GPU raise epochs.
import os
from pathlib import Path

_data = Path(data).parent  # train.py's default FER2013 folder sits beside the other sets (config files run in its globals)
name = "resnet50-realfaces"
model = dict(arch="resnet50", width=32, stem_stride=2, drop_rate=0.2)
init_from = str(HERE / "weights" / "resnet50-fer.pt")
extra_data = [str(_data / "muxspace")]
teacher = os.environ.get("FER_TEACHER", str(Path.home() / ".cache" / "fer-training" / "teacher"))
kd_weight = 0.5
kd_temp = 2.0
class_weighting = True
augment = dict(erase_p=0.5, zoom=0.2, translate=0.12, lowres_p=0.3, gamma=0.3, noise=0.03)
eval_sets = [("ckplus48", str(_data / "ckplus48"), "val"), ("muxspace", str(_data / "muxspace"), "val")]
select = "score"
epochs = 3  # what the shipped resnet50-faces ran (about 7 minutes an epoch on 2 idle cores)
batch_size = 128
optimizer = "sgd"
lr = 0.02
weight_decay = 5e-4
warmup_epochs = 0.3
label_smoothing = 0.1

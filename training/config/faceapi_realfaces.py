# face-api's FaceExpressionNet fine-tuned on our data: the student starts as face-api's published network (its port in
# faceapi_expression.py, behind the app's 48x48 gray input) and learns FER2013 train plus muxspace train with the
# real-face recipe of resnet50_realfaces.py (class weights, augmentation towards the app's crops), while half of the
# loss keeps it close to what face-api itself said of each training image (the teacher files of
# scripts/face-api-teacher.ts), so it keeps what it knew of posed and in-the-wild faces. A small network (0.32M
# parameters, 105 MFLOPs a face): an epoch fits 2 CPU cores. Picks best.pt by the mean of FER2013 val accuracy and the
# macro-F1 of CK+48 val and muxspace val, as the ResNet50 fine-tunes do.
import os
from pathlib import Path

_data = Path(data).parent
name = "faceapi-realfaces"
model = dict(arch="faceapi-expression")
extra_data = [str(_data / "muxspace")]
teacher = os.environ.get("FER_TEACHER", str(Path.home() / ".cache" / "fer-training" / "teacher"))
kd_weight = 0.5
kd_temp = 2.0
class_weighting = True
augment = dict(erase_p=0.5, zoom=0.2, translate=0.12, lowres_p=0.3, gamma=0.3, noise=0.03)
eval_sets = [("ckplus48", str(_data / "ckplus48"), "val"), ("muxspace", str(_data / "muxspace"), "val")]
select = "score"
epochs = 4
batch_size = 128
optimizer = "adamw"
lr = 3e-4
weight_decay = 1e-4
warmup_epochs = 0.2
label_smoothing = 0.1
ema_decay = 0.999

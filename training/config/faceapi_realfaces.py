# face-api's FaceExpressionNet fine-tuned on our data: the student starts as face-api's published network (its port in
# faceapi_expression.py, behind the app's 48x48 gray input) and learns with the real-face recipe of
# resnet50_realfaces.py (FER2013 train plus muxspace train, class weights, augmentation towards the app's crops), while
# half of the loss keeps it close to what face-api itself said of each training image (the teacher files of
# scripts/face-api-teacher.ts), so it keeps what it knew of posed and in-the-wild faces. A small network (0.32M
# parameters, no batch norm, so AdamW at a low rate rather than SGD): an epoch takes about 7 minutes on 2 CPU cores.
# Picks best.pt by the same val score as the ResNet50 fine-tunes. Shipped as faceapi-faces.
exec(open(HERE / "config" / "resnet50_realfaces.py").read())
name = "faceapi-realfaces"
model = dict(arch="faceapi-expression")
init_from = ""  # the builder starts from face-api's published weights
epochs = 4
optimizer = "adamw"
lr = 3e-4
weight_decay = 1e-4
warmup_epochs = 0.2

# faceapi-faces trained longer: fine-tune e's recipe (faceapi_realfaces.py: face-api's FaceExpressionNet as the
# student, FER2013 + muxspace, half of the loss on face-api's own answers, class weights, app-like augmentation) for
# four more epochs from the shipped weights, at half its learning rate: its val score was still rising at the end
# (0.591, 0.593, 0.596, 0.600). Picks best.pt by the same val score.
exec(open(HERE / "config" / "faceapi_realfaces.py").read())
name = "faceapi-realfaces-longer"
init_from = str(HERE / "weights" / "faceapi-faces.pt")
lr = 1.5e-4
epochs = 4

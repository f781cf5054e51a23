# resnet50-faces trained longer: the first fine-tune's recipe (resnet50_realfaces.py: FER2013 + muxspace, face-api's
# probabilities on the clean images as the teacher, class weights, app-like augmentation) for two more epochs from the
# shipped weights, at a quarter of its learning rate. Picks best.pt by the same val score.
exec(open(HERE / "config" / "resnet50_realfaces.py").read())
name = "resnet50-realfaces-longer"
init_from = str(HERE / "weights" / "resnet50-faces.pt")
lr = 0.005
epochs = 2

/**
 * The session CSV's columns as issue 2 specifies them (ISO time, ms since start, frame index, face
 * id, box in source pixels, model id, execution provider, top label, its confidence, the seven
 * probabilities in FER2013 order, inference ms, then the face's name, smoothed label and source), spelled out here rather than imported from main,
 * so a change to the file format has to be made on purpose in both places.
 */
export const EXPECTED_COLUMNS = [
  'iso_time',
  'ms_since_start',
  'frame_index',
  'face_id',
  'box_x',
  'box_y',
  'box_w',
  'box_h',
  'model_id',
  'execution_provider',
  'label',
  'confidence',
  'p_angry',
  'p_disgust',
  'p_fear',
  'p_happy',
  'p_neutral',
  'p_sad',
  'p_surprise',
  'inference_ms',
  // Added later, at the end only, so readers of the older columns keep working.
  'face_name',
  'smoothed_label',
  'source'
] as const

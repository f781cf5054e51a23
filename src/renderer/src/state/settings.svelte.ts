import { DEFAULT_DETECTOR_SETTINGS, type DetectorSettings } from '../../../shared/detection/detection-filter'

/** Detector settings, read by the pipeline on every frame so edits apply live. */
export const detectorSettings: DetectorSettings = $state({ ...DEFAULT_DETECTOR_SETTINGS })

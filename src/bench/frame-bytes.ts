import type * as Tf from '@tensorflow/tfjs'

/** A frame's RGB bytes, row-major, 3 per pixel. */
export interface FrameBytes {
  rgb: Uint8Array
  width: number
  height: number
}

/**
 * The bytes a frame tensor was made from, where the bench made it from bytes (the moving galleries):
 * face crops and the face follower's gray copy read them as the app reads its canvas, instead of
 * reading the tensor back through TF.js.
 */
export const FRAME_BYTES = new WeakMap<Tf.Tensor3D, FrameBytes>()

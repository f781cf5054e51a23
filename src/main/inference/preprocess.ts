import type { FaceCrop } from '../../shared/ipc'
import type { ModelCard } from './model-card'

/**
 * Packs all faces of a frame into one float32 NCHW batch, strictly as the card says: each value
 * is (pixel/255 - mean[c]) / std[c], and a 3-channel model gets the gray value in every channel.
 */
export function facesToTensorData(input: ModelCard['input'], faces: readonly FaceCrop[]): Float32Array {
  const plane = input.height * input.width
  const data = new Float32Array(faces.length * input.channels * plane)
  // Per channel, (p/255 - mean)/std == p*scale + offset; a lookup table avoids 3 float ops per pixel.
  const tables = input.mean.map((mean, c) => {
    const std = input.std[c] as number
    const table = new Float32Array(256)
    for (let p = 0; p < 256; p++) table[p] = (p / 255 - mean) / std
    return table
  })
  faces.forEach((face, n) => {
    if (face.width !== input.width || face.height !== input.height || face.pixels.length !== plane) {
      throw new Error(`face ${face.faceId} is ${face.width}x${face.height}, the model takes ${input.width}x${input.height}`)
    }
    tables.forEach((table, c) => {
      const offset = (n * input.channels + c) * plane
      for (let i = 0; i < plane; i++) data[offset + i] = table[face.pixels[i] as number] as number
    })
  })
  return data
}

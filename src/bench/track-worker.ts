/**
 * A worker thread that runs the app's detect-then-track on the frames it is sent, as the renderer's
 * detection worker does (detector-worker.ts): its own face-api and TF.js, so detection of one frame
 * runs beside the labelling of the previous one on the bench's main thread, as it runs beside the
 * page and main in the app. Messages: track-worker-client.ts.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { DetectThenTrack, type TrackSettings } from '../shared/detection/detect-track'
import { FaceApiNode } from './face-api-node'
import { bytesRegionDetector } from './tensor-region-detector'
import type { TrackWorkerReply, TrackWorkerRequest } from './track-worker-client'

async function main(): Promise<void> {
  const port = parentPort
  if (!port) throw new Error('track-worker.ts runs as a worker thread')
  const api = await FaceApiNode.create()
  const tracking = new DetectThenTrack(bytesRegionDetector(api), (workerData as { settings: TrackSettings }).settings)
  port.on('message', (request: TrackWorkerRequest) => {
    void (async () => {
      if (request.kind === 'reset') {
        tracking.reset()
        port.postMessage({ kind: 'reset', id: request.id } satisfies TrackWorkerReply)
        return
      }
      const { frame, nowMs, detector } = request
      try {
        const faces = await tracking.next(frame, frame.width, frame.height, nowMs, detector)
        port.postMessage({ kind: 'faces', id: request.id, faces } satisfies TrackWorkerReply)
      } catch (error) {
        port.postMessage({ kind: 'error', id: request.id, message: (error as Error).message } satisfies TrackWorkerReply)
      }
    })()
  })
  port.postMessage({ kind: 'ready', id: 0 } satisfies TrackWorkerReply)
}

main().catch((error: unknown) => {
  parentPort?.postMessage({ kind: 'error', id: 0, message: error instanceof Error ? error.message : String(error) } satisfies TrackWorkerReply)
})

import { EMOTIONS } from '../../src/shared/emotions'
import { STUDY, type BenchReport } from '../../src/bench/report'

const perClass = (v: number): Record<string, number> => Object.fromEntries(EMOTIONS.map((e) => [e, v]))
const confusion = (): number[][] => EMOTIONS.map((_, i) => EMOTIONS.map((_, j) => (i === j ? 3 : 1)))

/** A small, hand-written report with every section filled, for the writer and schema tests. */
export function sampleReport(): BenchReport {
  const batch = (b: number, m: number) => ({ batch: b, medianMs: m, p95Ms: m * 1.5, facesPerSecond: 1000 / m, iterations: 10 })
  return {
    schemaVersion: 1,
    generatedAt: '2026-11-27T12:00:00.000Z',
    command: 'npm run bench -- --quick',
    quick: true,
    machine: { platform: 'linux', arch: 'x64', cpu: 'Test CPU', cores: 2, memoryGb: 24, node: '20.20.2', onnxruntime: '1.30.0', faceApi: '1.7.15', tfjs: '4.22.0', tfjsBackend: 'wasm' },
    caveats: ['first caveat', 'second caveat'],
    dataset: { name: 'fer2013', dir: '/data/fer2013', splits: [{ name: 'val', n: 300, available: 3589 }, { name: 'test', n: 300, available: 3589 }] },
    models: [
      { id: 'resnet50-fer', name: 'ResNet50 (FER2013)', kind: 'onnx', arch: 'resnet50', input: '1x48x48', params: 1000, flops: 2000, quantizedFrom: null, exported: '2026-11-27T11:00:00Z', cardAccuracy: { val: 0.66, test: 0.655 } },
      { id: 'resnet50-fer.int8', name: 'ResNet50 INT8', kind: 'onnx', arch: 'resnet50', input: '1x48x48', params: 1000, flops: 2000, quantizedFrom: 'resnet50-fer', exported: null, cardAccuracy: { val: 0.658, test: null } },
      { id: 'face-api-expression', name: 'face-api FaceExpressionNet', kind: 'face-api', arch: 'face-api', input: '3x112x112', params: null, flops: null, quantizedFrom: null, exported: null, cardAccuracy: { val: null, test: null } }
    ],
    accuracy: ['resnet50-fer', 'resnet50-fer.int8', 'face-api-expression'].flatMap((model, k) =>
      ['val', 'test'].map((split) => ({
        model,
        dataset: 'fer2013',
        split,
        n: 300,
        available: 3589,
        accuracy: 0.6 - k * 0.05,
        macroF1: 0.5,
        perClassRecall: perClass(0.5),
        perClassPrecision: perClass(0.5),
        support: perClass(40),
        confusion: confusion(),
        labels: [...EMOTIONS],
        seconds: 1.5
      }))
    ),
    detectAccuracy: [],
    providers: [
      { provider: 'cpu', bundled: true, ok: true, error: null },
      { provider: 'webgpu', bundled: true, ok: false, error: 'Failed to get a WebGPU adapter | no adapters' }
    ],
    speed: [
      { model: 'resnet50-fer', provider: 'cpu', ok: true, error: null, loadMs: 150, batch1: batch(1, 8.5), batch8: batch(8, 6.25), peakRssMb: 170 },
      { model: 'resnet50-fer', provider: 'webgpu', ok: false, error: 'Failed to get a WebGPU adapter | no adapters', loadMs: null, batch1: null, batch8: null, peakRssMb: null },
      { model: 'resnet50-fer.int8', provider: 'cpu', ok: true, error: null, loadMs: 120, batch1: batch(1, 5), batch8: batch(8, 4), peakRssMb: 150 },
      { model: 'face-api-expression', provider: 'tfjs-wasm', ok: true, error: null, loadMs: 20, batch1: batch(1, 14), batch8: batch(8, 11), peakRssMb: 220 }
    ],
    detection: [{ detector: 'tiny', width: 640, height: 360, backend: 'wasm', medianMs: 90, p95Ms: 120, iterations: 3, faces: 8 }],
    gallery: [{ model: 'resnet50-fer', grid: '3x3', width: 1280, height: 720, frames: 3, facesPerFrame: 8, fps: 2.5, labelsPerSecond: 20, detectMedianMs: 150, classifyMedianMs: 80 }],
    options: [
      { model: 'resnet50-fer', provider: 'cpu', option: 'graph-optimization', value: 'disabled', ok: true, error: null, loadMs: 300, batch1: batch(1, 20), batch8: batch(8, 15), peakRssMb: 170 },
      { model: 'resnet50-fer', provider: 'cpu', option: 'intra-op-threads', value: '1', ok: false, error: 'boom', loadMs: null, batch1: null, batch8: null, peakRssMb: null }
    ],
    quantization: [{ model: 'resnet50-fer', int8Model: 'resnet50-fer.int8', shipped: true, valAccuracyFloat: 0.66, valAccuracyInt8: 0.658, deltaPoints: -0.2, sizeMbFloat: 40, sizeMbInt8: 10.5, note: 'within 0.5 point' }],
    trainingLogs: [{ model: 'resnet50-fer', epochs: 2, bestValAccuracy: 0.62, bestEpoch: 2, rows: [{ epoch: 1, trainAccuracy: 0.4, valAccuracy: 0.5, trainLoss: 1.5, valLoss: 1.3 }, { epoch: 2, trainAccuracy: 0.6, valAccuracy: 0.62, trainLoss: 1.1, valLoss: 1.0 }] }],
    charts: [{ id: 'ms-per-face', title: 'Figure 3 (right)', file: 'bench/ms-per-face.svg' }],
    study: STUDY,
    skipped: ['full-size photos through the detector (no --detect DIR)'],
    modelErrors: [],
    seconds: 42
  }
}

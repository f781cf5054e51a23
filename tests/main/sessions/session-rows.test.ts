import { describe, expect, it } from 'vitest'
import { recordCells, SESSION_COLUMNS, toFaceRecords } from '../../../src/main/sessions/session-rows'
import type { ClassifyRequest, ClassifyResponse } from '../../../src/shared/ipc'

const request: ClassifyRequest = {
  modelId: 'm',
  frameIndex: 7,
  faces: [
    { faceId: 3, box: { x: 1, y: 2, width: 30, height: 40 }, width: 2, height: 2, pixels: new Uint8Array(4) },
    { faceId: 9, box: { x: 50, y: 60, width: 30, height: 40 }, width: 2, height: 2, pixels: new Uint8Array(4) }
  ]
}

const response: ClassifyResponse = {
  modelId: 'm',
  executionProvider: 'cpu',
  inferenceMs: 5,
  results: [
    { faceId: 3, label: 'sad', confidence: 0.4, probabilities: [0.4, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1] },
    { faceId: 9, label: 'angry', confidence: 0.7, probabilities: [0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.7] }
  ]
}

describe('toFaceRecords', () => {
  it('re-orders probabilities into FER2013 order by label name', () => {
    // A model whose output order differs from the CSV's: sad first, angry last.
    const labels = ['sad', 'disgust', 'fear', 'happy', 'neutral', 'surprise', 'angry']
    const [first, second] = toFaceRecords(request, response, labels)
    expect(first?.probabilities).toEqual([0.1, 0.1, 0.1, 0.1, 0.1, 0.4, 0.1])
    expect(second?.probabilities[0]).toBe(0.7)
    expect(first?.box).toEqual(request.faces[0]?.box)
    expect(second).toMatchObject({ faceId: 9, frameIndex: 7, modelId: 'm', executionProvider: 'cpu', inferenceMs: 5 })
  })

  it('refuses results that do not line up with the faces', () => {
    const swapped = { ...response, results: [...response.results].reverse() }
    expect(() => toFaceRecords(request, swapped, ['angry', 'disgust', 'fear', 'happy', 'neutral', 'sad', 'surprise'])).toThrow()
  })
})

describe('recordCells', () => {
  it('gives one cell per column', () => {
    const [record] = toFaceRecords(request, response, ['angry', 'disgust', 'fear', 'happy', 'neutral', 'sad', 'surprise'])
    const cells = recordCells(record!, new Date('2026-01-02T03:04:05.678Z'), 1234.56)
    expect(cells).toHaveLength(SESSION_COLUMNS.length)
    expect(cells[0]).toBe('2026-01-02T03:04:05.678Z')
    expect(cells[1]).toBe(1234.6)
  })
})

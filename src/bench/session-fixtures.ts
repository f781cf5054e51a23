/**
 * Session logs as the app writes them, made fast for the session-library bench and the scale test:
 * an hour of a full 3x3 gallery (9 faces, 10 labels a second each: 324,000 rows, about 53 MB) and
 * many short sessions, written straight to CSV with the app's own row format and no index beside
 * them, as an older version or a crash leaves them.
 */
import { createWriteStream } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { once } from 'node:events'
import { argmax } from '../shared/box-math'
import { EMOTIONS } from '../shared/emotions'
import { EmotionSmoother } from '../shared/emotion-smoother'
import { csvRow } from '../main/sessions/csv'
import { recordCells, SESSION_COLUMNS, type FaceRecord } from '../main/sessions/session-rows'
import { mulberry32 } from './dataset'

/** What a made-up session looks like. */
export interface FixtureSession {
  id: string
  faces: number
  /** Labels a second per face. */
  rate: number
  seconds: number
}

/** The hour of a 3x3 gallery the issue measures: 324,000 rows. */
export const HOUR_3X3: FixtureSession = { id: '20261201-090000-a0b1c2', faces: 9, rate: 10, seconds: 3600 }

/** The rows of a session, in time order: each face drifts between emotions that last a few seconds. */
export function* fixtureRows(session: FixtureSession, seed = 1): Generator<string> {
  // Seeded, so every run writes the same files.
  const rnd = mulberry32(seed)
  const smoother = new EmotionSmoother(300)
  const mood = Array.from({ length: session.faces }, () => Math.floor(rnd() * EMOTIONS.length))
  const start = Date.parse(`${session.id.slice(0, 4)}-${session.id.slice(4, 6)}-${session.id.slice(6, 8)}T${session.id.slice(9, 11)}:${session.id.slice(11, 13)}:${session.id.slice(13, 15)}Z`)
  const stepMs = 1000 / session.rate
  const frames = Math.round(session.seconds * session.rate)
  for (let frame = 0; frame < frames; frame++) {
    const t = frame * stepMs
    for (let face = 0; face < session.faces; face++) {
      if (rnd() < 0.01) mood[face] = Math.floor(rnd() * EMOTIONS.length)
      const raw = EMOTIONS.map((_, i) => (i === mood[face] ? 3 : 0) + rnd())
      const sum = raw.reduce((a, b) => a + b, 0)
      const probabilities = raw.map((p) => p / sum)
      const top = argmax(probabilities)
      const record: FaceRecord = {
        frameIndex: frame,
        faceId: face + 1,
        box: { x: 40 + (face % 3) * 420, y: 30 + Math.floor(face / 3) * 236, width: 96, height: 96 },
        modelId: 'ensemble-faces',
        executionProvider: 'cpu',
        label: EMOTIONS[top] ?? 'neutral',
        confidence: probabilities[top] ?? 0,
        probabilities,
        inferenceMs: 2.5,
        smoothedLabel: EMOTIONS[smoother.update(face + 1, probabilities, t).top]
      }
      yield csvRow(recordCells(record, new Date(start + t), t, 'screen: Zoom Meeting'))
    }
  }
}

/** Writes <dir>/<id>.csv for the session (no index beside it); answers its path. */
export async function writeFixtureSession(dir: string, session: FixtureSession, seed = 1): Promise<string> {
  await mkdir(dir, { recursive: true })
  const path = join(dir, `${session.id}.csv`)
  const out = createWriteStream(path)
  let chunk = csvRow(SESSION_COLUMNS)
  for (const row of fixtureRows(session, seed)) {
    chunk += row
    if (chunk.length >= 1 << 20) {
      if (!out.write(chunk)) await once(out, 'drain')
      chunk = ''
    }
  }
  out.end(chunk)
  await once(out, 'finish')
  return path
}

/** Writes `count` short sessions (3 faces, 2 labels a second, 20 s: 120 rows each); answers their ids. */
export async function writeShortSessions(dir: string, count: number): Promise<string[]> {
  await mkdir(dir, { recursive: true })
  const ids: string[] = []
  for (let i = 0; i < count; i++) {
    const day = String(1 + (i % 28)).padStart(2, '0')
    const minute = String(Math.floor(i / 28) % 60).padStart(2, '0')
    const id = `202611${day}-10${minute}00-${i.toString(16).padStart(6, '0')}`
    const session: FixtureSession = { id, faces: 3, rate: 2, seconds: 20 }
    await writeFile(join(dir, `${id}.csv`), csvRow(SESSION_COLUMNS) + [...fixtureRows(session, i + 2)].join(''))
    ids.push(id)
  }
  return ids
}

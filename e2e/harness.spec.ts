import { createApi } from '../src/preload/api'
import { CONTENT_SECURITY_POLICY } from '../src/shared/csp'
import { expect, test } from './harness/fixtures'

/**
 * The harness's own guarantees, checked so that the webcam suite's green means something: the page
 * gets the production CSP, requests leaving the local server are blocked and fail the test, page
 * and console errors fail the test, crops cross the bridge as real Uint8Arrays, and events from
 * main reach window.api subscribers. Each case removes the problem it provoked on purpose, so the
 * fixture's final check still fails on anything else.
 */
test.describe('e2e harness', () => {
  /** Takes the problems matching `pattern` out of the list and answers how many there were. */
  const takeProblems = (problems: string[], pattern: RegExp): number => {
    const matching = problems.filter((p) => pattern.test(p))
    problems.splice(0, problems.length, ...problems.filter((p) => !pattern.test(p)))
    return matching.length
  }

  test('serves the renderer with the production CSP and exposes window.api as createApi builds it', async ({ app }) => {
    const response = await app.page.request.get(`${app.origin}/`)
    expect(response.headers()['content-security-policy']).toBe(CONTENT_SECURITY_POLICY)
    const surface = await app.page.evaluate(() => ({
      api: Object.keys(window.api).sort(),
      frozen: Object.isFrozen(window.api),
      node: typeof (globalThis as { process?: unknown }).process,
      require: typeof (globalThis as { require?: unknown }).require
    }))
    // The same method names the app's preload exposes, because both come from the one createApi.
    const unused = (): never => {
      throw new Error('not called')
    }
    const expected = Object.keys(createApi(unused, unused)).sort()
    expect(expected).toEqual(expect.arrayContaining(['classifyFaces', 'exportSession', 'listModels', 'onSessionError', 'startSession', 'stopSession']))
    expect(surface).toEqual({
      api: expected,
      frozen: true,
      node: 'undefined',
      require: 'undefined'
    })
  })

  test('a request that leaves the local server is blocked and recorded', async ({ app }) => {
    // The app's CSP already refuses off-origin fetches; a second page of the same context shows the route guard underneath it.
    const refused = await app.page.evaluate(() => fetch('https://example.com/').then(() => 'fetched', (e: unknown) => String(e)))
    expect(refused).toContain('Failed to fetch')
    expect(takeProblems(app.guards.problems, /console error: .*(Content Security Policy|Failed to fetch)/)).toBeGreaterThan(0)
    const other = await app.page.context().newPage()
    await expect(other.goto('http://192.0.2.1/')).rejects.toThrow()
    await other.close()
    expect(takeProblems(app.guards.problems, /network request outside the app: GET http:\/\/192\.0\.2\.1\//)).toBeGreaterThan(0)
  })

  test('page errors and console errors are recorded', async ({ app }) => {
    await app.page.evaluate(() => {
      console.error('harness self-check: console error')
      setTimeout(() => {
        throw new Error('harness self-check: page error')
      })
    })
    await expect.poll(() => app.guards.problems.filter((p) => p.includes('harness self-check')).length).toBe(2)
    expect(takeProblems(app.guards.problems, /harness self-check/)).toBe(2)
  })

  test('crops cross the bridge as Uint8Array and reach the real inference service', async ({ app }) => {
    const answer = await app.page.evaluate(async () => {
      const [model] = await window.api.listModels()
      if (!model) return { error: 'window.api.listModels() returned no model: resources/models holds none' }
      const face = (pixels: Uint8Array) => ({
        faceId: 1,
        box: { x: 10, y: 10, width: 100, height: 100 },
        width: model.inputWidth,
        height: model.inputHeight,
        pixels
      })
      const size = model.inputWidth * model.inputHeight
      const ok = await window.api.classifyFaces({ modelId: model.id, frameIndex: 0, faces: [face(new Uint8Array(size).fill(128))] })
      // A plain array is what a serialiser that dropped typed arrays would deliver: main must refuse it.
      const refused = await window.api
        .classifyFaces({ modelId: model.id, frameIndex: 1, faces: [face(Array.from({ length: size }, () => 128) as unknown as Uint8Array)] })
        .then(() => 'accepted', (e: unknown) => String(e))
      return { ok, refused, labels: model.labels }
    })
    if ('error' in answer) throw new Error(answer.error)
    expect(answer.ok.results).toHaveLength(1)
    const probabilities = answer.ok.results[0]!.probabilities
    expect(probabilities).toHaveLength(answer.labels.length)
    expect(probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4)
    expect(answer.refused).toMatch(/invalid-argument/)
    // The bridge names the transport fault too; that one was provoked here on purpose.
    expect(takeProblems(app.main.problems, /arrived as \[object Array\], not Uint8Array/)).toBe(1)
    expect(app.main.calls.map((c) => [c.channel, c.ok])).toEqual(
      expect.arrayContaining([
        ['inference:classify', true],
        ['inference:classify', false]
      ])
    )
  })

  test('events from main reach window.api subscribers until they unsubscribe', async ({ app }) => {
    await app.page.evaluate(() => {
      const seen: string[] = []
      ;(window as unknown as { seen: string[] }).seen = seen
      const off = window.api.onSessionError(({ sessionId }) => {
        seen.push(sessionId)
        off()
      })
    })
    app.main.emit('session:error', { sessionId: 'harness-self-check', message: 'harness self-check event' })
    app.main.emit('session:error', { sessionId: 'harness-self-check-2', message: 'harness self-check event' })
    await expect.poll(() => app.page.evaluate(() => (window as unknown as { seen: string[] }).seen)).toEqual(['harness-self-check'])
    // The app's own subscriber reports the error in its banner (and the console): expected here.
    takeProblems(app.guards.problems, /harness self-check event/)
  })
})

import { EventEmitter } from 'node:events'
import { mkdtemp } from 'node:fs/promises'
import os from 'node:os'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { describe, expect, it, vi } from 'vitest'
import { runBenchProcess } from '../../../src/main/bench/bench-runner'
import type { SpeedJob } from '../../../src/shared/speed-job'
import type { ParentPortLike } from '../../../src/bench/utility-port'
import { CLI_EXIT, RUN_WORKER, WORKER_EXIT, WORKER_RESULT, type WorkerExitMessage } from '../../../src/shared/bench-protocol'
import { parentPortWorkerLauncher, runSpeedJob } from '../../../src/bench/worker-process'
import { utilityBenchLauncher, type ForkUtility, type UtilityChild } from '../../../src/main/bench/bench-utility'

/**
 * A stand-in for Electron's UtilityProcess with its quirks: stdout and stderr stop delivering at
 * exit, kill() ends it asynchronously, and messages go both ways. No pid, so the launcher's
 * SIGKILL fallback can never reach a real process.
 */
class FakeUtility extends EventEmitter implements UtilityChild {
  readonly pid = undefined
  stdout: PassThrough | null = new PassThrough()
  stderr: PassThrough | null = new PassThrough()
  readonly sent: unknown[] = []
  kills = 0
  exited = false

  constructor(
    readonly modulePath: string,
    readonly args: string[]
  ) {
    super()
  }

  postMessage(message: unknown): void {
    this.sent.push(message)
  }

  kill(): boolean {
    this.kills++
    setImmediate(() => this.exit(143))
    return true
  }

  /** Ends the process as Electron reports it: 'exit', then its streams are gone. */
  exit(code: number): void {
    if (this.exited) return
    this.exited = true
    this.emit('exit', code)
    this.stdout?.removeAllListeners()
    this.stderr?.removeAllListeners()
    this.stdout = null
    this.stderr = null
  }

  /** A message from the child, as process.parentPort.postMessage delivers it to main. */
  say(message: unknown): void {
    this.emit('message', message)
  }
}

function fakeFork() {
  const children: FakeUtility[] = []
  const fork = vi.fn<ForkUtility>((modulePath, args) => {
    const child = new FakeUtility(modulePath, args)
    children.push(child)
    return child
  })
  return { fork, children }
}

const BENCH = { cli: '/app/out/bench/cli.mjs', worker: '/app/out/bench/speed-worker.mjs' }
const JOB: SpeedJob = { kind: 'face-api', facePaths: ['/faces/a.png'], batchSizes: [1], warmup: 0, iterations: 1 }
const OK_RESULT = { ok: true as const, loadMs: 12, batches: [], peakRssMb: 80 }

/** Waits for the event loop to deliver pending callbacks (setImmediate kills, promise continuations). */
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 5))

describe('utilityBenchLauncher: the built bench as utility processes', () => {
  it('forks the CLI with its arguments and piped output, and ends it once it reports success', async () => {
    const { fork, children } = fakeFork()
    const bench = utilityBenchLauncher(BENCH, { fork })(['--quick', '--progress', 'json'])
    const cli = children[0] as FakeUtility
    expect(fork).toHaveBeenCalledWith(BENCH.cli, ['--quick', '--progress', 'json'], expect.objectContaining({ stdio: 'pipe' }))
    cli.say({ type: CLI_EXIT, code: 0 })
    await expect(bench.exited).resolves.toMatchObject({ code: 0, signal: null })
    expect(cli.kills).toBe(1)
  })

  it("passes a failed run's own message on, though Electron drops its stderr at exit", async () => {
    const { fork, children } = fakeFork()
    const bench = utilityBenchLauncher(BENCH, { fork })([])
    children[0]?.say({ type: CLI_EXIT, code: 1, error: 'bench: FER2013 split folder /x/val does not exist' })
    await expect(bench.exited).resolves.toEqual({ code: 1, signal: null, stderr: 'bench: FER2013 split folder /x/val does not exist' })
  })

  it('counts an exit without a report as a failure, even with exit code 0, keeping what stderr said', async () => {
    const { fork, children } = fakeFork()
    const bench = utilityBenchLauncher(BENCH, { fork })([])
    const cli = children[0] as FakeUtility
    cli.stderr?.write('bench: Error: out of memory\n')
    await settle()
    cli.exit(0)
    const exit = await bench.exited
    expect(exit.code).toBeNull()
    expect(exit.stderr).toMatch(/without reporting a result/)
    expect(exit.stderr.trim().split('\n').pop()).toBe('bench: Error: out of memory')
  })

  it('forks a speed worker for each request, answers with its result and ends it', async () => {
    const { fork, children } = fakeFork()
    void utilityBenchLauncher(BENCH, { fork })([])
    const cli = children[0] as FakeUtility
    cli.say({ type: RUN_WORKER, id: 7, job: JOB, timeoutMs: 60_000 })
    const worker = children[1] as FakeUtility
    expect(worker.modulePath).toBe(BENCH.worker)
    expect(worker.args).toEqual([JSON.stringify(JOB)])
    worker.say({ type: WORKER_RESULT, result: OK_RESULT })
    await settle()
    expect(cli.sent).toEqual([{ type: WORKER_EXIT, id: 7, exit: expect.objectContaining({ result: OK_RESULT, timedOut: false }) }])
    expect(worker.kills).toBe(1)
  })

  it("answers a worker that dies without a result with its exit code and stderr", async () => {
    const { fork, children } = fakeFork()
    void utilityBenchLauncher(BENCH, { fork })([])
    const cli = children[0] as FakeUtility
    cli.say({ type: RUN_WORKER, id: 1, job: JOB, timeoutMs: 60_000 })
    const worker = children[1] as FakeUtility
    worker.stderr?.write('libcuda.so.1: cannot open shared object file\n')
    await settle()
    worker.exit(134)
    await settle()
    const [answer] = cli.sent as WorkerExitMessage[]
    expect(answer?.exit).toEqual({ stdout: '', stderr: 'libcuda.so.1: cannot open shared object file\n', code: 134, signal: null, timedOut: false })
  })

  it('ends a worker at its time limit and says it timed out', async () => {
    const { fork, children } = fakeFork()
    void utilityBenchLauncher(BENCH, { fork })([])
    const cli = children[0] as FakeUtility
    cli.say({ type: RUN_WORKER, id: 2, job: JOB, timeoutMs: 20 })
    const worker = children[1] as FakeUtility
    await vi.waitFor(() => expect(cli.sent).toHaveLength(1))
    expect(worker.kills).toBe(1)
    expect((cli.sent[0] as WorkerExitMessage).exit.timedOut).toBe(true)
  })

  it('answers a worker that cannot be forked with the reason', async () => {
    const { fork, children } = fakeFork()
    void utilityBenchLauncher(BENCH, { fork })([])
    const cli = children[0] as FakeUtility
    fork.mockImplementationOnce(() => {
      throw new Error('utility process limit reached')
    })
    cli.say({ type: RUN_WORKER, id: 3, job: JOB, timeoutMs: 1000 })
    await settle()
    expect((cli.sent[0] as WorkerExitMessage).exit.startError).toBe('utility process limit reached')
  })

  it.each([
    ['an unknown job kind', { type: RUN_WORKER, id: 1, job: { kind: 'shell', command: 'rm -rf /' }, timeoutMs: 1000 }],
    ['no id', { type: RUN_WORKER, job: JOB, timeoutMs: 1000 }],
    ['an endless time limit', { type: RUN_WORKER, id: 1, job: JOB, timeoutMs: Infinity }],
    ['an unknown type', { type: 'bench:spawn', command: '/bin/sh' }],
    ['a string', 'bench:run-worker']
  ])('forks nothing for a malformed request (%s)', async (_name, message) => {
    const { fork, children } = fakeFork()
    const log = vi.fn()
    void utilityBenchLauncher(BENCH, { fork, log })([])
    children[0]?.say(message)
    await settle()
    expect(fork).toHaveBeenCalledTimes(1)
    expect(log).toHaveBeenCalledWith(expect.stringContaining('ignored a message'))
  })

  it('ends running workers when the CLI goes away', async () => {
    const { fork, children } = fakeFork()
    const bench = utilityBenchLauncher(BENCH, { fork })([])
    const cli = children[0] as FakeUtility
    cli.say({ type: RUN_WORKER, id: 1, job: JOB, timeoutMs: 60_000 })
    cli.exit(1)
    await bench.exited
    expect(children[1]?.kills).toBe(1)
  })

  it('ends the CLI when the run is aborted', async () => {
    const { fork, children } = fakeFork()
    const abort = new AbortController()
    const bench = utilityBenchLauncher(BENCH, { fork })([], abort.signal)
    abort.abort()
    await expect(bench.exited).resolves.toMatchObject({ code: null, signal: 'SIGTERM' })
    expect(children[0]?.kills).toBe(1)
  })

  it('drives runBenchProcess: progress lines from stdout, the outcome from the report message', async () => {
    const { fork, children } = fakeFork()
    const out = await mkdtemp(join(os.tmpdir(), 'bench-utility-'))
    const steps: unknown[] = []
    const run = runBenchProcess({ quick: true }, out, (p) => steps.push(p), { launch: utilityBenchLauncher(BENCH, { fork }), extraArgs: ['--skip', 'accuracy'] })
    const cli = children[0] as FakeUtility
    expect(cli.args).toEqual(['--quick', '--progress', 'json', '--out', out, '--skip', 'accuracy'])
    cli.stdout?.write('BENCH_PROGRESS {"phase":"speed per provider","done":1,"total":9}\n')
    await settle()
    cli.say({ type: CLI_EXIT, code: 1, error: 'bench: no space left on device' })
    await expect(run).rejects.toThrow('benchmark failed (exit code 1): bench: no space left on device')
    expect(steps).toEqual([{ phase: 'speed per provider', done: 1, total: 9 }])
  })
})

/** Two ends of an in-memory parent port: the CLI's process.parentPort and main's view of the CLI. */
function connectedPort(cli: FakeUtility): ParentPortLike {
  const port = new EventEmitter()
  // main → CLI: what main posts to the child arrives as a MessageEvent on the child's parent port.
  cli.postMessage = (message: unknown) => void setImmediate(() => port.emit('message', { data: message }))
  return Object.assign(port, { postMessage: (message: unknown) => setImmediate(() => cli.say(message)) }) as unknown as ParentPortLike
}

describe('a speed job through the parent port (the CLI inside a utility process)', () => {
  it('asks main for the worker and returns the result the worker sent', async () => {
    const { fork, children } = fakeFork()
    void utilityBenchLauncher(BENCH, { fork })([])
    const port = connectedPort(children[0] as FakeUtility)
    const result = runSpeedJob(JOB, 60_000, parentPortWorkerLauncher(port))
    await vi.waitFor(() => expect(children).toHaveLength(2))
    children[1]?.say({ type: WORKER_RESULT, result: OK_RESULT })
    await expect(result).resolves.toEqual(OK_RESULT)
  })

  it('reports a worker that timed out in main as timed out', async () => {
    const { fork, children } = fakeFork()
    void utilityBenchLauncher(BENCH, { fork })([])
    const port = connectedPort(children[0] as FakeUtility)
    await expect(runSpeedJob(JOB, 20, parentPortWorkerLauncher(port))).resolves.toEqual({ ok: false, error: expect.stringMatching(/^worker timed out after 20 ms/) })
  })

  it('keeps concurrent requests apart by id', async () => {
    const { fork, children } = fakeFork()
    void utilityBenchLauncher(BENCH, { fork })([])
    const port = connectedPort(children[0] as FakeUtility)
    const launch = parentPortWorkerLauncher(port)
    const first = runSpeedJob(JOB, 60_000, launch)
    const second = runSpeedJob({ ...JOB, iterations: 2 }, 60_000, launch)
    await vi.waitFor(() => expect(children).toHaveLength(3))
    children[2]?.say({ type: WORKER_RESULT, result: { ...OK_RESULT, loadMs: 2 } })
    children[1]?.exit(1)
    await expect(second).resolves.toMatchObject({ ok: true, loadMs: 2 })
    await expect(first).resolves.toEqual({ ok: false, error: 'worker exit code 1' })
  })
})

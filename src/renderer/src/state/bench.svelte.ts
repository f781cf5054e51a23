import type { BenchChart, BenchProgressEvent, BenchReport, BenchRunRequest } from '../../../shared/bench-report'
import { errorMessage } from '../lib/error-message'

class BenchRun {
  report = $state.raw<BenchReport | null>(null)
  charts = $state.raw<BenchChart[]>([])
  progress = $state.raw<BenchProgressEvent | null>(null)
  running = $state(false)
  error = $state<string | null>(null)

  /** Runs a benchmark in main and keeps its report; a failure shows in the Compare view, the last report stays. */
  async run(request: BenchRunRequest): Promise<void> {
    if (this.running) return
    this.running = true
    this.error = null
    this.progress = null
    try {
      const result = await window.api.runBench(request)
      this.report = result.report
      this.charts = result.charts
    } catch (error) {
      this.error = errorMessage(error)
    } finally {
      this.running = false
      this.progress = null
    }
  }

  /** Keeps the latest 'bench:progress' step while a run is in flight. */
  onProgress(progress: BenchProgressEvent): void {
    if (this.running) this.progress = progress
  }
}

/** The Compare view's benchmark state. */
export const bench = new BenchRun()

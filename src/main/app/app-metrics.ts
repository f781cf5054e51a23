import type { AppCpuUsage } from '../../shared/ipc'

/** The part of Electron's ProcessMetric this module reads. */
export interface ProcessCpu {
  type: string
  cpu: { percentCPUUsage: number }
}

/**
 * The app's CPU use from app.getAppMetrics(): each process's percentCPUUsage is its use since the
 * previous call, in percent of one core, so polling once a second gives the last second's cost.
 */
export function appCpuUsage(metrics: readonly ProcessCpu[], cores: number): AppCpuUsage {
  const processes = metrics.map((m) => ({ type: m.type, percent: Number.isFinite(m.cpu.percentCPUUsage) ? Math.max(0, m.cpu.percentCPUUsage) : 0 }))
  return { totalPercent: processes.reduce((sum, p) => sum + p.percent, 0), processes, cores: Math.max(1, cores) }
}

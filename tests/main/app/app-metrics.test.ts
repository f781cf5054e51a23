import { describe, expect, it } from 'vitest'
import { appCpuUsage } from '../../../src/main/app/app-metrics'

describe('appCpuUsage', () => {
  it('sums the processes in percent of one core and keeps each one', () => {
    const usage = appCpuUsage(
      [
        { type: 'Browser', cpu: { percentCPUUsage: 12.5 } },
        { type: 'Tab', cpu: { percentCPUUsage: 140 } },
        { type: 'GPU', cpu: { percentCPUUsage: 3 } }
      ],
      2
    )
    expect(usage.totalPercent).toBeCloseTo(155.5)
    expect(usage.processes).toEqual([
      { type: 'Browser', percent: 12.5 },
      { type: 'Tab', percent: 140 },
      { type: 'GPU', percent: 3 }
    ])
    expect(usage.cores).toBe(2)
  })

  it('reads a missing or negative figure as zero', () => {
    const usage = appCpuUsage([{ type: 'Utility', cpu: { percentCPUUsage: Number.NaN } }, { type: 'Tab', cpu: { percentCPUUsage: -1 } }], 0)
    expect(usage).toEqual({ totalPercent: 0, processes: [{ type: 'Utility', percent: 0 }, { type: 'Tab', percent: 0 }], cores: 1 })
  })
})

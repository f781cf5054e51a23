import { describe, expect, it, vi } from 'vitest'
import { RegionPicker, type RegionSelectorHost } from '../../../src/main/capture/region-picker'

function fakeSelectors() {
  const host: RegionSelectorHost = { openRegionSelectors: vi.fn(), closeRegionSelectors: vi.fn() }
  /** The `onClosed` the picker passed on its nth open. */
  const onClosed = (n: number): (() => void) | undefined => vi.mocked(host.openRegionSelectors).mock.calls[n]?.[0]
  return { host, onClosed }
}

describe('RegionPicker', () => {
  it('opens the selectors and resolves with the submitted rectangle, closing them', async () => {
    const { host } = fakeSelectors()
    const picker = new RegionPicker(host)
    const picked = picker.pick()
    expect(host.openRegionSelectors).toHaveBeenCalledTimes(1)
    picker.submit({ x: 5, y: 6, width: 300, height: 200 })
    await expect(picked).resolves.toEqual({ x: 5, y: 6, width: 300, height: 200 })
    expect(host.closeRegionSelectors).toHaveBeenCalledTimes(1)
  })

  it('answers null for Escape and for a drag too small to be a region', async () => {
    const { host } = fakeSelectors()
    const picker = new RegionPicker(host)
    const escaped = picker.pick()
    picker.submit(null)
    await expect(escaped).resolves.toBeNull()
    const thin = picker.pick()
    picker.submit({ x: 0, y: 0, width: 400, height: 7 })
    await expect(thin).resolves.toBeNull()
    const smallest = picker.pick()
    picker.submit({ x: 0, y: 0, width: 8, height: 8 })
    await expect(smallest).resolves.toEqual({ x: 0, y: 0, width: 8, height: 8 })
  })

  it('cancels the pick when a selector window closes without an answer', async () => {
    const { host, onClosed } = fakeSelectors()
    const picker = new RegionPicker(host)
    const picked = picker.pick()
    onClosed(0)?.()
    await expect(picked).resolves.toBeNull()
    expect(host.closeRegionSelectors).toHaveBeenCalledTimes(1)
  })

  it('cancels an older pick when a new one starts, and a late close of the old selectors leaves the new pick alone', async () => {
    const { host, onClosed } = fakeSelectors()
    const picker = new RegionPicker(host)
    const first = picker.pick()
    const second = picker.pick()
    await expect(first).resolves.toBeNull()
    onClosed(0)?.()
    expect(host.closeRegionSelectors).not.toHaveBeenCalled()
    picker.submit({ x: 1, y: 2, width: 30, height: 40 })
    await expect(second).resolves.toEqual({ x: 1, y: 2, width: 30, height: 40 })
  })

  it('closes the selectors even when an answer arrives with no pick pending', () => {
    const { host } = fakeSelectors()
    new RegionPicker(host).submit({ x: 0, y: 0, width: 100, height: 100 })
    expect(host.closeRegionSelectors).toHaveBeenCalledTimes(1)
  })
})

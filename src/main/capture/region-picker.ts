/**
 * The one region pick in progress: opens the selector windows, answers the dragged rectangle or null,
 * and never leaves a pick hanging (a newer pick, Escape, or a selector window closed by the user all end it).
 */
import type { Box } from '../../shared/ipc'

/** The selector windows, as the picker drives them. */
export interface RegionSelectorHost {
  /** Opens one selector per display; `onClosed` runs when the user closes one without answering. */
  openRegionSelectors(onClosed: () => void): void
  closeRegionSelectors(): void
}

/** Smaller drags are slips of the mouse (a click), not regions worth analysing. */
const MIN_REGION_SIDE = 8

/** Owns the pending region pick. */
export class RegionPicker {
  private resolvePending: ((rect: Box | null) => void) | null = null

  constructor(private readonly host: RegionSelectorHost) {}

  /** Opens the region selectors and resolves with the dragged region (desktop DIP), or null when cancelled. */
  pick(): Promise<Box | null> {
    // Only one pick at a time: the older one ends as cancelled instead of waiting forever.
    this.resolvePending?.(null)
    return new Promise((resolve) => {
      this.resolvePending = resolve
      const cancel = (): void => {
        // Only this pick: a later pick() has its own resolve.
        if (this.resolvePending === resolve) this.submit(null)
      }
      this.host.openRegionSelectors(cancel)
    })
  }

  /** A selector page's answer: a rectangle in desktop DIP, or null (Escape). */
  submit(rect: Box | null): void {
    const resolve = this.resolvePending
    this.resolvePending = null
    this.host.closeRegionSelectors()
    resolve?.(rect && rect.width >= MIN_REGION_SIDE && rect.height >= MIN_REGION_SIDE ? rect : null)
  }
}

import { isNoDesktopError, type ConsentState } from '../../../shared/ipc'
import { errors } from './errors.svelte'

class ConsentGate {
  state = $state.raw<ConsentState | null>(null)
  /** True until the user acknowledges the first-run notice; analysis cannot start meanwhile. */
  mustAsk = $derived(this.state !== null && !this.state.acknowledged)

  /** Reads the stored acknowledgement from main (userData/consent.json). */
  async load(): Promise<void> {
    try {
      this.state = await window.api.getConsent()
    } catch (error) {
      // The webcam e2e harness has no desktop services and so no consent store; the app always has one.
      if (!isNoDesktopError(error)) errors.report('Consent notice', error)
    }
  }

  /** Records the acknowledgement once; it is not asked again (until the notice's text changes). */
  async acknowledge(): Promise<void> {
    try {
      this.state = await window.api.acknowledgeConsent()
    } catch (error) {
      errors.report('Consent notice', error)
    }
  }
}

/** The first-run consent notice's state. */
export const consent = new ConsentGate()

import type { SourceChoice } from '../../../shared/ipc'
import { SOURCE_PROVIDERS, type CaptureSource } from '../lib/capture-sources'
import { errors } from './errors.svelte'

class SourceState {
  list = $state<CaptureSource[]>([])
  selectedId = $state<string | null>(null)
  loading = $state(false)
  /** The kind of source to fall back to when the selected one is gone (the last run's, from the saved settings). */
  private preferredKind: SourceChoice['kind'] | null = null
  /** The selected source, or null. */
  selected = $derived(this.list.find((s) => s.id === this.selectedId) ?? null)

  /** Lists the sources of every provider; one provider failing does not hide the others. */
  async refresh(): Promise<void> {
    this.loading = true
    const found: CaptureSource[] = []
    for (const provider of SOURCE_PROVIDERS) {
      try {
        for (const source of await provider.list()) found.push(source)
      } catch (error) {
        errors.report(`List ${provider.kind} sources`, error)
      }
    }
    this.list = found
    if (!found.some((s) => s.id === this.selectedId)) this.selectedId = found.find((s) => s.kind === this.preferredKind)?.id ?? found[0]?.id ?? null
    this.loading = false
  }

  /** Selects the last run's source at the next refresh while it still exists, else the first of its kind. */
  prefer(choice: SourceChoice): void {
    this.selectedId = choice.id
    this.preferredKind = choice.kind
  }
}

/** The capture sources the user can pick from. */
export const sources = new SourceState()

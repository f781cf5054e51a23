import { defaultModelId } from '../../../shared/default-model'
import type { ModelInfo } from '../../../shared/ipc'
import { errors } from './errors.svelte'

class ModelState {
  list = $state<ModelInfo[]>([])
  selectedId = $state<string | null>(null)
  loading = $state(false)
  /** The selected model's card facts, or null when none is selected. */
  selected = $derived(this.list.find((m) => m.id === this.selectedId) ?? null)

  /** Loads the model list from main and keeps the selection when it still exists; otherwise picks the default model. */
  async load(): Promise<void> {
    this.loading = true
    try {
      this.list = await window.api.listModels()
      if (!this.list.some((m) => m.id === this.selectedId)) this.selectedId = defaultModelId(this.list)
    } catch (error) {
      errors.report('List models', error)
    } finally {
      this.loading = false
    }
  }
}

/** The models main discovered and the one in use. */
export const models = new ModelState()

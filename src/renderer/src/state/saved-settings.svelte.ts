import * as v from 'valibot'
import { DetectorSettingsSchema } from '../../../shared/detection/detector-settings'
import { SourceChoiceSchema, VIDEO_FRAME_RATES, type UserSettings } from '../../../shared/ipc'
import { errors } from './errors.svelte'
import { models } from './models.svelte'
import { detectorSettings } from './settings.svelte'
import { sources } from './sources.svelte'
import { video } from './video.svelte'

/**
 * The settings main keeps between runs (src/main/settings): applied to the UI's state once at start,
 * before the model list and the sources are loaded so their saved choices win over the defaults,
 * and sent back whenever they change (App.svelte debounces). Main validates what arrives; values
 * the UI holds but main would refuse (an emptied number field) are left out of a save, not sent.
 */
class SavedSettings {
  /** True once the saved settings were applied; nothing is saved before, so defaults never overwrite them. */
  loaded = $state(false)
  /** Why the settings file could not be used (main set it aside), for the user; null when all is well. */
  notice = $state<string | null>(null)
  private lastSaved = ''

  /** Reads the saved settings from main and applies them. */
  async load(): Promise<void> {
    try {
      const { settings, notice } = await window.api.getSettings()
      this.notice = notice
      if (settings.detector) Object.assign(detectorSettings, settings.detector)
      if (settings.videoFramesPerSecond) video.framesPerSecond = settings.videoFramesPerSecond
      if (settings.modelId) models.selectedId = settings.modelId
      if (settings.source) sources.prefer(settings.source)
      this.lastSaved = JSON.stringify(settings)
    } catch (error) {
      errors.report('Load settings', error)
    } finally {
      this.loaded = true
    }
  }

  /** The settings as the UI has them now (reading it in an effect tracks every one of them). */
  current(): UserSettings {
    const detector = {
      inputSize: detectorSettings.inputSize,
      scoreThreshold: detectorSettings.scoreThreshold,
      minFaceSize: detectorSettings.minFaceSize,
      ...(detectorSettings.tiles === undefined ? {} : { tiles: detectorSettings.tiles })
    }
    const selected = sources.selected
    const source = selected ? { kind: selected.kind, id: selected.id } : null
    const rate = video.framesPerSecond
    return {
      ...(models.selectedId ? { modelId: models.selectedId } : {}),
      ...(source && v.is(SourceChoiceSchema, source) ? { source } : {}),
      ...(v.is(DetectorSettingsSchema, detector) ? { detector } : {}),
      ...((VIDEO_FRAME_RATES as readonly number[]).includes(rate) ? { videoFramesPerSecond: rate as UserSettings['videoFramesPerSecond'] } : {})
    }
  }

  /** Sends the settings to main unless they are what was saved last. */
  async save(settings: UserSettings): Promise<void> {
    const text = JSON.stringify(settings)
    if (text === this.lastSaved) return
    try {
      await window.api.updateSettings(settings)
      this.lastSaved = text
    } catch (error) {
      errors.report('Save settings', error)
    }
  }
}

/** The settings that persist between runs. */
export const savedSettings = new SavedSettings()

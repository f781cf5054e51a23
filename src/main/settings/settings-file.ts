import * as v from 'valibot'
import { UserSettingsSchema, type UserSettings } from '../../shared/ipc'
import { bool, finite } from '../../shared/schema-rules'

/** The settings file's name in the user-data folder; `overlayShortcut` in it predates the rest (src/main/app/shortcuts.ts). */
export const SETTINGS_FILE = 'settings.json'

/** The format this app writes; a file of another version is set aside, never guessed at. */
export const SETTINGS_VERSION = 1

/** The main window's last size and place, in desktop DIP. */
export const WindowStateSchema = v.object({
  x: finite(-100_000, 100_000),
  y: finite(-100_000, 100_000),
  width: finite(1, 100_000),
  height: finite(1, 100_000),
  maximized: v.optional(bool)
})
/** The main window's last size and place, in desktop DIP. */
export type WindowState = v.InferOutput<typeof WindowStateSchema>

/** Everything the file holds: the renderer's settings and what main keeps itself. */
export interface SettingsDocument {
  user: UserSettings
  windowBounds?: WindowState
  overlayVisible?: boolean
  /** Read and checked by src/main/app/shortcuts.ts; kept here as written so a save never drops it. */
  overlayShortcut?: string
}

const USER_KEYS = ['modelId', 'source', 'detector', 'videoFramesPerSecond'] as const

const describe = (issues: readonly v.BaseIssue<unknown>[]): string => {
  const issue = issues[0]
  const path = issue?.path?.map((p) => String(p.key)).join('.')
  return `${path ? `${path} ` : ''}${issue?.message ?? 'is not valid'}`
}

/**
 * Parses the file's text. Throws an Error whose message says, after "the settings file", what is
 * wrong: not JSON, not an object, another version, or the first field that fails its check.
 */
export function parseSettingsFile(text: string): SettingsDocument {
  let raw: unknown
  try {
    // A byte-order mark (Notepad writes one) is not part of the JSON.
    raw = JSON.parse(text.replace(/^\uFEFF/, ''))
  } catch (error) {
    throw new Error(`is not valid JSON (${(error as Error).message})`)
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error('is not a JSON object')
  const record = raw as Record<string, unknown>
  if (record.version !== undefined && record.version !== SETTINGS_VERSION)
    throw new Error(`has version ${JSON.stringify(record.version)}, this app reads version ${SETTINGS_VERSION}`)
  const userPart = Object.fromEntries(USER_KEYS.filter((k) => record[k] !== undefined).map((k) => [k, record[k]]))
  const user = v.safeParse(UserSettingsSchema, userPart, { abortEarly: true })
  if (!user.success) throw new Error(`has ${describe(user.issues)}`)
  const document: SettingsDocument = { user: user.output }
  if (record.windowBounds !== undefined) {
    const bounds = v.safeParse(WindowStateSchema, record.windowBounds, { abortEarly: true })
    if (!bounds.success) throw new Error(`has windowBounds.${describe(bounds.issues)}`)
    document.windowBounds = bounds.output
  }
  if (record.overlayVisible !== undefined) {
    if (typeof record.overlayVisible !== 'boolean') throw new Error('has overlayVisible that is not true or false')
    document.overlayVisible = record.overlayVisible
  }
  if (typeof record.overlayShortcut === 'string') document.overlayShortcut = record.overlayShortcut
  return document
}

/** The file's text for a document: the version first, then the settings, readable by hand. */
export function serializeSettings(document: SettingsDocument): string {
  const { user, ...mainOwned } = document
  return `${JSON.stringify({ version: SETTINGS_VERSION, ...user, ...mainOwned }, null, 2)}\n`
}

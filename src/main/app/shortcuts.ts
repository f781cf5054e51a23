import { readFile } from 'node:fs/promises'
import { describeError } from './app-error'

/** The overlay show/hide shortcut unless the user's settings name another. */
export const DEFAULT_OVERLAY_SHORTCUT = 'CommandOrControl+Shift+E'

// Electron accelerators: modifiers and one key joined by '+', e.g. "Alt+Shift+O" or "F9".
const ACCELERATOR_PATTERN = /^((CommandOrControl|CmdOrCtrl|Command|Cmd|Control|Ctrl|Alt|Option|AltGr|Shift|Super|Meta)\+)*[A-Za-z0-9]{1,3}$|^((CommandOrControl|CmdOrCtrl|Command|Cmd|Control|Ctrl|Alt|Option|AltGr|Shift|Super|Meta)\+)*(F[1-9]|F1[0-9]|F2[0-4]|Space|Tab|Backspace|Delete|Insert|Home|End|PageUp|PageDown|Up|Down|Left|Right|Escape)$/

/** True for an accelerator string of the shape Electron accepts. */
export function isAccelerator(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 64 && ACCELERATOR_PATTERN.test(value)
}

/**
 * The overlay shortcut from `<userData>/settings.json` ({"overlayShortcut": "Alt+Shift+O"}), or the
 * default when the file, the key or its value is missing or malformed. A byte-order mark (Notepad
 * writes one) is skipped; a file that exists but cannot be used is logged, so the user learns why.
 */
export async function readOverlayShortcut(settingsPath: string, log: (message: string) => void = console.log): Promise<string> {
  let text: string
  try {
    text = await readFile(settingsPath, 'utf8')
  } catch (error) {
    // No settings file yet: the default applies without a word.
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') log(`[settings] cannot read ${settingsPath}: ${describeError(error)}; using ${DEFAULT_OVERLAY_SHORTCUT}`)
    return DEFAULT_OVERLAY_SHORTCUT
  }
  let settings: unknown
  try {
    settings = JSON.parse(text.replace(/^\uFEFF/, ''))
  } catch (error) {
    log(`[settings] ${settingsPath} is not valid JSON (${describeError(error)}); using ${DEFAULT_OVERLAY_SHORTCUT}`)
    return DEFAULT_OVERLAY_SHORTCUT
  }
  const value = typeof settings === 'object' && settings !== null ? (settings as { overlayShortcut?: unknown }).overlayShortcut : undefined
  if (value === undefined) return DEFAULT_OVERLAY_SHORTCUT
  if (isAccelerator(value)) return value
  log(`[settings] overlayShortcut in ${settingsPath} is not a shortcut Electron accepts (such as "Alt+Shift+O"); using ${DEFAULT_OVERLAY_SHORTCUT}`)
  return DEFAULT_OVERLAY_SHORTCUT
}

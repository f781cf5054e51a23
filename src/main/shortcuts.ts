import { readFile } from 'node:fs/promises'

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
 * default when the file, the key or its value is missing or malformed.
 */
export async function readOverlayShortcut(settingsPath: string): Promise<string> {
  try {
    const settings = JSON.parse(await readFile(settingsPath, 'utf8')) as { overlayShortcut?: unknown }
    if (isAccelerator(settings.overlayShortcut)) return settings.overlayShortcut
  } catch {
    // No settings file yet: the default applies.
  }
  return DEFAULT_OVERLAY_SHORTCUT
}

/**
 * Reads other applications' window bounds through get-windows (an optional dependency, imported
 * lazily). Linux: X11 only, via xprop and xwininfo; macOS: its bundled helper, which needs the
 * screen-recording permission for titles; Windows: its native addon, which npm installs only where
 * the package's install script is allowed to fetch or build it. Anything missing surfaces as an
 * error, and the UI then offers region mode.
 */
import type { Box, DesktopSource } from '../../shared/ipc'

interface GetWindowsResult {
  id: number
  title: string | null
  bounds: { x: number; y: number; width: number; height: number }
}

type OpenWindows = () => Promise<GetWindowsResult[] | undefined>

let loaded: Promise<OpenWindows> | null = null

async function load(): Promise<OpenWindows> {
  // A variable specifier keeps bundlers from inlining an optional, ESM-only, platform-specific package.
  const name = 'get-windows'
  const module = (await import(/* @vite-ignore */ name)) as { openWindows: OpenWindows }
  return module.openWindows
}

/** The native id inside a desktopCapturer window id ("window:<id>:0"), or null. */
export function nativeWindowId(sourceId: string): number | null {
  const m = /^window:(\d+):/.exec(sourceId)
  return m ? Number(m[1]) : null
}

/** True where reading other windows' bounds cannot work at all (a Wayland session). */
export function isWayland(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.XDG_SESSION_TYPE === 'wayland' || (Boolean(env.WAYLAND_DISPLAY) && !env.DISPLAY)
}

/**
 * The current bounds (in the reader's units: physical pixels on Linux and Windows, points on macOS)
 * of the window a desktopCapturer source shows; undefined when it is not listed; throws when no
 * bounds can be read here.
 */
export async function readWindowBounds(source: Pick<DesktopSource, 'id' | 'name'>): Promise<Box | undefined> {
  if (process.platform === 'linux' && isWayland()) throw new Error('Wayland does not let applications read other windows’ positions')
  loaded ??= load().catch((error: unknown) => {
    loaded = null
    throw new Error(`the get-windows library is not available (${error instanceof Error ? error.message : String(error)})`)
  })
  const openWindows = await loaded
  const windows = await openWindows()
  // get-windows answers undefined on X11 without an EWMH window manager (no _NET_CLIENT_LIST).
  if (!Array.isArray(windows)) throw new Error('the window manager does not publish a window list')
  const id = nativeWindowId(source.id)
  // Ids match on X11, Windows and macOS; the title is the fallback where a toolkit reports a leader window.
  const match = windows.find((w) => w.id === id) ?? windows.find((w) => w.title === source.name)
  return match ? { ...match.bounds } : undefined
}

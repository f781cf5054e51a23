import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'

/** A running virtual X screen. */
export interface VirtualScreen {
  display: string
  width: number
  height: number
  stop(): Promise<void>
}

/** Why the screen suite cannot run here, or null when Xvfb is installed. */
export function xvfbMissing(): string | null {
  const found = spawnSync('sh', ['-c', 'command -v Xvfb'], { encoding: 'utf8' })
  return found.status === 0 ? null : 'Xvfb is not installed (apt-get install -y xvfb; scripts/install.sh does it)'
}

/**
 * Starts Xvfb on the first free display from :90 (no window manager: windows sit exactly where
 * they are placed, without decorations). Resolves once the X socket exists.
 */
export async function startXvfb(width: number, height: number): Promise<VirtualScreen> {
  for (let n = 90; n < 140; n++) {
    if (existsSync(`/tmp/.X11-unix/X${n}`) || existsSync(`/tmp/.X${n}-lock`)) continue
    const child: ChildProcess = spawn('Xvfb', [`:${n}`, '-screen', '0', `${width}x${height}x24`, '-nolisten', 'tcp', '-noreset'], { stdio: 'ignore' })
    let exited = false
    child.once('exit', () => (exited = true))
    for (let i = 0; i < 100 && !exited; i++) {
      if (existsSync(`/tmp/.X11-unix/X${n}`)) {
        return {
          display: `:${n}`,
          width,
          height,
          stop: () =>
            new Promise<void>((resolve) => {
              if (exited) return resolve()
              child.once('exit', () => resolve())
              child.kill('SIGTERM')
            })
        }
      }
      await new Promise((r) => setTimeout(r, 100))
    }
    if (!exited) child.kill('SIGKILL')
  }
  throw new Error('could not start Xvfb on any display from :90 to :139')
}

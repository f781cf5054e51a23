/**
 * "Show in folder" after an export. ipc-handlers.ts spreads these into its registry. A window may
 * only reveal a path main itself exported to in this run (export-registry.ts), so a compromised
 * page cannot use the channel to probe or open arbitrary paths in the file manager.
 */
import type { InvokeArgs, InvokeValue } from '../../shared/ipc'
import { AppError } from '../app/app-error'
import { exportedPaths, type ExportRegistry } from '../sessions/export-registry'
import type { DesktopServices } from './desktop-ipc'

/** The channels this module owns. */
export type ExportChannel = 'app:show-in-folder'

/** The export channels' implementations; `get` is read on every call (a host attaches its desktop late, or never). */
export function exportImplementations(
  get: () => Pick<DesktopServices, 'shell'> | undefined,
  registry: ExportRegistry = exportedPaths
): { [K in ExportChannel]: (...args: InvokeArgs<K>) => InvokeValue<K> } {
  return {
    'app:show-in-folder': (path) => {
      if (!registry.has(path)) throw new AppError('invalid-argument', `path "${path.slice(0, 200)}" is not a file or folder this app exported in this run`)
      const shell = get()?.shell
      if (!shell) throw new AppError('capture-unavailable', 'showing a file in its folder is not available in this host')
      shell.showItemInFolder(path)
    }
  }
}

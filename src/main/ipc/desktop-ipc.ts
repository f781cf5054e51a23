/**
 * Handlers of the desktop-capture channels. ipc-handlers.ts spreads these into its registry, so
 * these channels get the same argument checks (from the contract's schemas), error answers and
 * 'internal' fallback as the others.
 */
import { NO_DESKTOP_MESSAGE, type InvokeArgs, type InvokeValue } from '../../shared/ipc'
import { AppError } from '../app/app-error'
import type { ConsentStore } from '../app/consent'
import type { DesktopService } from '../capture/desktop-service'

/** The desktop services a host provides; absent where there is no desktop (plain Node). */
export interface DesktopServices {
  desktop: DesktopService
  consent: ConsentStore
  /** The OS file manager (Electron's shell), for "Show in folder" (export-ipc.ts); absent in the e2e harness. */
  shell?: { showItemInFolder(path: string): void }
}

/** The channels this module owns. */
export type DesktopChannel =
  | 'capture:list-sources'
  | 'capture:select'
  | 'capture:pick-region'
  | 'capture:release'
  | 'region:submit'
  | 'overlay:publish'
  | 'analysis:set-state'
  | 'consent:get'
  | 'consent:acknowledge'

function need(services: DesktopServices | undefined): DesktopServices {
  if (!services) throw new AppError('capture-unavailable', NO_DESKTOP_MESSAGE)
  return services
}

/** The desktop channels' implementations; `get` is read on every call so a host may attach them late. */
export function desktopImplementations(get: () => DesktopServices | undefined): {
  [K in DesktopChannel]: (...args: InvokeArgs<K>) => Promise<InvokeValue<K>> | InvokeValue<K>
} {
  return {
    'capture:list-sources': () => need(get()).desktop.listSources(),
    'capture:select': (selection) => need(get()).desktop.select(selection),
    'capture:pick-region': () => need(get()).desktop.pickRegion(),
    'capture:release': () => need(get()).desktop.release(),
    'region:submit': (rect) => need(get()).desktop.submitRegion(rect),
    'overlay:publish': (frame) => need(get()).desktop.publish(frame),
    'analysis:set-state': (state) => need(get()).desktop.setAnalysisState(state),
    'consent:get': () => need(get()).consent.read(),
    'consent:acknowledge': () => need(get()).consent.acknowledge()
  }
}

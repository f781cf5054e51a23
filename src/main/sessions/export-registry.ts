/**
 * The paths main exported to in this run. "Show in folder" reveals only these: a window may ask to
 * reveal a path it was told about, never one it made up.
 */
import { resolve } from 'node:path'

/** A set of absolute paths main wrote an export to. */
export class ExportRegistry {
  private readonly paths = new Set<string>()

  /** Records a path main has just exported to. */
  remember(path: string): void {
    this.paths.add(resolve(path))
  }

  /** True when main exported to exactly this path in this run. */
  has(path: string): boolean {
    return this.paths.has(resolve(path))
  }
}

/** The paths exported in this run (safe-export.ts records into it unless told otherwise). */
export const exportedPaths = new ExportRegistry()

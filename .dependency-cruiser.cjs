// The import-boundary check (`npm run lint:deps`, inside `npm run lint` and so inside `npm test`).
// dependency-cruiser, not only ESLint, because ESLint's import-x/no-cycle skips `import type`,
// and a cycle of types is still two files that cannot be understood, moved or split apart.
//
// The layering it keeps (docs/architecture.md, "Layout", says the same in prose):
//   src/shared          process-neutral core; imports nothing else of ours, no electron, no Node built-in
//   src/main            the Electron main process; imports src/shared only; inside it app/ is the base and each
//                       feature folder (capture, overlay, inference, sessions, bench) imports only app/ and the
//                       few others named in its mainFeature() line below
//   src/preload         the preload scripts; import src/shared only
//   src/renderer        the pages; import src/shared, and the preload's API types (window.api is derived from them)
//   src/bench           the benchmark CLI; imports src/shared and the app's own inference and session code in src/main that it
//                       measures; no renderer code (detection and tracking live in src/shared/detection)
//   e2e, tests, scripts harnesses and tools: may import any of the above; nothing in src imports them
// and no cycle anywhere, type-only imports included.

/** What the bench may use of main: the inference and the session library it measures, the model cards it reads, and the output layout main reads back. */
const MAIN_FOR_BENCH = '^src/main/(inference/|sessions/|bench/bench-output[.]ts$)'

/**
 * A feature folder of src/main imports, of main, only itself and `others` (a pattern after `src/main/`):
 * the features stay beside each other instead of reaching into one another.
 * @param {string} folder
 * @param {string} others
 * @returns {import('dependency-cruiser').IForbiddenRuleType[]}
 */
const mainFeature = (folder, others) => [
  {
    name: `main-${folder}-boundary`,
    severity: 'error',
    comment: `src/main/${folder} imports only itself of main, and src/main/(${others}); docs/architecture.md says why.`,
    from: { path: `^src/main/${folder}/` },
    to: { path: '^src/main/', pathNot: `^src/main/(${folder}/|${others})` }
  }
]

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import cycles, type-only ones included: move the types both sides need down (into src/shared, or into the lower of the two files).',
      from: {},
      to: { circular: true }
    },
    {
      name: 'shared-is-neutral',
      severity: 'error',
      comment: 'src/shared is the process-neutral core: main, renderer, preload, bench and the harnesses import it, never the other way round.',
      from: { path: '^src/shared/' },
      to: { path: '^(src/(main|renderer|preload|bench)|e2e|tests|scripts)/' }
    },
    {
      name: 'shared-runs-anywhere',
      severity: 'error',
      comment: 'src/shared also runs in the sandboxed renderer: no Node built-in.',
      from: { path: '^src/shared/' },
      to: { dependencyTypes: ['core'] }
    },
    {
      name: 'shared-no-electron',
      severity: 'error',
      comment: 'src/shared also runs in the sandboxed renderer: no electron.',
      from: { path: '^src/shared/' },
      to: { path: '^electron$|node_modules/electron/' }
    },
    {
      name: 'main-imports-no-other-process',
      severity: 'error',
      comment: 'Main imports src/shared, never another process folder: what two processes need goes into src/shared.',
      from: { path: '^src/main/' },
      to: { path: '^src/(renderer|preload|bench)/' }
    },
    {
      name: 'preload-imports-no-other-process',
      severity: 'error',
      comment: 'The preload imports src/shared, never another process folder.',
      from: { path: '^src/preload/' },
      to: { path: '^src/(main|renderer|bench)/' }
    },
    {
      name: 'renderer-imports-no-other-process',
      severity: 'error',
      comment: 'The renderer imports src/shared; of the preload only the types of its API (src/preload/api.ts), from which window.api is derived.',
      from: { path: '^src/renderer/' },
      to: {
        path: '^src/(main|preload|bench)/',
        pathNot: '^src/preload/api[.]ts$'
      }
    },
    {
      name: 'renderer-preload-types-only',
      severity: 'error',
      comment: 'The preload runs in another context: the renderer may import only types from it, never code.',
      from: { path: '^src/renderer/' },
      to: { path: '^src/preload/', dependencyTypesNot: ['type-only'] }
    },
    {
      name: 'bench-imports-main-inference-only',
      severity: 'error',
      comment: 'The bench measures the app\'s own inference and session library, so it may import those (and the model cards and output layout); nothing else of main.',
      from: { path: '^src/bench/' },
      to: { path: '^src/main/', pathNot: MAIN_FOR_BENCH }
    },
    {
      name: 'bench-imports-no-renderer',
      severity: 'error',
      comment: 'The bench imports no renderer code: what it shares with the pages (crops, detection, tracking) lives in src/shared.',
      from: { path: '^src/bench/' },
      to: { path: '^src/renderer/' }
    },
    {
      name: 'bench-imports-no-preload',
      severity: 'error',
      comment: 'The bench imports no preload code.',
      from: { path: '^src/bench/' },
      to: { path: '^src/preload/' }
    },
    {
      name: 'src-imports-no-harness',
      severity: 'error',
      comment: 'Harnesses and tools import the app, never the other way round.',
      from: { path: '^src/' },
      to: { path: '^(e2e|tests|scripts)/' }
    },
    {
      name: 'main-app-is-the-base',
      severity: 'error',
      comment: 'src/main/app (window, security, paths, errors) is what every feature of main builds on: it imports no other feature folder and no IPC file.',
      from: { path: '^src/main/app/' },
      to: { path: '^src/main/', pathNot: '^src/main/app/' }
    },
    ...mainFeature('capture', 'app/|overlay/|ipc/desktop-ipc[.]ts$'),
    ...mainFeature('overlay', 'app/|capture/'),
    ...mainFeature('inference', 'app/'),
    ...mainFeature('sessions', 'app/'),
    ...mainFeature('bench', 'app/'),
    ...mainFeature('settings', 'app/'),
    {
      name: 'main-features-not-index',
      severity: 'error',
      comment: 'src/main/index.ts and services-setup.ts call the features; no feature imports them back.',
      from: { path: '^src/main/', pathNot: '^src/main/index[.]ts$' },
      to: { path: '^src/main/(index|services-setup)[.]ts$' }
    }
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|out|dist|test-results|playwright-report)/|^tests/scripts/fixtures/|^tests/bench/fixtures/' },
    // `import type` and `export type` are dependencies too: a type-only cycle is still a cycle.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
      extensions: ['.ts', '.mts', '.cts', '.svelte', '.js', '.mjs', '.cjs', '.json', '.d.ts']
    },
    reporterOptions: { text: { highlightFocused: true } }
  }
}

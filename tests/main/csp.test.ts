import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CONTENT_SECURITY_POLICY } from '../../src/shared/csp'

const PAGES = ['index.html', 'overlay.html', 'selector.html']

describe('Content-Security-Policy', () => {
  it.each(PAGES)('is the same in %s as in the header main sets', (page) => {
    const html = join(__dirname, '../../src/renderer', page)
    expect(existsSync(html), `${html} is missing`).toBe(true)
    const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/i.exec(readFileSync(html, 'utf8'))
    expect(meta?.[1]).toBe(CONTENT_SECURITY_POLICY)
  })

  it('allows no remote origin', () => {
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/https?:|\*/)
  })
})

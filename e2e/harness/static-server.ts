import { createReadStream, existsSync, statSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize, sep } from 'node:path'
import { CONTENT_SECURITY_POLICY } from '../../src/shared/csp'
import { CROSS_ORIGIN_ISOLATION_HEADERS } from '../../src/shared/isolation'
import { MIME_TYPES as MIME } from '../../src/shared/mime-types'


/** A running static server and the URL it answers on. */
export interface StaticServer {
  origin: string
  close(): Promise<void>
}

/**
 * Serves the built renderer on 127.0.0.1 with the production Content-Security-Policy as a header,
 * and the cross-origin isolation headers, as main's app:// handler sends them (src/main/app/app-protocol.ts),
 * so the detector runs the same threaded WASM build here as in the app. GET and HEAD only; paths
 * outside `root` are refused.
 */
export async function startStaticServer(root: string): Promise<StaticServer> {
  if (!existsSync(join(root, 'index.html'))) {
    throw new Error(`${root}/index.html is missing: build the renderer first (npm run build, or npx electron-vite build)`)
  }
  const server: Server = createServer((request, response) => {
    response.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY)
    response.setHeader('X-Content-Type-Options', 'nosniff')
    response.setHeader('Cache-Control', 'no-store')
    for (const [name, value] of Object.entries(CROSS_ORIGIN_ISOLATION_HEADERS)) response.setHeader(name, value)
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405).end()
      return
    }
    const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname)
    const relative = normalize(pathname === '/' ? '/index.html' : pathname)
    const file = join(root, relative)
    if (!file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile()) {
      response.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found')
      return
    }
    response.writeHead(200, { 'Content-Type': MIME[extname(file)] ?? 'application/octet-stream' })
    if (request.method === 'HEAD') response.end()
    else createReadStream(file).pipe(response)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}

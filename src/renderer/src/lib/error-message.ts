/**
 * A readable message for anything a call threw. Electron prefixes errors that cross IPC with
 * "Error invoking remote method '<channel>': Error: "; the channel is noise to a user, the code
 * and message after it are what they need.
 */
export function errorMessage(error: unknown): string {
  const raw = error instanceof Error ? error.message : typeof error === 'string' ? error : JSON.stringify(error) ?? String(error)
  const message = raw.replace(/^Error invoking remote method '[^']*': (?:\w*Error: )?/, '').trim() || 'Unknown error'
  // getUserMedia's DOMExceptions say what went wrong mostly in their name (NotAllowedError, NotReadableError).
  const name = error instanceof Error ? error.name : ''
  return name && name !== 'Error' && !message.startsWith(name) ? `${name}: ${message}` : message
}

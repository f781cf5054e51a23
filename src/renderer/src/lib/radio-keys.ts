/**
 * Arrow-key movement in a radiogroup (WAI-ARIA APG radio pattern): Right/Down go to the next radio,
 * Left/Up to the previous, wrapping round; Home and End go to the first and last. Moving checks the
 * radio it lands on.
 */
export function radioStep(ids: readonly string[], current: string | null, key: string): string | null {
  if (ids.length === 0) return null
  const at = current === null ? -1 : ids.indexOf(current)
  switch (key) {
    case 'ArrowRight':
    case 'ArrowDown':
      return ids[(at + 1) % ids.length] ?? null
    case 'ArrowLeft':
    case 'ArrowUp':
      return ids[at <= 0 ? ids.length - 1 : at - 1] ?? null
    case 'Home':
      return ids[0] ?? null
    case 'End':
      return ids[ids.length - 1] ?? null
    default:
      return null
  }
}

/** The one radio of a group in the tab order: the checked one, else the first. */
export function tabStop(ids: readonly string[], checked: string | null): string | null {
  return checked !== null && ids.includes(checked) ? checked : (ids[0] ?? null)
}

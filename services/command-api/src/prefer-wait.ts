// `Prefer: wait=N` (RFC 7240): how long the caller is willing to wait for the result.

/**
 * The `wait` preference in whole seconds, capped at `maxSeconds`; undefined when there is none the
 * server can honour. RFC 7240 §2: a server ignores a preference it does not understand or cannot
 * honour — other preferences, and a `wait` that is not a whole number of seconds (`wait=abc`,
 * `wait=1.5`), are ignored, never an error. The first `wait` decides (§2: later duplicates are ignored).
 */
export function parsePreferWait(header: string | undefined, maxSeconds: number): number | undefined {
  if (header === undefined) return undefined;
  for (const preference of header.split(',')) {
    const [token = '', ...rest] = (preference.split(';')[0] ?? '').split('=');
    if (token.trim().toLowerCase() !== 'wait') continue;
    const value = rest
      .join('=')
      .trim()
      .replace(/^"(.*)"$/, '$1');
    return /^[0-9]{1,6}$/.test(value) ? Math.min(Number(value), maxSeconds) : undefined;
  }
  return undefined;
}

// `Prefer: wait=N` (RFC 7240): how long the caller is willing to wait for the result.
import { DriveDepositsError } from '@drive-deposits/core';

const invalid = (detail: string) =>
  new DriveDepositsError('DD_INVALID_PARAMETER', detail, {
    errors: [{ path: 'Prefer', message: 'wait must be a whole number of seconds, e.g. Prefer: wait=10.' }],
  });

/**
 * The `wait` preference in seconds, capped at `maxSeconds`; undefined when there is none. Other
 * preferences are ignored, as RFC 7240 allows; a malformed `wait` is a 400 problem.
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
    if (!/^\d{1,6}$/.test(value))
      throw invalid(`Prefer: wait=${value.slice(0, 20)} is not a number of seconds.`);
    return Math.min(Number(value), maxSeconds);
  }
  return undefined;
}

// Tokens already verified, so a client that sends the same bearer token with every request pays for
// one signature check, not one per request (ECDSA verification was ~15 % of the command API's CPU
// under load). Keyed by the whole token; an entry lives until the token's own expiry (plus the
// clock tolerance) or `ttlMs`, whichever comes first, so a key withdrawn from the issuer's JWKS
// stops being honoured within `ttlMs` of the set's next fetch (auth.ts). Only successes are kept.

export interface VerifiedTokens<T> {
  get(token: string): T | undefined;
  /** `expiresAtMs`: when the token itself stops being valid */
  set(token: string, value: T, expiresAtMs: number): void;
}

export const VERIFIED_TOKENS = { maxEntries: 1000, ttlMs: 60_000 } as const;

export function createVerifiedTokens<T>({
  maxEntries,
  ttlMs,
}: { maxEntries: number; ttlMs: number } = VERIFIED_TOKENS): VerifiedTokens<T> {
  // A Map keeps insertion order: when full, the oldest entry goes first.
  const entries = new Map<string, { value: T; untilMs: number }>();
  return {
    get(token) {
      const entry = entries.get(token);
      if (entry === undefined) return undefined;
      if (Date.now() < entry.untilMs) return entry.value;
      entries.delete(token);
      return undefined;
    },
    set(token, value, expiresAtMs) {
      entries.delete(token);
      if (entries.size >= maxEntries) entries.delete(entries.keys().next().value!);
      entries.set(token, { value, untilMs: Math.min(expiresAtMs, Date.now() + ttlMs) });
    },
  };
}

// The read-model version queries use, cached for at most `maxAgeMs` so a rebuild's switch is seen
// within that bound without a meta read per request. Concurrent refreshes share one read.
import { readVersions } from '@drive-deposits/read-model';
import type { Db } from 'mongodb';

export function activeVersion(db: Db, maxAgeMs = 1000): () => Promise<number> {
  let cached: { version: number; at: number } | undefined;
  let refreshing: Promise<number> | undefined;
  return async () => {
    if (cached !== undefined && Date.now() - cached.at < maxAgeMs) return cached.version;
    refreshing ??= readVersions(db)
      .then(({ active }) => {
        cached = { version: active, at: Date.now() };
        return active;
      })
      .finally(() => (refreshing = undefined));
    return refreshing;
  };
}

// Which read-model version queries use (`active`) and which ones the projector writes (`writing`).
import { isDuplicateKeyError } from '@drive-deposits/mongo';
import type { Db } from 'mongodb';

export interface ReadModelVersions {
  active: number;
  writing: number[];
}

interface VersionsDoc extends ReadModelVersions {
  _id: 'versions';
}

const META = 'read_model_meta';
const INITIAL: ReadModelVersions = { active: 1, writing: [1] };

const meta = (db: Db) => db.collection<VersionsDoc>(META);

/** The current versions; the first caller creates version 1 (concurrent first callers agree). */
export async function readVersions(db: Db): Promise<ReadModelVersions> {
  const existing = await meta(db).findOne({ _id: 'versions' });
  if (existing) return { active: existing.active, writing: existing.writing };
  try {
    await meta(db).insertOne({ _id: 'versions', ...INITIAL });
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err;
    return readVersions(db);
  }
  return INITIAL;
}

export async function writeVersions(db: Db, versions: ReadModelVersions): Promise<void> {
  await meta(db).updateOne({ _id: 'versions' }, { $set: versions }, { upsert: true });
}

/** Rebuild, step 1: a new version beyond every known one, written to from now on; it is not active yet. */
export async function addWritingVersion(db: Db): Promise<ReadModelVersions> {
  const current = await readVersions(db);
  const next = Math.max(current.active, ...current.writing) + 1;
  const versions = { active: current.active, writing: [...current.writing, next] };
  await writeVersions(db, versions);
  return versions;
}

/** Rebuild, last step: queries read `version`, and only `version` is written from now on. */
export async function activateVersion(db: Db, version: number): Promise<ReadModelVersions> {
  const versions = { active: version, writing: [version] };
  await writeVersions(db, versions);
  return versions;
}

/**
 * The version queries read (`active`), cached for at most `maxAgeMs`, so a rebuild's switch is seen
 * within that bound without a meta read per request. Concurrent refreshes share one read.
 */
export function cachedActiveVersion(db: Db, maxAgeMs = 1000): () => Promise<number> {
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

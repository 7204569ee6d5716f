// The MongoDB client of a service. Tests and the local stack run FerretDB, so only plain CRUD and
// index features are relied on: no transactions, no change streams.
import type { Logger } from '@drive-deposits/logging';
import {
  MongoClient,
  type Collection,
  type Db,
  type Document,
  type IndexDescription,
  type MongoClientOptions,
} from 'mongodb';
import { DriveDepositsError } from '@drive-deposits/core';
import { toDependencyError } from './errors';

/** The `mongoSpec` part of @drive-deposits/config (structurally). */
export interface MongoConfig {
  /** may carry the user and password (`mongodb://user:pass@host/?authSource=admin`) */
  url: string;
  db: string;
  /** MONGO_TLS: TLS on (false: as the URL says) */
  tls?: boolean | undefined;
  /** MONGO_TLS_CA_FILE: PEM of the CA(s) that signed the server's certificate */
  tlsCaFile?: string | undefined;
}

export interface MongoConnection {
  client: MongoClient;
  db: Db;
  /** readiness: the server answers `ping`; rejects with DD_DEPENDENCY_UNAVAILABLE otherwise */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface MongoOptions {
  /** shown in the server's logs and currentOp */
  appName?: string;
}

// Short enough that an unreachable server fails a readiness check or a handler within seconds
// (the handler's retry decides what next), long enough for a normal connection setup.
const CLIENT_TIMEOUTS = {
  serverSelectionTimeoutMS: 3000,
  connectTimeoutMS: 3000,
  socketTimeoutMS: 30_000,
};

/** The driver's options: timeouts, the app name, and TLS when MONGO_TLS asks for it. */
export function mongoClientOptions(config: MongoConfig, options: MongoOptions = {}): MongoClientOptions {
  const clientOptions: MongoClientOptions = { ...CLIENT_TIMEOUTS, appName: options.appName };
  // false leaves TLS to the URL (`tls=true`, mongodb+srv): passing tls: false would contradict it.
  if (config.tls === true) {
    clientOptions.tls = true;
    if (config.tlsCaFile !== undefined) clientOptions.tlsCAFile = config.tlsCaFile;
  }
  return clientOptions;
}

const rethrow = (error: unknown): never => {
  throw toDependencyError(error);
};

export async function connectMongo(
  config: MongoConfig,
  logger: Logger,
  options: MongoOptions = {},
): Promise<MongoConnection> {
  const client = new MongoClient(config.url, mongoClientOptions(config, options));
  try {
    await client.connect();
  } catch (error) {
    // A failed connect keeps its monitors; release them so a retry starts clean.
    await client.close().catch(() => undefined);
    throw toDependencyError(error);
  }
  const db = client.db(config.db);
  logger.info({ db: config.db }, 'connected to MongoDB');
  return {
    client,
    db,
    ping: async () => {
      await db.command({ ping: 1 }).catch(rethrow);
    },
    close: () => client.close(),
  };
}

/** Server codes of an index build racing another one (another service creating the same index). */
const CONCURRENT_INDEX_BUILD = new Set([
  276, // IndexBuildAlreadyInProgress
  333, // IndexBuildAborted
]);

const sameKey = (a: Document, b: Document) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Creates the indexes (idempotent: existing identical indexes are kept). An index that exists
 * under the same name with another definition fails loudly rather than being dropped. When a
 * creation fails but the index exists afterwards (another instance created it at the same time),
 * that is success; a build still running elsewhere is a retriable DD_DEPENDENCY_UNAVAILABLE.
 *
 * One index per command: FerretDB 1.24 drops the connection (a server-side panic) when one
 * `createIndexes` command names several indexes that already exist, i.e. on every restart.
 */
export async function ensureIndexes<T extends Document>(
  collection: Collection<T>,
  specs: IndexDescription[],
): Promise<string[]> {
  const names: string[] = [];
  for (const spec of specs) {
    let name: string | undefined;
    try {
      [name] = await collection.createIndexes([spec]);
    } catch (error) {
      const existing = await collection
        .listIndexes()
        .toArray()
        .catch(() => []);
      const found = existing.find(
        (index) => (spec.name === undefined || index.name === spec.name) && sameKey(index.key, spec.key),
      );
      if (found === undefined) {
        const code = (error as { code?: unknown }).code;
        if (typeof code === 'number' && CONCURRENT_INDEX_BUILD.has(code)) {
          throw new DriveDepositsError(
            'DD_DEPENDENCY_UNAVAILABLE',
            `Index ${spec.name ?? JSON.stringify(spec.key)} is being built by another client`,
            { cause: error, retryAfterSeconds: 1 },
          );
        }
        rethrow(error);
      }
      name = found?.name as string | undefined;
    }
    if (name !== undefined) names.push(name);
  }
  return names;
}

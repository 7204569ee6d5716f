// The MongoDB client of a service. Tests and the local stack run FerretDB, so only plain CRUD and
// index features are relied on: no transactions, no change streams.
import type { Logger } from '@drive-deposits/logging';
import { MongoClient, type Collection, type Db, type Document, type IndexDescription } from 'mongodb';
import { toDependencyError } from './errors';

/** The `mongoSpec` part of @drive-deposits/config (structurally). */
export interface MongoConfig {
  url: string;
  db: string;
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

const rethrow = (error: unknown): never => {
  throw toDependencyError(error);
};

export async function connectMongo(
  config: MongoConfig,
  logger: Logger,
  options: MongoOptions = {},
): Promise<MongoConnection> {
  const client = new MongoClient(config.url, { ...CLIENT_TIMEOUTS, appName: options.appName });
  await client.connect().catch(rethrow);
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

/**
 * Creates the indexes (idempotent: existing identical indexes are kept). An index that exists
 * under the same name with another definition fails loudly rather than being dropped.
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
    const [name] = await collection.createIndexes([spec]).catch(rethrow);
    if (name !== undefined) names.push(name);
  }
  return names;
}

export { connectMongo, ensureIndexes } from './connection';
export type { MongoConfig, MongoConnection, MongoOptions } from './connection';
export { isDuplicateKeyError, isTransientMongoError, toDependencyError } from './errors';
export { bulkWriteUnordered, DUPLICATE_KEY, type BulkWritePolicy } from './bulk-write';
export { ensureTtlIndex, type TtlIndex } from './ttl';

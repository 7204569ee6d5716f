export { connectMongo, ensureIndexes } from './connection';
export type { MongoConfig, MongoConnection, MongoOptions } from './connection';
export { DUPLICATE_KEY_CODE, isDuplicateKeyError, isTransientMongoError, toDependencyError } from './errors';
export { bulkWriteUnordered, type BulkWritePolicy } from './bulk-write';
export { ensureTtlIndex, type TtlIndex } from './ttl';

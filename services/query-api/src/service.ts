// The query API: MongoDB, then the API on its port. It reads the read models only; the projector
// creates them and their indexes.
import { authenticate, defineService } from '@drive-deposits/http';
import type { Logger } from '@drive-deposits/logging';
import { connectMongo } from '@drive-deposits/mongo';
import type { Service } from '@drive-deposits/runtime';
import type { QueryApiConfig } from './config';
import { createQueryApi } from './query-api';

export const createQueryApiService = (config: QueryApiConfig, logger: Logger): Service =>
  defineService({
    name: 'query-api',
    settings: config.service,
    logger,
    async start({ step, defer, metrics }) {
      // First: unusable authentication settings stop the start at once (DD_CONFIG_INVALID).
      const auth = authenticate(config.auth);
      const mongo = await step('connecting to MongoDB', () =>
        connectMongo(config.mongo, logger, { appName: 'query-api' }),
      );
      defer(() => mongo.close());
      return createQueryApi({
        db: mongo.db,
        logger,
        metrics,
        readiness: { mongo: mongo.ping },
        authenticate: auth,
      });
    },
  });

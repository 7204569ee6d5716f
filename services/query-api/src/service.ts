// Builds the query API from its configuration: MongoDB, then the HTTP server. It reads the read
// models only; the projector creates them and their indexes.
import { startHttpServer, type HttpServer } from '@drive-deposits/http';
import type { Logger } from '@drive-deposits/logging';
import { connectMongo, type MongoConnection } from '@drive-deposits/mongo';
import { createMetrics, serviceHandle, type Service } from '@drive-deposits/runtime';
import type { QueryApiConfig } from './config';
import { createQueryApi } from './query-api';

export type QueryApiService = Service;

export function createQueryApiService(config: QueryApiConfig, logger: Logger): QueryApiService {
  const metrics = createMetrics({ service: 'query-api' });
  let mongo: MongoConnection | undefined;
  let http: HttpServer | undefined;

  async function start(): Promise<void> {
    mongo = await connectMongo(config.mongo, logger, { appName: 'query-api' });
    const app = createQueryApi({ db: mongo.db, logger, metrics, readiness: { mongo: mongo.ping } });
    http = await startHttpServer(app, config.service.port);
  }

  async function stop(): Promise<void> {
    await http?.close(config.service.shutdownTimeoutMs / 2);
    await mongo?.close();
  }

  return serviceHandle({ start, stop, metrics, port: () => http?.port });
}

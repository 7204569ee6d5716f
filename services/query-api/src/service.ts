// Builds the query API from its configuration: the HTTP port answers at once (not ready, 503 for the
// API) while MongoDB is connected, retried while it fails transiently until STARTUP_TIMEOUT_MS;
// then the API takes over the port. It reads the read models only; the projector creates them and
// their indexes.
import { startHttpServer, startingHttpApp, type HttpServer } from '@drive-deposits/http';
import type { Logger } from '@drive-deposits/logging';
import { connectMongo, type MongoConnection } from '@drive-deposits/mongo';
import { createMetrics, createStartup, serviceHandle, type Service } from '@drive-deposits/runtime';
import type { QueryApiConfig } from './config';
import { createQueryApi } from './query-api';

export type QueryApiService = Service;

export function createQueryApiService(config: QueryApiConfig, logger: Logger): QueryApiService {
  const metrics = createMetrics({ service: 'query-api' });
  let mongo: MongoConnection | undefined;
  let http: HttpServer | undefined;

  let cancelStart: (() => void) | undefined;

  async function start(): Promise<void> {
    const startup = createStartup({ logger, timeoutMs: config.service.startupTimeoutMs });
    cancelStart = startup.cancel;
    http = await startHttpServer(
      startingHttpApp({ logger, metrics, startup: startup.check }),
      config.service.port,
    );
    const db = await startup.step('connecting to MongoDB', () =>
      connectMongo(config.mongo, logger, { appName: 'query-api' }),
    );
    mongo = db;
    http.serve(createQueryApi({ db: db.db, logger, metrics, readiness: { mongo: db.ping } }));
    startup.done();
  }

  async function stop(): Promise<void> {
    cancelStart?.();
    await http?.close(config.service.shutdownTimeoutMs / 2);
    await mongo?.close();
  }

  return serviceHandle({ start, stop, metrics, port: () => http?.port });
}

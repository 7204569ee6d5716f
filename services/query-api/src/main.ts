// Wiring: config (fail fast) → MongoDB → query API on PORT → run until SIGTERM.
import { startHttpServer, type HttpServer } from '@drive-deposits/http';
import { createLogger } from '@drive-deposits/logging';
import { connectMongo, type MongoConnection } from '@drive-deposits/mongo';
import { createMetrics, loadOrExit, runService } from '@drive-deposits/runtime';
import { loadQueryApiConfig } from './config';
import { createQueryApi } from './query-api';

const NAME = 'query-api';
const config = loadOrExit(NAME, () => loadQueryApiConfig());
const logger = createLogger({ service: NAME, level: config.service.logLevel });

let mongo: MongoConnection | undefined;
let http: HttpServer | undefined;

void runService({
  name: NAME,
  logger,
  shutdownTimeoutMs: config.service.shutdownTimeoutMs,
  async start() {
    mongo = await connectMongo(config.mongo, logger, { appName: NAME });
    const app = createQueryApi({
      db: mongo.db,
      logger,
      metrics: createMetrics({ service: NAME }),
      readiness: { mongo: mongo.ping },
    });
    http = await startHttpServer(app, config.service.port);
  },
  async stop() {
    await http?.close(config.service.shutdownTimeoutMs / 2);
    await mongo?.close();
  },
});

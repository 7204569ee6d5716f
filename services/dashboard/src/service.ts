// Builds the dashboard from its configuration. It has no start-up steps of its own: it is ready
// when both APIs answer their /readyz, since every view needs them.
import { startHttpServer, type HttpServer } from '@drive-deposits/http';
import type { Logger } from '@drive-deposits/logging';
import { createMetrics, serviceHandle, type Service } from '@drive-deposits/runtime';
import { createDashboardApp } from './app';
import type { DashboardConfig } from './config';
import { apiReady } from './readiness';

export function createDashboardService(config: DashboardConfig, logger: Logger): Service {
  const metrics = createMetrics({ service: 'dashboard' });
  let http: HttpServer | undefined;

  async function start(): Promise<void> {
    const app = createDashboardApp({
      logger,
      metrics,
      readiness: {
        'command-api': apiReady(config.commandApiUrl),
        'query-api': apiReady(config.queryApiUrl),
      },
      proxy: {
        command: { name: 'command API', url: config.commandApiUrl },
        query: { name: 'query API', url: config.queryApiUrl },
        timeoutMs: config.apiTimeoutMs,
      },
    });
    http = await startHttpServer(app, config.port);
  }

  async function stop(): Promise<void> {
    await http?.close(config.shutdownTimeoutMs / 2);
  }

  return serviceHandle({ start, stop, metrics, port: () => http?.port });
}

// The dashboard: no setup steps of its own, then the page and the proxy on its port. It is ready
// when both APIs answer their /readyz, since every view needs them.
import { defineService } from '@drive-deposits/http';
import type { Logger } from '@drive-deposits/logging';
import type { Service } from '@drive-deposits/runtime';
import { createDashboardApp } from './app';
import type { DashboardConfig } from './config';
import { apiReady } from './readiness';

export const createDashboardService = (config: DashboardConfig, logger: Logger): Service =>
  defineService({
    name: 'dashboard',
    settings: config.service,
    logger,
    async start({ metrics }) {
      const { commandUrl, queryUrl, timeoutMs } = config.apis;
      return createDashboardApp({
        logger,
        metrics,
        readiness: { 'command-api': apiReady(commandUrl), 'query-api': apiReady(queryUrl) },
        proxy: {
          command: { name: 'command API', url: commandUrl },
          query: { name: 'query API', url: queryUrl },
          timeoutMs,
        },
      });
    },
  });

// dashboard: validated config → HTTP on PORT (the page, and /api/… forwarded to the two APIs);
// SIGTERM stops it within SHUTDOWN_TIMEOUT_MS.
import { loadConfig } from '@drive-deposits/config';
import { runMain } from '@drive-deposits/runtime';
import { dashboardSpec } from './config';
import { createDashboardService } from './service';

runMain({
  name: 'dashboard',
  load: () => loadConfig(dashboardSpec),
  settings: (config) => config,
  create: (config, logger) => createDashboardService(config, logger),
});

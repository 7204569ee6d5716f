// dashboard: validated config → HTTP on PORT (the page, and /api/… forwarded to the two APIs);
// SIGTERM stops it within SHUTDOWN_TIMEOUT_MS.
import { runMain } from '@drive-deposits/runtime';
import { loadDashboardConfig } from './config';
import { createDashboardService } from './service';

runMain({
  name: 'dashboard',
  load: () => loadDashboardConfig(),
  settings: (config) => config.service,
  create: createDashboardService,
});

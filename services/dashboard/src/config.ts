// The dashboard's environment (docs/architecture.md "Configuration"): where the two APIs answer.
import { int, serviceSpec, url, type ConfigOf } from '@drive-deposits/config';

export const dashboardSpec = {
  ...serviceSpec({ port: 3004 }),
  commandApiUrl: url('COMMAND_API_URL', { default: 'http://127.0.0.1:3000', schemes: ['http', 'https'] }),
  queryApiUrl: url('QUERY_API_URL', { default: 'http://127.0.0.1:3001', schemes: ['http', 'https'] }),
  // Above the command API's SYNC_WAIT_MAX_SECONDS cap (30 s), so a `Prefer: wait` is never cut short.
  apiTimeoutMs: int('API_TIMEOUT_MS', { default: 35_000, min: 100, max: 600_000 }),
};

export type DashboardConfig = ConfigOf<typeof dashboardSpec>;

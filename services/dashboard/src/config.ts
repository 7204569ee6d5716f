// The dashboard's environment variables: declared in packages/config (services.ts), documented in
// docs/operations.md ("Configuration"). Where the two APIs answer, and how long it waits for them.
import { dashboardConfigSpec, loadConfig, type ConfigOf } from '@drive-deposits/config';

export type DashboardConfig = ConfigOf<typeof dashboardConfigSpec>;

export const loadDashboardConfig = (env?: NodeJS.ProcessEnv): DashboardConfig =>
  loadConfig(dashboardConfigSpec, env);

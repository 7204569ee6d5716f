export { describeFailure, loadOrExit, runMain, runService } from './lifecycle';
export type { MainOptions, RunServiceOptions, Service, ServiceControl, ServiceProcess } from './lifecycle';
export { createMetrics } from './metrics';
export type { Metrics, MetricsOptions } from './metrics';
export { createStartup } from './startup';
export type { Startup, StartupOptions } from './startup';
export { createGroupCommit, NotWrittenError } from './group-commit';
export type { GroupCommit, GroupCommitOptions } from './group-commit';

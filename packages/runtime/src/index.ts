export { describeFailure, loadOrExit, runMain, runService } from './lifecycle';
export type { MainOptions, RunServiceOptions, ServiceControl, ServiceProcess } from './lifecycle';
export { createMetrics } from './metrics';
export type { Metrics, MetricsOptions } from './metrics';

export { describeFailure, loadOrExit, runService } from './lifecycle';
export type { RunServiceOptions, ServiceControl, ServiceProcess } from './lifecycle';
export { createMetrics } from './metrics';
export type { Metrics, MetricsOptions } from './metrics';

// One Prometheus registry per service with the metric names every service shares, so dashboards
// and alerts work across services unchanged.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  registry: Registry;
  /** labels: method, route (the route template, never the raw path), status */
  httpRequestDuration: Histogram<'method' | 'route' | 'status'>;
  /** events handled to completion; outcome: `ok` | `dead_lettered` | `skipped` (e.g. a duplicate) */
  eventsProcessed: Counter<'topic' | 'outcome'>;
  /** handling attempts that threw, retried or not; code: the DriveDepositsError code */
  eventsFailed: Counter<'topic' | 'code'>;
  /** events published to the dead-letter topic, by original topic and error code */
  deadLettered: Counter<'topic' | 'code'>;
  /** messages not yet committed by this service's consumer group */
  consumerLag: Gauge<'topic' | 'partition'>;
}

export interface MetricsOptions {
  /** added as the `service` label to every metric */
  service: string;
  /** process/heap/event-loop metrics of prom-client; off only in tests that want a small output */
  defaultMetrics?: boolean;
}

export function createMetrics({ service, defaultMetrics = true }: MetricsOptions): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  if (defaultMetrics) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    httpRequestDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request latency by method, route template and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    eventsProcessed: new Counter({
      name: 'dd_events_processed_total',
      help: 'Events handled to completion, by topic and outcome (ok, failed: a calculation failed and its PortfolioCalculated says why, dead_lettered, skipped)',
      labelNames: ['topic', 'outcome'],
      registers,
    }),
    eventsFailed: new Counter({
      name: 'dd_events_failed_total',
      help: 'Event handling attempts that failed (retried or dead-lettered), by topic and error code',
      labelNames: ['topic', 'code'],
      registers,
    }),
    deadLettered: new Counter({
      name: 'dd_dead_letter_total',
      help: 'Events published to the dead-letter topic, by original topic and error code',
      labelNames: ['topic', 'code'],
      registers,
    }),
    consumerLag: new Gauge({
      name: 'dd_consumer_lag',
      help: "Messages behind the latest offset for this service's consumer group, by topic and partition",
      labelNames: ['topic', 'partition'],
      registers,
    }),
  };
}

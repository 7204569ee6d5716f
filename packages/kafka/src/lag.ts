// Consumer lag as seen by the group's committed offsets, sampled periodically into a gauge
// (`dd_consumer_lag`), so an alert can fire when a service falls behind or stops.
import type { Logger } from '@drive-deposits/logging';
import type { Admin } from 'kafkajs';

/** The gauge's `set` (prom-client's Gauge fits). */
export interface LagGauge {
  set(labels: { topic: string; partition: string }, value: number): void;
}

export interface LagSamplerOptions {
  /** a connected admin client */
  admin: Admin;
  groupId: string;
  topics: string[];
  gauge: LagGauge;
  logger: Logger;
  intervalMs?: number;
}

export interface LagSampler {
  sample(): Promise<void>;
  stop(): void;
}

/**
 * Lag = latest offset − committed offset (the whole retained log when nothing is committed yet).
 * On transactional topics the latest offset counts commit markers, so an idle lag may read 1.
 */
export async function sampleLag({ admin, groupId, topics, gauge }: LagSamplerOptions): Promise<void> {
  const committed = await admin.fetchOffsets({ groupId, topics });
  for (const { topic, partitions } of committed) {
    const latest = await admin.fetchTopicOffsets(topic);
    for (const { partition, high, low } of latest) {
      const offset = Number(partitions.find((p) => p.partition === partition)?.offset ?? -1);
      const lag = offset < 0 ? Number(high) - Number(low) : Math.max(0, Number(high) - offset);
      gauge.set({ topic, partition: String(partition) }, lag);
    }
  }
}

/** Samples now and then every `intervalMs` (default 15 s) until stopped. */
export function startLagSampler(options: LagSamplerOptions): LagSampler {
  let running: Promise<void> | undefined;
  const sample = () => {
    // One sample at a time: a slow cluster must not pile up requests.
    running ??= sampleLag(options)
      .catch((error: unknown) => options.logger.warn({ err: error }, 'consumer lag sample failed'))
      .finally(() => (running = undefined));
    return running;
  };
  const timer = setInterval(() => void sample(), options.intervalMs ?? 15_000);
  timer.unref();
  // At once too, so /metrics has every partition's series from the start, not after one interval.
  void sample();
  return { sample, stop: () => clearInterval(timer) };
}

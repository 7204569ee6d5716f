import { createMetrics } from './metrics';

describe('createMetrics', () => {
  it('registers the shared metrics with the service label, plus process metrics', async () => {
    const metrics = createMetrics({ service: 'svc' });
    metrics.httpRequestDuration.observe({ method: 'GET', route: '/healthz', status: '200' }, 0.003);
    metrics.eventsProcessed.inc({ topic: 't', outcome: 'ok' });
    metrics.eventsFailed.inc({ topic: 't', code: 'DD_EVENT_UNDECODABLE' });
    metrics.deadLettered.inc({ topic: 't', code: 'DD_EVENT_UNDECODABLE' });
    metrics.consumerLag.set({ topic: 't', partition: '0' }, 3);
    const text = await metrics.registry.metrics();
    expect(text).toContain(
      'http_request_duration_seconds_bucket{le="0.005",service="svc",method="GET",route="/healthz",status="200"} 1',
    );
    expect(text).toContain('dd_events_processed_total{topic="t",outcome="ok",service="svc"} 1');
    expect(text).toContain('dd_events_failed_total{topic="t",code="DD_EVENT_UNDECODABLE",service="svc"} 1');
    expect(text).toContain('dd_dead_letter_total{topic="t",code="DD_EVENT_UNDECODABLE",service="svc"} 1');
    expect(text).toContain('dd_consumer_lag{topic="t",partition="0",service="svc"} 3');
    expect(text).toContain('process_cpu_user_seconds_total');
  });

  it('keeps registries apart (one per service instance, none global)', async () => {
    const a = createMetrics({ service: 'a', defaultMetrics: false });
    createMetrics({ service: 'b', defaultMetrics: false }).eventsProcessed.inc({ topic: 't', outcome: 'ok' });
    expect(await a.registry.metrics()).not.toContain('outcome="ok"');
  });
});

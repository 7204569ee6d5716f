// Liveness, readiness and metrics endpoints, the same in every service.
import { DriveDepositsError, type FieldError } from '@drive-deposits/core';
import type { Metrics } from '@drive-deposits/runtime';
import { Router } from 'express';
import { sendProblem } from './problem';

/** A readiness check resolves when its dependency answers; it rejects (or times out) otherwise. */
export type ReadinessChecks = Record<string, () => Promise<void>>;

export const DEFAULT_READINESS_TIMEOUT_MS = 2000;

async function runCheck(check: () => Promise<void>, timeoutMs: number): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no answer within ${timeoutMs} ms`), timeoutMs);
  });
  const outcome = Promise.resolve()
    .then(check)
    .then(
      () => undefined,
      (error: unknown) => (error instanceof Error ? error.message : String(error)) || 'failed',
    );
  try {
    return await Promise.race([outcome, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function healthRoutes(metrics: Metrics, readiness: ReadinessChecks, timeoutMs: number): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const names = Object.keys(readiness);
    const failures = await Promise.all(names.map((name) => runCheck(readiness[name]!, timeoutMs)));
    const errors: FieldError[] = [];
    names.forEach((name, i) => {
      const failure = failures[i];
      if (failure !== undefined) errors.push({ path: name, message: failure });
    });
    if (errors.length > 0) {
      const detail = `Not ready: ${errors.map((e) => `${e.path} (${e.message})`).join(', ')}`;
      sendProblem(res, new DriveDepositsError('DD_DEPENDENCY_UNAVAILABLE', detail, { errors }));
      return;
    }
    res.json({ status: 'ok', checks: Object.fromEntries(names.map((name) => [name, 'ok'])) });
  });
  router.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return router;
}

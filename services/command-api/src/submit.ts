// POST /portfolios and the original's synchronous route: validate → assign ids (core) → reserve the
// Idempotency-Key → publish PortfolioSubmitted → write its `accepted` status to the read model → 202,
// or 200 with the result when the caller waits.
import { randomUUID } from 'node:crypto';
import {
  DriveDepositsError,
  submitPortfolio,
  validatePortfolioRequest,
  type PortfolioResponse,
  type PortfolioSubmitted,
} from '@drive-deposits/core';
import type { Request, RequestHandler, Response } from 'express';
import { fingerprintOf, parseIdempotencyKey, storedKeyOf, type IdempotencyStore } from './idempotency';
import { parsePreferWait } from './prefer-wait';
import type { EventPublisher } from './publisher';
import type { AcceptedRecorder, CalculatedLookup } from './read-model';
import type { ResultListener } from './result-listener';

export interface SubmitDeps {
  publisher: EventPublisher;
  idempotency: IdempotencyStore;
  results: Pick<ResultListener, 'register'>;
  calculated: CalculatedLookup;
  /** writes the `accepted` status the Location of a 202 shows, before the 202 */
  recordAccepted: AcceptedRecorder;
  syncWaitMaxSeconds: number;
}

const portfolioLocation = (uuid: string) => `/portfolios/${uuid}`;

function validated(body: unknown) {
  const result = validatePortfolioRequest(body);
  if (result.ok) return result.value;
  const count = result.errors.length;
  throw new DriveDepositsError(
    'DD_VALIDATION_FAILED',
    `The request has ${count} invalid field${count === 1 ? '' : 's'}.`,
    { errors: result.errors },
  );
}

/** The Idempotency-Key as stored: the caller's own (storedKeyOf). */
const ownedKey = (req: Request): string | undefined => {
  const key = parseIdempotencyKey(req.get('Idempotency-Key'));
  return key === undefined ? undefined : storedKeyOf(req.principal.owner, key);
};

interface Accepted {
  event: PortfolioSubmitted;
  /** true when the Idempotency-Key's event was published by an earlier request */
  replay: boolean;
  /** the Idempotency-Key as stored, if the request has one */
  key: string | undefined;
}

/** The event to answer for: a new one, or the one an Idempotency-Key already stands for. */
async function accept(req: Request, deps: SubmitDeps): Promise<Accepted> {
  const key = ownedKey(req);
  const request = validated(req.body);
  const event = submitPortfolio(request, {
    newId: randomUUID,
    now: new Date().toISOString(),
    correlationId: req.correlationId,
    eventId: randomUUID(),
    owner: req.principal.owner,
  });
  if (key === undefined) return { event, replay: false, key };
  const reservation = await deps.idempotency.reserve(key, fingerprintOf(request), event);
  if (reservation.outcome === 'published') return { event: reservation.record.event, replay: true, key };
  if (reservation.outcome === 'stale') {
    req.log.info(
      { portfolio_uuid: reservation.record.portfolio_uuid },
      'republishing a stale idempotency key',
    );
  }
  return { event: reservation.outcome === 'stale' ? reservation.record.event : event, replay: false, key };
}

async function publish(req: Request, deps: SubmitDeps, { event, key }: Accepted): Promise<void> {
  await deps.publisher.publish(event);
  if (key === undefined) return;
  // The event is durable, so the answer is an acceptance either way; a key left pending is
  // republished by a retry after the publish timeout (a duplicate event with the same ids).
  await deps.idempotency.markPublished(key).catch((error: unknown) => {
    req.log.warn({ err: error }, 'could not mark the idempotency key published');
  });
}

function answer(res: Response, uuid: string, waitSeconds: number, response: PortfolioResponse | undefined) {
  res.setHeader('Location', portfolioLocation(uuid));
  if (waitSeconds > 0) res.setHeader('Preference-Applied', `wait=${waitSeconds}`);
  if (response !== undefined) res.status(200).json(response);
  else res.status(202).json({ portfolio_uuid: uuid, status: 'accepted' });
}

/** `defaultWaitSeconds`: how long to wait without a `Prefer: wait` (0 for POST /portfolios). */
export function submitHandler(deps: SubmitDeps, defaultWaitSeconds: number): RequestHandler {
  return async (req, res) => {
    const waitSeconds =
      parsePreferWait(req.get('Prefer'), deps.syncWaitMaxSeconds) ??
      Math.min(defaultWaitSeconds, deps.syncWaitMaxSeconds);
    const accepted = await accept(req, deps);
    const { event, replay } = accepted;
    const uuid = event.portfolio.uuid;
    if (waitSeconds === 0) {
      if (!replay) await publish(req, deps, accepted);
      // Also for a replay: the earlier request may have failed between publishing and this.
      await deps.recordAccepted(event);
      return answer(res, uuid, 0, undefined);
    }
    // Registered before publishing (or looking up), so a fast result cannot slip past.
    const waiter = deps.results.register(uuid, waitSeconds * 1000);
    res.once('close', () => waiter.cancel());
    try {
      if (replay) {
        const done = await deps.calculated(uuid);
        if (done !== undefined) waiter.resolve(done);
      } else {
        await publish(req, deps, accepted);
      }
      await deps.recordAccepted(event);
      answer(res, uuid, waitSeconds, await waiter.result);
    } finally {
      waiter.cancel();
    }
  };
}

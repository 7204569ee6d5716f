// DELETE /portfolios/{uuid}: by its owner only (another owner's, an unknown or an already deleted
// portfolio answers 404, never telling which) → PortfolioDeleted durably written → the tombstone
// in the read model (GET answers 404 from now on) → 204. The projector removes the rest.
import { randomUUID } from 'node:crypto';
import { DriveDepositsError, type PortfolioDeleted } from '@drive-deposits/core';
import { pathUuid, visiblePortfolio } from '@drive-deposits/http';
import type { RequestHandler } from 'express';
import type { DeletedRecorder, PortfolioLookup } from './read-model';

export interface DeleteDeps {
  portfolio: PortfolioLookup;
  /** publishes PortfolioDeleted; resolves once every in-sync replica has it */
  deletions: { publish(event: PortfolioDeleted): Promise<void> };
  recordDeleted: DeletedRecorder;
}

export function deleteHandler(deps: DeleteDeps): RequestHandler {
  return async (req, res) => {
    const uuid = pathUuid(req.params);
    const known = await deps.portfolio(uuid);
    if (!visiblePortfolio(req.principal, known)) {
      throw new DriveDepositsError('DD_NOT_FOUND', `No portfolio ${uuid}.`);
    }
    const event: PortfolioDeleted = {
      event_id: randomUUID(),
      correlation_id: req.correlationId,
      portfolio_uuid: uuid,
      owner: known.owner ?? req.principal.owner,
      deleted_at: new Date().toISOString(),
    };
    await deps.deletions.publish(event);
    await deps.recordDeleted(event);
    res.status(204).end();
  };
}

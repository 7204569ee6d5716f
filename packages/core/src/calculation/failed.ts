// A calculation that fails for a domain reason is still an answer: a PortfolioCalculated with no
// delta and no maturity, and the reason in the portfolio's `errors` (spec "Processing errors"). So
// the readers of the calculated topic — the projector, analytics teams — learn of it as a domain
// event, and the dead-letter topic keeps only what cannot be read at all.
import type { PortfolioCalculated, PortfolioSubmitted } from '../types';

export function calculationFailedEvent(
  submitted: PortfolioSubmitted,
  reason: string,
  ids: { eventId: string },
): PortfolioCalculated {
  const { uuid, created_at } = submitted.portfolio;
  return {
    event_id: ids.eventId,
    correlation_id: submitted.correlation_id,
    source_event_id: submitted.event_id,
    owner: submitted.owner ?? null,
    portfolio: {
      uuid,
      created_at,
      banks: [],
      outcome: { delta: null, maturity: null, errors: [{ uuid, message: reason }] },
    },
  };
}

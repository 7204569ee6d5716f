// One PortfolioSubmitted message in, its encoded PortfolioCalculated out — also when the portfolio
// cannot be calculated (DD_EVENT_INVALID, DD_CALCULATION_FAILED): that is a domain outcome, sent as a
// PortfolioCalculated carrying the reason. What is retried or dead-lettered is the consumer's call
// (core's classify): a retriable failure (the registry is unreachable) is retried, and a message that
// cannot be decoded (DD_EVENT_UNDECODABLE) is dead-lettered.
import {
  calculateEvent,
  calculationFailedEvent,
  classify,
  DriveDepositsError,
  validatePortfolioRequest,
  type PortfolioCalculated,
  type PortfolioRequest,
  type PortfolioSubmitted,
} from '@drive-deposits/core';
import type { EventCodec } from '@drive-deposits/kafka';
import { calculatedEventId } from './event-id';

export interface Calculated {
  event: PortfolioCalculated;
  value: Buffer;
  /** the portfolio could not be calculated: `event` carries the reason */
  failed: boolean;
}

/** The request part of the event (ids stripped), to check it with the same rules as the API. */
const requestOf = ({ portfolio }: PortfolioSubmitted): PortfolioRequest => ({
  new_delta: portfolio.new_delta,
  new_banks: portfolio.new_banks.map(({ name, bank_tz, new_deposits }) => ({
    name,
    bank_tz,
    new_deposits: new_deposits.map(({ uuid: _uuid, ...deposit }) => deposit),
  })),
});

/** The same checks the command API made: an event written by anything else gets no benefit of the doubt. */
function checkSubmitted(submitted: PortfolioSubmitted): void {
  const result = validatePortfolioRequest(requestOf(submitted));
  if (result.ok) return;
  const listed = result.errors.map((e) => `${e.path}: ${e.message}`).join('; ');
  throw new DriveDepositsError('DD_EVENT_INVALID', `PortfolioSubmitted fails validation: ${listed}`, {
    errors: result.errors,
  });
}

export async function calculateMessage(
  codec: EventCodec,
  outputTopic: string,
  value: Buffer | null,
): Promise<Calculated> {
  if (value === null) throw new DriveDepositsError('DD_EVENT_UNDECODABLE', 'The message has no value.');
  const submitted = await codec.decode(value, 'PortfolioSubmitted');
  const ids = { eventId: calculatedEventId(submitted.event_id) };
  let event: PortfolioCalculated;
  let failed = false;
  try {
    checkSubmitted(submitted);
    event = calculateEvent(submitted, ids);
  } catch (error) {
    if (classify(error) === 'retry') throw error;
    const detail = error instanceof Error ? error.message : String(error);
    event = calculationFailedEvent(submitted, detail, ids);
    failed = true;
  }
  return { event, value: codec.encode(outputTopic, event), failed };
}

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
  parseSubmittedPortfolio,
  type PortfolioCalculated,
} from '@drive-deposits/core';
import type { EventCodec } from '@drive-deposits/kafka';
import { calculatedEventId } from './event-id';

export interface Calculated {
  event: PortfolioCalculated;
  value: Buffer;
  /** the portfolio could not be calculated: `event` carries the reason */
  failed: boolean;
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
    // The one guard against a poison event (decodes, breaks a rule): DD_EVENT_INVALID, every rule listed.
    const portfolio = parseSubmittedPortfolio(submitted.portfolio);
    event = calculateEvent(submitted, ids, portfolio);
  } catch (error) {
    if (classify(error) === 'retry') throw error;
    const detail = error instanceof Error ? error.message : String(error);
    event = calculationFailedEvent(submitted, detail, ids);
    failed = true;
  }
  return { event, value: codec.encode(outputTopic, event), failed };
}

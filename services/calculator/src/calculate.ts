// One PortfolioSubmitted message in, its encoded PortfolioCalculated out. Failures are classified
// for the consumer: retriable ones (the registry is unreachable) are retried, the others
// (DD_EVENT_UNDECODABLE, DD_EVENT_INVALID, DD_CALCULATION_FAILED) are dead-lettered.
import {
  calculateEvent,
  DriveDepositsError,
  isDriveDepositsError,
  parseSubmittedPortfolio,
  type PortfolioCalculated,
} from '@drive-deposits/core';
import type { EventCodec } from '@drive-deposits/kafka';
import { calculatedEventId } from './event-id';

export interface Calculated {
  event: PortfolioCalculated;
  value: Buffer;
}

export async function calculateMessage(
  codec: EventCodec,
  outputTopic: string,
  value: Buffer | null,
): Promise<Calculated> {
  if (value === null) throw new DriveDepositsError('DD_EVENT_UNDECODABLE', 'The message has no value.');
  const submitted = await codec.decode(value, 'PortfolioSubmitted');
  // The one guard against a poison event (decodes, breaks a rule): DD_EVENT_INVALID, every rule listed.
  const portfolio = parseSubmittedPortfolio(submitted.portfolio);
  try {
    const event = calculateEvent(submitted, { eventId: calculatedEventId(submitted.event_id) }, portfolio);
    return { event, value: codec.encode(outputTopic, event) };
  } catch (error) {
    if (isDriveDepositsError(error) && error.retriable) throw error;
    const detail = error instanceof Error ? error.message : String(error);
    throw new DriveDepositsError(
      'DD_CALCULATION_FAILED',
      `Calculating ${submitted.event_id} failed: ${detail}`,
      {
        cause: error,
      },
    );
  }
}

/** Codes whose message is parked on the dead-letter topic; anything else is retried. */
export const DEAD_LETTER_CODES = new Set([
  'DD_EVENT_UNDECODABLE',
  'DD_EVENT_INVALID',
  'DD_CALCULATION_FAILED',
]);

export const isDeadLetterable = (error: unknown): error is DriveDepositsError =>
  isDriveDepositsError(error) && !error.retriable && DEAD_LETTER_CODES.has(error.code);

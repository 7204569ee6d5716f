// One PortfolioSubmitted message in, its encoded PortfolioCalculated out. Failures are classified
// for the consumer: retriable ones (the registry is unreachable) are retried, the others
// (DD_EVENT_UNDECODABLE, DD_EVENT_INVALID, DD_CALCULATION_FAILED) are dead-lettered.
import {
  calculateEvent,
  DriveDepositsError,
  isDriveDepositsError,
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
  checkSubmitted(submitted);
  try {
    const event = calculateEvent(submitted, { eventId: calculatedEventId(submitted.event_id) });
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

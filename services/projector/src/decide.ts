// What one record means for the read models: writes, a dead-letter (it cannot be decoded or
// mapped), or nothing. Retriable failures (registry unreachable) are thrown, never dead-lettered.
import { classify, DriveDepositsError } from '@drive-deposits/core';
import type { EventCodec, TopicNames } from '@drive-deposits/kafka';
import type { KafkaMessage } from 'kafkajs';
import {
  writesForCalculated,
  writesForDeleted,
  writesForSubmitted,
  type ReadModelWrites,
} from './projection';

/** What a log line about the event names: its ids and the correlation id it carries. */
interface EventIds {
  event_id: string;
  correlation_id: string;
  portfolio_uuid: string;
}

export type Decision =
  | { kind: 'write'; writes: ReadModelWrites; event?: EventIds }
  | { kind: 'dead-letter'; error: unknown }
  | { kind: 'skip'; reason: string };

/** Mapping an event to writes throws only on a broken contract (e.g. a growth without 2 decimals). */
function mapped(map: () => ReadModelWrites, event?: EventIds): Decision {
  try {
    return { kind: 'write', writes: map(), event };
  } catch (error) {
    const detail = `The event cannot be projected: ${error instanceof Error ? error.message : String(error)}`;
    return {
      kind: 'dead-letter',
      error: new DriveDepositsError('DD_EVENT_INVALID', detail, { cause: error }),
    };
  }
}

const idsOf = (
  { event_id, correlation_id }: { event_id: string; correlation_id: string },
  portfolioUuid: string,
): EventIds => ({ event_id, correlation_id, portfolio_uuid: portfolioUuid });

async function decoded(decode: () => Promise<Decision>): Promise<Decision> {
  try {
    return await decode();
  } catch (error) {
    if (classify(error) === 'reject') return { kind: 'dead-letter', error };
    throw error;
  }
}

export async function decide(
  codec: EventCodec,
  topics: TopicNames,
  topic: string,
  message: KafkaMessage,
): Promise<Decision> {
  const value = message.value ?? Buffer.alloc(0);
  if (topic === topics.portfolioSubmitted) {
    return decoded(async () => {
      const event = await codec.decode(value, 'PortfolioSubmitted');
      return mapped(() => writesForSubmitted(event), idsOf(event, event.portfolio.uuid));
    });
  }
  if (topic === topics.portfolioCalculated) {
    return decoded(async () => {
      const event = await codec.decode(value, 'PortfolioCalculated');
      return mapped(() => writesForCalculated(event), idsOf(event, event.portfolio.uuid));
    });
  }
  if (topic === topics.portfolioDeleted) {
    return decoded(async () => {
      const event = await codec.decode(value, 'PortfolioDeleted');
      return mapped(() => writesForDeleted(event), idsOf(event, event.portfolio_uuid));
    });
  }
  return { kind: 'skip', reason: `unexpected topic ${topic}` };
}

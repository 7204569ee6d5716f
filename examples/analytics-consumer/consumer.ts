// What a downstream analytics team needs to read PortfolioCalculated: a read_committed consumer
// (results of aborted calculator transactions are never seen) in the team's own group, and a
// registry-aware Avro decoder. This example decodes with @drive-deposits/kafka's codec, which
// fetches the writer schema by the id in each message and reads it with this build's schema;
// any Confluent-compatible deserializer (Java, Python, Go) does the same job.
import { createEventCodec, createEventRegistry } from '@drive-deposits/kafka';
import type { PortfolioCalculated } from '@drive-deposits/core';
import { Kafka, logLevel, type Consumer } from 'kafkajs';

/** The fields this example uses; the full contract is schemas/events/portfolio-calculated.avsc. */
export type CalculatedSummary = Pick<PortfolioCalculated, 'correlation_id' | 'portfolio'>;

export interface AnalyticsConsumerOptions {
  brokers: string[];
  registryUrl: string;
  /** e.g. drive-deposits.portfolio-calculated */
  topic: string;
  groupId: string;
  /** a new group starts at the beginning of the topic (true) or only sees new results (false) */
  fromBeginning: boolean;
  print: (line: string) => void;
}

/** One line per portfolio: when, which, how big, and the portfolio-level outcome. */
export function describeCalculated({ portfolio, correlation_id }: CalculatedSummary): string {
  const deposits = portfolio.banks.reduce((n, bank) => n + bank.deposits.length, 0);
  const { delta, maturity } = portfolio.outcome;
  const growth = delta ? `${delta.growth} per ${delta.period} ${delta.period_unit}` : 'n/a';
  return [
    portfolio.created_at,
    `portfolio=${portfolio.uuid}`,
    `banks=${portfolio.banks.length}`,
    `deposits=${deposits}`,
    `growth=${growth}`,
    `maturity_total=${maturity?.total ?? 'n/a'}`,
    `correlation_id=${correlation_id}`,
  ].join(' ');
}

export async function runAnalyticsConsumer(options: AnalyticsConsumerOptions): Promise<Consumer> {
  // Decoding only: nothing is registered (no init()), schemas are fetched by id and cached.
  const codec = createEventCodec(createEventRegistry({ url: options.registryUrl }), {
    topics: { portfolioSubmitted: '', portfolioCalculated: options.topic },
  });
  const kafka = new Kafka({
    clientId: 'analytics-example',
    brokers: options.brokers,
    logLevel: logLevel.WARN,
  });
  const consumer = kafka.consumer({ groupId: options.groupId, readUncommitted: false });
  await consumer.connect();
  await consumer.subscribe({ topics: [options.topic], fromBeginning: options.fromBeginning });
  await consumer.run({
    eachMessage: async ({ message }) => {
      if (message.value === null) return;
      // Confluent framing: magic byte, 4-byte schema id, Avro body.
      options.print(describeCalculated(await codec.decode(message.value, 'PortfolioCalculated')));
    },
  });
  return consumer;
}

// Test support for the pipeline's e2e tests: the spec's example and its expected numbers,
// a collector of a topic's messages, and the calculator's test configuration.
import { loadConfig } from '@drive-deposits/config';
import type { PortfolioRequest, PortfolioResponse } from '@drive-deposits/core';
import { kafkaBrokers, schemaRegistryUrl, specExample, uniqueName } from '@drive-deposits/testing';
import type { Consumer, IHeaders, Kafka } from 'kafkajs';
import { calculatorConfigSpec } from '../services/calculator/src/config';

export const specRequest = () => specExample<PortfolioRequest>('portfolio-request-valid.json');

interface ExpectedFigures {
  growth: string;
  amount: string;
  interest: string;
  total: string;
}
interface ExpectedDeposit extends ExpectedFigures {
  account: string;
  account_type: string;
  apy: string;
  years: string;
  start_date_in_bank_tz: string;
  maturity_date_in_bank_tz: string;
}
interface Expected {
  delta: { period: string; period_unit: string };
  banks: { name: string; bank_tz: string; deposits: ExpectedDeposit[]; outcome: ExpectedFigures }[];
  portfolio: ExpectedFigures;
}

export const specExpected = () => {
  const { delta, banks, portfolio } = specExample<Expected>('portfolio-request-valid.expected.json');
  return { delta, banks, portfolio };
};

const figures = (outcome: PortfolioResponse['outcome']): ExpectedFigures => ({
  growth: outcome.delta!.growth,
  amount: outcome.maturity!.amount,
  interest: outcome.maturity!.interest,
  total: outcome.maturity!.total,
});

/** A response in the shape of the expected file, to compare all three levels at once. */
export function asExpected(response: PortfolioResponse): ReturnType<typeof specExpected> {
  return {
    delta: { period: response.outcome.delta!.period, period_unit: response.outcome.delta!.period_unit },
    banks: response.banks.map((bank) => ({
      name: bank.name,
      bank_tz: bank.bank_tz,
      deposits: bank.deposits.map((d) => ({
        account: d.account,
        account_type: d.account_type,
        apy: d.apy,
        years: d.years,
        ...figures(d.outcome),
        start_date_in_bank_tz: d.outcome_with_dates.start_date_in_bank_tz,
        maturity_date_in_bank_tz: d.outcome_with_dates.maturity_date_in_bank_tz!,
      })),
      outcome: figures(bank.outcome),
    })),
    portfolio: figures(response.outcome),
  };
}

/** Calculator configuration for tests: its own topics, group and a short session timeout. */
export function testCalculatorEnv(prefix: string, group = uniqueName('calc')): Record<string, string> {
  return {
    LOG_LEVEL: 'warn',
    KAFKA_BROKERS: kafkaBrokers().join(','),
    SCHEMA_REGISTRY_URL: schemaRegistryUrl(),
    KAFKA_TOPIC_PREFIX: prefix,
    KAFKA_TOPIC_PARTITIONS: '3',
    CONSUMER_GROUP: group,
    CONSUMER_SESSION_TIMEOUT_MS: '6000',
    SHUTDOWN_TIMEOUT_MS: '10000',
  };
}

export const testCalculatorConfig = (prefix: string) => {
  const config = loadConfig(calculatorConfigSpec, testCalculatorEnv(prefix));
  return { ...config, service: { ...config.service, port: 0 } };
};

export interface Collected {
  key: string;
  value: Buffer;
  headers: IHeaders;
  partition: number;
  offset: string;
}

/** Collects every message of a topic from the beginning while running; `waitFor` polls the collection. */
export async function collectTopic(kafka: Kafka, topic: string, readUncommitted = false) {
  const messages: Collected[] = [];
  const consumer: Consumer = kafka.consumer({
    groupId: uniqueName('collect'),
    readUncommitted,
    maxWaitTimeInMs: 100,
  });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ partition, message }) => {
      messages.push({
        key: message.key?.toString() ?? '',
        value: message.value ?? Buffer.alloc(0),
        headers: message.headers ?? {},
        partition,
        offset: message.offset,
      });
    },
  });
  return {
    messages,
    async waitFor<T>(find: (all: Collected[]) => T | undefined, timeoutMs = 60_000): Promise<T> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = find(messages);
        if (found !== undefined) return found;
        if (Date.now() > deadline)
          throw new Error(`not found in ${topic} within ${timeoutMs} ms (${messages.length} messages)`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    stop: () => consumer.disconnect(),
  };
}

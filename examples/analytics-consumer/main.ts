// Example downstream consumer of PortfolioCalculated. Run from the repository root:
//   npx tsx examples/analytics-consumer/main.ts
// Environment: KAFKA_BROKERS (127.0.0.1:9092), SCHEMA_REGISTRY_URL (http://127.0.0.1:8081),
// KAFKA_TOPIC_PREFIX (drive-deposits.), GROUP_ID (analytics-example), FROM_BEGINNING (true).
import { runAnalyticsConsumer } from './consumer';

async function main(): Promise<void> {
  const env = process.env;
  const consumer = await runAnalyticsConsumer({
    brokers: (env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',').map((b) => b.trim()),
    registryUrl: env.SCHEMA_REGISTRY_URL ?? 'http://127.0.0.1:8081',
    topic: `${env.KAFKA_TOPIC_PREFIX ?? 'drive-deposits.'}portfolio-calculated`,
    groupId: env.GROUP_ID ?? 'analytics-example',
    fromBeginning: (env.FROM_BEGINNING ?? 'true') === 'true',
    print: (line) => process.stdout.write(`${line}\n`),
  });
  const stop = () => {
    consumer.disconnect().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `analytics consumer failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});

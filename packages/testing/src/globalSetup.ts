// jest globalSetup of the `int` project: provides Kafka, a schema registry and MongoDB once per run
// (see ./servers.ts for where they come from) and exports KAFKA_BROKERS, SCHEMA_REGISTRY_URL and
// MONGO_URL to the test workers, which jest starts after this returns.
import { provideServers, type Servers } from './servers';

export const SERVERS_KEY = '__driveDepositsTestServers';

export default async function globalSetup(): Promise<void> {
  const servers = await provideServers();
  Object.assign(process.env, servers.env);
  (globalThis as Record<string, unknown>)[SERVERS_KEY] = servers;
}

export type { Servers };

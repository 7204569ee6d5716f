// jest globalTeardown of the `int` project: stops what globalSetup started in this run, nothing else
// (servers given by env vars, or already running before the run, are left alone).
import { SERVERS_KEY, type Servers } from './globalSetup';

export default async function globalTeardown(): Promise<void> {
  const servers = (globalThis as Record<string, unknown>)[SERVERS_KEY] as Servers | undefined;
  delete (globalThis as Record<string, unknown>)[SERVERS_KEY];
  await servers?.stop();
}

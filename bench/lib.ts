// Shared helpers of the benchmark and failure scripts: machine description (printed with every
// figure, since other test runs may share the 2 cores), percentiles, bounded progress lines.
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import {
  buildServices,
  isolatedEnv,
  startServiceProcess,
  type ServiceName,
  type ServiceProcess,
} from '../packages/testing/src';

/** CPU model, cores, memory, node version, date and the current load average, on one line. */
export function machineLine(): string {
  const cpus = os.cpus();
  return (
    `${new Date().toISOString()} | ${cpus[0]?.model.trim() ?? 'unknown CPU'} × ${cpus.length} cores, ` +
    `${Math.round(os.totalmem() / 2 ** 30)} GiB | node ${process.version} | load ${loadLine()}`
  );
}

/** The 1/5/15-minute load averages. */
export function loadLine(): string {
  return os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
}

/** Nearest-rank percentile of an ascending-sorted array (p in 0…100). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

/** "p50 … p95 … p99 … max …" in ms of an unsorted sample. */
export function latencySummary(samples: readonly number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const f = (v: number) => v.toFixed(1);
  return (
    `n=${sorted.length} p50 ${f(percentile(sorted, 50))} ms, p95 ${f(percentile(sorted, 95))} ms, ` +
    `p99 ${f(percentile(sorted, 99))} ms, max ${f(sorted.at(-1) ?? Number.NaN)} ms`
  );
}

/** `--json` on the command line: FIGURE lines go to stderr, and {@link printFigures} prints them as JSON. */
export const jsonRequested = () => process.argv.includes('--json');
const recorded: Array<{ label: string; value: string; data?: unknown; machine: string }> = [];

/** A figure line: what, value, and the machine/load at the moment it was taken (`data`: for --json). */
export function figure(label: string, value: string, data?: unknown): void {
  const machine = machineLine();
  recorded.push({ label, value, data, machine });
  const line = `FIGURE ${label}: ${value}\n       [${machine}]`;
  if (jsonRequested()) process.stderr.write(`${line}\n`);
  else console.log(line);
}

/** With --json: every figure so far as one JSON document on stdout. */
export function printFigures(): void {
  if (jsonRequested()) console.log(JSON.stringify({ figures: recorded }, null, 2));
}

/** Prints `label done/total` at most every `everyMs`, on stderr, so long runs show they move. */
export function progress(label: string, total: number, everyMs = 2000): (done: number) => void {
  let last = 0;
  const start = Date.now();
  return (done: number) => {
    const now = Date.now();
    if (now - last < everyMs && done < total) return;
    last = now;
    const rate = done / Math.max(0.001, (now - start) / 1000);
    process.stderr.write(`  ${label}: ${done}/${total} (${rate.toFixed(0)}/s, load ${loadLine()})\n`);
  };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `check` every `intervalMs` until it returns true or `timeoutMs` passes (then throws `what`). */
export async function until(
  what: string,
  check: () => Promise<boolean>,
  { timeoutMs = 60_000, intervalMs = 250 } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

/** Runs `worker` over `count` items with at most `concurrency` in flight. */
export async function pool(
  count: number,
  concurrency: number,
  worker: (index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      for (let i = next++; i < count; i = next++) await worker(i);
    }),
  );
}

type ServerEnv = { KAFKA_BROKERS: string; SCHEMA_REGISTRY_URL: string; MONGO_URL: string };
let localServers: ServerEnv | undefined;

/**
 * KAFKA_BROKERS / SCHEMA_REGISTRY_URL / MONGO_URL: each from the environment when set, otherwise
 * what `infra/infra.sh env` prints for the local servers (never the services' code defaults: the
 * local registry serves its Confluent API under a path that a Confluent registry does not have).
 */
export function serverEnv(): ServerEnv {
  const local = (): ServerEnv =>
    (localServers ??= Object.fromEntries(
      execFileSync('bash', [join(__dirname, '../infra/infra.sh'), 'env'], { encoding: 'utf8' })
        .trim()
        .split('\n')
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    ) as ServerEnv);
  return {
    KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? local().KAFKA_BROKERS,
    SCHEMA_REGISTRY_URL: process.env.SCHEMA_REGISTRY_URL ?? local().SCHEMA_REGISTRY_URL,
    MONGO_URL: process.env.MONGO_URL ?? local().MONGO_URL,
  };
}

// ---- the whole system as processes, for bench:pipeline and scripts/failures ----

export type SystemService = ServiceName;

export interface System {
  name: string;
  env: Record<string, string>;
  topics: { portfolioSubmitted: string; portfolioCalculated: string; deadLetter: string };
  services: ServiceProcess[];
  url(service: SystemService): string;
  /** starts one more process of `service` (same env, same consumer group) */
  start(service: SystemService): Promise<ServiceProcess>;
  stop(): Promise<void>;
  /** stops the services, then drops the system's database */
  stopAndDropDatabase(): Promise<void>;
}

/** The four built services on a unique topic prefix and database; `replicas` calculators and projectors. */
export async function startSystem(
  prefix: string,
  replicas = 1,
  extraEnv: Record<string, string> = {},
): Promise<System> {
  buildServices();
  const { name, env: envFor } = isolatedEnv(prefix, { partitions: 6 });
  // what every service shares (the consumers add their CONSUMER_GROUP)
  const env = { ...serverEnv(), ...envFor('command-api'), ...extraEnv };
  const services: ServiceProcess[] = [];
  let stopping = false;
  const start = async (service: SystemService) => {
    const process = await startServiceProcess(
      service,
      { ...env, ...envFor(service), ...extraEnv },
      { readyTimeoutMs: 120_000 },
    );
    services.push(process);
    // A service that dies on its own is news: say so with the end of its output.
    process.child.once('exit', (code, signal) => {
      if (stopping || signal === 'SIGKILL') return;
      console.log(
        `!! ${service} (pid ${process.child.pid}) exited by itself, code ${code} ${signal ?? ''}:\n${process.output().slice(-3000)}`,
      );
    });
    return process;
  };
  try {
    // Consumers first, so the topics and read models exist before the first command.
    await start('calculator');
    await start('projector');
    while (services.filter((s) => s.name === 'calculator').length < replicas) await start('calculator');
    while (services.filter((s) => s.name === 'projector').length < replicas) await start('projector');
    await start('query-api');
    await start('command-api');
  } catch (error) {
    // leave no orphans behind a failed start
    stopping = true;
    await Promise.all(services.map((s) => s.stop()));
    throw error;
  }
  const live = (service: SystemService) =>
    services.find((s) => s.name === service && s.child.exitCode === null && s.child.signalCode === null);
  const system: System = {
    name,
    env,
    topics: {
      portfolioSubmitted: `${name}.portfolio-submitted`,
      portfolioCalculated: `${name}.portfolio-calculated`,
      deadLetter: `${name}.dead-letter`,
    },
    services,
    url: (service) => (live(service) ?? services.find((s) => s.name === service)!).url,
    start,
    async stop() {
      stopping = true;
      await Promise.all(services.map((s) => s.stop()));
    },
    async stopAndDropDatabase() {
      await system.stop();
      const client = await MongoClient.connect(serverEnv().MONGO_URL);
      await client
        .db(system.env.MONGO_DB!)
        .dropDatabase()
        .catch(() => undefined);
      await client.close();
    },
  };
  return system;
}

/** Runs a bench's main: then the load, the figures as JSON with --json, exit 0; or the error, exit 1. */
export function runBench(main: () => Promise<void>): void {
  main().then(
    () => {
      process.stderr.write(`done, load ${loadLine()}\n`);
      printFigures();
      process.exit(0);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}

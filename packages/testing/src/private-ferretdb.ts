// A private FerretDB (the project's patched build, from infra/infra.sh) on its own port and data
// directory, for tests that stop, restart or inspect a MongoDB-wire server: the shared test server
// is never touched. Whatever servers the run uses, such a test needs this one and fails, saying why,
// if it cannot be had.
import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { freePort, REPO_ROOT } from './processes';

export interface PrivateFerretDb {
  url: string;
  /** SIGKILL (data stays in the directory) and wait for the exit */
  stop(): Promise<void>;
}

let binary: string | undefined;

/** The patched FerretDB binary (built from Go's caches by infra/infra.sh; a no-op when built). */
export function ferretDbBinary(): string {
  try {
    binary ??= execFileSync('bash', [join(REPO_ROOT, 'infra/infra.sh'), 'mongo-binary'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    }).trim();
    return binary;
  } catch (error) {
    const stderr = (error as { stderr?: Buffer | string }).stderr?.toString() ?? '';
    throw new Error(`private FerretDB could not be built (infra/infra.sh mongo-binary): ${stderr}`);
  }
}

export interface FerretDbTls {
  /** port of the TLS listener (beside the plain one on `port`) */
  port: number;
  certFile: string;
  keyFile: string;
}

/**
 * Starts FerretDB on 127.0.0.1:`port` with SQLite files in `dataDir` (and a TLS listener when `tls`
 * is given); resolves once it answers ping on the plain port.
 */
export async function startFerretDb(
  port: number,
  dataDir: string,
  timeoutMs = 20_000,
  tls?: FerretDbTls,
): Promise<PrivateFerretDb> {
  const tlsArgs =
    tls === undefined
      ? []
      : [
          '-listen-tls',
          `127.0.0.1:${tls.port}`,
          '-listen-tls-cert-file',
          tls.certFile,
          '-listen-tls-key-file',
          tls.keyFile,
        ];
  const child = spawn(
    ferretDbBinary(),
    [
      '-listen-addr',
      `127.0.0.1:${port}`,
      '-sqlite-url',
      `file:${dataDir}/`,
      '-log-level',
      'warn',
      ...tlsArgs,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `mongodb://127.0.0.1:${port}/`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`FerretDB exited ${child.exitCode}: ${output}`);
    const client = new MongoClient(url, { serverSelectionTimeoutMS: 500 });
    try {
      await client.db('admin').command({ ping: 1 });
      break;
    } catch (error) {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(
          `FerretDB on ${url} did not answer ping within ${timeoutMs} ms: ${String(error)}\n${output}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    } finally {
      await client.close();
    }
  }
  return {
    url,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/**
 * Runs SQL statements on a SQLite file of a stopped server with Python's sqlite3 module (an
 * independent client, as an older build or a crash would have left the file), then returns the
 * first column of `select`'s rows.
 */
export function sqliteFile(file: string, statements: string[], select: string): unknown[] {
  const script = [
    'import sqlite3, sys, json',
    'c = sqlite3.connect(sys.argv[1])',
    'for s in json.loads(sys.argv[2]): c.execute(s)',
    'c.commit()',
    'print(json.dumps([r[0] for r in c.execute(sys.argv[3])]))',
  ].join('\n');
  try {
    return JSON.parse(
      execFileSync('python3', ['-c', script, file, JSON.stringify(statements), select], { encoding: 'utf8' }),
    ) as unknown[];
  } catch (error) {
    throw new Error(
      `python3's sqlite3 module is needed to write a SQLite file as a test's input: ${String(error)}`,
    );
  }
}

/** Runs `run` with a client of a private FerretDB on `dataDir`, then stops the server (the data stays). */
export async function withPrivateFerretDb<T>(
  dataDir: string,
  run: (client: MongoClient) => Promise<T>,
): Promise<T> {
  const server = await startFerretDb(await freePort(), dataDir);
  const client = new MongoClient(server.url);
  try {
    return await run(client);
  } finally {
    await client.close();
    await server.stop();
  }
}

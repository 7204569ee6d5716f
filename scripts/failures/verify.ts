// Re-checks an earlier failure run from its topics (and read models unless
// FAILURE_SKIP_READ_MODEL=1): `tsx scripts/failures/verify.ts <topic prefix> <mongo db>`.
// Every portfolio found on the submitted topic counts as accepted.
import type { System } from '../../bench/lib';
import { verify } from './lib';

async function main(): Promise<number> {
  const [prefix, db] = process.argv.slice(2);
  if (!prefix || !db) throw new Error('usage: verify.ts <topic prefix ending in "."> <mongo db>');
  const system = { env: { KAFKA_TOPIC_PREFIX: prefix, MONGO_DB: db } } as unknown as System;
  const verdict = await verify(system, new Set());
  console.log(`RESULT verify ${JSON.stringify(verdict)}`);
  return verdict.ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(2);
  },
);

// The start command's demo: submits the example portfolios through the command API, waits until
// the read side has them, then prints the top-k at every level from the query API. Every request
// carries DD_TOKEN (scripts/start.sh makes it: owner demo, every scope) when it is set.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const commandApi = process.env.COMMAND_API_URL ?? 'http://127.0.0.1:3000';
const queryApi = process.env.QUERY_API_URL ?? 'http://127.0.0.1:3001';
const examplesDir = join(__dirname, '..', 'examples', 'requests');
const authorization: Record<string, string> = process.env.DD_TOKEN
  ? { authorization: `Bearer ${process.env.DD_TOKEN}` }
  : {};

interface Ranked {
  data: { responses: Array<Record<string, unknown>>; count_responses: number };
  metadata: { order: string; top_k: number; sort_criteria_description: string };
}

async function getJson<T>(url: string): Promise<{ status: number; body: T }> {
  const res = await fetch(url, { headers: authorization });
  return { status: res.status, body: (await res.json()) as T };
}

async function submit(file: string): Promise<string> {
  const body = readFileSync(join(examplesDir, file), 'utf8');
  const res = await fetch(`${commandApi}/portfolios`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', prefer: 'wait=15', ...authorization },
    body,
  });
  const json = (await res.json()) as { uuid?: string; portfolio_uuid?: string; detail?: string };
  const uuid = json.portfolio_uuid ?? json.uuid;
  if (res.status >= 300 || !uuid)
    throw new Error(`POST /portfolios ${file}: ${res.status} ${JSON.stringify(json)}`);
  console.log(`submitted ${file.padEnd(28)} → ${res.status} portfolio ${uuid}`);
  return uuid;
}

async function waitUntilQueryable(uuid: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { status, body } = await getJson<{ status?: string }>(`${queryApi}/portfolios/${uuid}`);
    if (status === 200 && body.status === 'calculated') return;
    if (Date.now() > deadline) throw new Error(`portfolio ${uuid} not queryable after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

// Reads a dotted path (`outcome.delta.growth`) from a response item.
function pick(row: unknown, path: string): string {
  let value: unknown = row;
  for (const key of path.split('.')) value = (value as Record<string, unknown> | undefined)?.[key];
  return value === undefined || value === null ? '' : String(value);
}

function printRanking(title: string, ranked: Ranked, columns: Array<[string, string]>): void {
  console.log(
    `\n${title}\n  ${ranked.metadata.sort_criteria_description} (order=${ranked.metadata.order}, top_k=${ranked.metadata.top_k})`,
  );
  const rows = ranked.data.responses.map((r) => columns.map(([, path]) => pick(r, path)));
  const header = columns.map(([name]) => name);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => '  ' + cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  console.log(line(header));
  for (const row of rows) console.log(line(row));
}

async function main(): Promise<void> {
  const files = readdirSync(examplesDir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  const uuids: string[] = [];
  for (const file of files) uuids.push(await submit(file));
  // Drill into the portfolio with the most banks: the rankings below have something to rank.
  const banksPerFile = files.map(
    (f) =>
      (JSON.parse(readFileSync(join(examplesDir, f), 'utf8')) as { new_banks: unknown[] }).new_banks.length,
  );
  const first = uuids[banksPerFile.indexOf(Math.max(...banksPerFile))]!;
  for (const uuid of uuids) await waitUntilQueryable(uuid);

  const portfolios = await getJson<Ranked>(
    `${queryApi}/by-level-for-portfolios/delta-growth?order=desc&top_k=5`,
  );
  printRanking('Portfolios by delta growth', portfolios.body, [
    ['portfolio', 'portfolio_uuid'],
    ['period', 'outcome.delta.period'],
    ['unit', 'outcome.delta.period_unit'],
    ['growth', 'outcome.delta.growth'],
    ['total at maturity', 'outcome.maturity.total'],
  ]);

  const banks = await getJson<Ranked>(
    `${queryApi}/portfolios/${first}/by-level-for-banks/delta-growth?order=desc&top_k=3`,
  );
  printRanking(`Banks of ${first} by delta growth`, banks.body, [
    ['bank', 'bank_name'],
    ['tz', 'bank_tz'],
    ['growth', 'outcome.delta.growth'],
  ]);

  const byGrowth = await getJson<Ranked>(
    `${queryApi}/portfolios/${first}/by-level-for-deposits/delta-growth?order=desc&top_k=3`,
  );
  printRanking(`Deposits of ${first} by delta growth`, byGrowth.body, [
    ['account', 'account'],
    ['bank', 'bank_name'],
    ['type', 'account_type'],
    ['growth', 'deposit_delta_growth'],
  ]);

  const byDate = await getJson<Ranked>(
    `${queryApi}/portfolios/${first}/by-level-for-deposits/maturity-date?order=asc&top_k=3`,
  );
  printRanking(`Deposits of ${first} by maturity date`, byDate.body, [
    ['account', 'account'],
    ['bank', 'bank_name'],
    ['matures', 'deposit_maturity_date_in_bank_tz'],
  ]);
}

main().catch((err: unknown) => {
  console.error(`demo failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});

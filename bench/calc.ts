// Throughput of the calculation engine and of request validation on a 10,000-deposit portfolio
// (the largest allowed): `npm run bench:calc` (BENCH_ITERATIONS=N to change the sample size).
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import {
  ACCOUNT_TYPES,
  calculatePortfolio,
  parseSubmittedPortfolio,
  submitPortfolio,
  validatePortfolioRequest,
  type NewDeposit,
  type PortfolioRequest,
  type SubmittedPortfolio,
} from '../packages/core/src';

const BANKS = 10;
const DEPOSITS_PER_BANK = 1000;
const DEPOSITS = BANKS * DEPOSITS_PER_BANK;
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 15);
const WARM_UP = 3;

// A realistic mix: a few dozen rates and terms, whole and fractional years, every account type.
const RATES = Array.from(
  { length: 48 },
  (_, i) => `${Math.floor(i / 8)}.${String((i * 37) % 100).padStart(2, '0')}`,
);
const TERMS = ['0.5', '1', '1.5', '2', '2.75', '3', '5', '7', '7.5', '10', '15.25', '20', '30'];

/** `unique` ≥ 0 makes every (apy, years) pair new: nothing can come from the factor cache. */
function buildRequest(unique = -1): PortfolioRequest {
  let k = 0;
  const deposit = (): NewDeposit => {
    const i = k++;
    const apy =
      unique < 0
        ? RATES[i % RATES.length]!
        : `${Math.floor(i / 1000)}.${String(i % 1000).padStart(3, '0')}${String(unique).padStart(4, '0')}`;
    return {
      account: `ACCT-${i}`,
      account_type: ACCOUNT_TYPES[i % ACCOUNT_TYPES.length]!,
      apy,
      years: TERMS[(i * 7) % TERMS.length]!,
      amount: `${1000 + ((i * 7919) % 1_000_000)}.${String(i % 100).padStart(2, '0')}`,
      start_date_in_bank_tz: `20${String(10 + (i % 15))}-0${1 + (i % 9)}-${String(1 + (i % 28)).padStart(2, '0')}`,
    };
  };
  return {
    new_delta: { period: '1', period_unit: 'Month' },
    new_banks: Array.from({ length: BANKS }, (_, b) => ({
      name: `BANK-${b}`,
      bank_tz: ['America/Chicago', 'America/New_York', 'Europe/London', 'Asia/Tokyo'][b % 4]!,
      new_deposits: Array.from({ length: DEPOSITS_PER_BANK }, deposit),
    })),
  };
}

function submitted(request: PortfolioRequest): SubmittedPortfolio {
  const validated = validatePortfolioRequest(request);
  if (!validated.ok)
    throw new Error(`benchmark request is invalid: ${JSON.stringify(validated.errors.slice(0, 3))}`);
  let id = 0;
  const newId = () => `00000000-0000-4000-8000-${(id++).toString(16).padStart(12, '0')}`;
  return submitPortfolio(validated.value, {
    newId,
    now: new Date().toISOString(),
    correlationId: 'bench',
    eventId: 'bench',
  }).portfolio;
}

/** Runs `work(i)` WARM_UP + ITERATIONS times; returns the timed durations in ms. */
function sample(work: (iteration: number) => void): number[] {
  const durations: number[] = [];
  for (let i = 0; i < WARM_UP + ITERATIONS; i++) {
    const start = performance.now();
    work(i);
    const elapsed = performance.now() - start;
    if (i >= WARM_UP) durations.push(elapsed);
  }
  return durations.sort((a, b) => a - b);
}

function report(label: string, durations: number[]): void {
  const median = durations[Math.floor(durations.length / 2)]!;
  const best = durations[0]!;
  const perSecond = (ms: number) => Math.round((DEPOSITS / ms) * 1000).toLocaleString('en-US');
  console.log(
    `${label.padEnd(52)} median ${perSecond(median).padStart(9)} deposits/s (${median.toFixed(1)} ms)` +
      `   best ${perSecond(best).padStart(9)} deposits/s (${best.toFixed(1)} ms)`,
  );
}

const cpus = os.cpus();
console.log(
  `node ${process.version} · ${cpus[0]?.model.trim() ?? 'unknown CPU'} × ${cpus.length} · ${os.platform()} ${os.arch()}`,
);
console.log(
  `portfolio: ${BANKS} banks × ${DEPOSITS_PER_BANK} deposits, ${WARM_UP} warm-up + ${ITERATIONS} timed runs each\n`,
);

const realistic = buildRequest();
const realisticPortfolio = submitted(realistic);
// Timed from the submitted event's strings, as the calculator works: parse, then calculate.
const calculate = (portfolio: SubmittedPortfolio) => calculatePortfolio(parseSubmittedPortfolio(portfolio));

report(
  `calculate, ${RATES.length} rates × ${TERMS.length} terms (warm cache)`,
  sample(() => calculate(realisticPortfolio)),
);

const unseen = Array.from({ length: WARM_UP + ITERATIONS }, (_, i) => submitted(buildRequest(i)));
report(
  'calculate, every (apy, years) pair new (cold cache)',
  sample((i) => calculate(unseen[i]!)),
);

const inputs = Array.from(
  { length: WARM_UP + ITERATIONS },
  () => JSON.parse(JSON.stringify(realistic)) as unknown,
);
report(
  'validate (parsed JSON in, canonical request out)',
  sample((i) => {
    if (!validatePortfolioRequest(inputs[i]).ok) throw new Error('benchmark request became invalid');
  }),
);

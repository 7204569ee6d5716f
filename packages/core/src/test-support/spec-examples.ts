// The spec's example files (/shared/spec/examples beside the repository, in CI too): the only
// hard-coded expected values the tests use.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const SPEC_EXAMPLES_DIR = path.resolve(__dirname, '../../../../../shared/spec/examples');

export function readSpecExample<T>(name: string): T {
  const file = path.join(SPEC_EXAMPLES_DIR, name);
  if (!existsSync(file)) {
    throw new Error(
      `Spec example ${file} is missing. The shared/ folder must sit beside the repository ` +
        `(…/shared/spec/examples next to …/main).`,
    );
  }
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

export interface SingleDepositVector {
  amount: string;
  apy: string;
  years: string;
  period: string;
  period_unit: 'Day' | 'Week' | 'Month' | 'Year';
  interest: string;
  growth: string;
}

export interface MaturityDateVector {
  start: string;
  years: string;
  days: number;
  maturity: string;
}

export interface SingleDepositVectors {
  note: string;
  compound: SingleDepositVector[];
  simple: SingleDepositVector[];
  maturity_dates: MaturityDateVector[];
}

interface ExpectedFigures {
  growth: string;
  amount: string;
  interest: string;
  total: string;
}

export interface ExpectedPortfolio {
  request: string;
  delta: { period: string; period_unit: string };
  banks: Array<{
    name: string;
    bank_tz: string;
    deposits: Array<{
      account: string;
      account_type: string;
      apy: string;
      years: string;
      amount: string;
      interest: string;
      total: string;
      growth: string;
      start_date_in_bank_tz: string;
      maturity_date_in_bank_tz: string;
    }>;
    outcome: ExpectedFigures;
  }>;
  portfolio: ExpectedFigures;
}

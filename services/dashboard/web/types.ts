// The shapes of the API answers the page reads (spec §4 and §6), as far as it reads them.
import type { Problem as HttpProblem } from '@drive-deposits/http';

export interface Outcome {
  delta: { period: string; period_unit: string; growth: string } | null;
  maturity: { amount: string; interest: string; total: string } | null;
  errors: Array<{ uuid: string; message: string }>;
}

export interface Ranking<T> {
  data: { responses: T[]; count_responses: number; next_cursor?: string };
  metadata: { order: 'asc' | 'desc'; top_k: number; sort_criteria_description: string };
}

export interface PortfolioItem {
  portfolio_uuid: string;
  outcome: Outcome;
  created_at: string;
}

export interface BankItem {
  bank_uuid: string;
  bank_name: string;
  portfolio_uuid: string;
  bank_tz: string;
  outcome: Outcome;
  created_at: string;
}

export interface DepositItem {
  deposit_uuid: string;
  bank_uuid: string;
  bank_name: string;
  portfolio_uuid: string;
  account: string;
  account_type: string;
  apy: string;
  years: string;
  deposit_delta_growth: string | null;
  deposit_maturity_date_in_bank_tz: string | null;
  outcome: Outcome;
  outcome_with_dates: { start_date_in_bank_tz: string; maturity_date_in_bank_tz: string | null };
  created_at: string;
}

export interface PortfolioStatus {
  portfolio_uuid: string;
  status: 'accepted' | 'calculated' | 'failed';
  created_at: string | null;
  portfolio?: {
    uuid: string;
    created_at: string;
    banks: Array<{ name: string; bank_tz: string }>;
    outcome: Outcome;
  };
  error?: { code: string; message: string };
}

/** RFC 9457 problem details as the APIs answer them (one the page makes up itself has no correlation id). */
export type Problem = Omit<HttpProblem, 'correlation_id'> & { correlation_id?: string };

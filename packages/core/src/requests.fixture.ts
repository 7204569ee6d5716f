// Builders for tests: requests, deposits and deterministic ids.
import type { ParsedPortfolio } from './parsed';
import { submitPortfolio } from './submit';
import type {
  AccountType,
  NewBank,
  NewDeposit,
  PeriodUnit,
  PortfolioRequest,
  SubmittedPortfolio,
} from './types';
import { parseSubmittedPortfolio } from './validation/parse-submitted';

/** Deterministic, well-formed lower-case UUID v4s: …-4000-8000-000000000001, …002, … */
export function sequentialIds(): () => string {
  let next = 1;
  return () => `00000000-0000-4000-8000-${(next++).toString(16).padStart(12, '0')}`;
}

export const FIXED_NOW = '2024-09-05T15:48:34.811Z';

export function deposit(overrides: Partial<NewDeposit> = {}): NewDeposit {
  return {
    account: '1234N',
    account_type: 'Checking' as AccountType,
    apy: '5',
    years: '2',
    amount: '1000',
    start_date_in_bank_tz: '2023-11-23',
    ...overrides,
  };
}

export function bank(
  deposits: NewDeposit[],
  overrides: Partial<Omit<NewBank, 'new_deposits'>> = {},
): NewBank {
  return { name: 'MOUNTAIN', bank_tz: 'America/Chicago', new_deposits: deposits, ...overrides };
}

export function request(banks: NewBank[], period = '1', period_unit: PeriodUnit = 'Month'): PortfolioRequest {
  return { new_delta: { period, period_unit }, new_banks: banks };
}

/** The request as accepted: ids from sequentialIds(), created_at FIXED_NOW. */
export function submitted(portfolioRequest: PortfolioRequest): SubmittedPortfolio {
  return submitPortfolio(portfolioRequest, {
    newId: sequentialIds(),
    now: FIXED_NOW,
    correlationId: 'test-correlation',
    eventId: '00000000-0000-4000-8000-0000000000ee',
  }).portfolio;
}

/** The request as accepted and parsed for the calculation. */
export function parsed(portfolioRequest: PortfolioRequest): ParsedPortfolio {
  return parseSubmittedPortfolio(submitted(portfolioRequest));
}

// Shapes of the public contract (spec §2, §4, §5). Every scalar is a string: decimals and dates
// never pass through binary floating point.

export const PERIOD_UNITS = ['Day', 'Week', 'Month', 'Year'] as const;
export type PeriodUnit = (typeof PERIOD_UNITS)[number];

export const ACCOUNT_TYPES = [
  'Checking',
  'Savings',
  'CertificateOfDeposit',
  'BrokerageCertificateOfDeposit',
] as const;
export type AccountType = (typeof ACCOUNT_TYPES)[number];

// ---- request (PortfolioRequest) ----
export interface NewDelta {
  period: string;
  period_unit: PeriodUnit;
}

export interface NewDeposit {
  account: string;
  account_type: AccountType;
  apy: string;
  years: string;
  amount: string;
  start_date_in_bank_tz: string;
}

export interface NewBank {
  name: string;
  bank_tz: string;
  new_deposits: NewDeposit[];
}

export interface PortfolioRequest {
  new_delta: NewDelta;
  new_banks: NewBank[];
}

// ---- accepted command: the request with every id and created_at assigned ----
export interface SubmittedDeposit extends NewDeposit {
  uuid: string;
}

export interface SubmittedBank {
  uuid: string;
  name: string;
  bank_tz: string;
  new_deposits: SubmittedDeposit[];
}

export interface SubmittedPortfolio {
  uuid: string;
  created_at: string;
  new_delta: NewDelta;
  new_banks: SubmittedBank[];
}

// ---- response (PortfolioResponse) ----
export interface Delta {
  period: string;
  period_unit: PeriodUnit;
  growth: string;
}

export interface Maturity {
  amount: string;
  interest: string;
  total: string;
}

export interface ProcessingError {
  uuid: string;
  message: string;
}

export interface Outcome {
  delta: Delta | null;
  maturity: Maturity | null;
  errors: ProcessingError[];
}

export interface OutcomeWithDates {
  start_date_in_bank_tz: string;
  maturity_date_in_bank_tz: string | null;
  errors: ProcessingError[];
}

export interface DepositResponse {
  uuid: string;
  account: string;
  account_type: AccountType;
  apy: string;
  years: string;
  outcome: Outcome;
  outcome_with_dates: OutcomeWithDates;
}

export interface BankResponse {
  uuid: string;
  name: string;
  bank_tz: string;
  deposits: DepositResponse[];
  outcome: Outcome;
}

export interface PortfolioResponse {
  uuid: string;
  created_at: string;
  banks: BankResponse[];
  outcome: Outcome;
}

// ---- events (spec §5): the public Kafka contract ----
export interface PortfolioSubmitted {
  event_id: string;
  correlation_id: string;
  portfolio: SubmittedPortfolio;
  /** who submitted it (the token's owner claim); null in events from before authentication */
  owner?: string | null;
}

export interface PortfolioCalculated {
  event_id: string;
  correlation_id: string;
  /** event_id of the PortfolioSubmitted this was calculated from */
  source_event_id: string;
  portfolio: PortfolioResponse;
  /** the submitted event's owner, carried so the read model never depends on arrival order */
  owner?: string | null;
}

/** A portfolio erased by its owner: the read models drop it (the log's erasure: README). */
export interface PortfolioDeleted {
  event_id: string;
  correlation_id: string;
  portfolio_uuid: string;
  owner: string;
  /** RFC 3339 UTC */
  deleted_at: string;
}

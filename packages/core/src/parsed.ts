// A submitted portfolio parsed for the calculation: every rule of spec §2 already holds, decimals
// are exact numbers beside their canonical text, dates are calendar dates. The calculation takes
// only these, so it never checks a field again.
import type { FixedDecimal } from './fixed-decimal';
import type { PlainDate } from './plain-date';
import type { AccountType, PeriodUnit } from './types';

// A parsed value is the value itself with its text beside it (one object: a 10,000-deposit
// portfolio is held whole while it is calculated).

/** An exact decimal and its canonical echo, e.g. "5.40". */
export interface ParsedDecimal extends FixedDecimal {
  readonly text: string;
}

/** A calendar date and its text as written, `YYYY-MM-DD`. */
export interface ParsedDate extends PlainDate {
  readonly text: string;
}

export interface ParsedDeposit {
  uuid: string;
  account: string;
  account_type: AccountType;
  apy: ParsedDecimal;
  years: ParsedDecimal;
  amount: ParsedDecimal;
  start_date_in_bank_tz: ParsedDate;
}

export interface ParsedBank {
  uuid: string;
  name: string;
  bank_tz: string;
  new_deposits: ParsedDeposit[];
}

export interface ParsedDelta {
  period: ParsedDecimal;
  period_unit: PeriodUnit;
}

export interface ParsedPortfolio {
  uuid: string;
  created_at: string;
  new_delta: ParsedDelta;
  new_banks: ParsedBank[];
}

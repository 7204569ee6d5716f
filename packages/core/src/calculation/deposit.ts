// One deposit's outcome and maturity date, from a parsed deposit (every rule of spec §2 already
// holds, so no field is checked here). A calculation that still fails (a bound no valid input
// reaches) gets an error in its own outcome and never fails the rest of the portfolio; a
// deposit's money and its date fail independently.
import type { FixedDecimal } from '../fixed-decimal';
import type { ParsedDeposit } from '../parsed';
import { addDays, formatPlainDate } from '../plain-date';
import type { DepositResponse, NewDelta, Outcome, OutcomeWithDates } from '../types';
import { deltaOf, maturityOf, type LevelFigures } from './figures';
import { deltaGrowth, interestOverTerm, termInDays, totalAtMaturity } from './formulas';

/** The portfolio's delta, prepared once for all its deposits. */
export interface PreparedDelta {
  /** with the period canonical */
  delta: NewDelta;
  /** the period in days */
  days: FixedDecimal;
}

export interface DepositCalculation {
  response: DepositResponse;
  /** null when the outcome could not be calculated */
  figures: LevelFigures | null;
}

function attempt<T>(work: () => T): T | Error {
  try {
    return work();
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

function calculateFigures(deposit: ParsedDeposit, delta: PreparedDelta): LevelFigures {
  const { amount, apy, years } = deposit;
  const interest = interestOverTerm({
    accountType: deposit.account_type,
    principal: amount,
    apy,
    apyText: apy.text,
    years,
    yearsText: years.text,
  });
  return {
    growth: deltaGrowth(interest, years, delta.days),
    amount,
    interest,
    total: totalAtMaturity(amount, interest),
  };
}

function outcomeOf(
  deposit: ParsedDeposit,
  delta: PreparedDelta,
): { outcome: Outcome; figures: LevelFigures | null } {
  const figures = attempt(() => calculateFigures(deposit, delta));
  if (figures instanceof Error) {
    const message = `Cannot calculate the outcome: ${figures.message}`;
    return {
      outcome: { delta: null, maturity: null, errors: [{ uuid: deposit.uuid, message }] },
      figures: null,
    };
  }
  return {
    outcome: { delta: deltaOf(delta.delta, figures), maturity: maturityOf(figures), errors: [] },
    figures,
  };
}

function outcomeWithDatesOf(deposit: ParsedDeposit): OutcomeWithDates {
  const start = deposit.start_date_in_bank_tz;
  const maturityDate = attempt(() => formatPlainDate(addDays(start, termInDays(deposit.years))));
  if (maturityDate instanceof Error) {
    const message = `Cannot calculate the maturity date: ${maturityDate.message}`;
    return {
      start_date_in_bank_tz: start.text,
      maturity_date_in_bank_tz: null,
      errors: [{ uuid: deposit.uuid, message }],
    };
  }
  return { start_date_in_bank_tz: start.text, maturity_date_in_bank_tz: maturityDate, errors: [] };
}

export function calculateDeposit(deposit: ParsedDeposit, delta: PreparedDelta): DepositCalculation {
  const { outcome, figures } = outcomeOf(deposit, delta);
  return {
    response: {
      uuid: deposit.uuid,
      account: deposit.account,
      account_type: deposit.account_type,
      apy: deposit.apy.text,
      years: deposit.years.text,
      outcome,
      outcome_with_dates: outcomeWithDatesOf(deposit),
    },
    figures,
  };
}

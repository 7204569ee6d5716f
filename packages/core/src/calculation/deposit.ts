// One deposit's outcome and maturity date. The inputs come from an event, so they are checked
// again with the request's own rules (a calculation never trusts its input): a deposit that
// cannot be calculated gets an error in its own outcome and never fails the rest of the
// portfolio. Its money and its date fail independently.
import type { FixedDecimal } from '../fixed-decimal';
import { addDays, formatPlainDate, parsePlainDate } from '../plain-date';
import type { DepositResponse, NewDelta, Outcome, OutcomeWithDates, SubmittedDeposit } from '../types';
import { accountTypeField, amountField, apyField, startDateField, yearsField } from '../validation/fields';
import { exactInput, type ExactInput } from './exact-input';
import { deltaOf, maturityOf, type LevelFigures } from './figures';
import { deltaGrowth, interestOverTerm, termInDays, totalAtMaturity } from './formulas';

/** The portfolio's delta, checked once for all its deposits. */
export interface PreparedDelta {
  /** with the period canonical */
  delta: NewDelta;
  /** the period in days, or why it cannot be computed */
  days: FixedDecimal | Error;
}

export interface DepositCalculation {
  response: DepositResponse;
  /** null when the outcome could not be calculated */
  figures: LevelFigures | null;
}

const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));

function attempt<T>(work: () => T): T | Error {
  try {
    return work();
  } catch (error) {
    return asError(error);
  }
}

/** apy and years, parsed once: the echo, the money and the date all use them. */
interface ParsedTerms {
  apy: ExactInput | Error;
  years: ExactInput | Error;
}

function calculateFigures(
  deposit: SubmittedDeposit,
  delta: PreparedDelta,
  { apy, years }: ParsedTerms,
): LevelFigures {
  if (delta.days instanceof Error) throw delta.days;
  const accountType = accountTypeField.check(deposit.account_type);
  if (!accountType.ok) throw new Error(accountType.message);
  const amount = exactInput(amountField, deposit.amount);
  if (apy instanceof Error) throw apy;
  if (years instanceof Error) throw years;
  const interest = interestOverTerm({
    accountType: deposit.account_type,
    principal: amount.value,
    apy: apy.value,
    apyText: apy.canonical,
    years: years.value,
    yearsText: years.canonical,
  });
  return {
    growth: deltaGrowth(interest, years.value, delta.days),
    amount: amount.value,
    interest,
    total: totalAtMaturity(amount.value, interest),
  };
}

function calculateMaturityDate(deposit: SubmittedDeposit, years: ExactInput | Error): string {
  const checked = startDateField.check(deposit.start_date_in_bank_tz);
  if (!checked.ok) throw new Error(checked.message);
  if (years instanceof Error) throw years;
  const start = parsePlainDate(checked.value);
  if (start === null) throw new Error(`${checked.value} is not a calendar date`);
  return formatPlainDate(addDays(start, termInDays(years.value)));
}

function outcomeOf(
  deposit: SubmittedDeposit,
  delta: PreparedDelta,
  terms: ParsedTerms,
): { outcome: Outcome; figures: LevelFigures | null } {
  const figures = attempt(() => calculateFigures(deposit, delta, terms));
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

function outcomeWithDatesOf(deposit: SubmittedDeposit, years: ExactInput | Error): OutcomeWithDates {
  const start_date_in_bank_tz = deposit.start_date_in_bank_tz;
  const maturityDate = attempt(() => calculateMaturityDate(deposit, years));
  if (maturityDate instanceof Error) {
    const message = `Cannot calculate the maturity date: ${maturityDate.message}`;
    return {
      start_date_in_bank_tz,
      maturity_date_in_bank_tz: null,
      errors: [{ uuid: deposit.uuid, message }],
    };
  }
  return { start_date_in_bank_tz, maturity_date_in_bank_tz: maturityDate, errors: [] };
}

export function calculateDeposit(deposit: SubmittedDeposit, delta: PreparedDelta): DepositCalculation {
  const terms: ParsedTerms = {
    apy: attempt(() => exactInput(apyField, deposit.apy)),
    years: attempt(() => exactInput(yearsField, deposit.years)),
  };
  const { outcome, figures } = outcomeOf(deposit, delta, terms);
  return {
    response: {
      uuid: deposit.uuid,
      account: deposit.account,
      account_type: deposit.account_type,
      apy: terms.apy instanceof Error ? deposit.apy : terms.apy.canonical,
      years: terms.years instanceof Error ? deposit.years : terms.years.canonical,
      outcome,
      outcome_with_dates: outcomeWithDatesOf(deposit, terms.years),
    },
    figures,
  };
}

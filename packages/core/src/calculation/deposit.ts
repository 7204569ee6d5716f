// One deposit's outcome and maturity date. The inputs come from an event, so they are checked
// again with the request's own rules (a calculation never trusts its input): a deposit that
// cannot be calculated gets an error in its own outcome and never fails the rest of the
// portfolio. Its money and its date fail independently.
import { formatPlainDate, addDays, parsePlainDate } from '../plain-date';
import type { DepositResponse, NewDelta, Outcome, OutcomeWithDates, SubmittedDeposit } from '../types';
import { accountTypeField, amountField, apyField, startDateField, yearsField } from '../validation/fields';
import { exactInput } from './exact-input';
import { deltaOf, maturityOf, type LevelFigures } from './figures';
import { deltaGrowth, interestOverTerm, termInDays, totalAtMaturity } from './formulas';
import type { FixedDecimal } from '../fixed-decimal';

/** The portfolio's delta, checked once for all its deposits. */
export interface PreparedDelta {
  /** period canonical */
  delta: NewDelta;
  /** the period in days, or why it cannot be computed */
  days: FixedDecimal | Error;
}

export interface DepositCalculation {
  response: DepositResponse;
  /** null when the outcome could not be calculated */
  figures: LevelFigures | null;
}

function calculateFigures(deposit: SubmittedDeposit, delta: PreparedDelta): LevelFigures {
  if (delta.days instanceof Error) throw delta.days;
  const accountType = accountTypeField.check(deposit.account_type);
  if (!accountType.ok) throw new Error(accountType.message);
  const amount = exactInput(amountField, deposit.amount);
  const apy = exactInput(apyField, deposit.apy);
  const years = exactInput(yearsField, deposit.years);
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

function calculateMaturityDate(deposit: SubmittedDeposit): string {
  const checked = startDateField.check(deposit.start_date_in_bank_tz);
  const start = checked.ok ? parsePlainDate(checked.value) : null;
  if (!checked.ok || start === null) throw new Error(checked.ok ? 'not a date' : checked.message);
  return formatPlainDate(addDays(start, termInDays(exactInput(yearsField, deposit.years).value)));
}

const reasonOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

function outcomeOf(
  deposit: SubmittedDeposit,
  delta: PreparedDelta,
): { outcome: Outcome; figures: LevelFigures | null } {
  try {
    const figures = calculateFigures(deposit, delta);
    return {
      outcome: { delta: deltaOf(delta.delta, figures), maturity: maturityOf(figures), errors: [] },
      figures,
    };
  } catch (error) {
    const message = `Cannot calculate the outcome: ${reasonOf(error)}`;
    return {
      outcome: { delta: null, maturity: null, errors: [{ uuid: deposit.uuid, message }] },
      figures: null,
    };
  }
}

function outcomeWithDatesOf(deposit: SubmittedDeposit): OutcomeWithDates {
  const start_date_in_bank_tz = deposit.start_date_in_bank_tz;
  try {
    return { start_date_in_bank_tz, maturity_date_in_bank_tz: calculateMaturityDate(deposit), errors: [] };
  } catch (error) {
    const message = `Cannot calculate the maturity date: ${reasonOf(error)}`;
    return {
      start_date_in_bank_tz,
      maturity_date_in_bank_tz: null,
      errors: [{ uuid: deposit.uuid, message }],
    };
  }
}

const canonicalOrAsGiven = (field: typeof apyField, text: string): string => {
  const checked = field.check(text);
  return checked.ok ? checked.value : text;
};

export function calculateDeposit(deposit: SubmittedDeposit, delta: PreparedDelta): DepositCalculation {
  const { outcome, figures } = outcomeOf(deposit, delta);
  return {
    response: {
      uuid: deposit.uuid,
      account: deposit.account,
      account_type: deposit.account_type,
      apy: canonicalOrAsGiven(apyField, deposit.apy),
      years: canonicalOrAsGiven(yearsField, deposit.years),
      outcome,
      outcome_with_dates: outcomeWithDatesOf(deposit),
    },
    figures,
  };
}

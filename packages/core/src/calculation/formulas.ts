// The formulas of spec §3 for one deposit, in exact decimal arithmetic (FixedDecimal). Every
// function is pure; the only state is a bounded cache of growth factors that never changes a
// result.
import {
  add,
  divideRoundHalfEven,
  fixed,
  isInteger,
  multiply,
  pow10,
  roundHalfEven,
  subtract,
  type FixedDecimal,
} from '../fixed-decimal';
import type { AccountType, PeriodUnit } from '../types';
import { fractionalPower } from './fractional-power';

const DAYS_PER_YEAR = fixed(365n);
const DAYS_PER_PERIOD_UNIT: Readonly<Record<PeriodUnit, FixedDecimal>> = {
  Day: fixed(1n),
  Week: fixed(7n),
  Month: fixed(30n),
  Year: fixed(365n),
};

/** apy is a percentage: r = apy / 100, exactly (two more decimal places). */
function rateOf(apy: FixedDecimal): FixedDecimal {
  return { units: apy.units, scale: apy.scale + 2 };
}

/** (1 + r)^Y: an exact integer power for whole years, exp(Y × ln(1 + r)) otherwise. */
export function compoundGrowthFactor(apy: FixedDecimal, years: FixedDecimal): FixedDecimal {
  const base = add(fixed(1n), rateOf(apy));
  if (!isInteger(years)) return fractionalPower(base, years);
  const wholeYears = years.units / pow10(years.scale);
  return { units: base.units ** wholeYears, scale: base.scale * Number(wholeYears) };
}

// Portfolios repeat the same few rates and terms; a fractional power costs ~0.2 ms to compute.
const FACTOR_CACHE_LIMIT = 10_000;
const factorCache = new Map<string, FixedDecimal>();

/** compoundGrowthFactor, remembered by the canonical apy and years strings. */
function cachedCompoundGrowthFactor(
  apyText: string,
  apy: FixedDecimal,
  yearsText: string,
  years: FixedDecimal,
) {
  const key = `${apyText}|${yearsText}`;
  let factor = factorCache.get(key);
  if (factor === undefined) {
    factor = compoundGrowthFactor(apy, years);
    if (factorCache.size >= FACTOR_CACHE_LIMIT) factorCache.clear();
    factorCache.set(key, factor);
  }
  return factor;
}

/** A deposit's inputs, canonical text (for cache keys) and exact value. */
export interface DepositTerms {
  accountType: AccountType;
  principal: FixedDecimal;
  apy: FixedDecimal;
  apyText: string;
  years: FixedDecimal;
  yearsText: string;
}

/** Interest over the term, round2: compound once a year, or simple for brokerage CDs. */
export function interestOverTerm(terms: DepositTerms): FixedDecimal {
  const { principal } = terms;
  switch (terms.accountType) {
    case 'Checking':
    case 'Savings':
    case 'CertificateOfDeposit': {
      const factor = cachedCompoundGrowthFactor(terms.apyText, terms.apy, terms.yearsText, terms.years);
      return roundHalfEven(subtract(multiply(principal, factor), principal), 2);
    }
    case 'BrokerageCertificateOfDeposit':
      return roundHalfEven(multiply(multiply(principal, rateOf(terms.apy)), terms.years), 2);
  }
}

/** round2(P + interest). */
export function totalAtMaturity(principal: FixedDecimal, interest: FixedDecimal): FixedDecimal {
  return roundHalfEven(add(principal, interest), 2);
}

/** The delta period in days: period × 1, 7, 30 or 365. */
export function periodInDays(period: FixedDecimal, unit: PeriodUnit): FixedDecimal {
  return multiply(period, DAYS_PER_PERIOD_UNIT[unit]);
}

/** round2(interest / (365 × Y) × days), as one exact division so a tie is seen as a tie. */
export function deltaGrowth(
  interest: FixedDecimal,
  years: FixedDecimal,
  periodDays: FixedDecimal,
): FixedDecimal {
  return divideRoundHalfEven(multiply(interest, periodDays), multiply(years, DAYS_PER_YEAR), 2);
}

/** round_half_even(365 × Y): the term in calendar days. */
export function termInDays(years: FixedDecimal): number {
  const days = roundHalfEven(multiply(years, DAYS_PER_YEAR), 0).units;
  if (days > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError('the term is out of range');
  return Number(days);
}

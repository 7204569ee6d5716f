// The money of one level (deposit, bank or portfolio) and how levels add up (spec §3,
// "Aggregation"): sums of already-rounded values, never re-rounded. A sum of amounts keeps the
// widest scale its parts were written with ("71100", "108580.50").
import { add, fixed, formatFixed, rescale, type FixedDecimal } from '../fixed-decimal';
import type { Delta, Maturity, NewDelta, Outcome, ProcessingError } from '../types';

export interface LevelFigures {
  growth: FixedDecimal;
  /** at the scale it is written with */
  amount: FixedDecimal;
  interest: FixedDecimal;
  total: FixedDecimal;
}

export const MISSING_MATURITY_MESSAGE = 'Missing maturity in deposit';

const ZERO = fixed(0n);

function sumFigures(parts: readonly LevelFigures[]): LevelFigures {
  let growth = rescale(ZERO, 2);
  let amount = ZERO;
  let interest = rescale(ZERO, 2);
  let total = rescale(ZERO, 2);
  for (const part of parts) {
    growth = add(growth, part.growth);
    amount = add(amount, part.amount);
    interest = add(interest, part.interest);
    total = add(total, part.total);
  }
  return { growth, amount, interest, total };
}

export function deltaOf(delta: NewDelta, figures: LevelFigures): Delta {
  return { period: delta.period, period_unit: delta.period_unit, growth: formatFixed(figures.growth) };
}

export function maturityOf(figures: LevelFigures): Maturity {
  return {
    amount: formatFixed(figures.amount),
    interest: formatFixed(figures.interest),
    total: formatFixed(figures.total),
  };
}

/**
 * The outcome of a bank or the portfolio: the sums or, when any deposit below failed, no
 * figures and one `Missing maturity in deposit` error per failed deposit (uuid: that deposit).
 */
export function aggregateOutcome(
  delta: NewDelta,
  parts: readonly LevelFigures[],
  failedDepositUuids: readonly string[],
): { outcome: Outcome; figures: LevelFigures | null } {
  if (failedDepositUuids.length > 0) {
    const errors: ProcessingError[] = failedDepositUuids.map((uuid) => ({
      uuid,
      message: MISSING_MATURITY_MESSAGE,
    }));
    return { outcome: { delta: null, maturity: null, errors }, figures: null };
  }
  const sum = sumFigures(parts);
  return { outcome: { delta: deltaOf(delta, sum), maturity: maturityOf(sum), errors: [] }, figures: sum };
}

// (1 + r)^Y for a fractional number of years: the one operation of the calculation that has no
// exact decimal result, computed as exp(Y × ln(1 + r)) by decimal.js. Private clones: the global
// Decimal configuration is never touched, so no other code in the process can change our results.
import Decimal from 'decimal.js';
import { formatFixed, type FixedDecimal } from '../fixed-decimal';

/** Spec §3: at least 40 significant digits. */
const MIN_POWER_PRECISION = 40;

const contexts = new Map<number, Decimal.Constructor>();

function decimalContext(precision: number): Decimal.Constructor {
  let context = contexts.get(precision);
  if (context === undefined) {
    context = Decimal.clone({
      precision,
      rounding: Decimal.ROUND_HALF_EVEN,
      // plain notation whatever the size, so toFixed() below never writes an exponent
      toExpNeg: -9e15,
      toExpPos: 9e15,
    });
    contexts.set(precision, context);
  }
  return context;
}

function toFixedDecimal(value: Decimal): FixedDecimal {
  const [integer = '0', fraction = ''] = value.toFixed().split('.');
  return { units: BigInt(integer + fraction), scale: fraction.length };
}

/**
 * base^exponent for base ≥ 1 and a non-integer exponent. 40 significant digits counted from the
 * units digit down, however large the result: with a principal below 10^13 the error of
 * principal × power stays below 10^-25, far from any half cent. decimal.js also recognises an
 * exact result (1.21^0.5 = 1.1), so a tie at such a value is rounded as the tie it is.
 */
export function fractionalPower(base: FixedDecimal, exponent: FixedDecimal): FixedDecimal {
  let precision = MIN_POWER_PRECISION;
  for (;;) {
    const Context = decimalContext(precision);
    const power = new Context(formatFixed(base)).pow(formatFixed(exponent));
    if (!power.isFinite())
      throw new RangeError(`${formatFixed(base)}^${formatFixed(exponent)} is not finite`);
    const needed = MIN_POWER_PRECISION + Math.max(0, power.e);
    if (needed <= precision) return toFixedDecimal(power);
    precision = needed;
  }
}

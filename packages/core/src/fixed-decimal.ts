// Exact decimal numbers as integers with a decimal scale: value = units / 10^scale. Products,
// sums and integer powers are exact, and rounding is an integer division whose remainder
// decides, so round-half-even sees a true tie as a tie whatever the length of the quotient's
// expansion. bigint because the allowed bounds reach ~1e116 (1e12 × 11^100).
import { formatDecimalString, type DecimalString } from './decimal-string';

export interface FixedDecimal {
  readonly units: bigint;
  readonly scale: number;
}

const powersOfTen: bigint[] = [1n];

export function pow10(exponent: number): bigint {
  if (!Number.isSafeInteger(exponent) || exponent < 0) throw new RangeError(`bad power of ten: ${exponent}`);
  while (powersOfTen.length <= exponent) powersOfTen.push(powersOfTen[powersOfTen.length - 1]! * 10n);
  return powersOfTen[exponent]!;
}

export function fixed(units: bigint, scale = 0): FixedDecimal {
  return { units, scale };
}

/** A parsed request decimal, at the scale it was written with (`"10000.50"` → 1000050 / 10^2). */
export function fixedFromDecimalString(value: DecimalString): FixedDecimal {
  return { units: BigInt(value.integer + value.fraction), scale: value.fraction.length };
}

export function rescale(value: FixedDecimal, scale: number): FixedDecimal {
  if (scale < value.scale) throw new RangeError('rescale would lose digits; use roundHalfEven');
  return { units: value.units * pow10(scale - value.scale), scale };
}

export function add(a: FixedDecimal, b: FixedDecimal): FixedDecimal {
  const scale = Math.max(a.scale, b.scale);
  return { units: rescale(a, scale).units + rescale(b, scale).units, scale };
}

export function subtract(a: FixedDecimal, b: FixedDecimal): FixedDecimal {
  const scale = Math.max(a.scale, b.scale);
  return { units: rescale(a, scale).units - rescale(b, scale).units, scale };
}

export function multiply(a: FixedDecimal, b: FixedDecimal): FixedDecimal {
  return { units: a.units * b.units, scale: a.scale + b.scale };
}

/** round_half_even(numerator / denominator) for integers, denominator > 0. */
export function divideIntegersRoundHalfEven(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) throw new RangeError(`cannot divide by ${denominator}`);
  let quotient = numerator / denominator;
  let remainder = numerator % denominator;
  // bigint division truncates towards zero; make it floor so the remainder is non-negative.
  if (remainder < 0n) {
    quotient -= 1n;
    remainder += denominator;
  }
  const twice = remainder * 2n;
  return twice > denominator || (twice === denominator && quotient % 2n !== 0n) ? quotient + 1n : quotient;
}

/** round_half_even(value) to `scale` decimal places (exact when it already has no more). */
export function roundHalfEven(value: FixedDecimal, scale: number): FixedDecimal {
  if (scale >= value.scale) return rescale(value, scale);
  return { units: divideIntegersRoundHalfEven(value.units, pow10(value.scale - scale)), scale };
}

/** round_half_even(a / b) to `scale` decimal places, exactly. b must be positive. */
export function divideRoundHalfEven(a: FixedDecimal, b: FixedDecimal, scale: number): FixedDecimal {
  // a / b = (a.units × 10^b.scale) / (b.units × 10^a.scale); times 10^scale to keep `scale` places.
  const numerator = a.units * pow10(b.scale + scale);
  const denominator = b.units * pow10(a.scale);
  return { units: divideIntegersRoundHalfEven(numerator, denominator), scale };
}

export function isInteger(value: FixedDecimal): boolean {
  return value.units % pow10(value.scale) === 0n;
}

/** The value written with exactly its scale's decimals: (1000050, 2) → `"10000.50"`, (5, 2) → `"0.05"`. */
export function formatFixed(value: FixedDecimal): string {
  const negative = value.units < 0n;
  const digits = (negative ? -value.units : value.units).toString().padStart(value.scale + 1, '0');
  const integer = digits.slice(0, digits.length - value.scale);
  const fraction = digits.slice(digits.length - value.scale);
  return (negative ? '-' : '') + formatDecimalString({ integer, fraction });
}

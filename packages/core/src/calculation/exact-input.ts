// A decimal input of the calculation: checked with the request's rule for its field, then
// turned into an exact number at the scale it was written with.
import { parseDecimalString } from '../decimal-string';
import { fixedFromDecimalString, type FixedDecimal } from '../fixed-decimal';
import type { ScalarField } from '../validation/fields';

export interface ExactInput {
  /** canonical text, e.g. "5.40" */
  canonical: string;
  value: FixedDecimal;
}

/** Throws an Error carrying the field's validation message when the text breaks its rule. */
export function exactInput(field: ScalarField, text: string): ExactInput {
  const checked = field.check(text);
  if (!checked.ok) throw new Error(checked.message);
  const parsed = parseDecimalString(checked.value);
  if (typeof parsed === 'string') throw new Error(`not a decimal field: ${checked.value}`);
  return { canonical: checked.value, value: fixedFromDecimalString(parsed) };
}

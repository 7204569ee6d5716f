// A decimal input of the calculation: checked with the request's rule for its field, then
// turned into an exact number at the scale it was written with.
import { fixedFromDecimalString, type FixedDecimal } from '../fixed-decimal';
import type { DecimalField } from '../validation/fields';

export interface ExactInput {
  /** canonical text, e.g. "5.40" */
  canonical: string;
  value: FixedDecimal;
}

/** Throws an Error carrying the field's validation message when the text breaks its rule. */
export function exactInput(field: DecimalField, text: string): ExactInput {
  const checked = field.checkDecimal(text);
  if (!checked.ok) throw new Error(checked.message);
  return { canonical: checked.value, value: fixedFromDecimalString(checked.decimal) };
}

// The schema is read, not restated: these are the values code takes from it.
import { ACCOUNT_TYPES, PERIOD_UNITS } from '../types';
import { boundOf, DECIMAL_FORMAT, enumOf, fieldSchema } from './request-schema';

test('the decimal format: 32 characters, 10 fraction digits', () => {
  expect(DECIMAL_FORMAT).toEqual({ maxLength: 32, maxFractionDigits: 10 });
});

test("TypeScript's unions (types.ts) list exactly the schema's enums, in its order", () => {
  expect(enumOf(fieldSchema('new_delta', 'period_unit'))).toEqual([...PERIOD_UNITS]);
  expect(enumOf(fieldSchema('new_banks', 'new_deposits', 'account_type'))).toEqual([...ACCOUNT_TYPES]);
});

test('fields are found through $refs and arrays; an unknown one is an error', () => {
  expect(boundOf(fieldSchema('new_banks', 'new_deposits'), 'maxItems')).toBe(1000);
  expect(boundOf(fieldSchema('new_banks', 'name'), 'maxLength')).toBe(200);
  expect(() => fieldSchema('new_banks', 'nope')).toThrow('no field new_banks.nope');
});

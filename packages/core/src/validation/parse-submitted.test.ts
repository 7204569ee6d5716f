// The guard against a submitted portfolio that decodes but breaks a rule of spec §2: the same
// field rules and messages as a request, every broken rule listed, paths as in a request.
import type { DriveDepositsError } from '../errors';
import { bank, deposit, request, submitted } from '../requests.fixture';
import type { SubmittedPortfolio } from '../types';
import { parseSubmittedPortfolio } from './parse-submitted';

const base = submitted(
  request([
    bank([deposit(), deposit({ account: '2222N', apy: '05.50' })]),
    bank([deposit()], { name: 'OTHER' }),
  ]),
);

function errorsOf(change: (portfolio: SubmittedPortfolio) => void) {
  const portfolio = structuredClone(base);
  change(portfolio);
  try {
    parseSubmittedPortfolio(portfolio);
  } catch (error) {
    const { code, message, errors } = error as DriveDepositsError;
    return { code, message, errors };
  }
  throw new Error('expected the parse to fail');
}

test('a valid portfolio parses to exact values beside their canonical text', () => {
  const parsed = parseSubmittedPortfolio(base);
  const second = parsed.new_banks[0]!.new_deposits[1]!;
  expect(second.apy).toEqual({ text: '5.50', units: 550n, scale: 2 });
  expect(second.start_date_in_bank_tz).toEqual({ text: '2023-11-23', year: 2023, month: 11, day: 23 });
  expect(parsed.new_delta).toEqual({
    period: { text: '1', units: 1n, scale: 0 },
    period_unit: 'Month',
  });
  expect(parsed.new_banks.map((b) => b.uuid)).toEqual(base.new_banks.map((b) => b.uuid));
});

test.each([
  ['apy', { apy: 'abc' }, 'Incorrect value: abc. Must be a valid decimal number.'],
  ['years', { years: '0' }, 'Incorrect years: 0. Must be a decimal number greater than 0 and at most 100.'],
  ['amount', { amount: '1e5' }, 'Incorrect value: 1e5. Must be a valid decimal number.'],
  [
    'account_type',
    { account_type: 'Unspecified' as never },
    'Incorrect account_type: Unspecified. Must be Checking, Savings, CertificateOfDeposit, or BrokerageCertificateOfDeposit.',
  ],
  [
    'start_date_in_bank_tz',
    { start_date_in_bank_tz: '2023-02-30' },
    'Incorrect start_date_in_bank_tz: 2023-02-30. Must be a real calendar date written YYYY-MM-DD.',
  ],
])('an out-of-contract %s is DD_EVENT_INVALID with its path and message', (field, change, message) => {
  const path = `new_banks[1].new_deposits[0].${field}`;
  expect(errorsOf((p) => Object.assign(p.new_banks[1]!.new_deposits[0]!, change))).toEqual({
    code: 'DD_EVENT_INVALID',
    message: `PortfolioSubmitted fails validation: ${path}: ${message}`,
    errors: [{ path, message }],
  });
});

test('every broken rule is listed, in the order the fields are written', () => {
  const { errors } = errorsOf((p) => {
    p.new_banks[1]!.bank_tz = 'Mars/Olympus';
    p.new_banks[0]!.new_deposits[1]!.years = '101';
    p.new_delta.period = '0';
    p.new_delta.period_unit = 'Century' as never;
  });
  expect(errors.map((e) => e.path)).toEqual([
    'new_delta.period',
    'new_delta.period_unit',
    'new_banks[0].new_deposits[1].years',
    'new_banks[1].bank_tz',
  ]);
  expect(errors[0]!.message).toBe('Incorrect period: 0. Must be a decimal number greater than 0.');
});

import Ajv2020 from 'ajv/dist/2020';
import Decimal from 'decimal.js';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { portfolioResponseSchema } from '../schemas';
import { bank, deposit, parsed, request, submitted } from '../requests.fixture';
import type { ParsedDeposit, ParsedPortfolio } from '../parsed';
import type {
  NewDeposit,
  Outcome,
  PortfolioResponse,
  PortfolioSubmitted,
  SubmittedPortfolio,
} from '../types';
import { parseSubmittedPortfolio } from '../validation/parse-submitted';
import { ACCOUNT_TYPES, PERIOD_UNITS } from '../types';
import { MISSING_MATURITY_MESSAGE } from './figures';
import { calculateEvent, calculatePortfolio } from './portfolio';

const validateResponse = new Ajv2020({ allErrors: true, strict: true }).compile(portfolioResponseSchema);

// ---- generators of valid deposits (canonical decimals, as validation produces them) ----
const decimal = (maxWhole: number, maxFractionDigits: number) =>
  fc
    .tuple(fc.integer({ min: 0, max: maxWhole }), fc.integer({ min: 0, max: maxFractionDigits }), fc.nat())
    .map(([whole, digits, fraction]) =>
      digits === 0 ? String(whole) : `${whole}.${String(fraction % 10 ** digits).padStart(digits, '0')}`,
    );
const positive = (arbitrary: fc.Arbitrary<string>) => arbitrary.filter((text) => /[1-9]/.test(text));

const depositArbitrary: fc.Arbitrary<NewDeposit> = fc.record({
  account: fc.constant('ACCT-1'),
  account_type: fc.constantFrom(...ACCOUNT_TYPES),
  apy: decimal(30, 4),
  years: positive(decimal(30, 3)),
  amount: decimal(10_000_000, 2),
  start_date_in_bank_tz: fc.constantFrom('2019-01-01', '2024-02-29', '2023-11-23'),
});
const requestArbitrary = fc
  .tuple(
    fc.array(fc.array(depositArbitrary, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 4 }),
    positive(decimal(24, 2)),
    fc.constantFrom(...PERIOD_UNITS),
  )
  .map(([banks, period, unit]) =>
    request(
      banks.map((deposits) => bank(deposits)),
      period,
      unit,
    ),
  );

// ---- helpers ----
const sum = (values: Array<string | undefined>): Decimal =>
  values.reduce((total, value) => total.plus(value ?? 'NaN'), new Decimal(0));

function expectOutcomeIsSumOf(outcome: Outcome, parts: Outcome[]): void {
  expect(outcome.errors).toEqual([]);
  for (const field of ['interest', 'total'] as const) {
    expect(outcome.maturity![field]).toBe(sum(parts.map((p) => p.maturity?.[field])).toFixed(2));
  }
  expect(outcome.delta!.growth).toBe(sum(parts.map((p) => p.delta?.growth)).toFixed(2));
  const scale = Math.max(...parts.map((p) => p.maturity!.amount.split('.')[1]?.length ?? 0));
  expect(outcome.maturity!.amount).toBe(sum(parts.map((p) => p.maturity?.amount)).toFixed(scale));
}

describe('aggregation', () => {
  test('a bank outcome is the sum of its deposits, the portfolio the sum of its banks', () => {
    fc.assert(
      fc.property(requestArbitrary, (portfolioRequest) => {
        const response = calculatePortfolio(parsed(portfolioRequest));
        for (const b of response.banks)
          expectOutcomeIsSumOf(
            b.outcome,
            b.deposits.map((d) => d.outcome),
          );
        expectOutcomeIsSumOf(
          response.outcome,
          response.banks.map((b) => b.outcome),
        );
      }),
      { numRuns: 150 },
    );
  });

  test('every response satisfies schemas/portfolio-response.schema.json', () => {
    fc.assert(
      fc.property(requestArbitrary, (portfolioRequest) => {
        const response = calculatePortfolio(parsed(portfolioRequest));
        expect(validateResponse.errors ?? []).toEqual([]);
        expect(validateResponse(response)).toBe(true);
      }),
      { numRuns: 50 },
    );
  });

  test('total is round2(amount + interest) and the echo keeps the amount as written', () => {
    const response = calculatePortfolio(
      parsed(request([bank([deposit({ amount: '1000.005', apy: '0' }), deposit({ amount: '0.10' })])])),
    );
    const [first, second] = response.banks[0]!.deposits;
    expect(first!.outcome.maturity).toEqual({ amount: '1000.005', interest: '0.00', total: '1000.00' });
    expect(second!.outcome.maturity!.amount).toBe('0.10');
    expect(response.outcome.maturity!.amount).toBe('1000.105');
  });
});

describe('delta growth', () => {
  test('is monotone non-decreasing in the period', () => {
    fc.assert(
      fc.property(
        depositArbitrary,
        fc.constantFrom(...PERIOD_UNITS),
        positive(decimal(50, 2)),
        positive(decimal(50, 2)),
        (d, unit, a, b) => {
          const [shorter, longer] = new Decimal(a).lessThanOrEqualTo(b) ? [a, b] : [b, a];
          const growthFor = (period: string) =>
            calculatePortfolio(parsed(request([bank([d])], period, unit))).outcome.delta!.growth;
          expect(new Decimal(growthFor(shorter)).lessThanOrEqualTo(growthFor(longer))).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('maturity dates', () => {
  // 365 × Y rounded half to even, then calendar days (luxon is the oracle for the calendar).
  test.each([
    ['2024-01-01', '0.5', 182], // 182.5 → 182, across 29 Feb 2024
    ['2023-11-23', '1.5', 548], // 547.5 → 548, across 29 Feb 2024
    ['2023-03-01', '1', 365], // lands on 29 Feb 2024
    ['2024-02-29', '4', 1460], // from a leap day
    ['2024-03-09', '0.0027397260', 1], // 0.99999999 days; 10 March 2024 is a DST change in Chicago
  ])('%s + %s years (%i days)', (start, years, days) => {
    const response = calculatePortfolio(
      parsed(request([bank([deposit({ years, start_date_in_bank_tz: start })])])),
    );
    const expected = DateTime.fromISO(start, { zone: 'utc' }).plus({ days }).toISODate();
    expect(response.banks[0]!.deposits[0]!.outcome_with_dates).toEqual({
      start_date_in_bank_tz: start,
      maturity_date_in_bank_tz: expected,
      errors: [],
    });
  });
});

describe('the largest allowed inputs', () => {
  test('10,000 deposits at apy 1000, 100 years, 1e12 each: finite, exact, in order', () => {
    const types = ACCOUNT_TYPES;
    const banks = Array.from({ length: 10 }, (_, b) =>
      bank(
        Array.from({ length: 1000 }, (_, i) =>
          deposit({
            account: `A${b}-${i}`,
            account_type: types[i % types.length]!,
            apy: '1000',
            years: i % 2 === 0 ? '100' : '99.9999999999',
            amount: '1000000000000',
            start_date_in_bank_tz: '9999-12-31',
          }),
        ),
        { name: `BANK-${b}` },
      ),
    );
    const response = calculatePortfolio(parsed(request(banks, '100', 'Year')));
    expect(response.outcome.errors).toEqual([]);
    const text = JSON.stringify(response);
    expect(text).not.toMatch(/NaN|Infinity|e\+/);
    const compound = response.banks[0]!.deposits[0]!;
    // 1e12 × (11^100 − 1), exactly: whole years are exact integers
    expect(compound.outcome.maturity!.interest).toBe(`${(10n ** 12n * (11n ** 100n - 1n)).toString()}.00`);
    expect(compound.outcome_with_dates.maturity_date_in_bank_tz).toBe('+010099-12-06');
    expect(response.banks.map((b) => b.name)).toEqual(banks.map((b) => b.name));
    expect(validateResponse(response)).toBe(true);
  });
});

describe('processing errors', () => {
  // Parsed input satisfies every rule, so no valid request fails; these deposits are built past
  // the parser to reach the bounds the calculation still guards (one deposit never fails the rest).
  function withDeposit(
    portfolio: ParsedPortfolio,
    bankIndex: number,
    depositIndex: number,
    change: Partial<ParsedDeposit>,
  ): ParsedPortfolio {
    const copy = structuredClone(portfolio);
    Object.assign(copy.new_banks[bankIndex]!.new_deposits[depositIndex]!, change);
    return copy;
  }
  const base = parsed(
    request([
      bank([deposit(), deposit({ account: '2222N' })]),
      bank([deposit({ account: '3333N' })], { name: 'OTHER' }),
    ]),
  );

  test('a deposit that cannot be calculated fails alone; its bank and the portfolio say which', () => {
    const portfolio = withDeposit(base, 0, 1, { years: { text: '0', units: 0n, scale: 0 } });
    const failed = portfolio.new_banks[0]!.new_deposits[1]!;
    const response = calculatePortfolio(portfolio);
    const [ok, bad] = response.banks[0]!.deposits;
    expect(ok!.outcome.errors).toEqual([]);
    expect(bad!.outcome).toEqual({
      delta: null,
      maturity: null,
      errors: [{ uuid: failed.uuid, message: 'Cannot calculate the outcome: cannot divide by 0' }],
    });
    // the date does not depend on the money (a term of 0 days)
    expect(bad!.outcome_with_dates.maturity_date_in_bank_tz).toBe('2023-11-23');
    const missing = {
      delta: null,
      maturity: null,
      errors: [{ uuid: failed.uuid, message: MISSING_MATURITY_MESSAGE }],
    };
    expect(response.banks[0]!.outcome).toEqual(missing);
    expect(response.outcome).toEqual(missing);
    // other banks are unaffected
    expect(response.banks[1]!.outcome).toEqual(calculatePortfolio(base).banks[1]!.outcome);
    expect(validateResponse(response)).toBe(true);
  });

  test('a date that cannot be calculated does not touch the money', () => {
    const start = { text: '+999999-12-31', year: 999_999, month: 12, day: 31 };
    const portfolio = withDeposit(base, 0, 0, { start_date_in_bank_tz: start });
    const response = calculatePortfolio(portfolio);
    const dated = response.banks[0]!.deposits[0]!;
    expect(dated.outcome_with_dates).toEqual({
      start_date_in_bank_tz: '+999999-12-31',
      maturity_date_in_bank_tz: null,
      errors: [
        {
          uuid: portfolio.new_banks[0]!.new_deposits[0]!.uuid,
          message:
            'Cannot calculate the maturity date: the date 730 days after +999999-12-31 is out of range',
        },
      ],
    });
    expect(response.outcome).toEqual(calculatePortfolio(base).outcome);
  });
});

describe('determinism', () => {
  test('calculating the same event twice gives identical responses; order is request order', () => {
    fc.assert(
      fc.property(requestArbitrary, (portfolioRequest) => {
        const portfolio = submitted(portfolioRequest);
        const calculate = (event: SubmittedPortfolio) => calculatePortfolio(parseSubmittedPortfolio(event));
        const first: PortfolioResponse = calculate(portfolio);
        expect(calculate(structuredClone(portfolio))).toEqual(first);
        expect(first.banks.map((b) => b.uuid)).toEqual(portfolio.new_banks.map((b) => b.uuid));
        expect(first.banks.flatMap((b) => b.deposits.map((d) => d.uuid))).toEqual(
          portfolio.new_banks.flatMap((b) => b.new_deposits.map((d) => d.uuid)),
        );
      }),
      { numRuns: 30 },
    );
  });
});

describe('calculateEvent', () => {
  test('carries the correlation id, the source event id and the owner', () => {
    const submittedEvent: PortfolioSubmitted = {
      event_id: '11111111-1111-4111-8111-111111111111',
      correlation_id: 'corr-42',
      owner: 'tenant-1',
      portfolio: submitted(request([bank([deposit()])])),
    };
    const calculated = calculateEvent(submittedEvent, { eventId: '22222222-2222-4222-8222-222222222222' });
    expect(calculated).toEqual({
      event_id: '22222222-2222-4222-8222-222222222222',
      correlation_id: 'corr-42',
      source_event_id: submittedEvent.event_id,
      owner: 'tenant-1',
      portfolio: calculatePortfolio(parseSubmittedPortfolio(submittedEvent.portfolio)),
    });
  });

  test('an event whose portfolio breaks a rule is DD_EVENT_INVALID, never a partial result', () => {
    const portfolio = submitted(request([bank([deposit()])]));
    portfolio.new_banks[0]!.new_deposits[0]!.apy = 'abc';
    const event: PortfolioSubmitted = { event_id: 'e', correlation_id: 'c', portfolio };
    expect(() => calculateEvent(event, { eventId: 'x' })).toThrow(
      expect.objectContaining({
        code: 'DD_EVENT_INVALID',
        errors: [
          {
            path: 'new_banks[0].new_deposits[0].apy',
            message: 'Incorrect value: abc. Must be a valid decimal number.',
          },
        ],
      }),
    );
  });
});

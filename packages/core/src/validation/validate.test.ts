import fc from 'fast-check';
import { bank, deposit, request } from '../requests.fixture';
import { specExample } from '@drive-deposits/testing';
import { validatePortfolioRequest } from './validate';

type Json = Record<string, any>;

/** A valid request with two banks, the first with two deposits, as plain JSON to break at will. */
function validInput(): Json {
  return structuredClone(
    request([
      bank([deposit(), deposit({ account: '5678N', account_type: 'BrokerageCertificateOfDeposit' })]),
      bank([deposit()], { name: 'OTHER' }),
    ]),
  ) as Json;
}

function errorsOf(input: unknown) {
  const result = validatePortfolioRequest(input);
  if (result.ok) throw new Error('expected the input to be invalid');
  return result.errors;
}

function errorsAfter(change: (input: Json) => void) {
  const input = validInput();
  change(input);
  return errorsOf(input);
}

describe('a valid request', () => {
  test("the spec's example is valid and comes back unchanged", () => {
    const example = specExample<unknown>('portfolio-request-valid.json');
    expect(validatePortfolioRequest(example)).toEqual({ ok: true, value: example });
  });

  test('decimals are canonicalised: no sign, no leading zeros, trailing zeros kept', () => {
    const input = validInput();
    Object.assign(input.new_delta, { period: '01.50' });
    Object.assign(input.new_banks[0].new_deposits[0], { apy: '+05.40', years: '007', amount: '0000.10' });
    const result = validatePortfolioRequest(input);
    expect(result.ok && result.value.new_delta.period).toBe('1.50');
    expect(result.ok && result.value.new_banks[0]!.new_deposits[0]).toMatchObject({
      apy: '5.40',
      years: '7',
      amount: '0.10',
    });
  });

  test('fields come back in canonical order whatever the input order, and the input is not modified', () => {
    const input = {
      new_banks: [
        {
          new_deposits: [{ ...deposit() }].map((d) => Object.fromEntries(Object.entries(d).reverse())),
          bank_tz: 'UTC',
          name: 'X',
        },
      ],
      new_delta: { period_unit: 'Day', period: '1' },
    };
    const before = JSON.stringify(input);
    const result = validatePortfolioRequest(input);
    expect(JSON.stringify(input)).toBe(before);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(Object.keys(result.value)).toEqual(['new_delta', 'new_banks']);
    expect(Object.keys(result.value.new_delta)).toEqual(['period', 'period_unit']);
    expect(Object.keys(result.value.new_banks[0]!)).toEqual(['name', 'bank_tz', 'new_deposits']);
    expect(Object.keys(result.value.new_banks[0]!.new_deposits[0]!)).toEqual(Object.keys(deposit()));
  });

  test.each([
    ['apy', '0'],
    ['apy', '1000'],
    ['apy', '1000.0000000000'],
    ['years', '100'],
    ['years', '0.0000000001'],
    ['amount', '0'],
    ['amount', '1000000000000'],
    ['account', '1234'],
    ['account', 'x'.repeat(64)],
    ['start_date_in_bank_tz', '2024-02-29'],
  ])('boundary %s = %s is allowed', (field, value) => {
    const input = validInput();
    input.new_banks[0].new_deposits[0][field] = value;
    expect(validatePortfolioRequest(input).ok).toBe(true);
  });

  test.each(['America/Chicago', 'UTC', 'Europe/London', 'Asia/Kolkata'])(
    'time zone %s is allowed',
    (zone) => {
      const input = validInput();
      input.new_banks[0].bank_tz = zone;
      expect(validatePortfolioRequest(input).ok).toBe(true);
    },
  );

  test('names are counted in characters (code points), not UTF-16 units', () => {
    const input = validInput();
    input.new_banks[0].name = '🏦'.repeat(200);
    expect(validatePortfolioRequest(input).ok).toBe(true);
    input.new_banks[0].name = '🏦'.repeat(201);
    expect(errorsOf(input)).toEqual([
      {
        path: 'new_banks[0].name',
        message: `Incorrect name: ${'🏦'.repeat(32)}…. Must be a string of 1 to 200 characters.`,
      },
    ]);
  });

  test('10,000 deposits in one portfolio are allowed', () => {
    const banks = Array.from({ length: 10 }, () => bank(Array.from({ length: 1000 }, () => deposit())));
    expect(validatePortfolioRequest(request(banks)).ok).toBe(true);
  });
});

describe('each rule, with its path and message', () => {
  const d0 = 'new_banks[0].new_deposits[0]';
  test.each<[string, (input: Json) => void, string, string]>([
    // the spec's own examples
    [
      'period not a number',
      (i) => (i.new_delta.period = 'Hello'),
      'new_delta.period',
      'Incorrect value: Hello. Must be a valid decimal number.',
    ],
    [
      'period_unit unknown',
      (i) => (i.new_delta.period_unit = 'Century!'),
      'new_delta.period_unit',
      'Incorrect period_unit: Century!. Must be Day, Week, Month, or Year.',
    ],
    [
      'bank_tz unknown',
      (i) => (i.new_banks[0].bank_tz = 'America/Chicag'),
      'new_banks[0].bank_tz',
      'Incorrect timezone: America/Chicag. Must be a valid timezone.',
    ],
    // delta
    [
      'period zero',
      (i) => (i.new_delta.period = '0.00'),
      'new_delta.period',
      'Incorrect period: 0.00. Must be a decimal number greater than 0.',
    ],
    [
      'period negative',
      (i) => (i.new_delta.period = '-1'),
      'new_delta.period',
      'Incorrect period: -1. Must be a decimal number greater than 0.',
    ],
    [
      'period a JSON number',
      (i) => (i.new_delta.period = 1),
      'new_delta.period',
      'Incorrect period: 1 (a number). Must be a decimal number greater than 0, written as a string.',
    ],
    [
      'period 11 fraction digits',
      (i) => (i.new_delta.period = '1.00000000001'),
      'new_delta.period',
      'Incorrect value: 1.00000000001. Must be a valid decimal number with at most 10 fraction digits.',
    ],
    [
      'period too long',
      (i) => (i.new_delta.period = '1'.repeat(33)),
      'new_delta.period',
      `Incorrect value: ${'1'.repeat(33)}. Must be a valid decimal number of at most 32 characters.`,
    ],
    [
      'period "5."',
      (i) => (i.new_delta.period = '5.'),
      'new_delta.period',
      'Incorrect value: 5.. Must be a valid decimal number.',
    ],
    [
      'period exponent',
      (i) => (i.new_delta.period = '1e3'),
      'new_delta.period',
      'Incorrect value: 1e3. Must be a valid decimal number.',
    ],
    [
      'period_unit Unspecified',
      (i) => (i.new_delta.period_unit = 'Unspecified'),
      'new_delta.period_unit',
      'Incorrect period_unit: Unspecified. Must be Day, Week, Month, or Year.',
    ],
    [
      'period_unit wrong case',
      (i) => (i.new_delta.period_unit = 'month'),
      'new_delta.period_unit',
      'Incorrect period_unit: month. Must be Day, Week, Month, or Year.',
    ],
    [
      'period_unit null',
      (i) => (i.new_delta.period_unit = null),
      'new_delta.period_unit',
      'Incorrect period_unit: null. Must be Day, Week, Month, or Year.',
    ],
    [
      'new_delta an array',
      (i) => (i.new_delta = []),
      'new_delta',
      'Incorrect new_delta: an array. Must be an object with period and period_unit.',
    ],
    // banks
    [
      'no banks',
      (i) => (i.new_banks = []),
      'new_banks',
      'Incorrect new_banks: 0 banks. Must be an array of 1 to 500 banks.',
    ],
    [
      '501 banks',
      (i) => (i.new_banks = Array.from({ length: 501 }, () => bank([deposit()]))),
      'new_banks',
      'Incorrect new_banks: 501 banks. Must be an array of 1 to 500 banks.',
    ],
    [
      'new_banks an object',
      (i) => (i.new_banks = {}),
      'new_banks',
      'Incorrect new_banks: an object. Must be an array of 1 to 500 banks.',
    ],
    [
      'bank a number',
      (i) => (i.new_banks[1] = 5),
      'new_banks[1]',
      'Incorrect bank: 5 (a number). Must be an object with name, bank_tz and new_deposits.',
    ],
    [
      'empty name',
      (i) => (i.new_banks[0].name = ''),
      'new_banks[0].name',
      'Incorrect name: "". Must be a string of 1 to 200 characters.',
    ],
    [
      'name too long',
      (i) => (i.new_banks[0].name = 'N'.repeat(201)),
      'new_banks[0].name',
      `Incorrect name: ${'N'.repeat(64)}…. Must be a string of 1 to 200 characters.`,
    ],
    [
      'bank_tz a number',
      (i) => (i.new_banks[0].bank_tz = -5),
      'new_banks[0].bank_tz',
      'Incorrect timezone: -5 (a number). Must be a valid timezone.',
    ],
    [
      'bank_tz an offset',
      (i) => (i.new_banks[0].bank_tz = '+05:00'),
      'new_banks[0].bank_tz',
      'Incorrect timezone: +05:00. Must be a valid timezone.',
    ],
    [
      'bank_tz a compact negative offset (Intl accepts it on Node 22+, chrono-tz does not)',
      (i) => (i.new_banks[0].bank_tz = '-0330'),
      'new_banks[0].bank_tz',
      'Incorrect timezone: -0330. Must be a valid timezone.',
    ],
    [
      'no deposits',
      (i) => (i.new_banks[0].new_deposits = []),
      'new_banks[0].new_deposits',
      'Incorrect new_deposits: 0 deposits. Must be an array of 1 to 1000 deposits.',
    ],
    [
      '1001 deposits',
      (i) => (i.new_banks[1].new_deposits = Array.from({ length: 1001 }, () => deposit())),
      'new_banks[1].new_deposits',
      'Incorrect new_deposits: 1001 deposits. Must be an array of 1 to 1000 deposits.',
    ],
    [
      '10,001 deposits in all',
      (i) =>
        (i.new_banks = Array.from({ length: 11 }, (_, b) =>
          bank(Array.from({ length: b < 10 ? 1000 : 1 }, () => deposit())),
        )),
      'new_banks',
      'Incorrect new_banks: 10001 deposits in total. Must be at most 10000 deposits in one portfolio.',
    ],
    // deposits
    [
      'deposit null',
      (i) => (i.new_banks[0].new_deposits[0] = null),
      d0,
      'Incorrect deposit: null. Must be an object with account, account_type, apy, years, amount and start_date_in_bank_tz.',
    ],
    [
      'account too short',
      (i) => (i.new_banks[0].new_deposits[0].account = '123'),
      `${d0}.account`,
      'Incorrect account: 123. Must be a string of 4 to 64 characters.',
    ],
    [
      'account too long',
      (i) => (i.new_banks[0].new_deposits[0].account = 'A'.repeat(65)),
      `${d0}.account`,
      `Incorrect account: ${'A'.repeat(64)}…. Must be a string of 4 to 64 characters.`,
    ],
    [
      'account_type Unspecified',
      (i) => (i.new_banks[0].new_deposits[0].account_type = 'Unspecified'),
      `${d0}.account_type`,
      'Incorrect account_type: Unspecified. Must be Checking, Savings, CertificateOfDeposit, or BrokerageCertificateOfDeposit.',
    ],
    [
      'apy above 1000',
      (i) => (i.new_banks[0].new_deposits[0].apy = '1000.0000000001'),
      `${d0}.apy`,
      'Incorrect apy: 1000.0000000001. Must be a decimal number from 0 to 1000.',
    ],
    [
      'apy negative',
      (i) => (i.new_banks[0].new_deposits[0].apy = '-0.5'),
      `${d0}.apy`,
      'Incorrect apy: -0.5. Must be a decimal number from 0 to 1000.',
    ],
    [
      'apy a boolean',
      (i) => (i.new_banks[0].new_deposits[0].apy = true),
      `${d0}.apy`,
      'Incorrect apy: true (a boolean). Must be a decimal number from 0 to 1000, written as a string.',
    ],
    [
      'years zero',
      (i) => (i.new_banks[0].new_deposits[0].years = '0'),
      `${d0}.years`,
      'Incorrect years: 0. Must be a decimal number greater than 0 and at most 100.',
    ],
    [
      'years above 100',
      (i) => (i.new_banks[0].new_deposits[0].years = '100.5'),
      `${d0}.years`,
      'Incorrect years: 100.5. Must be a decimal number greater than 0 and at most 100.',
    ],
    [
      'amount above 1e12',
      (i) => (i.new_banks[0].new_deposits[0].amount = '1000000000000.01'),
      `${d0}.amount`,
      'Incorrect amount: 1000000000000.01. Must be a decimal number from 0 to 1000000000000.',
    ],
    [
      'amount with a comma',
      (i) => (i.new_banks[0].new_deposits[0].amount = '1,000'),
      `${d0}.amount`,
      'Incorrect value: 1,000. Must be a valid decimal number.',
    ],
    [
      'start date not in the calendar',
      (i) => (i.new_banks[0].new_deposits[0].start_date_in_bank_tz = '2023-02-30'),
      `${d0}.start_date_in_bank_tz`,
      'Incorrect start_date_in_bank_tz: 2023-02-30. Must be a real calendar date written YYYY-MM-DD.',
    ],
    [
      'start date 29 Feb of a common year',
      (i) => (i.new_banks[0].new_deposits[0].start_date_in_bank_tz = '2023-02-29'),
      `${d0}.start_date_in_bank_tz`,
      'Incorrect start_date_in_bank_tz: 2023-02-29. Must be a real calendar date written YYYY-MM-DD.',
    ],
    [
      'start date not ISO',
      (i) => (i.new_banks[0].new_deposits[0].start_date_in_bank_tz = '01/02/2023'),
      `${d0}.start_date_in_bank_tz`,
      'Incorrect start_date_in_bank_tz: 01/02/2023. Must be a real calendar date written YYYY-MM-DD.',
    ],
    // missing and unknown fields
    [
      'no new_delta',
      (i) => delete i.new_delta,
      'new_delta',
      'Missing new_delta. Must be an object with period and period_unit.',
    ],
    [
      'no new_banks',
      (i) => delete i.new_banks,
      'new_banks',
      'Missing new_banks. Must be an array of 1 to 500 banks.',
    ],
    [
      'no period',
      (i) => delete i.new_delta.period,
      'new_delta.period',
      'Missing period. Must be a decimal number greater than 0.',
    ],
    [
      'no bank_tz',
      (i) => delete i.new_banks[1].bank_tz,
      'new_banks[1].bank_tz',
      'Missing bank_tz. Must be a valid timezone.',
    ],
    [
      'no apy',
      (i) => delete i.new_banks[0].new_deposits[1].apy,
      'new_banks[0].new_deposits[1].apy',
      'Missing apy. Must be a decimal number from 0 to 1000.',
    ],
    [
      'unknown top-level field',
      (i) => (i.extra = 1),
      'extra',
      'Unknown field: extra. Allowed fields: new_delta, new_banks.',
    ],
    [
      'unknown bank field',
      (i) => (i.new_banks[0].bank_id = 'x'),
      'new_banks[0].bank_id',
      'Unknown field: bank_id. Allowed fields: name, bank_tz, new_deposits.',
    ],
    [
      'unknown deposit field, not an identifier',
      (i) => (i.new_banks[0].new_deposits[1]['rate.%'] = 'x'),
      'new_banks[0].new_deposits[1]["rate.%"]',
      'Unknown field: rate.%. Allowed fields: account, account_type, apy, years, amount, start_date_in_bank_tz.',
    ],
  ])('%s', (_name, change, path, message) => {
    expect(errorsAfter(change)).toEqual([{ path, message }]);
  });

  test.each([null, [], 'text', 5, true])(
    'a request that is not an object (%j) is one error at $',
    (input) => {
      expect(errorsOf(input)).toEqual([
        {
          path: '$',
          message: expect.stringMatching(
            /^Incorrect request: .*\. Must be an object with new_delta and new_banks\.$/,
          ),
        },
      ]);
    },
  );

  test('a "__proto__" key is an unknown field like any other', () => {
    const input = JSON.parse(`{"__proto__": {"polluted": true}, ${JSON.stringify(validInput()).slice(1)}`);
    expect(errorsOf(input)).toEqual([
      { path: '__proto__', message: 'Unknown field: __proto__. Allowed fields: new_delta, new_banks.' },
    ]);
    expect(({} as Json).polluted).toBeUndefined();
  });

  test('values are echoed safely: control characters escaped, long values cut', () => {
    expect(errorsAfter((i) => (i.new_delta.period_unit = 'Day\nEvil'))[0]!.message).toBe(
      'Incorrect period_unit: Day\\u000aEvil. Must be Day, Week, Month, or Year.',
    );
  });
});

describe('several errors at once', () => {
  test('every problem is reported, in document order (the order fields are written)', () => {
    // Written out of schema order on purpose: banks before the delta, deposit fields reversed.
    const input = {
      new_banks: [
        {
          new_deposits: [
            {
              start_date_in_bank_tz: '2023-02-30',
              amount: 'lots',
              years: '0',
              apy: '5',
              account_type: 'Gold',
              account: '1234N',
            },
            {
              account: '9',
              account_type: 'Savings',
              apy: '1',
              years: '1',
              amount: '1',
              start_date_in_bank_tz: '2020-01-01',
              note: 'x',
            },
          ],
          bank_tz: 'Mars/Olympus',
          name: 'X',
        },
        'not a bank',
      ],
      new_delta: { period_unit: 'Century!', period: 'Hello' },
    };
    expect(errorsOf(input)).toEqual([
      {
        path: 'new_banks[0].new_deposits[0].start_date_in_bank_tz',
        message: expect.stringContaining('2023-02-30'),
      },
      {
        path: 'new_banks[0].new_deposits[0].amount',
        message: 'Incorrect value: lots. Must be a valid decimal number.',
      },
      { path: 'new_banks[0].new_deposits[0].years', message: expect.stringContaining('Incorrect years: 0.') },
      {
        path: 'new_banks[0].new_deposits[0].account_type',
        message: expect.stringContaining('Incorrect account_type: Gold.'),
      },
      {
        path: 'new_banks[0].new_deposits[1].account',
        message: expect.stringContaining('Incorrect account: 9.'),
      },
      { path: 'new_banks[0].new_deposits[1].note', message: expect.stringContaining('Unknown field: note.') },
      {
        path: 'new_banks[0].bank_tz',
        message: 'Incorrect timezone: Mars/Olympus. Must be a valid timezone.',
      },
      { path: 'new_banks[1]', message: expect.stringContaining('Incorrect bank: not a bank.') },
      {
        path: 'new_delta.period_unit',
        message: 'Incorrect period_unit: Century!. Must be Day, Week, Month, or Year.',
      },
      { path: 'new_delta.period', message: 'Incorrect value: Hello. Must be a valid decimal number.' },
    ]);
  });

  test('missing fields come after the fields their object has, in schema order', () => {
    const errors = errorsAfter((i) => {
      i.new_banks[0].new_deposits[0] = { years: '-1', extra: true };
    });
    expect(errors.map((e) => e.path)).toEqual([
      'new_banks[0].new_deposits[0].years',
      'new_banks[0].new_deposits[0].extra',
      'new_banks[0].new_deposits[0].account',
      'new_banks[0].new_deposits[0].account_type',
      'new_banks[0].new_deposits[0].apy',
      'new_banks[0].new_deposits[0].amount',
      'new_banks[0].new_deposits[0].start_date_in_bank_tz',
    ]);
  });

  test('an array with a bad size still has its items checked, after the size', () => {
    const errors = errorsAfter((i) => {
      i.new_banks = Array.from({ length: 501 }, () => bank([deposit()]));
      i.new_banks[3].name = '';
    });
    expect(errors.map((e) => e.path)).toEqual(['new_banks', 'new_banks[3].name']);
  });

  test('the same input always gives the same errors in the same order', () => {
    const broken = () =>
      errorsAfter((i) => {
        i.new_banks[0].new_deposits[0].apy = 'x';
        i.new_banks[1].name = '';
        i.new_delta.period = '0';
      });
    expect(broken()).toEqual(broken());
    expect(broken().map((e) => e.path)).toEqual([
      'new_delta.period',
      'new_banks[0].new_deposits[0].apy',
      'new_banks[1].name',
    ]);
  });
});

describe('one message per field, always friendly', () => {
  const leaves: Array<[string, (input: Json, value: unknown) => void]> = [
    ['new_delta.period', (i, v) => (i.new_delta.period = v)],
    ['new_delta.period_unit', (i, v) => (i.new_delta.period_unit = v)],
    ['new_banks[0].name', (i, v) => (i.new_banks[0].name = v)],
    ['new_banks[0].bank_tz', (i, v) => (i.new_banks[0].bank_tz = v)],
    ...['account', 'account_type', 'apy', 'years', 'amount', 'start_date_in_bank_tz'].map(
      (field): [string, (input: Json, value: unknown) => void] => [
        `new_banks[0].new_deposits[0].${field}`,
        (i, v) => (i.new_banks[0].new_deposits[0][field] = v),
      ],
    ),
  ];
  const anyValue = fc.oneof(
    fc.string(),
    fc.stringMatching(/^[+-]?[0-9]{0,14}(\.[0-9]{0,12})?$/),
    fc.constantFrom('Day', 'Savings', 'UTC', '2024-02-29', '2023-02-29', '', 'Unspecified'),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(fc.string(), { maxLength: 2 }),
    fc.dictionary(fc.string(), fc.string(), { maxKeys: 2 }),
  );

  test('any value in any field gives at most one error there, in our words, never ajv’s', () => {
    fc.assert(
      fc.property(fc.constantFrom(...leaves), anyValue, ([path, set], value) => {
        const input = validInput();
        set(input, value);
        const result = validatePortfolioRequest(input);
        if (result.ok) return;
        expect(result.errors).toHaveLength(1);
        expect(result.errors[0]!.path).toBe(path);
        expect(result.errors[0]!.message).toMatch(/^Incorrect [a-z_]+: .*\. Must be .+\.$/s);
        expect(result.errors[0]!.message).not.toMatch(/\bmust (be|match|have|NOT)\b/);
      }),
      { numRuns: 2000 },
    );
  });
});

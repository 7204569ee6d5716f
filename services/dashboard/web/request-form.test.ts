import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ACCOUNT_TYPES as CORE_ACCOUNT_TYPES, PERIOD_UNITS as CORE_PERIOD_UNITS } from '@drive-deposits/core';
import { ACCOUNT_TYPES, emptyForm, fromJson, PERIOD_UNITS, toRequest, type FormModel } from './request-form';

const example = readFileSync(join(__dirname, '../../../examples/requests/three-banks-1-month.json'), 'utf8');

describe('form ↔ PortfolioRequest', () => {
  it('maps the form to the request, every value the string as typed (trimmed)', () => {
    const model: FormModel = {
      period: ' 2 ',
      periodUnit: 'Week',
      banks: [
        {
          name: 'MOUNTAIN',
          tz: 'America/Chicago',
          deposits: [
            {
              account: '1234N',
              type: 'Checking',
              apy: '5.40',
              years: '10',
              amount: '100.50',
              start: '2019-01-01',
            },
          ],
        },
      ],
    };
    expect(toRequest(model)).toEqual({
      new_delta: { period: '2', period_unit: 'Week' },
      new_banks: [
        {
          name: 'MOUNTAIN',
          bank_tz: 'America/Chicago',
          new_deposits: [
            {
              account: '1234N',
              account_type: 'Checking',
              apy: '5.40',
              years: '10',
              amount: '100.50',
              start_date_in_bank_tz: '2019-01-01',
            },
          ],
        },
      ],
    });
  });

  it('round-trips a pasted request through the form unchanged', () => {
    const model = fromJson(example)!;
    expect(model.banks).toHaveLength(3);
    expect(toRequest(model)).toEqual(JSON.parse(example));
  });

  it('fills what fits from a partial or wrongly typed request, leaving the rest for the API to report', () => {
    expect(
      fromJson('{"new_delta": {"period": 1}, "new_banks": [{"name": "A", "new_deposits": "x"}]}'),
    ).toEqual({
      period: '',
      periodUnit: '',
      banks: [{ name: 'A', tz: '', deposits: [] }],
    });
  });

  it('refuses text that is not a JSON object', () => {
    expect(fromJson('{oops')).toBeUndefined();
    expect(fromJson('[1]')).toBeUndefined();
    expect(fromJson('"x"')).toBeUndefined();
  });

  it('starts with one bank of one deposit and a 1 Month period', () => {
    const request = toRequest(emptyForm());
    expect(request.new_delta).toEqual({ period: '1', period_unit: 'Month' });
    expect(request.new_banks).toHaveLength(1);
    expect(request.new_banks[0]!.new_deposits).toHaveLength(1);
  });
});

test("the page's lists of period units and account types are exactly the contract's", () => {
  expect(PERIOD_UNITS).toEqual(CORE_PERIOD_UNITS);
  expect(ACCOUNT_TYPES).toEqual(CORE_ACCOUNT_TYPES);
});

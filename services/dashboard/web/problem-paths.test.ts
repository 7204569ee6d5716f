import { controlName, fieldIdOf, pathSteps } from './problem-paths';

describe('pathSteps', () => {
  it('reads the APIs’ paths and JSON pointers alike', () => {
    expect(pathSteps('new_banks[0].new_deposits[12].apy')).toEqual([
      'new_banks',
      0,
      'new_deposits',
      12,
      'apy',
    ]);
    expect(pathSteps('/new_banks/0/new_deposits/12/apy')).toEqual([
      'new_banks',
      0,
      'new_deposits',
      12,
      'apy',
    ]);
    expect(pathSteps('$')).toEqual([]);
    expect(pathSteps('new_banks[x]')).toBeUndefined();
  });
});

describe('fieldIdOf', () => {
  it.each([
    ['new_delta.period', 'delta-period'],
    ['new_delta.period_unit', 'delta-period-unit'],
    ['new_delta', 'delta'],
    ['new_banks', 'banks'],
    ['new_banks[2]', 'bank-2'],
    ['new_banks[0].name', 'bank-0-name'],
    ['new_banks[0].bank_tz', 'bank-0-tz'],
    ['new_banks[1].new_deposits', 'bank-1-deposits'],
    ['new_banks[1].new_deposits[3]', 'bank-1-deposit-3'],
    ['new_banks[0].new_deposits[1].amount', 'bank-0-deposit-1-amount'],
    ['new_banks[0].new_deposits[1].account_type', 'bank-0-deposit-1-type'],
    ['new_banks[0].new_deposits[1].start_date_in_bank_tz', 'bank-0-deposit-1-start'],
    ['/new_banks/0/new_deposits/1/amount', 'bank-0-deposit-1-amount'],
  ])('%s → %s', (path, id) => {
    expect(fieldIdOf(path)).toBe(id);
  });

  it.each([
    '$',
    'colour',
    'new_banks[0].colour',
    'new_banks[0].new_deposits[0].colour',
    'new_delta.x',
    'a[0',
  ])('has no field for %s (the summary lists it)', (path) => {
    expect(fieldIdOf(path)).toBeUndefined();
  });

  it('names controls after their request field', () => {
    expect(controlName('apy')).toBe('apy');
    expect(controlName('bank_tz')).toBe('tz');
  });
});

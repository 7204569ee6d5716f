import {
  bankRankingOption,
  dateText,
  dateValue,
  describeRanking,
  maturityTimelineOption,
  portfolioRankingOption,
  timelineRows,
  yearValue,
} from './chart-options';
import type { BankItem, DepositItem, Outcome, PortfolioItem } from './types';

const outcome = (growth: string | null): Outcome => ({
  delta: growth === null ? null : { period: '1', period_unit: 'Month', growth },
  maturity: { amount: '100', interest: '1.00', total: '101.00' },
  errors: [],
});

const portfolio = (uuid: string, growth: string | null): PortfolioItem => ({
  portfolio_uuid: uuid,
  outcome: outcome(growth),
  created_at: '2024-09-05T15:48:34.811Z',
});

const deposit = (account: string, bank: string, start: string, maturity: string | null): DepositItem => ({
  deposit_uuid: `d-${account}`,
  bank_uuid: `b-${bank}`,
  bank_name: bank,
  portfolio_uuid: 'p',
  account,
  account_type: 'Checking',
  apy: '1',
  years: '1',
  deposit_delta_growth: '1.00',
  deposit_maturity_date_in_bank_tz: maturity,
  outcome: outcome('1.00'),
  outcome_with_dates: { start_date_in_bank_tz: start, maturity_date_in_bank_tz: maturity },
  created_at: '2024-09-05T15:48:34.811Z',
});

type Series = Array<{ data: unknown[]; stack?: string; itemStyle?: { color?: string } }>;

describe('ranking bars', () => {
  it('one bar per portfolio in rank order, sized by growth, labelled with the exact string', () => {
    const items = [
      portfolio('aaaaaaaa-1', '367.76'),
      portfolio('bbbbbbbb-2', '12.05'),
      portfolio('cccccccc-3', null),
    ];
    const option = portfolioRankingOption(items, 'desc');
    expect((option.yAxis as { data: string[] }).data).toEqual(['aaaaaaaa', 'bbbbbbbb', 'cccccccc']);
    expect((option.yAxis as { inverse: boolean }).inverse).toBe(true);
    const [bars] = option.series as Series;
    expect(bars!.data).toEqual([367.76, 12.05, 0]);
    const label = (option.series as Array<{ label: { formatter: (p: { dataIndex: number }) => string } }>)[0]!
      .label;
    expect(label.formatter({ dataIndex: 0 })).toBe('367.76');
    expect(label.formatter({ dataIndex: 2 })).toBe('—');
    expect(option.aria).toMatchObject({ enabled: true });
    expect((option.aria as { label: { description: string } }).label.description).toBe(
      'Portfolios by delta growth, highest first: 1. aaaaaaaa 367.76; 2. bbbbbbbb 12.05; 3. cccccccc no growth.',
    );
  });

  it('banks are labelled by name', () => {
    const bank: BankItem = {
      bank_uuid: 'b1',
      bank_name: 'MOUNTAIN',
      portfolio_uuid: 'p',
      bank_tz: 'America/Chicago',
      outcome: outcome('246.16'),
      created_at: '',
    };
    const option = bankRankingOption([bank]);
    expect((option.yAxis as { data: string[] }).data).toEqual(['MOUNTAIN']);
    expect((option.series as Series)[0]!.data).toEqual([246.16]);
  });

  it('describes a ranking in words', () => {
    expect(describeRanking('Banks', ['A', 'B'], ['2.00', null])).toBe('Banks: 1. A 2.00; 2. B no growth.');
  });
});

describe('maturity timeline', () => {
  const zones = new Map([
    ['b-MOUNTAIN', 'America/Chicago'],
    ['b-PEACEMAKER', 'America/New_York'],
  ]);
  const items = [
    deposit('1256N', 'MOUNTAIN', '2018-04-07', '2020-04-06'),
    deposit('1235N', 'PEACEMAKER', '2024-02-16', '2031-02-14'),
    deposit('0000N', 'MOUNTAIN', '2024-01-01', null),
  ];

  it('one row per deposit with a maturity date, in its bank’s zone', () => {
    expect(timelineRows(items, zones)).toEqual([
      { label: '1256N (MOUNTAIN)', bankTz: 'America/Chicago', start: '2018-04-07', maturity: '2020-04-06' },
      {
        label: '1235N (PEACEMAKER)',
        bankTz: 'America/New_York',
        start: '2024-02-16',
        maturity: '2031-02-14',
      },
    ]);
  });

  it('places calendar dates at UTC midnight, so they read back as the same dates', () => {
    expect(dateText(dateValue('2031-02-14'))).toBe('2031-02-14');
    expect(dateValue('2024-03-10')).toBe(Date.UTC(2024, 2, 10));
  });

  it('counts years on its axis, so whole years are its ticks', () => {
    expect(yearValue('2020-01-01')).toBeCloseTo(2020, 2);
    expect(yearValue('2031-02-14')).toBeCloseTo(2031.12, 2);
  });

  it('draws each term as a bar stacked on an invisible bar up to its start', () => {
    const option = maturityTimelineOption(timelineRows(items, zones));
    const [base, term] = option.series as Series;
    expect(base!.stack).toBe('term');
    expect(term!.stack).toBe('term');
    expect(base!.itemStyle!.color).toBe('transparent');
    expect(base!.data).toEqual([yearValue('2018-04-07'), yearValue('2024-02-16')]);
    expect(term!.data).toEqual([
      yearValue('2020-04-06') - yearValue('2018-04-07'),
      yearValue('2031-02-14') - yearValue('2024-02-16'),
    ]);
    const axis = option.xAxis as { type: string; min: number; max: number };
    expect(axis).toMatchObject({ type: 'value', min: 2018, max: 2032 });
    const label = (
      option.series as Array<{ label?: { formatter: (p: { dataIndex: number }) => string } }>
    )[1]!.label!;
    expect(label.formatter({ dataIndex: 1 })).toBe('2031-02-14');
    expect((option.aria as { label: { description: string } }).label.description).toContain(
      '1235N (PEACEMAKER) from 2024-02-16 to 2031-02-14 (America/New_York)',
    );
    expect(term).not.toHaveProperty('markLine');
  });

  it('marks today, widening the axis to it', () => {
    const option = maturityTimelineOption(timelineRows(items, zones), '2035-06-30');
    const term = (option.series as Array<{ markLine?: { data: Array<{ xAxis: number }> } }>)[1]!;
    expect(term.markLine!.data).toEqual([{ xAxis: yearValue('2035-06-30') }]);
    expect(option.xAxis).toMatchObject({ min: 2018, max: 2036 });
  });
});

import { DEFAULT_FILTERS, filtersFrom, rankingQuery } from './rankings-query';

describe('ranking filters', () => {
  it('become the query API parameters, the period filter only when given', () => {
    expect(rankingQuery(DEFAULT_FILTERS)).toBe('order=desc&top_k=10');
    expect(rankingQuery({ order: 'asc', topK: 3, period: ' 1 ', periodUnit: 'Month' }, 'abc_-1')).toBe(
      'order=asc&top_k=3&period=1&period_unit=Month&cursor=abc_-1',
    );
  });

  it('send a half-given period as it is, for the API to name what is missing', () => {
    expect(rankingQuery({ ...DEFAULT_FILTERS, period: '2' })).toBe('order=desc&top_k=10&period=2');
  });

  it('are read back from the address, defaults for what is missing or out of range', () => {
    expect(filtersFrom(new URLSearchParams('order=asc&top_k=5&period=1&period_unit=Week'))).toEqual({
      order: 'asc',
      topK: 5,
      period: '1',
      periodUnit: 'Week',
    });
    expect(filtersFrom(new URLSearchParams('order=up&top_k=5000&period_unit=Century'))).toEqual(
      DEFAULT_FILTERS,
    );
  });
});

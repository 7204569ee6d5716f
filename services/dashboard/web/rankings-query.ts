// The rankings view's filters ↔ the query API's parameters (spec §6) and the page's address.
import { PERIOD_UNITS } from './request-form';

export interface RankingFilters {
  order: 'asc' | 'desc';
  topK: number;
  /** '' = every period */
  period: string;
  periodUnit: string;
}

export const DEFAULT_FILTERS: RankingFilters = { order: 'desc', topK: 10, period: '', periodUnit: '' };

/** Query string of GET /by-level-for-portfolios/delta-growth; the cursor continues a page. */
export function rankingQuery(filters: RankingFilters, cursor?: string): string {
  const params = new URLSearchParams({ order: filters.order, top_k: String(filters.topK) });
  // Each when given: the API names a half-given filter ("give both or neither").
  if (filters.period.trim() !== '') params.set('period', filters.period.trim());
  if (filters.periodUnit !== '') params.set('period_unit', filters.periodUnit);
  if (cursor !== undefined) params.set('cursor', cursor);
  return params.toString();
}

/** Filters from the address (`#/rankings?order=asc&top_k=5`), defaults for what is missing or wrong. */
export function filtersFrom(params: URLSearchParams): RankingFilters {
  const order = params.get('order') === 'asc' ? 'asc' : 'desc';
  const topK = Number(params.get('top_k'));
  const unit = params.get('period_unit') ?? '';
  return {
    order,
    topK: Number.isInteger(topK) && topK >= 1 && topK <= 1000 ? topK : DEFAULT_FILTERS.topK,
    period: params.get('period') ?? '',
    periodUnit: (PERIOD_UNITS as readonly string[]).includes(unit) ? unit : '',
  };
}

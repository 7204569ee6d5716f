// The four rankings of spec §6 as MongoDB queries, each served by one index of READ_MODEL_INDEXES:
// equality on the index prefix (the scope), then the index tail (sort key, created_at, _id) walked
// in one direction. Pages after the first continue with keyset conditions on that same tail, so
// every page is an index walk too (no skip, no in-memory sort).
import type { Filter, Sort } from 'mongodb';
import type { ReadModelCollections } from './collections';

export type Order = 'asc' | 'desc';

export interface RankingDefinition {
  collection: keyof Omit<ReadModelCollections, 'version'>;
  /** the field ranked by: a growth key (string) or a maturity key (integer) */
  sortKey: 'growth_key' | 'maturity_key';
  /** the index (READ_MODEL_INDEXES) whose prefix is the scope and whose tail is the sort */
  index: string;
}

export const RANKINGS = {
  portfolios_by_growth: { collection: 'portfolios', sortKey: 'growth_key', index: 'by_growth' },
  portfolios_by_period_growth: { collection: 'portfolios', sortKey: 'growth_key', index: 'by_period_growth' },
  banks_by_growth: { collection: 'banks', sortKey: 'growth_key', index: 'by_growth' },
  deposits_by_growth: { collection: 'deposits', sortKey: 'growth_key', index: 'by_growth' },
  deposits_by_maturity: { collection: 'deposits', sortKey: 'maturity_key', index: 'by_maturity' },
} as const satisfies Record<string, RankingDefinition>;

export type RankingName = keyof typeof RANKINGS;

/** Where the previous page ended: the last item's position in the index tail. */
export interface RankingPosition {
  key: string | number;
  created_at: string;
  _id: string;
}

export interface RankingQuery {
  filter: Filter<Record<string, unknown>>;
  sort: Sort;
}

/**
 * `scope` is equality on the index prefix (`{ status: 'calculated' }`, `{ portfolio_uuid }`, …).
 * Items without a sort key (failed) are not ranked. With `after`, only items strictly past it in
 * the ranking's direction: three $or branches, each an equality prefix plus one range on the next
 * index field, so each branch is an index range in ranking order (MongoDB merges them: SORT_MERGE).
 */
export function rankingQuery(
  name: RankingName,
  scope: Record<string, string>,
  order: Order,
  after?: RankingPosition,
): RankingQuery {
  const { sortKey } = RANKINGS[name];
  const direction = order === 'asc' ? 1 : -1;
  const past = order === 'asc' ? '$gt' : '$lt';
  const sort: Sort = { [sortKey]: direction, created_at: direction, _id: direction };
  if (after === undefined) return { filter: { ...scope, [sortKey]: { $ne: null } }, sort };
  // Type bracketing: `$gt`/`$lt` on a string (number) key only matches strings (numbers), so null
  // keys stay out of every branch.
  const filter = {
    $or: [
      { ...scope, [sortKey]: { [past]: after.key } },
      { ...scope, [sortKey]: after.key, created_at: { [past]: after.created_at } },
      { ...scope, [sortKey]: after.key, created_at: after.created_at, _id: { [past]: after._id } },
    ],
  };
  return { filter, sort };
}

/** The position of a ranked document, for the next page's `after`. */
export function positionOf(name: RankingName, doc: Record<string, unknown>): RankingPosition {
  return {
    key: doc[RANKINGS[name].sortKey] as string | number,
    created_at: doc.created_at as string,
    _id: doc._id as string,
  };
}

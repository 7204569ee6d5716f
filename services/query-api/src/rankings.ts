// The four rankings of spec §6 as MongoDB queries, each served by one index of READ_MODEL_INDEXES (@drive-deposits/read-model):
// equality on the index prefix (the scope), then the index tail (sort key, created_at, _id) walked
// in one direction. Pages after the first continue with keyset conditions on that same tail, as up
// to three index ranges read one after another, so every page is an index walk too (no skip, no
// in-memory sort, no $or for a server to merge).
import type { Collection, Document, Filter, Sort } from 'mongodb';
import type { ReadModelCollections } from '@drive-deposits/read-model';

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
  portfolios_by_owner_growth: { collection: 'portfolios', sortKey: 'growth_key', index: 'by_owner_growth' },
  portfolios_by_owner_period_growth: {
    collection: 'portfolios',
    sortKey: 'growth_key',
    index: 'by_owner_period_growth',
  },
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
  /** index ranges in ranking order: the ranking is their results concatenated */
  ranges: Filter<Record<string, unknown>>[];
  sort: Sort;
}

/**
 * `scope` is equality on the index prefix (`{ status: 'calculated' }`, `{ portfolio_uuid }`, …).
 * Items without a sort key (failed) are not ranked. With `after`, only items strictly past it in
 * the ranking's direction: the rest of its (key, created_at) tie, then of its key tie, then the
 * keys past it. Each range is an equality prefix plus one range on the next index field.
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
  if (after === undefined) return { ranges: [{ ...scope, [sortKey]: { $ne: null } }], sort };
  // Type bracketing: `$gt`/`$lt` on a string (number) key only matches strings (numbers), so null
  // keys stay out of every range.
  const ranges = [
    { ...scope, [sortKey]: after.key, created_at: after.created_at, _id: { [past]: after._id } },
    { ...scope, [sortKey]: after.key, created_at: { [past]: after.created_at } },
    { ...scope, [sortKey]: { [past]: after.key } },
  ];
  return { ranges, sort };
}

/** The first `limit` documents of a ranking: its ranges read in order until `limit` are found. */
export async function findRanked<T extends Document>(
  collection: Collection<T>,
  { ranges, sort }: RankingQuery,
  limit: number,
  options: { maxTimeMS?: number } = {},
): Promise<T[]> {
  const found: T[] = [];
  for (const range of ranges) {
    if (found.length >= limit) break;
    const docs = await collection
      .find(range as never, { ...options, sort, limit: limit - found.length })
      .toArray();
    found.push(...(docs as T[]));
  }
  return found;
}

/** The position of a ranked document, for the next page's `after`. */
export function positionOf(name: RankingName, doc: Record<string, unknown>): RankingPosition {
  return {
    key: doc[RANKINGS[name].sortKey] as string | number,
    created_at: doc.created_at as string,
    _id: doc._id as string,
  };
}

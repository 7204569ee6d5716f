// Versioned collections (blue-green rebuilds) and the indexes that serve every ranking.
import { ensureIndexes } from '@drive-deposits/mongo';
import type { Collection, Db, IndexDescription } from 'mongodb';
import type { BankDoc, DepositDoc, PortfolioDoc, PortfolioResultDoc } from './documents';

export interface ReadModelCollections {
  version: number;
  portfolios: Collection<PortfolioDoc>;
  results: Collection<PortfolioResultDoc>;
  banks: Collection<BankDoc>;
  deposits: Collection<DepositDoc>;
}

export const collectionNames = (version: number) => ({
  portfolios: `portfolios_v${version}`,
  results: `portfolio_results_v${version}`,
  banks: `banks_v${version}`,
  deposits: `deposits_v${version}`,
});

export function readModelCollections(db: Db, version: number): ReadModelCollections {
  const names = collectionNames(version);
  return {
    version,
    portfolios: db.collection<PortfolioDoc>(names.portfolios),
    results: db.collection<PortfolioResultDoc>(names.results),
    banks: db.collection<BankDoc>(names.banks),
    deposits: db.collection<DepositDoc>(names.deposits),
  };
}

/**
 * Each ranking's sort is the tail of one index, after equality on its prefix; ties by created_at, _id.
 * Results are only ever read by `_id`. Banks and deposits are ranked inside one portfolio, whose
 * owner the query API checks first (by `_id`), so they need no owner of their own.
 */
export const READ_MODEL_INDEXES: Record<'portfolios' | 'banks' | 'deposits', IndexDescription[]> = {
  portfolios: [
    { name: 'by_growth', key: { status: 1, growth_key: 1, created_at: 1, _id: 1 } },
    { name: 'by_period_growth', key: { status: 1, period_key: 1, growth_key: 1, created_at: 1, _id: 1 } },
    // The rankings scoped to one owner (a caller without rankings:read:all): the owner first.
    { name: 'by_owner_growth', key: { owner: 1, status: 1, growth_key: 1, created_at: 1, _id: 1 } },
    {
      name: 'by_owner_period_growth',
      key: { owner: 1, status: 1, period_key: 1, growth_key: 1, created_at: 1, _id: 1 },
    },
  ],
  banks: [{ name: 'by_growth', key: { portfolio_uuid: 1, growth_key: 1, created_at: 1, _id: 1 } }],
  deposits: [
    { name: 'by_growth', key: { portfolio_uuid: 1, growth_key: 1, created_at: 1, _id: 1 } },
    { name: 'by_maturity', key: { portfolio_uuid: 1, maturity_key: 1, created_at: 1, _id: 1 } },
  ],
};

export async function createReadModelIndexes(collections: ReadModelCollections): Promise<void> {
  await ensureIndexes(collections.portfolios, READ_MODEL_INDEXES.portfolios);
  await ensureIndexes(collections.banks, READ_MODEL_INDEXES.banks);
  await ensureIndexes(collections.deposits, READ_MODEL_INDEXES.deposits);
}

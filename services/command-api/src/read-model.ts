// The result of an already-calculated portfolio, from the read model the projector writes (an
// idempotent replay answers from here instead of waiting for an event that passed long ago).
import type { PortfolioResponse } from '@drive-deposits/core';
import { readModelCollections, readVersions } from '@drive-deposits/read-model';
import type { Db } from 'mongodb';

export type CalculatedLookup = (portfolioUuid: string) => Promise<PortfolioResponse | undefined>;

export const calculatedFromReadModel =
  (db: Db): CalculatedLookup =>
  async (portfolioUuid) => {
    const { active } = await readVersions(db);
    const doc = await readModelCollections(db, active).portfolios.findOne(
      { _id: portfolioUuid, status: 'calculated' },
      { projection: { response: 1 } },
    );
    return doc?.response ?? undefined;
  };
